// The Schulze method (M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and Condorcet-consistent
// single-winner election method", Soc. Choice Welf. 36 (2011) §2.2): strongest beat-paths by Floyd–Warshall.
// Link strength d[x][y] when x beats y: 'winning-votes' (the default, as Debian uses) or 'margins'.
import type { PairwiseMatrix } from './pairwise.ts';
import { range } from './condorcet.ts';

export type SchulzeStrength = 'winning-votes' | 'margins';

export interface SchulzeResult {
  /** p[x][y]: strength of the strongest path from x to y (0 where none). */
  paths: bigint[][];
  /** Options x with p[x][y] >= p[y][x] for all y (the potential winners; more than one means a tie). */
  winners: number[];
  /** Groups of equal rank, best first, by the relation p[x][y] > p[y][x] (§4.1: a strict weak order). */
  ranking: number[][];
}

export function schulze(
  m: PairwiseMatrix,
  strength: SchulzeStrength = 'winning-votes',
  among: readonly number[] = range(m.n),
): SchulzeResult {
  const k = among.length;
  const p: bigint[][] = among.map((x) =>
    among.map((y) => {
      if (x === y) return 0n;
      const xy = m.get(x, y);
      const yx = m.get(y, x);
      if (xy <= yx) return 0n;
      return strength === 'margins' ? xy - yx : xy;
    }),
  );
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      const pji = p[j]![i]!;
      if (pji === 0n) continue;
      for (let l = 0; l < k; l++) {
        if (l === i || l === j) continue;
        const via = pji < p[i]![l]! ? pji : p[i]![l]!;
        if (via > p[j]![l]!) p[j]![l] = via;
      }
    }
  }
  const better = (i: number, j: number) => p[i]![j]! > p[j]![i]!;
  const winners = range(k).filter((i) => range(k).every((j) => i === j || !better(j, i)));
  const ranking: number[][] = [];
  let left = range(k);
  while (left.length) {
    const top = left.filter((i) => left.every((j) => i === j || !better(j, i)));
    ranking.push(top.map((i) => among[i]!));
    left = left.filter((i) => !top.includes(i));
  }
  // Report the path matrix over the original indices.
  const paths: bigint[][] = range(m.n).map(() => new Array<bigint>(m.n).fill(0n));
  among.forEach((x, i) => among.forEach((y, j) => (paths[x]![y] = p[i]![j]!)));
  return { paths, winners: winners.map((i) => among[i]!), ranking };
}
