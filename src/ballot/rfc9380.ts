// RFC 9380 §5.3.1 expand_message_xmd with SHA-256 (b_in_bytes = 32, s_in_bytes = 64).
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, utf8 } from './bytes.ts';

const B_IN_BYTES = 32;
const S_IN_BYTES = 64;

export function expandMessageXmd(msg: Uint8Array, dst: Uint8Array | string, lenInBytes: number): Uint8Array {
  const dstBytes = typeof dst === 'string' ? utf8(dst) : dst;
  // §5.3.3 would hash an oversized DST; every DST of this layer is short, so refuse instead of diverging silently.
  if (dstBytes.length > 255) throw new RangeError('dst: longer than 255 bytes');
  const ell = Math.ceil(lenInBytes / B_IN_BYTES);
  if (!Number.isInteger(lenInBytes) || lenInBytes < 1 || ell > 255 || lenInBytes > 65535) {
    throw new RangeError(`lenInBytes: ${lenInBytes} out of range`);
  }
  const dstPrime = concat([dstBytes, new Uint8Array([dstBytes.length])]);
  const zPad = new Uint8Array(S_IN_BYTES);
  const libStr = new Uint8Array([lenInBytes >> 8, lenInBytes & 255]);
  const b0 = sha256(concat([zPad, msg, libStr, new Uint8Array([0]), dstPrime]));
  const blocks: Uint8Array[] = [sha256(concat([b0, new Uint8Array([1]), dstPrime]))];
  for (let i = 2; i <= ell; i++) {
    const prev = blocks[i - 2]!;
    const x = new Uint8Array(B_IN_BYTES);
    for (let j = 0; j < B_IN_BYTES; j++) x[j] = b0[j]! ^ prev[j]!;
    blocks.push(sha256(concat([x, new Uint8Array([i]), dstPrime])));
  }
  return concat(blocks).slice(0, lenInBytes);
}
