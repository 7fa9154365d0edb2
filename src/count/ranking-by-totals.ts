// Shared by the methods that add points (plurality, approval, score, Borda): order options by total, group equal
// totals, and fill the seats from the top, breaking a tie at the last seat by the tie-breaker.
import type { CountReport } from './report.ts';
import type { TieBreaker } from './tie-break.ts';

export function rankByTotals(
  method: string,
  names: readonly string[],
  totals: readonly bigint[],
  seats: number,
  ties: TieBreaker,
  explanation: string[],
  format: (v: bigint) => string = (v) => v.toString(),
): CountReport {
  if (!Number.isInteger(seats) || seats < 1 || seats > names.length) {
    throw new RangeError(`seats must be an integer from 1 to ${names.length}`);
  }
  const distinct = [...new Set(totals)].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const groups = distinct.map((t) => names.map((_, c) => c).filter((c) => totals[c] === t));
  const winners: number[] = [];
  for (const g of groups) {
    if (winners.length >= seats) break;
    if (winners.length + g.length <= seats) {
      winners.push(...g);
      continue;
    }
    let left = [...g];
    while (winners.length < seats) {
      const c = ties.choose(left, 'highest', 1, 'elect');
      winners.push(c);
      left = left.filter((x) => x !== c);
    }
  }
  const tallies = Object.fromEntries(names.map((n, c) => [n, format(totals[c]!)]));
  return {
    method,
    winners: winners.map((c) => names[c]!),
    ranking: groups.map((g) => g.map((c) => names[c]!)),
    rounds: [
      {
        number: 1,
        tallies,
        elected: winners.map((c) => names[c]!),
        excluded: [],
        tieBreaks: [...ties.records],
      },
    ],
    explanation,
    seats,
    tieBreak: { kind: ties.spec.kind, ...(ties.spec.seed ? { seed: ties.spec.seed } : {}) },
  };
}
