// Exact rationals over bigint, always in lowest terms with a positive denominator. Used wherever a rule divides
// (Debian majority ratios, score means) so that no comparison ever depends on floating point.
import { divideRounded, formatUnits, type Rounding } from './fixed-point.ts';

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError('den must not be zero');
    if (den < 0n) [num, den] = [-num, -den];
    const g = gcd(num, den);
    this.num = g > 1n ? num / g : num;
    this.den = g > 1n ? den / g : den;
  }

  static of(n: bigint | number): Rational {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError('n must be a safe integer');
    return new Rational(BigInt(n));
  }

  add(o: Rational): Rational {
    return new Rational(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return new Rational(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    return new Rational(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('division by zero');
    return new Rational(this.num * o.den, this.den * o.num);
  }
  /** -1, 0 or 1. */
  cmp(o: Rational): number {
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  equals(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  /** Decimal string with `places` decimals, rounded by the named rule. */
  toFixed(places: number, rounding: Rounding = 'half-even'): string {
    const scale = 10n ** BigInt(places);
    return formatUnits(divideRounded(this.num * scale, this.den, rounding), places);
  }
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
}
