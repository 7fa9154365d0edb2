// Counting from per-option totals instead of ballots: what a homomorphic secret ballot yields after the trustees
// decrypt the sums. Only methods whose result depends on the totals alone can be counted this way: majority,
// plurality, approval and score (ranked methods need each ballot's order, so they cannot).
import type { CountSpec } from './count-vote.ts';
import { countVote } from './count-vote.ts';
import { rankByTotals } from './ranking-by-totals.ts';
import type { CountReport } from './report.ts';
import { TieBreaker } from './tie-break.ts';

export const totalsMethods = ['majority', 'plurality', 'approval', 'score'] as const;

/**
 * Count from decrypted totals: `totals[option]` is the (weighted) number of votes, approvals or score points;
 * `abstentions` (majority, plurality) is the weight of blank ballots, which counts for the quorum only.
 */
export function countTotals(
  spec: CountSpec,
  totals: Readonly<Record<string, bigint>>,
  abstentions = 0n,
): CountReport {
  if (!(totalsMethods as readonly string[]).includes(spec.method)) {
    throw new RangeError(
      `method "${spec.method}" cannot be counted from totals; use one of ${totalsMethods.join(', ')}`,
    );
  }
  for (const [o, t] of Object.entries(totals)) {
    if (typeof t !== 'bigint' || t < 0n) throw new RangeError(`totals["${o}"] must be a non-negative bigint`);
  }
  if (abstentions < 0n) throw new RangeError('abstentions must be non-negative');
  const known = new Set([...spec.options, ...(spec.method === 'majority' ? ['against'] : [])]);
  for (const o of Object.keys(totals))
    if (!known.has(o)) throw new RangeError(`totals name unknown option "${o}"`);
  const nonzero = Object.entries(totals).filter(([, t]) => t > 0n);
  const blank = abstentions > 0n ? [{ choice: null, weight: abstentions }] : [];
  switch (spec.method) {
    case 'majority':
    case 'plurality':
      return countVote(spec, [...nonzero.map(([o, t]) => ({ choice: o, weight: t })), ...blank]);
    case 'approval':
      return countVote(
        spec,
        nonzero.map(([o, t]) => ({ approve: [o], weight: t })),
      );
    default: {
      const ties = new TieBreaker(spec.tieBreak ?? { kind: 'backwards' }, spec.options);
      const values = spec.options.map((o) => totals[o] ?? 0n);
      return rankByTotals('score', spec.options, values, spec.seats ?? 1, ties, [
        'counted from decrypted score totals',
      ]);
    }
  }
}
