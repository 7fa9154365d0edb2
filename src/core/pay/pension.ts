// Pensions (docs/PAY.md §"Pensions"): marginal bands of replacement rates over a period's pay, an accrual per
// payroll period (a 1/careerPeriods share of the replacement amount), a minimum and maximum at award, indexation.
import { mulDiv, mulDivHalfEven } from './rounding.ts';
import { FRACTION_SCALE as ONE, type CompiledPension } from './scheme.ts';

/** The pension rule as typed arrays for the payroll loop. */
export interface PensionKernel {
  readonly upper: Float64Array; // band upper edges in minor units; Infinity for the open band
  readonly rate: Float64Array; // scaled by 10^4
  readonly divisor: number; // 10^4 × careerPeriods
}

export function compilePensionKernel(rule: CompiledPension): PensionKernel {
  return {
    upper: Float64Array.from(rule.upTo, (u) => u ?? Infinity),
    rate: Float64Array.from(rule.rate),
    divisor: ONE * rule.careerPeriods,
  };
}

/** Σ rate_b × (part of pay in band b), scaled by 10^4 (exact, no rounding yet). */
function replacementOf(k: PensionKernel, pay: number): number {
  let total = 0;
  let lower = 0;
  for (let b = 0; b < k.rate.length && pay > lower; b++) {
    const upper = k.upper[b] as number;
    total += ((pay < upper ? pay : upper) - lower) * (k.rate[b] as number);
    lower = upper;
  }
  if (total > Number.MAX_SAFE_INTEGER)
    throw new RangeError(`pay: ${pay} is too large for the pension formula`);
  return total;
}

/** The pension accrued by one period's pay: replacement ÷ careerPeriods, rounded half-even to the minor unit. */
export function pensionAccrualOf(k: PensionKernel, pay: number): number {
  return mulDivHalfEven(replacementOf(k, pay), 1, k.divisor, 'pensionAccrual');
}

/** accrual[i] = the accrual of pay[i], for the payroll loop. */
export function accruePensions(k: PensionKernel, pay: Float64Array, accrual: Float64Array): void {
  for (let i = 0; i < pay.length; i++) accrual[i] = pensionAccrualOf(k, pay[i] as number);
}

export function pensionAccrual(pay: number, rule: CompiledPension): number {
  return pensionAccrualOf(compilePensionKernel(rule), pay);
}

/** Clamps an accrued or projected pension to the scheme's minimum and maximum (applied at award). */
export function awardPension(accrued: number, rule: CompiledPension): number {
  if (accrued < rule.minimum) return rule.minimum;
  if (rule.maximum !== null && accrued > rule.maximum) return rule.maximum;
  return accrued;
}

/**
 * The pension of a full career at this period's pay: the replacement amount rounded half-even, then the minimum
 * and maximum. This is what the payslip shows as "projected pension".
 */
export function projectedPension(pay: number, rule: CompiledPension): number {
  const replacement = replacementOf(compilePensionKernel(rule), pay);
  return awardPension(mulDiv(replacement, 1, ONE, 'half-even', 'projectedPension'), rule);
}

/** Applies `steps` indexation steps to an amount, each rounded half-even to the minor unit (not compounded exactly). */
export function indexPension(amount: number, rule: CompiledPension, steps = 1): number {
  if (!Number.isSafeInteger(steps) || steps < 0) throw new RangeError(`steps: ${steps} is not a count`);
  let v = amount;
  for (let s = 0; s < steps; s++) v = mulDiv(v, rule.indexationFactor, ONE, 'half-even', 'indexPension');
  return v;
}
