// One worker's line of a payroll as an object (for exports and the API); the payroll itself stays columnar.
import { formatScaled } from './decimal.ts';
import { compileKernel, grossPay } from './pay-kernel.ts';
import { ADJUSTMENTS, type Adjustment, type Payroll } from './payroll.ts';
import { projectedPension } from './pension.ts';
import { FRACTION_PLACES, HOURS_PLACES } from './scheme.ts';

/** Amounts in minor units; hours and output as decimal strings. */
export interface Payslip {
  readonly period: string;
  readonly id: string;
  readonly grade: string;
  readonly hours: string;
  readonly output: string;
  readonly basic: number;
  readonly earnings: number;
  readonly bonus: number;
  readonly gross: number;
  readonly pay: number;
  readonly adjustment: Adjustment;
  readonly pensionAccrual: number;
  /** The pension of a full career at this pay (minimum and maximum applied); null without a pension rule. */
  readonly projectedPension: number | null;
}

export function payslip(payroll: Payroll, i: number): Payslip {
  const w = payroll.workers;
  if (!Number.isInteger(i) || i < 0 || i >= w.count) throw new RangeError(`i: no worker at index ${i}`);
  const pay = payroll.pay[i] as number;
  const rule = payroll.scheme.pension;
  // Recomputed for this one worker by the payroll's own kernel (the payroll keeps only the final pay).
  const parts = new Float64Array(4);
  grossPay(
    compileKernel(payroll.scheme),
    payroll.gradeMap[w.grade[i] as number] as number,
    w.hours[i] as number,
    w.output[i] as number,
    parts,
  );
  return {
    period: payroll.period,
    id: w.ids.get(i),
    grade: w.grades[w.grade[i] as number] as string,
    hours: formatScaled(w.hours[i] as number, HOURS_PLACES),
    output: formatScaled(w.output[i] as number, FRACTION_PLACES),
    basic: parts[0] as number,
    earnings: parts[1] as number,
    bonus: parts[2] as number,
    gross: parts[3] as number,
    pay,
    adjustment: ADJUSTMENTS[payroll.adjustment[i] as number] as Adjustment,
    pensionAccrual: payroll.pensionAccrual[i] as number,
    projectedPension: rule === null ? null : projectedPension(pay, rule),
  };
}

/** Every payslip, in the workers' order. */
export function* payslips(payroll: Payroll): Generator<Payslip> {
  for (let i = 0; i < payroll.workers.count; i++) yield payslip(payroll, i);
}
