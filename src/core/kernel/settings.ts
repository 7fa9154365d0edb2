// Reading a constitution's blocks of settings (power, procedure): an object with only known keys, and integers
// with a minimum and a default. Each refusal names the setting's path.
import { InvalidCommand } from './errors.ts';

/** The block at `path` as an object, refusing any key not in `known`. */
export function obj(v: unknown, path: string, known: string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidCommand('not_an_object', path);
  for (const k of Object.keys(v))
    if (!known.includes(k)) throw new InvalidCommand('unknown_setting', `${path}.${k}`);
  return v as Record<string, unknown>;
}

/** The integer at `path`, at least `min`; `fallback` when absent. */
export function int(v: unknown, path: string, min: number, fallback: number, max?: number): number {
  if (v === undefined) return fallback;
  if (max !== undefined && (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max))
    throw new InvalidCommand('integer_range', path, { min, max });
  if (!Number.isSafeInteger(v) || (v as number) < min) throw new InvalidCommand('integer_min', path, { min });
  return v as number;
}
