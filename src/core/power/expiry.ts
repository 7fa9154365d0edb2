// Petitions and privileged requests that run out of time (docs/POWER.md "Expiry"): a petition whose deadline passes
// without its signatures, and a request whose approvals did not reach k before it expires, are closed by an entry
// of the organisation's own (actor null), written by the scheduler when the time has come, so that the record says
// what became of them and those concerned are told (docs/NOTIFICATIONS.md). The rights end at the deadline
// whatever the log says (signing and approving are refused from then on); the entry records it. Logs written before
// these entries existed have none, and replay as before: nothing requires an expiry to be recorded.
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { reject } from '../kernel/errors.ts';
import { type Decision, type Entry, newEntry, type OrgState } from '../model.ts';
import type { Petition, PrivilegedRequest } from './state.ts';

/** Open (not succeeded, not expired) and past its deadline at `now`. */
const petitionDue = (p: Petition, now: string) =>
  p.succeededAt === null && p.expiredAt === null && p.deadline <= now;

/** Pending (not carried out, not expired) and past its expiry at `now`. */
const requestDue = (r: PrivilegedRequest, now: string) =>
  r.state === 'pending' && r.expiredAt === null && r.expiresAt <= now;

/**
 * What has run out of time at `now` and has no expiry entry yet (the scheduler asks before it acts), in the order
 * they were opened: read from the state's index of open petitions and pending requests by deadline
 * (src/core/schedule), so it costs what is due, not every petition and request ever made.
 */
export function dueExpiries(state: OrgState, now: string): { petitions: string[]; requests: string[] } {
  return { petitions: state.due.petitions.due(now), requests: state.due.requests.due(now) };
}

/** dueExpiries by walking every petition and request: the reference the index is checked against. */
export function dueExpiriesByScan(state: OrgState, now: string): { petitions: string[]; requests: string[] } {
  return {
    petitions: [...state.power.petitions.values()].filter((p) => petitionDue(p, now)).map((p) => p.id),
    requests: [...state.power.requests.values()].filter((r) => requestDue(r, now)).map((r) => r.id),
  };
}

/**
 * The most expiries one decision records: the rest wait for the scheduler's next pass. A record kept before
 * expiries were recorded may hold thousands due at once, and one transaction writing them all (each with its
 * notice row) would be as long as they are many.
 */
export const expiriesPerDecision = 500;

/**
 * `expire_petitions_and_requests`: the organisation's own act, one entry for each petition or request due,
 * at most `expiriesPerDecision` (petitions first).
 */
export function decideExpiry(state: OrgState, ctx: DecideContext): Decision {
  if (ctx.actor !== null) return reject('not_allowed', 'expiry_by_rules');
  const due = dueExpiries(state, ctx.now);
  if (due.petitions.length + due.requests.length === 0) return reject('too_early', 'no_expiry_due');
  const petitions = due.petitions.slice(0, expiriesPerDecision);
  const requests = due.requests.slice(0, expiriesPerDecision - petitions.length);
  return accept(
    ...petitions.map((petitionId) => newEntry('petition_expired', null, ctx.now, { petitionId })),
    ...requests.map((requestId) => newEntry('privileged_act_expired', null, ctx.now, { requestId })),
  );
}

/**
 * Why an expiry entry does not follow from the state before it, if so (`councils verify`): it is the
 * organisation's own, of a petition still open or a request still pending, at or after its deadline.
 */
export function expiryProblem(state: OrgState, e: Entry): string | null {
  if (e.act === 'petition_expired') {
    const p = state.power.petitions.get(e.payload.petitionId);
    if (e.actor !== null) return 'a petition expires by the rules, not by a member';
    if (!p) return `petition ${e.payload.petitionId} expires but was never opened`;
    if (p.succeededAt !== null) return `petition ${p.id} expires after it succeeded`;
    if (p.expiredAt !== null) return `petition ${p.id} expires again`;
    return p.deadline <= e.time ? null : `petition ${p.id} expires before its deadline (${p.deadline})`;
  }
  if (e.act === 'privileged_act_expired') {
    const r = state.power.requests.get(e.payload.requestId);
    if (e.actor !== null) return 'a request expires by the rules, not by a member';
    if (!r) return `request ${e.payload.requestId} expires but was never made`;
    if (r.state !== 'pending') return `request ${r.id} expires after it was carried out`;
    if (r.expiredAt !== null) return `request ${r.id} expires again`;
    return r.expiresAt <= e.time ? null : `request ${r.id} expires before its time (${r.expiresAt})`;
  }
  return null;
}
