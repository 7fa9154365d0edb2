// Byte helpers of the record layer: the shared ones (src/lib/bytes.ts: strict UTF-8, hex, RFC 4648 §4 base64,
// big-endian integers) and a hex reader that takes either case.
export {
  bytesEqual,
  concatBytes,
  fromBase64,
  readU32be,
  readU64be,
  toBase64,
  toHex,
  u32be,
  u64be,
  utf8,
  utf8DecodeStrict,
} from '../lib/bytes.ts';

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
    throw new TypeError('hex: not an even-length hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
