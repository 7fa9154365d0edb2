// The minimum group of served pay figures (docs/PAY.md "Minimum group"), as statistical offices keep a minimum
// cell size: under the constitution's `payVisibility: "aggregates"` no figure describes fewer than N workers.
// - Per-grade rows of fewer than N workers are merged into one row (grade null, "smaller grades"). If that row
//   still has fewer than N, the smallest published grades are merged into it as well until it has N: otherwise
//   the served totals minus the published rows would give the small cells back (secondary suppression).
// - A biggest-change row shows its grade only when that grade is published as a row of its own.
// - A workforce of fewer than N shows only its count: measures, lowest/highest, Lorenz points and every total
//   are withheld, with the reason.
import { gradeFigures, type GradeSummary } from './compare-schemes.ts';

export const DEFAULT_MINIMUM_GROUP = 5;

/** Why figures are missing from a response: the workforce is smaller than the minimum group. */
export const WITHHELD_REASON = 'workforce_below_minimum_group';

export interface Withheld {
  readonly reason: typeof WITHHELD_REASON;
  readonly minimumGroup: number;
  readonly message: string;
}

export function withheld(minimumGroup: number): Withheld {
  return {
    reason: WITHHELD_REASON,
    minimumGroup,
    message: `fewer than ${minimumGroup} workers: only their count is shown (the constitution's payMinimumGroup)`,
  };
}

/** The merged row of the grades smaller than the minimum group (and any grade merged to complete it). */
export interface MergedGrades extends Omit<GradeSummary, 'grade'> {
  readonly grade: null;
  /** How many grades the row merges. */
  readonly grades: number;
}

export interface GroupedGrades {
  /** The published rows: each grade of at least N workers in its order, then the merged row (if any). */
  readonly rows: readonly (GradeSummary | MergedGrades)[];
  /** The grades published as rows of their own. */
  readonly shown: ReadonlySet<string>;
  /** Workers in no published row (only when the whole workforce is below N: then every row is withheld). */
  readonly withheldWorkers: number;
}

/** Checks a minimum group: a safe integer ≥ 1 (misuse throws). */
export function checkMinimumGroup(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`minimumGroup: ${n} is not an integer >= 1`);
  return n;
}

/** Applies the minimum group `n` to per-grade rows. */
export function groupGrades(grades: readonly GradeSummary[], n: number): GroupedGrades {
  checkMinimumGroup(n);
  const total = grades.reduce((s, g) => s + g.count, 0);
  if (total < n) return { rows: [], shown: new Set(), withheldWorkers: total };
  const small = new Set(grades.filter((g) => g.count < n));
  if (small.size === 0)
    return { rows: grades, shown: new Set(grades.map((g) => g.grade)), withheldWorkers: 0 };
  let merged = sum([...small]);
  // Complete the merged row with the smallest published grades (on a tie, the earlier grade).
  const big = grades.filter((g) => !small.has(g)).sort((a, b) => a.count - b.count);
  while (merged < n) {
    const g = big.shift()!; // total >= n, so a grade remains while merged < n
    small.add(g);
    merged += g.count;
  }
  const rows: (GradeSummary | MergedGrades)[] = grades.filter((g) => !small.has(g));
  rows.push(mergeRows([...small]));
  return {
    rows,
    shown: new Set(rows.flatMap((r) => (r.grade === null ? [] : [r.grade]))),
    withheldWorkers: 0,
  };
}

function sum(gs: readonly GradeSummary[]): number {
  return gs.reduce((s, g) => s + g.count, 0);
}

function mergeRows(gs: readonly GradeSummary[]): MergedGrades {
  let count = 0;
  let gainers = 0;
  let losers = 0;
  let currentTotal = 0n;
  let proposedTotal = 0n;
  for (const g of gs) {
    count += g.count;
    gainers += g.gainers;
    losers += g.losers;
    currentTotal += g.currentTotal;
    proposedTotal += g.proposedTotal;
  }
  return {
    grade: null,
    grades: gs.length,
    ...gradeFigures(count, gainers, losers, currentTotal, proposedTotal),
  };
}
