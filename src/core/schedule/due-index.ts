// Keeps the scheduler's index (due-state.ts) as `apply` changes the state: each entry's touched projection keys name
// the votes, petitions, requests, mandates, admissions, motions and sealed records that changed, and only those are
// filed again (as attention-index.ts does for the inbox). An item is filed when it opens and dropped when it ends:
// closed, succeeded, expired, carried out, ended, admitted, revealed.
import { objectionEnds } from '../admission/status.ts';
import { addMinutes } from '../kernel/time.ts';
import type { Admission } from '../admission/types.ts';
import type { OrgState } from '../model.ts';
import type { Vote } from '../votes/types.ts';
import type { ProjectionKey } from '../projections.ts';
import type { DueIndex } from './due-state.ts';

function fileVote(s: OrgState, due: DueIndex, id: string): void {
  const v = s.votes.get(id);
  if (v && v.closedAt === null) due.votes.file(id, v.closesAt);
  else due.votes.drop(id);
}

function filePetition(s: OrgState, due: DueIndex, id: string): void {
  const p = s.power.petitions.get(id);
  if (p && p.succeededAt === null && p.expiredAt === null) due.petitions.file(id, p.deadline);
  else due.petitions.drop(id);
  // The motion it opened is moved by the next entry: it takes its place among the petitions' motions now.
  if (p?.motionId != null && !due.petitionMotions.has(p.motionId)) filePetitionMotion(s, due, p.motionId);
}

function filePetitionMotion(s: OrgState, due: DueIndex, id: string): void {
  const m = s.motions.get(id);
  const waiting = m && m.state === 'debate' && m.alternatives.length > 0 && m.debateOpenedAt !== null;
  due.petitionMotions.file(id, waiting ? m.debateOpenedAt : null);
}

function fileRequest(s: OrgState, due: DueIndex, id: string): void {
  const r = s.power.requests.get(id);
  if (r && r.state === 'pending' && r.expiredAt === null) due.requests.file(id, r.expiresAt);
  else due.requests.drop(id);
}

function fileMandate(s: OrgState, due: DueIndex, id: string): void {
  const m = s.mandates.get(id);
  if (m && m.endedAt === null) due.mandates.file(id, m.termEnds);
  else due.mandates.drop(id);
}

/** When an admission not yet admitted falls due (admission/status.ts `admissionDue`), or null: not by time. */
function admissionAt(s: OrgState, a: Admission): string | null {
  if (a.memberId === null || a.endedBy !== null) return null;
  if (a.motionId !== null) return s.motions.get(a.motionId)?.state === 'decided' ? '' : null;
  return objectionEnds(a);
}

function fileAdmission(s: OrgState, due: DueIndex, id: string): void {
  const a = s.admissions.get(id);
  if (a && a.admittedAt === null) {
    due.admissions.file(id, admissionAt(s, a));
    if (a.motionId !== null) due.admissionMotions.set(a.motionId, id);
    return;
  }
  due.admissions.drop(id);
  if (a?.motionId != null) due.admissionMotions.delete(a.motionId);
}

/** A motion waiting for its seconders, by when it began to wait (in the form the clock gives: `dueLapses`). */
function fileLapse(s: OrgState, due: DueIndex, id: string): void {
  const m = s.motions.get(id);
  if (m && m.state === 'seconding' && m.secondingSince !== null)
    due.lapses.file(id, addMinutes(m.secondingSince, 0));
  else due.lapses.drop(id);
}

function fileMotion(s: OrgState, due: DueIndex, id: string): void {
  fileLapse(s, due, id);
  if (due.petitionMotions.has(id)) filePetitionMotion(s, due, id);
  const admission = due.admissionMotions.get(id);
  if (admission !== undefined) fileAdmission(s, due, admission);
}

function fileSealed(s: OrgState, due: DueIndex, key: string): void {
  const seq = Number(key.slice(key.lastIndexOf(':') + 1));
  const r = s.sealed.get(seq);
  if (r && r.revealedAt === null && r.keyKeptBy === 'service') due.sealed.file(seq, r.release.at ?? null);
  else due.sealed.drop(seq);
}

/** Files again what an entry touched; called by `apply` after every entry. */
export function indexDue(s: OrgState, touched: readonly ProjectionKey[]): void {
  const due = s.due;
  for (const { table, key } of touched) {
    if (table === 'votes') fileVote(s, due, key);
    else if (table === 'petitions') filePetition(s, due, key);
    else if (table === 'privileged_requests') fileRequest(s, due, key);
    else if (table === 'mandates') fileMandate(s, due, key);
    else if (table === 'admissions') fileAdmission(s, due, key);
    else if (table === 'motions') fileMotion(s, due, key);
    else if (table === 'alternatives') fileMotion(s, due, key.slice(0, key.indexOf('/')));
    else if (table === 'sealed_records') fileSealed(s, due, key);
  }
}

/** Open votes whose time is up at `now`, in the order they opened (the scheduler closes them, or calls the trustees). */
export function dueVotes(s: OrgState, now: string): Vote[] {
  return s.due.votes.due(now).map((id) => s.votes.get(id)!);
}

/** dueVotes by walking every vote: the reference the index is checked against. */
export function dueVotesByScan(s: OrgState, now: string): Vote[] {
  return [...s.votes.values()].filter((v) => v.closedAt === null && v.closesAt <= now);
}

/** Every open vote, in the order they opened. */
export function openVotes(s: OrgState): Vote[] {
  return [...s.due.votes.open()].map((id) => s.votes.get(id)!);
}
