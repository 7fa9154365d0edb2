// "Needs your attention" (docs/NOTIFICATIONS.md): what concerns one member now, derived from the organisation's
// state alone, so a replayed log (`councils rebuild`, a restart) gives the same inbox. Nothing is written when a
// vote opens: an inbox is computed when its member asks, so a vote of 100,000 electors costs its opening nothing
// beyond filing the vote under its electors in the state's attention index (attention-index.ts).
// Whether an item has been read is the member's own state, kept by the store beside the item's stable id.
import { awaitedTrustees, decryptionOpens } from '../secret/decryption.ts';
import { addDays } from '../kernel/time.ts';
import { countingApprovals, type Petition, type PrivilegedRequest } from '../power/state.ts';
import { isBaseCouncil, isCouncilMember, mandateActive } from '../organisation/membership.ts';
import type { Motion } from '../motions/types.ts';
import type { OrgState } from '../model.ts';
import type { SealedRecord } from '../sealed/types.ts';
import type { Vote } from '../votes/types.ts';
import { hasVoted } from '../votes/settled.ts';
import { attentionDays } from './attention-index.ts';
import type { Dated } from './index-state.ts';

export const attentionKinds = [
  'vote_open',
  'motion_debate',
  'petition',
  'recall_petition',
  'recall_motion',
  'approval',
  'trustee_keys',
  'trustee_decryption',
  'sealed_released',
  'vote_result',
] as const;

export type AttentionKind = (typeof attentionKinds)[number];

export { attentionDays };

export interface AttentionItem {
  /** Stable across requests and replays: the kind and what it is about (read state is kept by it). */
  id: string;
  kind: AttentionKind;
  /** When the item arose (the entry's time, or a vote's closing time for a decryption duty). */
  at: string;
  councilId: string;
  title: string;
  motionId: string | null;
  voteId: string | null;
  petitionId: string | null;
  requestId: string | null;
  sealedSeq: number | null;
  /**
   * Open votes: when voting closes. Petitions: their deadline. Approvals: when the request expires. A trustee's
   * decryption: its deadline, once the duty is recorded (decryption_due) and if the procedure sets one.
   */
  closesAt: string | null;
  /** Petitions: signatures so far in the member's council, and how many it needs. */
  signatures: number | null;
  required: number | null;
  /** Results: the vote's outcome. */
  outcome: string | null;
}

const none = {
  motionId: null,
  voteId: null,
  petitionId: null,
  requestId: null,
  sealedSeq: null,
  closesAt: null,
  signatures: null,
  required: null,
  outcome: null,
} as const;

/**
 * The member's items, newest first. `now` decides what is still open and what has aged out. It reads only the
 * member's own candidates from the state's attention index (their open votes and results, their councils'
 * motions, petitions and released records, the requests they approve, recalls of their mandates), so it costs
 * what the member's inbox holds, not the organisation's size.
 */
export function attentionFor(state: OrgState, memberId: string, now: string): AttentionItem[] {
  const index = state.attention;
  const ids = (name: string) => index.buckets.get(name) ?? new Set<string>();
  const since = addDays(now, -attentionDays);
  const councils = memberCouncils(state, memberId, now);
  const inCouncil = (councilId: string) => councils.has(councilId);
  const votes = new Set(ids(`votes:${memberId}`));
  for (const c of councils) for (const v of ids(`open-votes:${c}`)) votes.add(v);
  for (const r of recent(index.results.get(memberId), since)) votes.add(r);
  const motions = new Set(ids(`recalls:${memberId}`));
  const petitions = new Set(ids(`recall-petitions:${memberId}`));
  const sealed: number[] = [];
  for (const c of councils) {
    for (const m of ids(`motions:${c}`)) motions.add(m);
    for (const p of ids(`petitions:${c}`)) petitions.add(p);
    for (const seq of recent(index.revealed.get(c), since)) sealed.push(Number(seq));
  }
  const items: AttentionItem[] = [];
  const add = (found: AttentionItem | AttentionItem[] | null) => {
    if (Array.isArray(found)) items.push(...found);
    else if (found) items.push(found);
  };
  for (const id of votes) add(voteItemsOf(state, state.votes.get(id), memberId, now, since, inCouncil));
  for (const id of motions) add(motionItem(state, state.motions.get(id), memberId, inCouncil));
  for (const id of petitions)
    add(petitionItem(state, state.power.petitions.get(id), memberId, now, inCouncil));
  for (const id of ids(`approvals:${memberId}`))
    add(approvalItem(state.power.requests.get(id), memberId, now));
  for (const seq of sealed) add(sealedItem(state.sealed.get(seq), since, inCouncil));
  return newestFirst(items);
}

/**
 * The same inbox by walking every vote, motion, petition, request and sealed record of the organisation: how it
 * was computed before the index. Kept as the reference the index is tested against, and as the benchmark's
 * baseline (bench/notifications.bench.ts).
 */
export function attentionByScan(state: OrgState, memberId: string, now: string): AttentionItem[] {
  const items: AttentionItem[] = [];
  const since = addDays(now, -attentionDays);
  const inCouncil = (councilId: string) => isCouncilMember(state, councilId, memberId, now);
  const add = (found: AttentionItem | AttentionItem[] | null) => {
    if (Array.isArray(found)) items.push(...found);
    else if (found) items.push(found);
  };
  for (const vote of state.votes.values()) add(voteItemsOf(state, vote, memberId, now, since, inCouncil));
  for (const m of state.motions.values()) add(motionItem(state, m, memberId, inCouncil));
  for (const p of state.power.petitions.values()) add(petitionItem(state, p, memberId, now, inCouncil));
  for (const r of state.power.requests.values()) add(approvalItem(r, memberId, now));
  for (const s of state.sealed.values()) add(sealedItem(s, since, inCouncil));
  return newestFirst(items);
}

function newestFirst(items: AttentionItem[]): AttentionItem[] {
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1));
}

/** The ids of a dated list from `since` on (the list is in time order). */
function recent(list: readonly Dated[] | undefined, since: string): string[] {
  const out: string[] = [];
  for (let i = (list?.length ?? 0) - 1; i >= 0 && list![i]!.at >= since; i--) out.push(list![i]!.id);
  return out;
}

/** The councils a member may act in now: base councils they belong to, and councils of their active mandates. */
function memberCouncils(state: OrgState, memberId: string, now: string): Set<string> {
  const index = state.attention;
  const out = new Set<string>();
  for (const id of index.buckets.get(`councils:${memberId}`) ?? []) {
    const c = state.councils.get(id);
    if (c && isBaseCouncil(c) && c.memberIds.has(memberId)) out.add(id);
  }
  for (const id of index.buckets.get(`mandates:${memberId}`) ?? []) {
    const m = state.mandates.get(id);
    const c = m ? state.councils.get(m.councilId) : undefined;
    if (m && c && !isBaseCouncil(c) && mandateActive(m, now)) out.add(c.id);
  }
  return out;
}

function motionItem(
  state: OrgState,
  m: Motion | undefined,
  memberId: string,
  inCouncil: (councilId: string) => boolean,
): AttentionItem | null {
  if (!m) return null;
  const mandate = m.mandateId ? state.mandates.get(m.mandateId) : undefined;
  const live = m.state === 'seconding' || m.state === 'debate' || m.state === 'voting';
  const base = {
    ...none,
    at: m.debateOpenedAt ?? m.movedAt,
    councilId: m.councilId,
    title: m.title,
    motionId: m.id,
  };
  if (m.kind === 'recall' && mandate?.memberId === memberId && live)
    return { ...base, id: `recall_motion:${m.id}`, kind: 'recall_motion' };
  if ((m.state === 'seconding' || m.state === 'debate') && inCouncil(m.councilId))
    return { ...base, id: `motion_debate:${m.id}`, kind: 'motion_debate' };
  return null;
}

function petitionItem(
  state: OrgState,
  p: Petition | undefined,
  memberId: string,
  now: string,
  inCouncil: (councilId: string) => boolean,
): AttentionItem | null {
  // An expiry recorded is final, even read with a clock behind the one that recorded it (as the index has it).
  if (!p || p.succeededAt !== null || p.motionId !== null || p.expiredAt !== null || p.deadline <= now)
    return null;
  const about = p.mandateId ? state.mandates.get(p.mandateId) : undefined;
  const base = { ...none, at: p.openedAt, title: p.title, petitionId: p.id, closesAt: p.deadline };
  const signaturesIn = (councilId: string) => p.signedIn.get(councilId) ?? 0;
  if (p.kind === 'recall' && about?.memberId === memberId) {
    return {
      ...base,
      id: `recall_petition:${p.id}`,
      kind: 'recall_petition',
      councilId: p.councilId,
      signatures: signaturesIn(p.councilId),
      required: p.required[p.councilId] ?? null,
    };
  }
  const mine = Object.keys(p.required).find(inCouncil);
  if (mine === undefined || p.signatures.has(memberId)) return null;
  return {
    ...base,
    id: `petition:${p.id}`,
    kind: 'petition',
    councilId: mine,
    signatures: signaturesIn(mine),
    required: p.required[mine] ?? null,
  };
}

function approvalItem(r: PrivilegedRequest | undefined, memberId: string, now: string): AttentionItem | null {
  if (!r || r.state !== 'pending' || r.expiredAt !== null || r.expiresAt <= now) return null;
  if (!r.approvers.includes(memberId)) return null;
  if (countingApprovals(r, now).some((a) => a.memberId === memberId)) return null;
  return {
    ...none,
    id: `approval:${r.id}`,
    kind: 'approval',
    at: r.requestedAt,
    councilId: r.councilId,
    title: r.kind,
    requestId: r.id,
    closesAt: r.expiresAt,
  };
}

function sealedItem(
  s: SealedRecord | undefined,
  since: string,
  inCouncil: (councilId: string) => boolean,
): AttentionItem | null {
  if (!s || s.revealedAt === null || s.revealedAt < since || !inCouncil(s.councilId)) return null;
  return {
    ...none,
    id: `sealed_released:${s.seq}`,
    kind: 'sealed_released',
    at: s.revealedAt,
    councilId: s.councilId,
    title: s.label,
    sealedSeq: s.seq,
  };
}

function voteItemsOf(
  state: OrgState,
  vote: Vote | undefined,
  memberId: string,
  now: string,
  since: string,
  inCouncil: (councilId: string) => boolean,
): AttentionItem[] {
  const motion = vote ? state.motions.get(vote.motionId) : undefined;
  return vote && motion ? voteItems(state, vote, motion, memberId, now, since, inCouncil) : [];
}

/** A vote's items for one member: to vote, a trustee's duty, or its result. */
function voteItems(
  state: OrgState,
  vote: Vote,
  motion: Motion,
  memberId: string,
  now: string,
  since: string,
  inCouncil: (councilId: string) => boolean,
): AttentionItem[] {
  const base = {
    ...none,
    councilId: vote.councilId,
    title: motion.title,
    motionId: motion.id,
    voteId: vote.id,
  };
  const sv = vote.secret;
  if (vote.closedAt !== null) {
    // A secret ballot is anonymous: taking part is fetching a credential.
    const tookPart = sv ? sv.issued.some((i) => i.member === memberId) : hasVoted(vote, memberId);
    if (!tookPart || vote.closedAt < since) return [];
    const outcome = vote.outcome ?? state.motions.get(vote.motionId)?.state ?? null;
    return [{ ...base, id: `vote_result:${vote.id}`, kind: 'vote_result', at: vote.closedAt, outcome }];
  }
  const items: AttentionItem[] = [];
  const trustee = sv ? sv.trustees.indexOf(memberId) + 1 : 0;
  if (sv && trustee > 0) {
    const posted = (kind: string) =>
      sv.board.some((e) => e.kind === kind && (e.body as { trustee?: number }).trustee === trustee);
    const committed = sv.board.filter((e) => e.kind === 'dkg-commit').length;
    const keysWait =
      sv.election === null &&
      (!posted('dkg-commit') || (committed === sv.trustees.length && !posted('dkg-shares')));
    if (keysWait)
      items.push({ ...base, id: `trustee_keys:${vote.id}`, kind: 'trustee_keys', at: vote.openedAt });
    // a trustee disqualified in key generation holds no share, so has no decryption to make (awaitedTrustees);
    // a mixed vote's trustees decrypt once its mixing has ended (decryptionOpens)
    const opens = decryptionOpens(vote);
    if (opens !== null && now >= opens && sv.result === null && awaitedTrustees(sv).includes(memberId)) {
      items.push({
        ...base,
        id: `trustee_decryption:${vote.id}`,
        kind: 'trustee_decryption',
        at: opens,
        closesAt: sv.decryption?.decryptBy ?? null,
      });
    }
  }
  // An open vote waits for an elector who has not voted (for a secret vote: who has no credential yet, since a
  // secret ballot cannot be linked to its voter) and who still sits in its council: one who has left cannot vote
  // (`not_a_member`), so it is no item of theirs.
  const waits = sv
    ? !sv.issued.some((i) => i.member === memberId) && now < sv.registrationEnds
    : !hasVoted(vote, memberId);
  if (vote.electorate.has(memberId) && waits && now < vote.closesAt && inCouncil(vote.councilId)) {
    items.push({
      ...base,
      id: `vote_open:${vote.id}`,
      kind: 'vote_open',
      at: vote.openedAt,
      closesAt: vote.closesAt,
    });
  }
  return items;
}
