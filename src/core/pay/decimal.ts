// Decimal strings <-> scaled integers. Schemes and worker rows carry fractions (coefficients, hours, output) as
// decimal strings so that "1.1" means exactly 11/10; they are held as integers scaled by 10^places.

const DECIMAL = /^(\d{1,15})(?:\.(\d+))?$/;

/**
 * "1.25" with places = 4 → 12500. Returns undefined when the text is not a plain non-negative decimal (no sign,
 * no exponent), has more than `places` decimals, or does not fit a safe integer once scaled.
 */
export function parseScaled(text: string, places: number): number | undefined {
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > places) return undefined;
  const v = Number(m[1]) * 10 ** places + Number(frac.padEnd(places, '0') || '0');
  return Number.isSafeInteger(v) ? v : undefined;
}

/** 12500 with places = 4 → "1.25" (trailing zeros dropped, at least one digit after a point only if needed). */
export function formatScaled(value: number, places: number): string {
  const neg = value < 0;
  const digits = Math.abs(value)
    .toString()
    .padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places).replace(/0+$/, '');
  return (neg ? '-' : '') + (frac === '' ? whole : `${whole}.${frac}`);
}

/** Minor units → "1234.56" with exactly `minorDigits` decimals (money is formatted only at the edge). */
export function formatMoney(minor: number | bigint, minorDigits: number): string {
  const v = BigInt(minor);
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(minorDigits + 1, '0');
  const body = minorDigits === 0 ? digits : `${digits.slice(0, -minorDigits)}.${digits.slice(-minorDigits)}`;
  return (neg ? '-' : '') + body;
}
