// Input limits shared by the core and the HTTP schemas, so both say the same thing.
import { InvalidCommand } from './errors.ts';

export const limits = {
  name: 120,
  title: 200,
  text: 20_000,
  comment: 10_000,
  alternatives: 50,
  /**
   * Councils founded at once. Was 1,000, when the tree was read in O(councils³); it is now read in one pass and no
   * page but the tree's lists every council (docs/SCALE.md). The founding's councils go into entries of at most
   * 65,535 bytes each, so 100,000 councils make about 150 entries.
   */
  councils: 100_000,
  seats: 1_000,
} as const;

export function checkText(value: unknown, field: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw new InvalidCommand('not_a_string', field);
  const trimmed = value.trim();
  if (!allowEmpty && trimmed.length === 0) throw new InvalidCommand('empty', field);
  if (value.length > max) throw new InvalidCommand('too_long', field, { max });
  return trimmed;
}

// A lone surrogate cannot be written as RFC 8785 canonical JSON (nor as UTF-8), U+0000 cannot be stored in
// PostgreSQL's text columns, and JSON has no infinite numbers: data holding any of them is refused as invalid
// input, never left to fail at the commit.
const suspect = /[\u0000\uD800-\uDFFF]/;

/** Why `s` is not storable text (U+0000, or a lone surrogate), or undefined when it is. */
export function textProblem(s: string): 'nul' | 'lone_surrogate' | undefined {
  if (!suspect.test(s)) return undefined; // the common case, one fast scan
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'nul';
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) return 'lone_surrogate';
  }
  return undefined;
}

/**
 * Throws InvalidCommand naming the first string (value or key) in `value` that is not storable text, or number
 * that is not finite, with its path ("alternatives.0.title"). Walks JSON data only: plain objects, arrays and
 * primitives.
 */
export function checkStorable(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) throw new InvalidCommand(`text_${problem}`, path || undefined, { field: path || 'text' });
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new InvalidCommand('not_finite', path || undefined, { field: path || 'number' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStorable(v, path ? `${path}.${i}` : String(i)));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      const problem = textProblem(k);
      if (problem) throw new InvalidCommand(`key_${problem}`, path || undefined, { name: at });
      checkStorable(v, at);
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
