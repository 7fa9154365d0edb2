// The Borda count (de Borda 1781): an option earns one point for every option a ballot ranks strictly below it,
// which for a complete strict ranking of n options is n-1, n-2, …, 0. Unranked options sit below the ranked ones;
// options ranked equal earn nothing from each other. Equivalently the row sums of the pairwise matrix.
import type { BallotStore } from './ballot-store.ts';
import { PairwiseMatrix } from './pairwise.ts';
import type { CountReport } from './report.ts';
import { rankByTotals } from './ranking-by-totals.ts';
import type { TieBreaker } from './tie-break.ts';

export function borda(store: BallotStore, seats: number, ties: TieBreaker): CountReport {
  const m = PairwiseMatrix.fromStore(store);
  const n = m.n;
  const totals = Array.from({ length: n }, (_, x) => {
    let s = 0n;
    for (let y = 0; y < n; y++) if (y !== x) s += m.get(x, y);
    return s;
  });
  return rankByTotals('borda', store.candidates, totals, seats, ties, [
    'Borda: one point per option ranked strictly below; unranked options below ranked ones',
  ]);
}
