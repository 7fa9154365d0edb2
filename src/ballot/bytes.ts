// Byte helpers shared by the ballot layer: the common ones of src/lib/bytes.ts under the names the protocol's code
// uses, and the reader of its hex (lower-case without prefix, docs/BALLOT-PROTOCOL.md §1), which names the field.
import { concatAll, u32be } from '../lib/bytes.ts';
import { BallotFormatError } from './errors.ts';

export {
  bytesEqual as equalBytes,
  compareBytes,
  concatAll as concat,
  toHex,
  u32be as u32,
  u64be as u64,
  utf8,
} from '../lib/bytes.ts';

export type RandomBytes = (n: number) => Uint8Array;

/** The value of a lower-case hex digit's char code, or −1 for any other char. */
const nibble = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1);

const notHex = (name: string) => new BallotFormatError(`${name}: expected lower-case hex`);

export function fromHex(s: string, bytes: number | undefined, name: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0) throw notHex(name);
  if (bytes !== undefined && s.length !== bytes * 2) {
    // the same error as ever: not hex before the wrong length
    if (!/^[0-9a-f]*$/.test(s)) throw notHex(name);
    throw new BallotFormatError(`${name}: expected ${bytes} bytes, got ${s.length / 2}`);
  }
  const out = new Uint8Array(s.length / 2);
  hexInto(out, 0, s, name);
  return out;
}

/** Writes the bytes of `s`, lower-case hex of even length, into `out` from `at` (no copy made). */
export function hexInto(out: Uint8Array, at: number, s: string, name: string): void {
  for (let i = 0; i < s.length / 2; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if ((hi | lo) < 0) throw notHex(name);
    out[at + i] = (hi << 4) | lo;
  }
}

/** LP(x1) ‖ … ‖ LP(xn), LP(x) = u32(len x) ‖ x (docs/BALLOT-PROTOCOL.md §1). */
export function lengthPrefixed(parts: readonly Uint8Array[]): Uint8Array {
  const out: Uint8Array[] = [];
  for (const p of parts) out.push(u32be(p.length), p);
  return concatAll(out);
}

export function checkRandom(randomBytes: RandomBytes, n: number): Uint8Array {
  const b = randomBytes(n);
  if (!(b instanceof Uint8Array) || b.length !== n)
    throw new TypeError(`randomBytes(${n}) must return ${n} bytes`);
  return b;
}
