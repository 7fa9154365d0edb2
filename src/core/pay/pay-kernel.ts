// The per-worker computation of a scheme, steps 1–3 of docs/PAY.md §"Payroll, step by step", over typed arrays
// compiled once per scheme. runPayroll calls it for every worker; payslip() calls it again for one worker to
// show basic, earnings and bonus, so the payroll only stores the final pay (one code path for both).
import { FACTOR_SCALE, payFactor } from './piece-rate.ts';
import { addMoney, mulDivHalfEven, mulMulDivHalfEven } from './rounding.ts';
import { FRACTION_SCALE as ONE, HOURS_SCALE, type CompiledPayment, type Scheme } from './scheme.ts';

export interface PayKernel {
  readonly baseRate: number;
  readonly coefficient: Float64Array; // per scheme grade
  readonly payment: readonly CompiledPayment[]; // per scheme grade
  readonly bonusCount: number;
  readonly bonusPercent: Float64Array; // per bonus; -1 for a fixed amount
  readonly bonusAmount: Float64Array;
  readonly bonusMinOutput: Float64Array; // -1 when unconditional
  readonly bonusGrade: Uint8Array; // [bonus × grades + grade] = 1 when the bonus applies to the grade
  readonly grades: number;
}

const compiled = new WeakMap<Scheme, PayKernel>();

/** The kernel of a scheme, compiled once (schemes are immutable once validated). */
export function compileKernel(scheme: Scheme): PayKernel {
  let k = compiled.get(scheme);
  if (k === undefined) {
    k = buildKernel(scheme);
    compiled.set(scheme, k);
  }
  return k;
}

function buildKernel(scheme: Scheme): PayKernel {
  const G = scheme.gradeIds.length;
  const B = scheme.bonuses.length;
  const bonusGrade = new Uint8Array(B * G);
  scheme.bonuses.forEach((b, k) =>
    scheme.gradeIds.forEach((g, j) => {
      bonusGrade[k * G + j] = b.grades === null || b.grades.has(g) ? 1 : 0;
    }),
  );
  return {
    baseRate: scheme.baseRate,
    coefficient: Float64Array.from(scheme.coefficient),
    payment: scheme.payment,
    bonusCount: B,
    bonusPercent: Float64Array.from(scheme.bonuses, (b) => b.percent ?? -1),
    bonusAmount: Float64Array.from(scheme.bonuses, (b) => b.amount ?? 0),
    bonusMinOutput: Float64Array.from(scheme.bonuses, (b) => b.minOutput ?? -1),
    bonusGrade,
    grades: G,
  };
}

/**
 * Gross pay of one worker of scheme grade g with hours h (hundredths) and output o (ten-thousandths of the norm):
 * writes [basic, earnings, bonus, gross] into `parts` (not returned, so no number is boxed per worker). Roundings: basic half-even; earnings half-even; each percent
 * bonus half-even.
 */
export function grossPay(k: PayKernel, g: number, h: number, o: number, parts: Float64Array): void {
  // Step 1: basic = baseRate × coefficient × hours.
  const basic = mulMulDivHalfEven(k.baseRate, k.coefficient[g] as number, h, ONE * HOURS_SCALE, 'basic');
  // Step 2: earnings = basic × the payment system's factor.
  const f = payFactor(k.payment[g] as CompiledPayment, o);
  const earnings = f === FACTOR_SCALE ? basic : mulDivHalfEven(basic, f, FACTOR_SCALE, 'earnings');
  // Step 3: bonuses.
  let bonus = 0;
  for (let b = 0; b < k.bonusCount; b++) {
    if (k.bonusGrade[b * k.grades + g] === 0) continue;
    const min = k.bonusMinOutput[b] as number;
    if (min >= 0 && o < min) continue;
    const pct = k.bonusPercent[b] as number;
    const amount = pct < 0 ? (k.bonusAmount[b] as number) : mulDivHalfEven(earnings, pct, 100 * ONE, 'bonus');
    bonus = addMoney(bonus, amount, 'bonus');
  }
  parts[0] = basic;
  parts[1] = earnings;
  parts[2] = bonus;
  parts[3] = addMoney(earnings, bonus, 'gross');
}
