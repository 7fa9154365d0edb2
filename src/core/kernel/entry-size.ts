// How large an entry may be, and how a long text is cut into pieces that each fit one. C2SP tlog-tiles entry
// bundles prefix each entry with a uint16 length, so an entry's canonical JSON is at most 65,535 bytes of UTF-8;
// docs/RECORD.md "Entry sizes" lists what each act holds and why none grows past that.
import { canonicalJson } from '../../record/index.ts';
import type { AnyEntry } from './entry.ts';
import { InvalidCommand } from './errors.ts';
import type { ProblemId } from './problems.ts';

/** The problem an entry too large for the record is refused with: each says what to shorten. */
export type EntryTooLarge = Extract<ProblemId, `entry_too_large${string}`>;

/** The largest entry the record can serve (C2SP tlog-tiles entry bundles use a 2-byte length). */
export const maxEntryBytes = 0xffff;

/** UTF-8 length of a string (lone surrogates count as the 3 bytes of U+FFFD, as TextEncoder writes them). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Bytes one UTF-16 code unit costs inside an RFC 8785 JSON string (its escape, or its UTF-8). */
function jsonCost(c: number): number {
  if (c === 0x22 || c === 0x5c) return 2; // \" and \\
  if (c < 0x20) return c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6; // \n … or \u00XX
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  return 3; // a BMP character, or half of a pair (4 bytes for the two)… a lone half is written as \uXXXX below
}

/**
 * Cuts `text` into consecutive pieces whose JSON string forms (RFC 8785, without the quotes) are at most
 * `maxBytes` bytes each; the pieces joined give `text` back. A surrogate pair is never cut.
 */
export function splitJsonText(text: string, maxBytes: number): string[] {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 6) throw new RangeError('maxBytes must be at least 6');
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLow(text.charCodeAt(i + 1));
    const lone = !pair && c >= 0xd800 && c <= 0xdfff;
    const cost = pair ? 4 : lone ? 6 : jsonCost(c);
    const width = pair ? 2 : 1;
    if (bytes + cost > maxBytes) {
      pieces.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += cost;
    i += width;
  }
  if (start < text.length || pieces.length === 0) pieces.push(text.slice(start));
  return pieces;
}

/**
 * An entry must fit the record: a clear error naming the field, before the ledger. Measured with the largest
 * possible seq, so the entry fits wherever it lands.
 */
export function checkEntrySize<E extends Omit<AnyEntry, 'seq'>>(
  entry: E,
  field: string,
  problem: EntryTooLarge = 'entry_too_large',
): E {
  const bytes = utf8Length(canonicalJson({ ...entry, seq: Number.MAX_SAFE_INTEGER }));
  if (bytes > maxEntryBytes) {
    throw new InvalidCommand(problem, field, { act: entry.act, bytes, max: maxEntryBytes });
  }
  return entry;
}
