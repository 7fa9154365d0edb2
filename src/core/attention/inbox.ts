// "Needs your attention" (docs/NOTIFICATIONS.md): what concerns one member now, derived from the organisation's
// state alone, so a replayed log (`councils rebuild`, a restart) gives the same inbox. Nothing is written when a
// vote opens: an inbox is computed when its member asks, so a vote of 100,000 electors costs its opening nothing.
// Whether an item has been read is the member's own state, kept by the store beside the item's stable id.
import { addDays } from '../kernel/time.ts';
import { countingApprovals } from '../power/state.ts';
import { isCouncilMember } from '../organisation/membership.ts';
import type { Motion } from '../motions/types.ts';
import type { OrgState } from '../model.ts';
import type { Vote } from '../votes/types.ts';

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

/** Results and released records stay in the inbox this long after they happened. */
export const attentionDays = 30;

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
  /** Open votes: when voting closes. Petitions: their deadline. Approvals: when the request expires. */
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

/** The member's items, newest first. `now` decides what is still open and what has aged out. */
export function attentionFor(state: OrgState, memberId: string, now: string): AttentionItem[] {
  const items: AttentionItem[] = [];
  const since = addDays(now, -attentionDays);
  const inCouncil = (councilId: string) => isCouncilMember(state, councilId, memberId, now);
  for (const vote of state.votes.values()) {
    const motion = state.motions.get(vote.motionId);
    if (!motion) continue;
    items.push(...voteItems(state, vote, motion, memberId, now, since));
  }
  for (const m of state.motions.values()) {
    const mandate = m.mandateId ? state.mandates.get(m.mandateId) : undefined;
    const live = m.state === 'seconding' || m.state === 'debate' || m.state === 'voting';
    if (m.kind === 'recall' && mandate?.memberId === memberId && live) {
      const at = m.debateOpenedAt ?? m.movedAt;
      items.push({
        ...none,
        id: `recall_motion:${m.id}`,
        kind: 'recall_motion',
        at,
        councilId: m.councilId,
        title: m.title,
        motionId: m.id,
      });
    } else if ((m.state === 'seconding' || m.state === 'debate') && inCouncil(m.councilId)) {
      const at = m.debateOpenedAt ?? m.movedAt;
      items.push({
        ...none,
        id: `motion_debate:${m.id}`,
        kind: 'motion_debate',
        at,
        councilId: m.councilId,
        title: m.title,
        motionId: m.id,
      });
    }
  }
  for (const p of state.power.petitions.values()) {
    const open = p.succeededAt === null && p.motionId === null && p.deadline > now;
    if (!open) continue;
    const about = p.mandateId ? state.mandates.get(p.mandateId) : undefined;
    const base = { ...none, at: p.openedAt, title: p.title, petitionId: p.id, closesAt: p.deadline };
    if (p.kind === 'recall' && about?.memberId === memberId) {
      const signatures = [...p.signatures.values()].filter((s) => s.councilId === p.councilId).length;
      items.push({
        ...base,
        id: `recall_petition:${p.id}`,
        kind: 'recall_petition',
        councilId: p.councilId,
        signatures,
        required: p.required[p.councilId] ?? null,
      });
      continue;
    }
    const mine = Object.keys(p.required).find(inCouncil);
    if (mine === undefined || p.signatures.has(memberId)) continue;
    const signatures = [...p.signatures.values()].filter((s) => s.councilId === mine).length;
    items.push({
      ...base,
      id: `petition:${p.id}`,
      kind: 'petition',
      councilId: mine,
      signatures,
      required: p.required[mine] ?? null,
    });
  }
  for (const r of state.power.requests.values()) {
    if (r.state !== 'pending' || r.expiresAt <= now || !r.approvers.includes(memberId)) continue;
    if (countingApprovals(r, now).some((a) => a.memberId === memberId)) continue;
    items.push({
      ...none,
      id: `approval:${r.id}`,
      kind: 'approval',
      at: r.requestedAt,
      councilId: r.councilId,
      title: r.kind,
      requestId: r.id,
      closesAt: r.expiresAt,
    });
  }
  for (const s of state.sealed.values()) {
    if (s.revealedAt === null || s.revealedAt < since || !inCouncil(s.councilId)) continue;
    items.push({
      ...none,
      id: `sealed_released:${s.seq}`,
      kind: 'sealed_released',
      at: s.revealedAt,
      councilId: s.councilId,
      title: s.label,
      sealedSeq: s.seq,
    });
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1));
}

/** A vote's items for one member: to vote, a trustee's duty, or its result. */
function voteItems(
  state: OrgState,
  vote: Vote,
  motion: Motion,
  memberId: string,
  now: string,
  since: string,
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
    const tookPart = sv ? sv.issued.some((i) => i.member === memberId) : vote.ballots.has(memberId);
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
    if (
      sv.election !== null &&
      now >= vote.closesAt &&
      sv.result === null &&
      !sv.partials.some((p) => p.trustee === trustee)
    ) {
      items.push({
        ...base,
        id: `trustee_decryption:${vote.id}`,
        kind: 'trustee_decryption',
        at: vote.closesAt,
      });
    }
  }
  // An open vote waits for an elector who has not voted (for a secret vote: who has no credential yet, since a
  // secret ballot cannot be linked to its voter).
  const waits = sv
    ? !sv.issued.some((i) => i.member === memberId) && now < sv.registrationEnds
    : !vote.ballots.has(memberId);
  if (vote.electorate.has(memberId) && waits && now < vote.closesAt) {
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
