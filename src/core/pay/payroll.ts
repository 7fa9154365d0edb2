// runPayroll: a scheme applied to a period's workers (docs/PAY.md §"Payroll, step by step"). Columnar output;
// every rounding is named at its step. The API, the CLI and the benchmark all run this one function.
import { PayrollError } from './errors.ts';
import { exactSum } from './exact-sum.ts';
import { compileKernel, grossPay } from './pay-kernel.ts';
import { accruePensions, compilePensionKernel } from './pension.ts';
import { mulDiv, mulMulDiv } from './rounding.ts';
import { FRACTION_SCALE as ONE, HOURS_SCALE, type Scheme } from './scheme.ts';
import type { WorkerTable } from './worker-table.ts';

/** Why the final pay differs from the gross: 0 none, 1 raised to the minimum, 2 cut to the maximum, 3 ratio cap. */
export const ADJUSTMENTS = ['none', 'minimum', 'maximum', 'ratio-cap'] as const;
export type Adjustment = (typeof ADJUSTMENTS)[number];

export interface Payroll {
  readonly period: string;
  readonly scheme: Scheme;
  readonly workers: WorkerTable;
  /** Index of each of the table's grades in the scheme's grades. */
  readonly gradeMap: Int32Array;
  /** Final pay in minor units, after the minimum, maximum and ratio cap. */
  readonly pay: Float64Array;
  /** Pension accrued by this period's pay (0 when the scheme has no pension rule). */
  readonly pensionAccrual: Float64Array;
  /** Index into ADJUSTMENTS. */
  readonly adjustment: Uint8Array;
  readonly totalPay: bigint;
  readonly totalPensionAccrual: bigint;
}

/** Runs the payroll of `workers` for `period` (a label such as "2026-11") under `scheme`. */
export function runPayroll(scheme: Scheme, workers: WorkerTable, period: string): Payroll {
  if (typeof period !== 'string' || period.trim() === '' || period.length > 64) {
    throw new PayrollError('period', 'payroll_period');
  }
  const n = workers.count;
  const gradeMap = mapGrades(scheme, workers);
  const pay = new Float64Array(n);
  const adjustment = new Uint8Array(n);
  const kernel = compileKernel(scheme);
  const parts = new Float64Array(4);
  const { grade, hours, output } = workers;
  const min = scheme.minimumPay;
  const max = scheme.maximumPay;
  for (let i = 0; i < n; i++) {
    const h = hours[i] as number;
    grossPay(kernel, gradeMap[grade[i] as number] as number, h, output[i] as number, parts);
    let p = parts[3] as number;
    // Step 4: the minimum (rounded up on an hourly basis) and the maximum (rounded down).
    let adj = 0;
    if (min !== null) {
      const limit =
        min.basis === 'period' ? min.amount : mulDiv(min.amount, h, HOURS_SCALE, 'ceil', 'minimumPay');
      if (p < limit) {
        p = limit;
        adj = 1;
      }
    }
    if (max !== null) {
      const limit =
        max.basis === 'period' ? max.amount : mulDiv(max.amount, h, HOURS_SCALE, 'floor', 'maximumPay');
      if (p > limit) {
        p = limit;
        adj = 2;
      }
    }
    pay[i] = p;
    adjustment[i] = adj;
  }
  // Step 5: the ratio cap; step 6: pension accrual.
  if (scheme.ratioCap !== null) applyRatioCap(scheme, workers, pay, adjustment);
  const accrual = new Float64Array(n);
  if (scheme.pension !== null) accruePensions(compilePensionKernel(scheme.pension), pay, accrual);
  return {
    period,
    scheme,
    workers,
    gradeMap,
    pay,
    pensionAccrual: accrual,
    adjustment,
    totalPay: exactSum(pay),
    totalPensionAccrual: exactSum(accrual),
  };
}

/** Index of each of the table's grades in the scheme; an unknown grade names its first worker. */
function mapGrades(scheme: Scheme, workers: WorkerTable): Int32Array {
  const map = new Int32Array(workers.grades.length);
  workers.grades.forEach((id, k) => {
    map[k] = scheme.gradeIds.indexOf(id);
  });
  const bad = map.indexOf(-1);
  if (bad >= 0) {
    const row = workers.grade.indexOf(bad);
    if (row >= 0) {
      throw new PayrollError(`workers[${row}].grade`, 'payroll_grade_not_in_scheme', {
        worker: workers.ids.get(row),
        grade: workers.grades[bad]!,
        scheme: scheme.id,
        version: scheme.version,
      });
    }
  }
  return map;
}

/**
 * The ratio cap (docs/PAY.md §"Ratio cap"): the top is clamped, the scheme is never rejected at run time.
 * Basis "period": pay ≤ floor(ratio × lowest pay). Basis "hour": pay per hour ≤ ratio × the lowest pay per hour,
 * i.e. pay_i ≤ floor(ratio × lowestPay × hours_i / lowestHours), but never below worker i's own hourly minimum.
 */
function applyRatioCap(
  scheme: Scheme,
  workers: WorkerTable,
  pay: Float64Array,
  adjustment: Uint8Array,
): void {
  const cap = scheme.ratioCap!;
  const n = pay.length;
  if (n === 0) return;
  if (cap.basis === 'period') {
    let lowest = pay[0] as number;
    for (let i = 1; i < n; i++) if ((pay[i] as number) < lowest) lowest = pay[i] as number;
    const top = mulDiv(cap.ratio, lowest, ONE, 'floor', 'ratioCap');
    for (let i = 0; i < n; i++) {
      if ((pay[i] as number) > top) {
        pay[i] = top;
        adjustment[i] = 3;
      }
    }
    return;
  }
  const hours = workers.hours;
  let low = 0;
  for (let i = 1; i < n; i++) if (lessPerHour(pay[i]!, hours[i]!, pay[low]!, hours[low]!)) low = i;
  const lowPay = pay[low] as number;
  const lowHours = hours[low] as number;
  const min = scheme.minimumPay!;
  for (let i = 0; i < n; i++) {
    const h = hours[i] as number;
    const top = mulMulDiv(cap.ratio, lowPay, h, ONE * lowHours, 'floor', 'ratioCap');
    if ((pay[i] as number) <= top) continue;
    const capped = Math.max(top, mulDiv(min.amount, h, HOURS_SCALE, 'ceil', 'minimumPay'));
    if (capped < (pay[i] as number)) {
      pay[i] = capped;
      adjustment[i] = 3;
    }
  }
}

/** a / b < c / d for non-negative safe integers, exactly. */
function lessPerHour(a: number, b: number, c: number, d: number): boolean {
  const l = a * d;
  const r = c * b;
  if (l <= Number.MAX_SAFE_INTEGER && r <= Number.MAX_SAFE_INTEGER) return l < r;
  return BigInt(a) * BigInt(d) < BigInt(c) * BigInt(b);
}
