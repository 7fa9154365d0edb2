// Keeps the attention index (index-state.ts) as `apply` changes the state: each entry's touched projection keys
// name what changed (a vote, a motion, a petition, a request, a sealed record, a mandate, a membership), and only
// those are filed again. An open vote is filed under its council (an elector must still sit there to vote), not
// under each elector, so opening a vote of 100,000 electors files one id (docs/SCALE.md "Opening a vote"); a
// ballot touches its vote but moves nothing.
import { addDays } from '../kernel/time.ts';
import type { OrgState } from '../model.ts';
import type { ProjectionKey } from '../projections.ts';
import type { AttentionIndex, Dated } from './index-state.ts';
import { votersOf } from '../votes/settled.ts';

/** Results and released records stay in the inbox this long after they happened. */
export const attentionDays = 30;

function bucket(index: AttentionIndex, name: string): Set<string> {
  let b = index.buckets.get(name);
  if (!b) index.buckets.set(name, (b = new Set()));
  return b;
}

function unbucket(index: AttentionIndex, name: string, id: string): void {
  const b = index.buckets.get(name);
  if (!b) return;
  b.delete(id);
  if (b.size === 0) index.buckets.delete(name);
}

/** Files `id` under exactly `names` (none: unfiled), moving it out of the buckets it was in. */
function file(index: AttentionIndex, ref: string, id: string, names: string[]): void {
  for (const old of index.filed.get(ref) ?? []) if (!names.includes(old)) unbucket(index, old, id);
  for (const name of names) bucket(index, name).add(id);
  if (names.length > 0) index.filed.set(ref, names);
  else index.filed.delete(ref);
}

/** Appends to a dated list, dropping what is older than the inbox reads (by the log's own times). */
function appendDated(lists: Map<string, Dated[]>, key: string, item: Dated): void {
  const list = lists.get(key);
  if (!list) {
    // a literal of one: an empty array's first push reserves 17 slots, and most voters of a large vote have one item
    lists.set(key, [item]);
    return;
  }
  list.push(item);
  const keepFrom = addDays(item.at, -attentionDays);
  let drop = 0;
  while (drop < list.length && list[drop]!.at < keepFrom) drop++;
  if (drop > 0) list.splice(0, drop);
}

function fileVote(s: OrgState, index: AttentionIndex, voteId: string): void {
  const vote = s.votes.get(voteId);
  if (!vote || index.closed.has(voteId)) return;
  const trustees = vote.secret?.trustees ?? [];
  let filed = index.openVotes.get(voteId);
  if (vote.closedAt === null) {
    if (!filed) {
      index.openVotes.set(voteId, (filed = new Set()));
      bucket(index, `open-votes:${vote.councilId}`).add(voteId);
    }
    for (const t of trustees) {
      if (filed.has(t)) continue;
      filed.add(t);
      bucket(index, `votes:${t}`).add(voteId);
    }
    return;
  }
  // Closed: out of its council's and trustees' open votes, into its participants' results.
  unbucket(index, `open-votes:${vote.councilId}`, voteId);
  for (const t of filed ?? []) unbucket(index, `votes:${t}`, voteId);
  index.openVotes.delete(voteId);
  index.closed.add(voteId);
  const took = vote.secret ? vote.secret.issued.map((i) => i.member) : votersOf(vote);
  // One item shared by every participant's list (it is never changed): a pointer per voter, not an object.
  const result: Dated = { id: voteId, at: vote.closedAt };
  for (const m of new Set(took)) appendDated(index.results, m, result);
}

function fileMotion(s: OrgState, index: AttentionIndex, motionId: string): void {
  const m = s.motions.get(motionId);
  const live = m && (m.state === 'seconding' || m.state === 'debate' || m.state === 'voting');
  const names: string[] = [];
  if (m && live) {
    names.push(`motions:${m.councilId}`);
    const deputy = m.kind === 'recall' && m.mandateId ? s.mandates.get(m.mandateId)?.memberId : undefined;
    if (deputy !== undefined) names.push(`recalls:${deputy}`);
  }
  file(index, `motion:${motionId}`, motionId, names);
}

function filePetition(s: OrgState, index: AttentionIndex, petitionId: string): void {
  const p = s.power.petitions.get(petitionId);
  const names: string[] = [];
  if (p && p.succeededAt === null && p.motionId === null && p.expiredAt === null) {
    for (const c of Object.keys(p.required)) names.push(`petitions:${c}`);
    const deputy = p.kind === 'recall' && p.mandateId ? s.mandates.get(p.mandateId)?.memberId : undefined;
    if (deputy !== undefined) names.push(`recall-petitions:${deputy}`);
  }
  file(index, `petition:${petitionId}`, petitionId, names);
}

function fileRequest(s: OrgState, index: AttentionIndex, requestId: string): void {
  const r = s.power.requests.get(requestId);
  const names =
    r && r.state === 'pending' && r.expiredAt === null ? r.approvers.map((a) => `approvals:${a}`) : [];
  file(index, `request:${requestId}`, requestId, names);
}

function fileSealed(s: OrgState, index: AttentionIndex, key: string): void {
  const seq = Number(key.slice(key.lastIndexOf(':') + 1));
  const r = s.sealed.get(seq);
  if (!r || r.revealedAt === null || index.filed.has(`sealed:${seq}`)) return;
  index.filed.set(`sealed:${seq}`, []);
  appendDated(index.revealed, r.councilId, { id: String(seq), at: r.revealedAt });
}

function fileMandate(s: OrgState, index: AttentionIndex, mandateId: string): void {
  const m = s.mandates.get(mandateId);
  file(index, `mandate:${mandateId}`, mandateId, m && m.endedAt === null ? [`mandates:${m.memberId}`] : []);
}

function fileMembership(s: OrgState, index: AttentionIndex, key: string): void {
  const [councilId, memberId] = splitOnce(key);
  if (s.councils.get(councilId)?.memberIds.has(memberId))
    bucket(index, `councils:${memberId}`).add(councilId);
  else unbucket(index, `councils:${memberId}`, councilId);
}

function splitOnce(key: string): [string, string] {
  const at = key.indexOf('/');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** Files again what an entry touched; called by `apply` after every entry. */
export function indexTouched(s: OrgState, touched: readonly ProjectionKey[]): void {
  const index = s.attention;
  for (const { table, key } of touched) {
    if (table === 'votes') fileVote(s, index, key);
    else if (table === 'motions') fileMotion(s, index, key);
    else if (table === 'petitions') filePetition(s, index, key);
    else if (table === 'privileged_requests') fileRequest(s, index, key);
    else if (table === 'sealed_records') fileSealed(s, index, key);
    else if (table === 'mandates') fileMandate(s, index, key);
    else if (table === 'memberships') fileMembership(s, index, key);
  }
}
