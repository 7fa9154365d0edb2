// Scalars mod L, the order of ristretto255 (RFC 9496 §4), serialised 32 bytes little-endian.
import { BallotFormatError } from './errors.ts';
import { fromHex, toHex, type RandomBytes, checkRandom } from './bytes.ts';

export const L = 2n ** 252n + 27742317777372353535851937790883648493n;

export const mod = (a: bigint): bigint => {
  const r = a % L;
  return r < 0n ? r + L : r;
};
export const sAdd = (a: bigint, b: bigint): bigint => mod(a + b);
export const sSub = (a: bigint, b: bigint): bigint => mod(a - b);
export const sMul = (a: bigint, b: bigint): bigint => mod(a * b);
export const sNeg = (a: bigint): bigint => mod(-a);

/** Inverse by Fermat (L is prime); throws on zero, which would be a caller bug (e.g. repeated trustee index). */
export function sInv(a: bigint): bigint {
  const x = mod(a);
  if (x === 0n) throw new RangeError('sInv: zero has no inverse');
  let result = 1n;
  let base = x;
  let e = L - 2n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % L;
    base = (base * base) % L;
    e >>= 1n;
  }
  return result;
}

/** The unsigned integer of little-endian bytes: 64 bits at a time when the length allows (a few BigInts, not 32). */
export function leToBigint(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  if (b.length % 8 === 0) {
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    let x = 0n;
    for (let i = b.length - 8; i >= 0; i -= 8) x = (x << 64n) | v.getBigUint64(i, true);
    return x;
  }
  let hex = '';
  for (let i = b.length - 1; i >= 0; i--) hex += HEX_BYTE[b[i]!]!;
  return BigInt('0x' + hex);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function scalarToBytes(s: bigint): Uint8Array {
  if (s < 0n || s >= L) throw new RangeError('scalar out of range');
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  let x = s;
  for (let i = 0; i < 32; i += 8) {
    v.setBigUint64(i, BigInt.asUintN(64, x), true);
    x >>= 64n;
  }
  return out;
}

export function scalarFromBytes(b: Uint8Array, name: string): bigint {
  if (b.length !== 32) throw new BallotFormatError(`${name}: scalar must be 32 bytes`);
  const x = leToBigint(b);
  if (x >= L) throw new BallotFormatError(`${name}: non-canonical scalar (>= L)`);
  return x;
}

export const scalarToHex = (s: bigint): string => toHex(scalarToBytes(s));
export const scalarFromHex = (h: string, name: string): bigint => scalarFromBytes(fromHex(h, 32, name), name);

/** A uniformly random non-zero scalar: 64 random bytes reduced mod L (bias < 2^-259). */
export function randomScalar(randomBytes: RandomBytes): bigint {
  for (;;) {
    const s = mod(leToBigint(checkRandom(randomBytes, 64)));
    if (s !== 0n) return s;
  }
}
