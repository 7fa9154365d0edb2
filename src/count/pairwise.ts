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
    const acc = new Float64Array(n * n);
    const big: bigint[] = safe ? [] : new Array<bigint>(n * n).fill(0n);
    const add = safe
      ? (cell: number, _w: bigint, wn: number) => {
          acc[cell]! += wn;
        }
      : (cell: number, w: bigint) => {
          big[cell] = big[cell]! + w;
        };
    const level = new Int32Array(n);
    const ranked = new Uint8Array(n);
    const data = store.rawData;
    for (let b = 0; b < store.size; b++) {
      const s = store.start(b);
      const e = store.end(b);
      const w = store.weight(b);
      const wn = safe ? Number(w) : 0;
      let strict = true;
      for (let k = s; k < e; k++) if (data[k]! & TIED || data[k] === OVERVOTE) strict = false;
      if (strict && safe) strictBallot(acc, data, s, e, n, wn, ignore, ranked);
      else generalBallot(add, data, s, e, n, w, wn, ignore, level);
    }
    return new PairwiseMatrix(n, safe ? Array.from(acc, (v) => BigInt(v)) : big);
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

/**
 * A ballot without equal ranks: its codes are the candidates in order, so every later code is beaten by every
 * earlier one, and (unless ignored) every ranked candidate beats every unranked one. No comparisons are needed.
 */
function strictBallot(
  acc: Float64Array,
  data: Int16Array,
  s: number,
  e: number,
  n: number,
  wn: number,
  ignore: boolean,
  ranked: Uint8Array,
): void {
  for (let i = s; i < e; i++) {
    const row = data[i]! * n;
    for (let j = i + 1; j < e; j++) acc[row + data[j]!]! += wn;
  }
  if (ignore || e - s >= n) return;
  ranked.fill(0);
  for (let i = s; i < e; i++) ranked[data[i]!] = 1;
  for (let i = s; i < e; i++) {
    const row = data[i]! * n;
    for (let y = 0; y < n; y++) if (!ranked[y]) acc[row + y]! += wn;
  }
}

/** Any ballot: rank levels per candidate (equal ranks share a level; unranked below all, or not compared). */
function generalBallot(
  add: (cell: number, w: bigint, wn: number) => void,
  data: Int16Array,
  s: number,
  e: number,
  n: number,
  w: bigint,
  wn: number,
  ignore: boolean,
  level: Int32Array,
): void {
  level.fill(ignore ? -1 : 0x7fffffff);
  let lv = 0;
  for (let k = s; k < e; k++) {
    const code = data[k]!;
    if (code === OVERVOTE) continue;
    if (!(code & TIED)) lv++;
    level[code & ~TIED] = lv;
  }
  for (let x = 0; x < n; x++) {
    const lx = level[x]!;
    if (lx < 0) continue;
    for (let y = x + 1; y < n; y++) {
      const ly = level[y]!;
      if (ly < 0 || lx === ly) continue;
      add(lx < ly ? x * n + y : y * n + x, w, wn);
    }
  }
}
