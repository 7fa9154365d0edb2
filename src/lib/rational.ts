// Exact rationals over bigint, always in lowest terms with a positive denominator, for every rule that divides
// (Debian majority ratios, score means, inequality measures), so that no comparison depends on floating point.
// Pure, imports nothing (src/lib).

/** num / den with den > 0, in lowest terms. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** The greatest common divisor of |a| and |b| (gcd(0, 0) = 0). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The rational num / den; null when den is 0 (a ratio with nothing below it is undefined, not infinite). */
export function ratio(num: bigint, den: bigint): Rational | null {
  if (den === 0n) return null;
  if (den < 0n) return ratio(-num, -den);
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/** ratio() for callers that know den != 0; a RangeError otherwise. */
export function exactRatio(num: bigint, den: bigint = 1n): Rational {
  const r = ratio(num, den);
  if (r === null) throw new RangeError('den: must not be 0');
  return r;
}

export function add(a: Rational, b: Rational): Rational {
  return exactRatio(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function subtract(a: Rational, b: Rational): Rational {
  return exactRatio(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function multiply(a: Rational, b: Rational): Rational {
  return exactRatio(a.num * b.num, a.den * b.den);
}

/** a / b; null when b is 0. */
export function divide(a: Rational, b: Rational): Rational | null {
  return ratio(a.num * b.den, a.den * b.num);
}

/** -1, 0 or 1. */
export function compare(a: Rational, b: Rational): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The nearest double (for charts and tolerance tests only). */
export function toNumber(r: Rational): number {
  const scale = 10n ** 17n;
  const neg = r.num < 0n;
  const n = neg ? -r.num : r.num;
  const whole = n / r.den;
  const frac = Number(((n % r.den) * scale) / r.den) / 1e17;
  const v = Number(whole) + frac;
  return neg ? -v : v;
}

/**
 * The decimal string of `r` with exactly `places` digits after the point, rounded half-to-even at the last digit.
 * Negative values keep their sign; "-0.000000" is printed as "0.000000".
 */
export function toDecimal(r: Rational, places: number): string {
  if (!Number.isInteger(places) || places < 0 || places > 30) throw new RangeError(`places: ${places}`);
  const neg = r.num < 0n;
  const n = neg ? -r.num : r.num;
  const scale = 10n ** BigInt(places);
  const scaled = n * scale;
  let q = scaled / r.den;
  const twice = 2n * (scaled - q * r.den);
  if (twice > r.den || (twice === r.den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(places + 1, '0');
  const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return neg && q !== 0n ? `-${body}` : body;
}

/** "num/den", always (the exact value, for JSON exports). */
export function toFraction(r: Rational): string {
  return `${r.num}/${r.den}`;
}

/** "num/den", or "num" for a whole number. */
export function rationalText(r: Rational): string {
  return r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`;
}
