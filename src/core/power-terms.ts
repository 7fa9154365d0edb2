// Term limits (docs/POWER.md): no one holds the same seat for more consecutive terms than the constitution
// allows (terms.maxConsecutive; 0 means no limit). A run of terms is broken when the member held no mandate for
// that seat for longer than a full deputy term.
import { reject, type Rejection } from './errors.ts';
import { powerRules } from './power-state.ts';
import type { OrgState } from './state.ts';
import { addDays } from './time.ts';

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
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
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
  if (!broken && run >= max)
    return reject(
      'term_limit',
      `this member has held the seat for ${run} consecutive terms, the most allowed`,
    );
  return null;
}
