// Ranked pairs (T. N. Tideman, "Independence of clones as a criterion for voting rules", Soc. Choice Welf. 4 (1987)),
// with the tie-breaking ranking of candidates (TBRC) of Zavist & Tideman (1989) for pairs of equal strength.
// Pairs are sorted by margin (Tideman's original) or by winning votes, locked in that order unless they would
// create a cycle; the locked graph's order is the result.
import type { PairwiseMatrix } from './pairwise.ts';
import { range } from './condorcet.ts';

export type RankedPairsStrength = 'margins' | 'winning-votes';

export interface LockedPair {
  winner: number;
  loser: number;
  strength: bigint;
  locked: boolean;
}

export interface RankedPairsResult {
  pairs: LockedPair[];
  /** Candidates in order, best first (the locked graph is a total order once every pair is considered). */
  order: number[];
  /** True when some pairs had equal strength and the TBRC decided their order. */
  usedTieBreak: boolean;
}

/** `tbrc`: every candidate, most favoured first (the tie-breaking ranking). */
export function rankedPairs(
  m: PairwiseMatrix,
  tbrc: readonly number[],
  strength: RankedPairsStrength = 'margins',
): RankedPairsResult {
  const n = m.n;
  const pos = new Map(tbrc.map((c, i) => [c, i]));
  const pairs: LockedPair[] = [];
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      if (x === y) continue;
      const xy = m.get(x, y);
      const yx = m.get(y, x);
      if (xy > yx) {
        pairs.push({ winner: x, loser: y, strength: strength === 'margins' ? xy - yx : xy, locked: false });
      }
    }
  }
  let usedTieBreak = false;
  pairs.sort((a, b) => {
    if (a.strength !== b.strength) return a.strength > b.strength ? -1 : 1;
    if (strength === 'winning-votes') {
      // Equal winning votes: the smaller opposition first (the larger margin).
      const oa = m.get(a.loser, a.winner);
      const ob = m.get(b.loser, b.winner);
      if (oa !== ob) return oa < ob ? -1 : 1;
    }
    usedTieBreak = true;
    const wa = pos.get(a.winner)!;
    const wb = pos.get(b.winner)!;
    if (wa !== wb) return wa - wb;
    return pos.get(b.loser)! - pos.get(a.loser)!;
  });
  const edges: number[][] = range(n).map(() => []);
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length) {
      const v = stack.pop()!;
      if (v === to) return true;
      for (const w of edges[v]!) {
        if (seen.has(w)) continue;
        seen.add(w);
        stack.push(w);
      }
    }
    return false;
  };
  for (const pr of pairs) {
    if (!reaches(pr.loser, pr.winner)) {
      edges[pr.winner]!.push(pr.loser);
      pr.locked = true;
    }
  }
  // Topological order; among sources the TBRC decides (options tied pairwise have no pair and no edge).
  const indeg = new Array<number>(n).fill(0);
  for (const e of edges) for (const w of e) indeg[w]!++;
  const order: number[] = [];
  const left = new Set(range(n));
  while (left.size) {
    const sources = [...left].filter((v) => indeg[v] === 0).sort((a, b) => pos.get(a)! - pos.get(b)!);
    const v = sources[0]!;
    order.push(v);
    left.delete(v);
    for (const w of edges[v]!) indeg[w]!--;
  }
  return { pairs, order, usedTieBreak };
}
