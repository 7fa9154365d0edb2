// An entry's bytes are its RFC 8785 (JCS) canonical JSON in UTF-8; its leaf hash is RFC 9162 §2.1.1's
// SHA-256(0x00 ‖ bytes), so the log is a Merkle tree leaf sequence from the first entry on.
import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Entry } from './entry.ts';

const utf8 = new TextEncoder();

export function encodeEntry(entry: Entry): Uint8Array {
  const text = canonicalize(entry);
  if (text === undefined) throw new TypeError('entry cannot be canonicalised');
  return utf8.encode(text);
}

export function entryLeafHash(bytes: Uint8Array): Uint8Array {
  const input = new Uint8Array(bytes.length + 1);
  input[0] = 0x00;
  input.set(bytes, 1);
  return sha256(input);
}
