// Score (range) voting: each ballot gives every option an integer score from 0 to maxScore; an option the ballot
// does not score gets 0. The highest total wins (equivalently the highest mean over all ballots).
import type { CountReport } from './report.ts';
import { rankByTotals } from './ranking-by-totals.ts';
import { exactRatio } from '../lib/rational.ts';
import { formatRational } from './fixed-point.ts';
import type { TieBreaker } from './tie-break.ts';

export function score(
  names: readonly string[],
  ballots: Iterable<{ scores: Readonly<Record<string, number>>; weight?: bigint }>,
  seats: number,
  maxScore: number,
  ties: TieBreaker,
): CountReport {
  if (!Number.isSafeInteger(maxScore) || maxScore < 1)
    throw new RangeError('maxScore must be a positive integer');
  const index = new Map(names.map((n, i) => [n, i]));
  const totals = new Array<bigint>(names.length).fill(0n);
  let voters = 0n;
  for (const b of ballots) {
    const w = b.weight ?? 1n;
    voters += w;
    for (const [opt, s] of Object.entries(b.scores)) {
      const c = index.get(opt);
      if (c === undefined) throw new RangeError(`ballot scores unknown option "${opt}"`);
      if (!Number.isSafeInteger(s) || s < 0 || s > maxScore) {
        throw new RangeError(`score for "${opt}" must be an integer from 0 to ${maxScore}`);
      }
      totals[c]! += w * BigInt(s);
    }
  }
  const means = names.map(
    (n, c) =>
      `${n}: mean ${voters > 0n ? formatRational(exactRatio(totals[c]!, voters), 5, 'half-even') : '0'}`,
  );
  return rankByTotals('score', names, totals, seats, ties, [
    `scores 0..${maxScore}; unscored options get 0`,
    ...means,
  ]);
}
