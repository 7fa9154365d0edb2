// Term limits (docs/POWER.md): no one holds the same seat for more consecutive terms than the constitution
// allows (terms.maxConsecutive; 0 means no limit). A run of terms is broken when the member held no mandate for
// that seat for longer than a full deputy term.
import { byCodeUnits } from '../../lib/order.ts';
import { reject, type Rejection } from '../kernel/errors.ts';
import { powerRules } from './state.ts';
import { addDays } from '../kernel/time.ts';
import type { NewEntry, OrgState } from '../model.ts';
import { mandateActive } from '../organisation/membership.ts';

/** Consecutive terms `memberId` has held for the seat `fromCouncilId` fills in `councilId`, up to now. */
export function consecutiveTerms(
  state: OrgState,
  memberId: string,
  fromCouncilId: string,
  councilId: string,
): number {
  const gap = state.org!.constitution.deputyTermDays;
  const held = [...state.mandates.values()]
    .filter((m) => m.memberId === memberId && m.fromCouncilId === fromCouncilId && m.councilId === councilId)
    .sort((a, b) => byCodeUnits(b.startedAt, a.startedAt)); // ISO 8601 times, all UTC: newest first
  let run = 0;
  let since: string | null = null;
  for (const m of held) {
    const ended = m.endedAt ?? m.termEnds;
    if (since !== null && addDays(ended, gap) < since) break;
    run++;
    since = m.startedAt;
  }
  return run;
}

/** Why `candidateId` may not stand for the seat an election fills, if so. */
export function termLimitProblem(
  state: OrgState,
  candidateId: string,
  fromCouncilId: string,
  seatCouncilId: string,
  now: string,
): Rejection | null {
  const max = powerRules(state).terms.maxConsecutive;
  if (max === 0) return null;
  const run = consecutiveTerms(state, candidateId, fromCouncilId, seatCouncilId);
  const last = [...state.mandates.values()]
    .filter(
      (m) => m.memberId === candidateId && m.fromCouncilId === fromCouncilId && m.councilId === seatCouncilId,
    )
    .map((m) => m.endedAt ?? m.termEnds)
    .sort()
    .at(-1);
  const broken = last === undefined || addDays(last, state.org!.constitution.deputyTermDays) < now;
  if (!broken && run >= max) return reject('term_limit', 'term_limit_seat', { run });
  return null;
}

/**
 * When a new deputy's term ends. Without staggering, a full term from now. With staggering, a council that fills
 * S seats in its parent has S slots whose terms end at dates spaced a term / S apart (counted from the founding);
 * a new deputy takes the free slot that ends last, so at most one seat in S is renewed at a time.
 */
export function termEndFor(
  state: OrgState,
  fromCouncilId: string,
  now: string,
  decided: readonly NewEntry[],
): string {
  const days = state.org!.constitution.deputyTermDays;
  const child = state.councils.get(fromCouncilId);
  const seats = child?.seatsInParent ?? 1;
  if (!powerRules(state).terms.staggered || seats <= 1 || child?.parentId == null) return addDays(now, days);
  const period = days * 86_400_000;
  const t0 = Date.parse(state.org!.foundedAt);
  const t = Date.parse(now);
  const taken = new Set([
    ...[...state.mandates.values()]
      .filter(
        (m) => m.fromCouncilId === fromCouncilId && m.councilId === child.parentId && mandateActive(m, now),
      )
      .map((m) => m.termEnds),
    ...decided.flatMap((e) => (e.act === 'mandate_started' ? [e.payload.termEnds] : [])),
  ]);
  let best: string | null = null;
  for (let i = 0; i < seats; i++) {
    const phase = t0 + Math.floor(((i + 1) * period) / seats);
    const end = new Date(phase + Math.max(0, Math.ceil((t - phase + 1) / period)) * period).toISOString();
    if (!taken.has(end) && (best === null || end > best)) best = end;
  }
  return best ?? addDays(now, days);
}
