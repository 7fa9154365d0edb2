// RFC 9380 §5.3.1 expand_message_xmd with SHA-256 (b_in_bytes = 32, s_in_bytes = 64). The SHA-256 is a parameter
// (noble's by default): a Node caller passes node:crypto's through the group (hash.ts, ballotHash), as src/record
// takes its tree hasher, so that this pure layer imports no node:*.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './bytes.ts';

/** SHA-256 of one message. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

export const defaultSha256: Sha256 = nobleSha256;

const B_IN_BYTES = 32;
const S_IN_BYTES = 64;

export function expandMessageXmd(
  msg: Uint8Array,
  dst: Uint8Array | string,
  lenInBytes: number,
  sha256: Sha256 = defaultSha256,
): Uint8Array {
  const dstBytes = typeof dst === 'string' ? utf8(dst) : dst;
  return expandParts([msg], false, dstBytes, lenInBytes, sha256);
}

/** Copies src into out at `at` (a loop: TypedArray.set costs more than the copy for a few dozen bytes). */
function put(out: Uint8Array, src: Uint8Array, at: number): void {
  const n = src.length;
  if (n > 64) out.set(src, at);
  else for (let i = 0; i < n; i++) out[at + i] = src[i]!;
}

/**
 * expand_message_xmd of the parts one after another, or, `prefixed`, of LP(x1) ‖ … ‖ LP(xn) with LP(x) = u32(len x) ‖
 * x (hash.ts's H and Hq): the message is written once, straight into the first hash's input.
 */
export function expandParts(
  parts: readonly Uint8Array[],
  prefixed: boolean,
  dstBytes: Uint8Array,
  lenInBytes: number,
  sha256: Sha256,
): Uint8Array {
  // §5.3.3 would hash an oversized DST; every DST of this layer is short, so refuse instead of diverging silently.
  if (dstBytes.length > 255) throw new RangeError('dst: longer than 255 bytes');
  const ell = Math.ceil(lenInBytes / B_IN_BYTES);
  if (!Number.isInteger(lenInBytes) || lenInBytes < 1 || ell > 255 || lenInBytes > 65535) {
    throw new RangeError(`lenInBytes: ${lenInBytes} out of range`);
  }
  const dstLength = dstBytes.length;
  let msgLength = 0;
  for (const p of parts) msgLength += p.length + (prefixed ? 4 : 0);
  // b_0 = H(Z_pad ‖ msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST_prime), Z_pad 64 zero bytes, DST_prime = DST ‖ len(DST)
  const first = new Uint8Array(S_IN_BYTES + msgLength + 3 + dstLength + 1);
  let at = S_IN_BYTES;
  for (const p of parts) {
    if (prefixed) {
      const n = p.length;
      first[at] = n >>> 24;
      first[at + 1] = (n >>> 16) & 255;
      first[at + 2] = (n >>> 8) & 255;
      first[at + 3] = n & 255;
      at += 4;
    }
    put(first, p, at);
    at += p.length;
  }
  first[at++] = lenInBytes >> 8;
  first[at++] = lenInBytes & 255;
  first[at++] = 0;
  put(first, dstBytes, at);
  first[at + dstLength] = dstLength;
  const b0 = sha256(first);
  // b_i = H(strxor(b_0, b_(i−1)) ‖ I2OSP(i, 1) ‖ DST_prime), b_1 = H(b_0 ‖ 1 ‖ DST_prime)
  const out = new Uint8Array(ell * B_IN_BYTES);
  const next = new Uint8Array(B_IN_BYTES + 1 + dstLength + 1);
  put(next, dstBytes, B_IN_BYTES + 1);
  next[B_IN_BYTES + 1 + dstLength] = dstLength;
  let prev: Uint8Array | undefined;
  for (let i = 1; i <= ell; i++) {
    for (let j = 0; j < B_IN_BYTES; j++) next[j] = b0[j]! ^ (prev ? prev[j]! : 0);
    next[B_IN_BYTES] = i;
    prev = sha256(next);
    for (let j = 0; j < B_IN_BYTES; j++) out[(i - 1) * B_IN_BYTES + j] = prev[j]!;
  }
  return out.length === lenInBytes ? out : out.slice(0, lenInBytes);
}
