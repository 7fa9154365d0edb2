// Plurality (first past the post; with several seats, single non-transferable vote / block of the top totals):
// each ballot gives its weight to one option; abstentions (null) count for nothing.
import type { CountReport } from './report.ts';
import { rankByTotals } from './ranking-by-totals.ts';
import type { TieBreaker } from './tie-break.ts';

export function plurality(
  names: readonly string[],
  ballots: Iterable<{ choice: string | null; weight?: bigint }>,
  seats: number,
  ties: TieBreaker,
): CountReport {
  const index = new Map(names.map((n, i) => [n, i]));
  const totals = new Array<bigint>(names.length).fill(0n);
  let abstained = 0n;
  for (const b of ballots) {
    const w = b.weight ?? 1n;
    if (b.choice === null) {
      abstained += w;
      continue;
    }
    const c = index.get(b.choice);
    if (c === undefined) throw new RangeError(`ballot names unknown option "${b.choice}"`);
    totals[c]! += w;
  }
  return rankByTotals('plurality', names, totals, seats, ties, [`abstentions: ${abstained}`]);
}
