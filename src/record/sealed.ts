// Sealed entries: the log records now a commitment to content that is published later. The commitment is
//   HMAC-SHA-256(key = r, msg = u8(len(DST)) || DST || u32be(len(label)) || label || u64be(len(content)) || content)
// with DST = "councils/sealed/v1", r a fresh 32-byte random value, label the UTF-8 public label. The fixed key
// length avoids HMAC's key-padding equivalences, and the length prefixes make (label, content) unambiguous, so
// the commitment binds (under SHA-256 collision resistance) and hides (HMAC is a PRF under the secret r).
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes, fromBase64, toBase64, u32be, u64be, utf8 } from './bytes.ts';

export const SEALED_DST = 'councils/sealed/v1';
export const SEAL_KEY_SIZE = 32;

/** The public part of a sealed entry's payload. */
export interface SealedPayload {
  /** base64 of the 32-byte commitment. */
  commitment: string;
  label: string;
  /** When it will be released: an ISO 8601 UTC time, and/or a condition in words (e.g. "after the vote"). */
  release: { at?: string; condition?: string };
}

/** The payload of the later reveal entry. */
export interface RevealPayload {
  /** seq of the sealed entry being revealed. */
  sealedSeq: number;
  /** base64 of the 32-byte random key r. */
  key: string;
  /** base64 of the content bytes (for JSON content: its RFC 8785 canonical form, UTF-8). */
  content: string;
}

function commitmentMessage(label: string, content: Uint8Array): Uint8Array {
  const dst = utf8(SEALED_DST);
  const labelBytes = utf8(label);
  return concatBytes(
    new Uint8Array([dst.length]),
    dst,
    u32be(labelBytes.length),
    labelBytes,
    u64be(BigInt(content.length)),
    content,
  );
}

export function sealCommitment(key: Uint8Array, label: string, content: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== SEAL_KEY_SIZE)
    throw new TypeError('key: expected 32 bytes');
  if (typeof label !== 'string') throw new TypeError('label: expected a string');
  if (!(content instanceof Uint8Array)) throw new TypeError('content: expected bytes');
  return hmac(sha256, key, commitmentMessage(label, content));
}

/**
 * Seals content: returns the payload to log now and the reveal to keep secret until release. `randomBytes` is
 * the caller's CSPRNG (the layer has none).
 */
export function seal(
  content: Uint8Array,
  label: string,
  release: SealedPayload['release'],
  randomBytes: (n: number) => Uint8Array,
): { sealed: SealedPayload; key: Uint8Array } {
  if (!release || (release.at === undefined && release.condition === undefined)) {
    throw new TypeError('release: give a date (at) or a condition');
  }
  const key = randomBytes(SEAL_KEY_SIZE);
  if (!(key instanceof Uint8Array) || key.length !== SEAL_KEY_SIZE)
    throw new TypeError('randomBytes: must return 32 bytes');
  return {
    sealed: { commitment: toBase64(sealCommitment(key, label, content)), label, release: { ...release } },
    key,
  };
}

export function makeReveal(sealedSeq: number, key: Uint8Array, content: Uint8Array): RevealPayload {
  return { sealedSeq, key: toBase64(key), content: toBase64(content) };
}

/** Whether a reveal opens a sealed payload. Malformed fields are a negative outcome, not an exception. */
export function verifyReveal(sealed: SealedPayload, reveal: RevealPayload): boolean {
  const commitment = typeof sealed?.commitment === 'string' ? fromBase64(sealed.commitment) : undefined;
  const key = typeof reveal?.key === 'string' ? fromBase64(reveal.key) : undefined;
  const content = typeof reveal?.content === 'string' ? fromBase64(reveal.content) : undefined;
  if (!commitment || !key || !content || key.length !== SEAL_KEY_SIZE || typeof sealed.label !== 'string')
    return false;
  return bytesEqual(sealCommitment(key, sealed.label, content), commitment);
}
