// Small typed readers over untrusted JSON that throw SchemeError with the path of the offending field.
import { parseScaled } from './decimal.ts';
import { SchemeError } from './errors.ts';

export type Json = Record<string, unknown>;

export function readObject(value: unknown, path: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchemeError(path, 'must be an object');
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key))
      throw new SchemeError(join(path, key), `unknown field (expected one of ${keys.join(', ')})`);
  }
  return value as Json;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function readArray(value: unknown, path: string, minLength: number): unknown[] {
  if (!Array.isArray(value)) throw new SchemeError(path, 'must be an array');
  if (value.length < minLength) throw new SchemeError(path, `must have at least ${minLength} element(s)`);
  return value;
}

export function readString(value: unknown, path: string, maxLength = 200): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new SchemeError(path, 'must be a non-empty string');
  if (value.length > maxLength) throw new SchemeError(path, `must be at most ${maxLength} characters`);
  return value;
}

export function readInteger(
  value: unknown,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new SchemeError(path, 'must be an integer (money is in minor units)');
  }
  if (value < min || value > max) throw new SchemeError(path, `must be between ${min} and ${max}`);
  return value;
}

/** A decimal string with at most `places` decimals, scaled by 10^places, within [min, max] (scaled). */
export function readDecimal(value: unknown, path: string, places: number, min: number, max: number): number {
  if (typeof value !== 'string') throw new SchemeError(path, 'must be a decimal string such as "1.25"');
  const v = parseScaled(value, places);
  if (v === undefined) {
    throw new SchemeError(
      path,
      `must be a plain decimal with at most ${places} decimal places, got "${value}"`,
    );
  }
  if (v < min || v > max) {
    throw new SchemeError(
      path,
      `must be between ${min / 10 ** places} and ${max / 10 ** places}, got "${value}"`,
    );
  }
  return v;
}

export function readEnum<T extends string>(value: unknown, path: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new SchemeError(path, `must be one of ${options.map((o) => `"${o}"`).join(', ')}`);
  }
  return value as T;
}

/** True when the optional field is absent or null. */
export function absent(value: unknown): boolean {
  return value === undefined || value === null;
}
