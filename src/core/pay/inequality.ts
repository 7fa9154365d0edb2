// The inequality report of a pay distribution (docs/PAY.md §"Inequality measures"). Pay is integer minor units,
// so every measure except the Lorenz points for charts is an exact rational, printed with MEASURE_PLACES
// decimals rounded half-even. Quantiles are Hyndman & Fan (1996) type 7, R's default.
import { sortPay } from './sort-pay.ts';
import { exactRatio, ratio, toDecimal, toNumber, type Rational } from './rational.ts';

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

/** The report of `pay` (non-negative safe integers, any order; the array is not modified). */
export function inequalityReport(pay: Float64Array): InequalityReport {
  const sorted = sortPay(pay);
  const n = sorted.length;
  const grid = n >= 100 ? 100 : Math.max(n, 1);
  const needed = neededPrefixes(n, grid);
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
  const exact = measuresOf(sorted, total, sBig + BigInt(sSmall), prefix);
  const measures = Object.fromEntries(
    MEASURES.map((m) => [m, exact[m] === null ? null : toDecimal(exact[m], MEASURE_PLACES)]),
  ) as Measures<string | null>;
  const lorenz: LorenzPoint[] = [];
  if (n > 0 && total > 0n) {
    for (let k = 0; k <= grid; k++) {
      lorenz.push({ p: k / grid, share: toNumber(lorenzAt(sorted, total, prefix, k, grid)) });
    }
  }
  return {
    count: n,
    total,
    lowest: n ? sorted[0]! : null,
    highest: n ? sorted[n - 1]! : null,
    exact,
    measures,
    lorenz,
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
function lorenzAt(
  sorted: Float64Array,
  total: bigint,
  prefix: Map<number, bigint>,
  a: number,
  b: number,
): Rational {
  const n = sorted.length;
  const i = Math.floor((n * a) / b);
  const fracNum = BigInt((n * a) % b);
  const c = prefix.get(i);
  if (c === undefined) throw new RangeError(`internal: prefix ${i} not collected`);
  const next = fracNum === 0n ? 0n : BigInt(sorted[i] as number);
  return exactRatio(c * BigInt(b) + fracNum * next, BigInt(b) * total);
}

/** Type 7 quantile (R's default): h = (n−1)·a/b (0-based), x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋). */
function quantile(sorted: Float64Array, a: number, b: number): Rational {
  const n = sorted.length;
  const j = Math.floor(((n - 1) * a) / b);
  const frac = BigInt(((n - 1) * a) % b);
  const lo = BigInt(sorted[j] as number);
  const hi = frac === 0n ? lo : BigInt(sorted[j + 1] as number);
  return exactRatio(lo * BigInt(b) + frac * (hi - lo), BigInt(b));
}

function measuresOf(sorted: Float64Array, total: bigint, rankSum: bigint, prefix: Map<number, bigint>) {
  const n = sorted.length;
  const none: Measures<Rational | null> = Object.fromEntries(MEASURES.map((m) => [m, null])) as never;
  if (n === 0) return none;
  const N = BigInt(n);
  const p10 = quantile(sorted, 1, 10);
  const p90 = quantile(sorted, 9, 10);
  const lowest = BigInt(sorted[0] as number);
  const highest = BigInt(sorted[n - 1] as number);
  const base = {
    ...none,
    mean: exactRatio(total, N),
    median: quantile(sorted, 1, 2),
    p10,
    p90,
    p90p10: ratio(p90.num * p10.den, p90.den * p10.num),
    highestLowest: ratio(highest, lowest),
  };
  if (total === 0n) return base;
  const bottom40 = lorenzAt(sorted, total, prefix, 4, 10);
  const below90 = lorenzAt(sorted, total, prefix, 9, 10);
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
