// An entry's bytes are its RFC 8785 (JCS) canonical JSON in UTF-8; its leaf hash is RFC 9162 §2.1.1's
// SHA-256(0x00 ‖ bytes), so the log is a Merkle tree leaf sequence from the first entry on.
import { canonicalJson, leafHash } from '../../record/index.ts';
import type { AnyEntry } from './entry.ts';

const utf8 = new TextEncoder();

export function encodeEntry(entry: AnyEntry): Uint8Array {
  return utf8.encode(canonicalEntry(entry));
}

/** The entry's RFC 8785 canonical JSON as a string (its leaf bytes are this text in UTF-8). */
export function canonicalEntry(entry: AnyEntry): string {
  // RFC 8785 (record/canonical-json.ts: the `canonicalize` package's text, with less work per value).
  return canonicalJson(entry);
}

/** RFC 9162 §2.1.1 leaf hash of an entry's bytes (the record's own function). */
export const entryLeafHash = leafHash;
