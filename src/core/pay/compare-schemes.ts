// A proposed scheme against the current one on the same workers (docs/PAY.md §"Comparison"): who gains, who
// loses, by how much, per grade, the biggest changes, and the change of every inequality measure.
import {
  inequalityReport,
  MEASURES,
  MEASURE_PLACES,
  type InequalityReport,
  type Measures,
} from './inequality.ts';
import { runPayroll, type Payroll } from './payroll.ts';
import { exactRatio, subtract, toDecimal, type Rational } from '../../lib/rational.ts';
import type { Scheme } from './scheme.ts';
import type { WorkerTable } from './worker-table.ts';

export interface WorkerChange {
  readonly index: number;
  readonly id: string;
  readonly grade: string;
  readonly current: number;
  readonly proposed: number;
  readonly change: number;
  /** change / current × 100 with 2 decimals, half-even; null when the current pay is 0. */
  readonly percent: string | null;
}

export interface GradeSummary {
  readonly grade: string;
  readonly count: number;
  readonly gainers: number;
  readonly losers: number;
  readonly unchanged: number;
  readonly currentTotal: bigint;
  readonly proposedTotal: bigint;
  readonly change: bigint;
  /** Mean pay and mean change per worker of the grade, minor units with 2 decimals, half-even. */
  readonly currentMean: string;
  readonly proposedMean: string;
  readonly meanChange: string;
}

/** A grade row's figures from its counts and totals: the unchanged, the change and the means (2 decimals). */
export function gradeFigures(
  count: number,
  gainers: number,
  losers: number,
  currentTotal: bigint,
  proposedTotal: bigint,
): Omit<GradeSummary, 'grade'> {
  const mean = (t: bigint) => (count === 0 ? '0.00' : toDecimal(exactRatio(t, BigInt(count)), 2));
  return {
    count,
    gainers,
    losers,
    unchanged: count - gainers - losers,
    currentTotal,
    proposedTotal,
    change: proposedTotal - currentTotal,
    currentMean: mean(currentTotal),
    proposedMean: mean(proposedTotal),
    meanChange: mean(proposedTotal - currentTotal),
  };
}

export interface SchemeComparison {
  readonly current: Payroll;
  readonly proposed: Payroll;
  readonly count: number;
  readonly gainers: number;
  readonly losers: number;
  readonly unchanged: number;
  /** Σ of the positive changes and Σ of the negative ones (≤ 0); totalChange is their sum. */
  readonly gainTotal: bigint;
  readonly lossTotal: bigint;
  readonly totalChange: bigint;
  readonly pensionAccrualChange: bigint;
  readonly grades: readonly GradeSummary[];
  readonly biggestGains: readonly WorkerChange[];
  readonly biggestLosses: readonly WorkerChange[];
  readonly currentReport: InequalityReport;
  readonly proposedReport: InequalityReport;
  /** proposed − current for every measure, exactly, and as decimals (MEASURE_PLACES); null if either is null. */
  readonly exactMeasureChange: Measures<Rational | null>;
  readonly measureChange: Measures<string | null>;
}

export interface CompareOptions {
  /** How many of the biggest gains and losses to list (default 10). */
  readonly biggest?: number;
}

/** Runs both schemes on `workers` for `period` and compares them. */
export function compareSchemes(
  current: Scheme,
  proposed: Scheme,
  workers: WorkerTable,
  period: string,
  options: CompareOptions = {},
): SchemeComparison {
  return comparePayrolls(
    runPayroll(current, workers, period),
    runPayroll(proposed, workers, period),
    options,
  );
}

/** Compares two payrolls of the same worker table. */
export function comparePayrolls(
  current: Payroll,
  proposed: Payroll,
  options: CompareOptions = {},
): SchemeComparison {
  if (current.workers !== proposed.workers)
    throw new RangeError('proposed: must be a payroll of the same workers');
  const biggest = options.biggest ?? 10;
  if (!Number.isSafeInteger(biggest) || biggest < 0)
    throw new RangeError(`biggest: ${biggest} is not a count`);
  const w = current.workers;
  const n = w.count;
  const gains = new TopK(biggest);
  const losses = new TopK(biggest);
  const perGrade = new GradeSums(w.grades.length);
  let gainers = 0;
  let losers = 0;
  let gainSmall = 0;
  let lossSmall = 0;
  let gainBig = 0n;
  let lossBig = 0n;
  const before = current.pay;
  const after = proposed.pay;
  const grade = w.grade;
  for (let i = 0; i < n; i++) {
    const a = before[i] as number;
    const b = after[i] as number;
    const d = b - a; // exact: both are safe integers >= 0
    perGrade.add(grade[i] as number, a, b);
    if (d > 0) {
      gainers++;
      // Exact sums: a double below 2^52 flushed into a bigint; a change of 2^52 or more goes there directly.
      if (d >= 2 ** 52) gainBig += BigInt(d);
      else {
        gainSmall += d;
        if (gainSmall >= 2 ** 52) [gainBig, gainSmall] = [gainBig + BigInt(gainSmall), 0];
      }
      if (d > gains.threshold) gains.offer(d, i);
    } else if (d < 0) {
      losers++;
      if (d <= -(2 ** 52)) lossBig += BigInt(d);
      else {
        lossSmall += d;
        if (lossSmall <= -(2 ** 52)) [lossBig, lossSmall] = [lossBig + BigInt(lossSmall), 0];
      }
      if (-d > losses.threshold) losses.offer(-d, i);
    }
  }
  const currentReport = inequalityReport(current.pay);
  const proposedReport = inequalityReport(proposed.pay);
  const exactMeasureChange = Object.fromEntries(
    MEASURES.map((m) => {
      const x = currentReport.exact[m];
      const y = proposedReport.exact[m];
      return [m, x === null || y === null ? null : subtract(y, x)];
    }),
  ) as Measures<Rational | null>;
  const gainTotal = gainBig + BigInt(gainSmall);
  const lossTotal = lossBig + BigInt(lossSmall);
  const change = (i: number) => workerChange(current, proposed, i);
  return {
    current,
    proposed,
    count: n,
    gainers,
    losers,
    unchanged: n - gainers - losers,
    gainTotal,
    lossTotal,
    totalChange: gainTotal + lossTotal,
    pensionAccrualChange: proposed.totalPensionAccrual - current.totalPensionAccrual,
    grades: perGrade.summaries(w.grades),
    biggestGains: gains.indexes().map(change),
    biggestLosses: losses.indexes().map(change),
    currentReport,
    proposedReport,
    exactMeasureChange,
    measureChange: Object.fromEntries(
      MEASURES.map((m) => [
        m,
        exactMeasureChange[m] === null ? null : toDecimal(exactMeasureChange[m], MEASURE_PLACES),
      ]),
    ) as Measures<string | null>,
  };
}

function workerChange(current: Payroll, proposed: Payroll, i: number): WorkerChange {
  const w = current.workers;
  const a = current.pay[i] as number;
  const b = proposed.pay[i] as number;
  return {
    index: i,
    id: w.ids.get(i),
    grade: w.grades[w.grade[i] as number] as string,
    current: a,
    proposed: b,
    change: b - a,
    percent: a === 0 ? null : toDecimal(exactRatio(BigInt(b - a) * 100n, BigInt(a)), 2),
  };
}

/** The k largest keys seen, ties broken by the lower index (deterministic). */
class TopK {
  private readonly keys: number[] = [];
  private readonly idx: number[] = [];
  /** A key must exceed this to enter (the k-th key once k are held; ties keep the earlier worker). */
  threshold = 0;
  constructor(private readonly k: number) {
    if (k === 0) this.threshold = Infinity;
  }
  offer(key: number, index: number): void {
    const len = this.keys.length;
    if (this.k === 0 || (len === this.k && key <= (this.keys[len - 1] as number))) return;
    let at = len;
    while (at > 0 && (this.keys[at - 1] as number) < key) at--;
    this.keys.splice(at, 0, key);
    this.idx.splice(at, 0, index);
    if (this.keys.length > this.k) {
      this.keys.pop();
      this.idx.pop();
    }
    if (this.keys.length === this.k) this.threshold = this.keys[this.k - 1] as number;
  }
  indexes(): number[] {
    return [...this.idx];
  }
}

/** Exact per-grade totals and counts. */
class GradeSums {
  private readonly count: Float64Array;
  private readonly gainers: Float64Array;
  private readonly losers: Float64Array;
  private readonly small: Float64Array; // [current, proposed] per grade, flushed below 2^52
  private readonly big: bigint[];
  constructor(grades: number) {
    this.count = new Float64Array(grades);
    this.gainers = new Float64Array(grades);
    this.losers = new Float64Array(grades);
    this.small = new Float64Array(2 * grades);
    this.big = new Array<bigint>(2 * grades).fill(0n);
  }
  add(g: number, a: number, b: number): void {
    this.count[g]!++;
    if (b > a) this.gainers[g]!++;
    else if (b < a) this.losers[g]!++;
    this.bump(2 * g, a);
    this.bump(2 * g + 1, b);
  }
  private bump(k: number, v: number): void {
    if (v >= 2 ** 52) {
      this.big[k] = (this.big[k] as bigint) + BigInt(v);
      return;
    }
    const s = (this.small[k] as number) + v;
    if (s >= 2 ** 52) {
      this.big[k] = (this.big[k] as bigint) + BigInt(s);
      this.small[k] = 0;
    } else this.small[k] = s;
  }
  summaries(grades: readonly string[]): GradeSummary[] {
    return grades.map((grade, g) => {
      const count = this.count[g] as number;
      const currentTotal = (this.big[2 * g] as bigint) + BigInt(this.small[2 * g] as number);
      const proposedTotal = (this.big[2 * g + 1] as bigint) + BigInt(this.small[2 * g + 1] as number);
      return {
        grade,
        ...gradeFigures(
          count,
          this.gainers[g] as number,
          this.losers[g] as number,
          currentTotal,
          proposedTotal,
        ),
      };
    });
  }
}
