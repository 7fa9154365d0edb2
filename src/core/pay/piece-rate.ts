// Piece rates against a norm (docs/PAY.md §"Payment systems"). Output is a fraction of the norm scaled by 10^4
// (10000 = the norm exactly). The factor returned multiplies the basic (tariff) pay and is scaled by 10^8.
import { FRACTION_SCALE as ONE, type CompiledPayment } from './scheme.ts';

/** 10^8: the scale of a pay factor (a fraction of the norm, 10^4, times a multiplier, 10^4). */
export const FACTOR_SCALE = ONE * ONE;

/**
 * The factor by which the basic pay is multiplied for `output`:
 * - time wage: 1, whatever the output;
 * - straight piece rate: output / norm;
 * - progressive piece rate: output / norm up to the norm; each slice of the excess above the norm is paid at its
 *   band's multiplier (marginal bands, like a tax schedule), so 1 + Σ multiplier_b × (part of the excess in band b).
 * The essay's bands (0–20 % × 1.5, 20–30 % × 2, above 30 % × 3) give 1.3, 1.5, 1.8 at 120, 130, 140 % of the norm.
 */
export function payFactor(payment: CompiledPayment, output: number): number {
  if (payment.system === 'time') return FACTOR_SCALE;
  if (payment.system === 'piece' || output <= ONE) return output * ONE;
  const excess = output - ONE;
  let factor = FACTOR_SCALE;
  const { above, multiplier } = payment;
  for (let b = 0; b < above.length; b++) {
    const lo = above[b] as number;
    if (excess <= lo) break;
    const hi = above[b + 1];
    const slice = (hi === undefined || excess < hi ? excess : hi) - lo;
    factor += slice * (multiplier[b] as number);
  }
  return factor;
}
