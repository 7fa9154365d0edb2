// The inequality report of a pay distribution (docs/PAY.md §"Inequality measures"). Pay is integer minor units,
// so every measure except the Lorenz points for charts is an exact rational, printed with MEASURE_PLACES
// decimals rounded half-even. Quantiles are Hyndman & Fan (1996) type 7, R's default.
import { sortPay } from './sort-pay.ts';
import { exactRatio, ratio, toDecimal, toNumber, type Rational } from '../../lib/rational.ts';

export const MEASURE_PLACES = 6;
export const MEASURES = [
  'mean',
  'median',
  'p10',
  'p90',
  'gini',
  'palma',
  'p90p10',
  'top10Share',
  'bottom40Share',
  'highestLowest',
] as const;
export type MeasureName = (typeof MEASURES)[number];
export type Measures<T> = Record<MeasureName, T>;

export interface LorenzPoint {
  /** Cumulative share of workers (poorest first). */
  readonly p: number;
  /** Cumulative share of pay; a double, for charts. */
  readonly share: number;
}

export interface InequalityReport {
  readonly count: number;
  readonly total: bigint;
  readonly lowest: number | null;
  readonly highest: number | null;
  /** Exact values; null where undefined (no workers, zero total, a zero denominator). */
  readonly exact: Measures<Rational | null>;
  /** The exact values as decimal strings with MEASURE_PLACES decimals, half-even. */
  readonly measures: Measures<string | null>;
  /** At most 101 points: p = k/100 when there are 100 workers or more, else p = i/n. */
  readonly lorenz: readonly LorenzPoint[];
}

const FLUSH = 2 ** 52;

/**
 * What the measures need of the sorted pay: the total, Σ rank × pay, the pay at some ranks (0-based) and the
 * prefix sums C_i (the sum of the i lowest pays) at some i. Two ways to get them, both exact and tested equal:
 * a histogram of the values when their range is small (one counting pass, no sorted copy: the usual case, as pay
 * clusters within a few hundred thousand minor units), else a sorted copy (radix sort, src/core/pay/sort-pay.ts).
 */
interface OrderStatistics {
  readonly total: bigint;
  readonly rankSum: bigint;
  at(rank: number): number;
  prefix(i: number): bigint;
}

/** How the report orders the pay: 'auto' picks the histogram when the range of values allows. */
export type OrderMethod = 'auto' | 'histogram' | 'sort';

/** A value range up to this many minor units is counted in a histogram (64 MiB of Uint32 counts at most). */
const HISTOGRAM_RANGE = 1 << 24;

/** The report of `pay` (non-negative safe integers, any order; the array is not modified). */
export function inequalityReport(pay: Float64Array, options: { order?: OrderMethod } = {}): InequalityReport {
  const n = pay.length;
  const grid = n >= 100 ? 100 : Math.max(n, 1);
  const needed = neededPrefixes(n, grid);
  const ranks = neededRanks(n, needed);
  let lowest = Infinity;
  let highest = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = pay[i] as number;
    if (!(x >= 0 && x <= Number.MAX_SAFE_INTEGER && Math.floor(x) === x)) {
      throw new RangeError(`pay: ${x} at index ${i} is not a non-negative safe integer`);
    }
    if (x < lowest) lowest = x;
    if (x > highest) highest = x;
  }
  const range = highest - lowest + 1;
  const order = options.order ?? 'auto';
  const useHistogram =
    n > 0 &&
    order !== 'sort' &&
    (order === 'histogram' || (range <= HISTOGRAM_RANGE && range <= 4 * n + 65_536));
  const stats = useHistogram
    ? fromHistogram(pay, lowest, range, ranks, needed)
    : fromSorted(sortPay(pay), ranks, needed);
  const total = stats.total;
  const exact = measuresOf(n, stats);
  const measures = Object.fromEntries(
    MEASURES.map((m) => [m, exact[m] === null ? null : toDecimal(exact[m], MEASURE_PLACES)]),
  ) as Measures<string | null>;
  const lorenz: LorenzPoint[] = [];
  if (n > 0 && total > 0n) {
    for (let k = 0; k <= grid; k++) {
      lorenz.push({ p: k / grid, share: toNumber(lorenzAt(n, stats, k, grid)) });
    }
  }
  return {
    count: n,
    total,
    lowest: n ? lowest : null,
    highest: n ? highest : null,
    exact,
    measures,
    lorenz,
  };
}

/** Ranks (0-based) whose pay the measures read: quantile neighbours, Lorenz interpolation points, ends. */
function neededRanks(n: number, prefixes: number[]): number[] {
  if (n === 0) return [];
  const set = new Set<number>([0, n - 1]);
  for (const i of prefixes) if (i < n) set.add(i);
  for (const [a, b] of [
    [1, 10],
    [9, 10],
    [1, 2],
  ]) {
    const j = Math.floor(((n - 1) * a!) / b!);
    set.add(j);
    if (j + 1 < n) set.add(j + 1);
  }
  return [...set].sort((x, y) => x - y);
}

function lookup<T>(map: Map<number, T>, key: number, what: string): T {
  const v = map.get(key);
  if (v === undefined) throw new RangeError(`internal: ${what} ${key} not collected`);
  return v;
}

/** The statistics from a sorted copy: one summing pass. */
function fromSorted(sorted: Float64Array, ranks: number[], needed: number[]): OrderStatistics {
  const n = sorted.length;
  const prefix = new Map<number, bigint>();
  let tBig = 0n;
  let tSmall = 0;
  let sBig = 0n;
  let sSmall = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i] as number;
    while (needed[next] === i) prefix.set(needed[next++] as number, tBig + BigInt(tSmall));
    if (x >= FLUSH) tBig += BigInt(x);
    else {
      tSmall += x;
      if (tSmall >= FLUSH) [tBig, tSmall] = [tBig + BigInt(tSmall), 0];
    }
    const ix = (i + 1) * x; // rank × pay, 1-based ranks
    if (ix >= FLUSH) sBig += BigInt(i + 1) * BigInt(x);
    else {
      sSmall += ix;
      if (sSmall >= FLUSH) [sBig, sSmall] = [sBig + BigInt(sSmall), 0];
    }
  }
  const total = tBig + BigInt(tSmall);
  prefix.set(n, total);
  const values = new Map(ranks.map((r) => [r, sorted[r] as number]));
  return {
    total,
    rankSum: sBig + BigInt(sSmall),
    at: (r) => lookup(values, r, 'rank'),
    prefix: (i) => lookup(prefix, i, 'prefix'),
  };
}

/**
 * The statistics from a histogram of the values lowest … lowest + range − 1: the c workers paid v hold ranks
 * r+1 … r+c (1-based), so they add v·(c·r + c(c+1)/2) to Σ rank × pay, and C_i = C_r + (i − r)·v inside the run.
 */
function fromHistogram(
  pay: Float64Array,
  lowest: number,
  range: number,
  ranks: number[],
  needed: number[],
): OrderStatistics {
  const n = pay.length;
  const counts = new Uint32Array(range);
  for (let i = 0; i < n; i++) counts[(pay[i] as number) - lowest]!++;
  const values = new Map<number, number>();
  const prefix = new Map<number, bigint>();
  let tBig = 0n;
  let tSmall = 0;
  let sBig = 0n;
  let sSmall = 0;
  let r = 0; // workers below the current value
  let nextRank = 0;
  let nextPrefix = 0;
  for (let d = 0; d < range; d++) {
    const c = counts[d] as number;
    if (c === 0) continue;
    const v = lowest + d;
    while (nextRank < ranks.length && (ranks[nextRank] as number) < r + c) values.set(ranks[nextRank++]!, v);
    if (nextPrefix < needed.length && (needed[nextPrefix] as number) < r + c) {
      const before = tBig + BigInt(tSmall);
      while (nextPrefix < needed.length && (needed[nextPrefix] as number) < r + c) {
        const i = needed[nextPrefix++] as number;
        prefix.set(i, before + BigInt(i - r) * BigInt(v));
      }
    }
    const cv = c * v;
    if (cv >= FLUSH) tBig += BigInt(c) * BigInt(v);
    else {
      tSmall += cv;
      if (tSmall >= FLUSH) [tBig, tSmall] = [tBig + BigInt(tSmall), 0];
    }
    const k = c * r + (c * (c + 1)) / 2; // Σ of the ranks r+1 … r+c
    const kv = k * v;
    if (k >= FLUSH || kv >= FLUSH)
      sBig += (BigInt(c) * BigInt(r) + (BigInt(c) * BigInt(c + 1)) / 2n) * BigInt(v);
    else {
      sSmall += kv;
      if (sSmall >= FLUSH) [sBig, sSmall] = [sBig + BigInt(sSmall), 0];
    }
    r += c;
  }
  const total = tBig + BigInt(tSmall);
  prefix.set(n, total);
  return {
    total,
    rankSum: sBig + BigInt(sSmall),
    at: (rank) => lookup(values, rank, 'rank'),
    prefix: (i) => lookup(prefix, i, 'prefix'),
  };
}

/** Prefix-sum indexes the Lorenz grid and the Palma shares need, ascending. */
function neededPrefixes(n: number, grid: number): number[] {
  const set = new Set<number>();
  for (let k = 0; k <= grid; k++) set.add(Math.floor((n * k) / grid));
  for (const [a, b] of [
    [4, 10],
    [9, 10],
  ]) {
    set.add(Math.floor((n * a!) / b!));
  }
  return [...set].sort((x, y) => x - y);
}

/**
 * L(a/b): the share of total pay of the poorest a/b of workers, with the Lorenz curve interpolated linearly
 * between the points (i/n, C_i/T): position t = n·a/b, i = ⌊t⌋, L = (C_i + (t − i)·x_(i+1)) / T.
 */
function lorenzAt(n: number, s: OrderStatistics, a: number, b: number): Rational {
  const i = Math.floor((n * a) / b);
  const fracNum = BigInt((n * a) % b);
  const c = s.prefix(i);
  const next = fracNum === 0n ? 0n : BigInt(s.at(i));
  return exactRatio(c * BigInt(b) + fracNum * next, BigInt(b) * s.total);
}

/** Type 7 quantile (R's default): h = (n−1)·a/b (0-based), x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋). */
function quantile(n: number, s: OrderStatistics, a: number, b: number): Rational {
  const j = Math.floor(((n - 1) * a) / b);
  const frac = BigInt(((n - 1) * a) % b);
  const lo = BigInt(s.at(j));
  const hi = frac === 0n ? lo : BigInt(s.at(j + 1));
  return exactRatio(lo * BigInt(b) + frac * (hi - lo), BigInt(b));
}

function measuresOf(n: number, s: OrderStatistics) {
  const none: Measures<Rational | null> = Object.fromEntries(MEASURES.map((m) => [m, null])) as never;
  if (n === 0) return none;
  const N = BigInt(n);
  const { total, rankSum } = s;
  const p10 = quantile(n, s, 1, 10);
  const p90 = quantile(n, s, 9, 10);
  const lowest = BigInt(s.at(0));
  const highest = BigInt(s.at(n - 1));
  const base = {
    ...none,
    mean: exactRatio(total, N),
    median: quantile(n, s, 1, 2),
    p10,
    p90,
    p90p10: ratio(p90.num * p10.den, p90.den * p10.num),
    highestLowest: ratio(highest, lowest),
  };
  if (total === 0n) return base;
  const bottom40 = lorenzAt(n, s, 4, 10);
  const below90 = lorenzAt(n, s, 9, 10);
  const top10 = exactRatio(below90.den - below90.num, below90.den);
  return {
    ...base,
    // Gini = (2 Σ i·x_(i)) / (n·T) − (n+1)/n  (population form, as R ineq::Gini with corr = FALSE)
    gini: exactRatio(2n * rankSum - (N + 1n) * total, N * total),
    palma: ratio(top10.num * bottom40.den, top10.den * bottom40.num),
    top10Share: top10,
    bottom40Share: bottom40,
  };
}
