// Reads the DavidCary test-vector JSON (CA-SB1288 and Meeks-PRF-js): "include" files merged first, later keys
// override, "ballots_more" appended, and delimiter-first strings (" A B C") split by their first character.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Json = Record<string, unknown>;

export function loadVector(base: string, relPath: string, includeBase: string): Json {
  const own = JSON.parse(readFileSync(join(base, relPath), 'utf8')) as Json;
  let merged: Json = {};
  for (const inc of (own.include as string[] | undefined) ?? []) {
    merged = { ...merged, ...loadVector(includeBase, inc, includeBase) };
  }
  merged = { ...merged, ...own };
  return merged;
}

/** A delimiter-first string or an array of strings. */
export function strTuple(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') throw new TypeError('expected a string or array');
  if (v === '') return [];
  return v.slice(1).split(v[0]!);
}

export function ballotsOf(v: Json, more: string): [bigint, string[]][] {
  const all = [...((v.ballots as unknown[]) ?? []), ...((v[more] as unknown[]) ?? [])];
  return all.map((b) => {
    if (Array.isArray(b) && b.length === 2 && typeof b[0] === 'number') return [BigInt(b[0]), strTuple(b[1])];
    return [1n, strTuple(b)];
  });
}
