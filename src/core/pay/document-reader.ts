// Small typed readers over untrusted JSON that throw SchemeError with the path of the offending field.
import { parseScaled } from './decimal.ts';
import { SchemeError } from './errors.ts';

export type Json = Record<string, unknown>;

export function readObject(value: unknown, path: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchemeError(path, 'scheme_object');
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key))
      throw new SchemeError(join(path, key), 'scheme_unknown_field', { keys: keys.join(', ') });
  }
  return value as Json;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function readArray(value: unknown, path: string, minLength: number): unknown[] {
  if (!Array.isArray(value)) throw new SchemeError(path, 'scheme_array');
  if (value.length < minLength) throw new SchemeError(path, 'scheme_array_min', { min: minLength });
  return value;
}

export function readString(value: unknown, path: string, maxLength = 200): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SchemeError(path, 'scheme_string');
  if (value.length > maxLength) throw new SchemeError(path, 'scheme_string_long', { max: maxLength });
  return value;
}

export function readInteger(
  value: unknown,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new SchemeError(path, 'scheme_integer');
  }
  if (value < min || value > max) throw new SchemeError(path, 'scheme_integer_range', { min, max });
  return value;
}

/** A decimal string with at most `places` decimals, scaled by 10^places, within [min, max] (scaled). */
export function readDecimal(value: unknown, path: string, places: number, min: number, max: number): number {
  if (typeof value !== 'string') throw new SchemeError(path, 'scheme_decimal');
  const v = parseScaled(value, places);
  if (v === undefined) {
    throw new SchemeError(path, 'scheme_decimal_places', { places, value });
  }
  if (v < min || v > max) {
    throw new SchemeError(path, 'scheme_decimal_range', {
      min: min / 10 ** places,
      max: max / 10 ** places,
      value,
    });
  }
  return v;
}

export function readEnum<T extends string>(value: unknown, path: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new SchemeError(path, 'scheme_enum', { options: options.map((o) => `"${o}"`).join(', ') });
  }
  return value as T;
}

/** True when the optional field is absent or null. */
export function absent(value: unknown): boolean {
  return value === undefined || value === null;
}
