// Approval voting (Brams & Fishburn 1978): each ballot approves any number of options; most approvals wins.
import type { CountReport } from './report.ts';
import { rankByTotals } from './ranking-by-totals.ts';
import type { TieBreaker } from './tie-break.ts';

export function approval(
  names: readonly string[],
  ballots: Iterable<{ approve: readonly string[]; weight?: bigint }>,
  seats: number,
  ties: TieBreaker,
): CountReport {
  const index = new Map(names.map((n, i) => [n, i]));
  const totals = new Array<bigint>(names.length).fill(0n);
  for (const b of ballots) {
    const w = b.weight ?? 1n;
    const seen = new Set<number>();
    for (const a of b.approve) {
      const c = index.get(a);
      if (c === undefined) throw new RangeError(`ballot approves unknown option "${a}"`);
      if (seen.has(c)) throw new RangeError(`ballot approves "${a}" twice`);
      seen.add(c);
      totals[c]! += w;
    }
  }
  return rankByTotals('approval', names, totals, seats, ties, ['most approvals wins']);
}
