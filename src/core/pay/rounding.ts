// Integer arithmetic on money in minor units with explicit rounding (docs/PAY.md §"Rounding"). Every amount is a
// safe integer; products that could leave the exact range of doubles (2^53) are computed with bigint instead, so
// the result never depends on floating-point error. The double paths are tiny functions so that the engine
// inlines them into the payroll loop (a returned double that is not inlined costs an allocation per worker).

/** The three rounding rules the pay module uses, each named where it is applied. */
export type Rounding = 'half-even' | 'floor' | 'ceil';

const EXACT = 2 ** 52; // a + b and q * d stay below 2^53 when every operand is at most 2^52

/** Throws RangeError unless `value` is a safe integer >= 0; returns it as a number. */
export function toMinorUnits(value: number | bigint, what: string): number {
  if (typeof value === 'bigint') {
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`${what}: ${value} is outside the safe range of minor units (0..2^53-1)`);
    }
    return Number(value);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what}: ${value} is not a safe non-negative integer number of minor units`);
  }
  return value;
}

/** n / d rounded by `rule`, for integers n >= 0, d > 0 (bigint). */
export function divideBig(n: bigint, d: bigint, rule: Rounding): bigint {
  if (d <= 0n) throw new RangeError(`d: divisor must be positive, got ${d}`);
  if (n < 0n) throw new RangeError(`n: dividend must be non-negative, got ${n}`);
  const q = n / d;
  const r = n - q * d;
  if (r === 0n || rule === 'floor') return q;
  if (rule === 'ceil') return q + 1n;
  const twice = 2n * r;
  if (twice > d) return q + 1n;
  if (twice < d) return q;
  return q % 2n === 0n ? q : q + 1n; // exactly half: to the even neighbour
}

// ⌊n / d⌋ for integers 0 <= n, d <= 2^52: the double quotient may be off by one near an integer; fix it exactly
// (q × d <= n + d <= 2^53 is exact).
function floorDiv(n: number, d: number): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
}

/** n / d half-even, for integers 0 <= n <= 2^52, 0 < d <= 2^52. */
function divHalfEven(n: number, d: number): number {
  const q = floorDiv(n, d);
  const twice = 2 * (n - q * d);
  return twice > d || (twice === d && q % 2 === 1) ? q + 1 : q;
}

/** n / d rounded up, same bounds. */
function divCeil(n: number, d: number): number {
  const q = floorDiv(n, d);
  return n - q * d === 0 ? q : q + 1;
}

function divideSmall(n: number, d: number, rule: Rounding): number {
  return rule === 'half-even' ? divHalfEven(n, d) : rule === 'floor' ? floorDiv(n, d) : divCeil(n, d);
}

/**
 * a × b / d rounded by `rule`, for safe integers a, b >= 0 and d > 0. Uses doubles when a × b <= 2^52 (then every
 * step is exact), bigint otherwise. The result must be a safe integer (`what` names it in the RangeError).
 */
export function mulDiv(a: number, b: number, d: number, rule: Rounding, what: string): number {
  const p = a * b;
  return p <= EXACT && d <= EXACT ? divideSmall(p, d, rule) : mulDivBig(a, b, 1, d, rule, what);
}

/** a × b × c / d rounded by `rule`; the same contract as mulDiv with one more factor. */
export function mulMulDiv(a: number, b: number, c: number, d: number, rule: Rounding, what: string): number {
  const p = a * b * c;
  return p <= EXACT && d <= EXACT ? divideSmall(p, d, rule) : mulDivBig(a, b, c, d, rule, what);
}

/** mulDiv with rule half-even, for the payroll loop. */
export function mulDivHalfEven(a: number, b: number, d: number, what: string): number {
  const p = a * b;
  return p <= EXACT && d <= EXACT ? divHalfEven(p, d) : mulDivBig(a, b, 1, d, 'half-even', what);
}

/** mulMulDiv with rule half-even, for the payroll loop. */
export function mulMulDivHalfEven(a: number, b: number, c: number, d: number, what: string): number {
  const p = a * b * c;
  return p <= EXACT && d <= EXACT ? divHalfEven(p, d) : mulDivBig(a, b, c, d, 'half-even', what);
}

/** The bigint path of the functions above, kept apart so that the double paths stay small enough to inline. */
function mulDivBig(a: number, b: number, c: number, d: number, rule: Rounding, what: string): number {
  return toMinorUnits(divideBig(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d), rule), what);
}

/** a + b with an overflow check (both safe integers >= 0). */
export function addMoney(a: number, b: number, what: string): number {
  const s = a + b;
  return s <= Number.MAX_SAFE_INTEGER ? s : overflow(a, b, what);
}

function overflow(a: number, b: number, what: string): never {
  throw new RangeError(`${what}: sum ${a} + ${b} exceeds 2^53-1 minor units`);
}
