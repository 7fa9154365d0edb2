// Fixed-point decimals as bigint counts of units of 10^-places, with every rounding rule named:
//   'truncate'  toward zero ("any remainder being ignored", SSI 2007/42 Sch. 1 r. 48(3); CA SB 1288 transfer values)
//   'floor'     toward minus infinity
//   'ceiling'   toward plus infinity ("rounded up", Meek keep factors in the PR Foundation reference rule)
//   'away'      away from zero (CA SB 1288 threshold)
//   'half-even' to nearest, ties to even (display only)
import type { Rational } from '../lib/rational.ts';

export type Rounding = 'truncate' | 'floor' | 'ceiling' | 'away' | 'half-even';

/** num / den rounded to an integer by the named rule. */
export function divideRounded(num: bigint, den: bigint, rounding: Rounding): bigint {
  if (den === 0n) throw new RangeError('den must not be zero');
  if (den < 0n) [num, den] = [-num, -den];
  const q = num / den; // truncates toward zero
  const r = num % den;
  if (r === 0n) return q;
  const negative = num < 0n;
  switch (rounding) {
    case 'truncate':
      return q;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceiling':
      return negative ? q : q + 1n;
    case 'away':
      return negative ? q - 1n : q + 1n;
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      const up = twice > den || (twice === den && (q & 1n) !== 0n);
      return up ? (negative ? q - 1n : q + 1n) : q;
    }
  }
}

/** A fixed-point arithmetic with a given number of decimal places; values are bigint units of 10^-places. */
export class FixedPoint {
  readonly places: number;
  readonly one: bigint;

  constructor(places: number) {
    if (!Number.isInteger(places) || places < 0 || places > 30) {
      throw new RangeError('places must be an integer from 0 to 30');
    }
    this.places = places;
    this.one = 10n ** BigInt(places);
  }

  fromInteger(n: bigint): bigint {
    return n * this.one;
  }
  /** a · b, both fixed-point, rounded to this precision. */
  mul(a: bigint, b: bigint, rounding: Rounding): bigint {
    return divideRounded(a * b, this.one, rounding);
  }
  /** a / b, both fixed-point, rounded to this precision. */
  div(a: bigint, b: bigint, rounding: Rounding): bigint {
    return divideRounded(a * this.one, b, rounding);
  }
  /** a · b / c in one step (one rounding), all fixed-point. */
  mulDiv(a: bigint, b: bigint, c: bigint, rounding: Rounding): bigint {
    return divideRounded(a * b, c, rounding);
  }
  format(units: bigint): string {
    return formatUnits(units, this.places);
  }
  parse(text: string): bigint {
    return parseUnits(text, this.places);
  }
}

/** "123.45000" for units=12345000n, places=5. */
export function formatUnits(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return (negative ? '-' : '') + int + (places > 0 ? '.' + frac : '');
}

/** An exact rational (src/lib/rational.ts) as decimal text with `places` decimals, rounded by the named rule. */
export function formatRational(r: Rational, places: number, rounding: Rounding = 'half-even'): string {
  return formatUnits(divideRounded(r.num * 10n ** BigInt(places), r.den, rounding), places);
}

/** Exact decimal text → units; more decimals than `places` is an error (no silent rounding). */
export function parseUnits(text: string, places: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal number: "${text}"`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > places) throw new RangeError(`"${text}" has more than ${places} decimals`);
  const units = BigInt(m[2]!) * 10n ** BigInt(places) + BigInt(frac.padEnd(places, '0') || '0');
  return m[1] === '-' ? -units : units;
}
