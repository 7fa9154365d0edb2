// Byte helpers shared by the ballot layer. Hex is lower-case without prefix (docs/BALLOT-PROTOCOL.md §1).
import { BallotFormatError } from './errors.ts';

export type RandomBytes = (n: number) => Uint8Array;

const HEX = '0123456789abcdef';

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x >> 4]! + HEX[x & 15]!;
  return s;
}

/** The value of a lower-case hex digit's char code (the caller has checked it is one). */
const nibble = (c: number): number => (c <= 57 ? c - 48 : c - 87);

export function fromHex(s: string, bytes: number | undefined, name: string): Uint8Array {
  if (typeof s !== 'string' || !/^[0-9a-f]*$/.test(s) || s.length % 2 !== 0) {
    throw new BallotFormatError(`${name}: expected lower-case hex`);
  }
  if (bytes !== undefined && s.length !== bytes * 2) {
    throw new BallotFormatError(`${name}: expected ${bytes} bytes, got ${s.length / 2}`);
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++)
    out[i] = (nibble(s.charCodeAt(2 * i)) << 4) | nibble(s.charCodeAt(2 * i + 1));
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u32(x: number): Uint8Array {
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new RangeError(`u32: ${x} out of range`);
  return new Uint8Array([x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
}

export function u64(x: bigint): Uint8Array {
  if (x < 0n || x >= 1n << 64n) throw new RangeError(`u64: ${x} out of range`);
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(x & 255n);
    x >>= 8n;
  }
  return out;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Compare for sorting (lexicographic on bytes). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** LP(x1) ‖ … ‖ LP(xn), LP(x) = u32(len x) ‖ x (docs/BALLOT-PROTOCOL.md §1). */
export function lengthPrefixed(parts: readonly Uint8Array[]): Uint8Array {
  const out: Uint8Array[] = [];
  for (const p of parts) out.push(u32(p.length), p);
  return concat(out);
}

export function checkRandom(randomBytes: RandomBytes, n: number): Uint8Array {
  const b = randomBytes(n);
  if (!(b instanceof Uint8Array) || b.length !== n)
    throw new TypeError(`randomBytes(${n}) must return ${n} bytes`);
  return b;
}
