// Condorcet winner, Smith set and Schwartz set from a pairwise matrix (Schwartz 1986; Smith 1973).
import type { PairwiseMatrix } from './pairwise.ts';

/** The option that beats every other option pairwise, or null. */
export function condorcetWinner(m: PairwiseMatrix, among: readonly number[] = range(m.n)): number | null {
  for (const x of among) {
    if (among.every((y) => y === x || m.get(x, y) > m.get(y, x))) return x;
  }
  return null;
}

/** Smallest non-empty set whose every member beats-or-ties every non-member (Smith set). */
export function smithSet(m: PairwiseMatrix, among: readonly number[] = range(m.n)): number[] {
  return dominantSet(among, (x, y) => m.get(x, y) >= m.get(y, x));
}

/**
 * Schwartz set: the union of the minimal sets that no outsider beats. Computed as the options from which no
 * beat-path leads to an option that does not beat back (the maximal elements of the beat relation's closure).
 */
export function schwartzSet(m: PairwiseMatrix, among: readonly number[] = range(m.n)): number[] {
  const beats = (x: number, y: number) => m.get(x, y) > m.get(y, x);
  const reach = closure(among, beats);
  return among.filter((x) => among.every((y) => !reach(y, x) || reach(x, y)));
}

/** The minimal dominant set under the relation `geq` (x ≥ y), i.e. the top cycle. */
function dominantSet(among: readonly number[], geq: (x: number, y: number) => boolean): number[] {
  const reach = closure(among, geq);
  return among.filter((x) => among.every((y) => reach(x, y)));
}

/** Transitive closure (Floyd–Warshall) of a relation restricted to `among`; reach(x, x) is true. */
function closure(
  among: readonly number[],
  rel: (x: number, y: number) => boolean,
): (x: number, y: number) => boolean {
  const k = among.length;
  const idx = new Map(among.map((c, i) => [c, i]));
  const r = among.map((x) => among.map((y) => x === y || rel(x, y)));
  for (let via = 0; via < k; via++) {
    for (let i = 0; i < k; i++) {
      if (!r[i]![via]) continue;
      for (let j = 0; j < k; j++) if (r[via]![j]) r[i]![j] = true;
    }
  }
  return (x, y) => r[idx.get(x)!]![idx.get(y)!]!;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
