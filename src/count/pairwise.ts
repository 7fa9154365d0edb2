// The pairwise matrix d[x][y] = total weight of ballots ranking x strictly above y. Unranked options are ranked
// below every ranked one and equal among themselves (Debian constitution A.6; the "implicit ranking" of the
// Condorcet Election Format) unless `unranked: 'ignore'`, where a ballot says nothing about the options it leaves out.
import { OVERVOTE, TIED, type BallotStore } from './ballot-store.ts';

export interface PairwiseOptions {
  unranked?: 'below' | 'ignore';
}

export class PairwiseMatrix {
  constructor(
    readonly n: number,
    /** Row-major n·n, d[x·n + y]. */
    readonly d: readonly bigint[],
  ) {}

  get(x: number, y: number): bigint {
    return this.d[x * this.n + y]!;
  }

  static fromStore(store: BallotStore, options: PairwiseOptions = {}): PairwiseMatrix {
    const n = store.candidates.length;
    const ignore = options.unranked === 'ignore';
    // Exact integer accumulation in doubles while every sum stays below 2^53 (each cell is at most the total
    // weight); otherwise bigint. Both paths are integer arithmetic: no rounding can occur.
    const safe = store.totalWeight <= BigInt(Number.MAX_SAFE_INTEGER);
    const acc = safe ? new Float64Array(n * n) : null;
    const big: bigint[] = safe ? [] : new Array<bigint>(n * n).fill(0n);
    const level = new Int32Array(n);
    const data = store.rawData;
    for (let b = 0; b < store.size; b++) {
      level.fill(ignore ? -1 : 0x7fffffff);
      let lv = 0;
      for (let k = store.start(b), e = store.end(b); k < e; k++) {
        const code = data[k]!;
        if (code === OVERVOTE) continue;
        if (!(code & TIED)) lv++;
        level[code & ~TIED] = lv;
      }
      const w = store.weight(b);
      const wn = safe ? Number(w) : 0;
      for (let x = 0; x < n; x++) {
        const lx = level[x]!;
        if (lx < 0) continue;
        for (let y = x + 1; y < n; y++) {
          const ly = level[y]!;
          if (ly < 0 || lx === ly) continue;
          const cell = lx < ly ? x * n + y : y * n + x;
          if (acc) acc[cell]! += wn;
          else big[cell] = big[cell]! + w;
        }
      }
    }
    return new PairwiseMatrix(n, acc ? Array.from(acc, (v) => BigInt(v)) : big);
  }

  /** Rows as a JSON-safe object { x: { y: "count" } } over the given names. */
  toJson(names: readonly string[]): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (let x = 0; x < this.n; x++) {
      const row: Record<string, string> = {};
      for (let y = 0; y < this.n; y++) if (x !== y) row[names[y]!] = this.get(x, y).toString();
      out[names[x]!] = row;
    }
    return out;
  }
}
