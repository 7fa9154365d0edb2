// H and Hq of docs/BALLOT-PROTOCOL.md §1: expand_message_xmd(SHA-256) over length-prefixed fields, tagged DST.
import { lengthPrefixed, utf8 } from './bytes.ts';
import { expandMessageXmd } from './rfc9380.ts';
import { leToBigint, mod } from './scalar.ts';

export const DST_PREFIX = 'COUNCILS-BALLOT-V1-';

export type Field = Uint8Array | string;

const asBytes = (f: Field): Uint8Array => (typeof f === 'string' ? utf8(f) : f);

/** H(tag; x1..xn): 32 bytes. */
export function hashBytes(tag: string, fields: readonly Field[]): Uint8Array {
  return expandMessageXmd(lengthPrefixed(fields.map(asBytes)), DST_PREFIX + tag, 32);
}

/** Hq(tag; x1..xn): 64 bytes read little-endian, reduced mod L (RFC 9497 §4.1 style). */
export function hashToScalar(tag: string, fields: readonly Field[]): bigint {
  return mod(leToBigint(expandMessageXmd(lengthPrefixed(fields.map(asBytes)), DST_PREFIX + tag, 64)));
}

/**
 * Hash to group (docs/MIXNET.md §2): RFC 9380's hash_to_ristretto255 construction (Appendix B: expand_message_xmd to
 * 64 uniform bytes, then the RFC 9496 §4.3.4 element derivation), with the same SHA-256 expander and tagged DST as H.
 * Takes any group with RFC 9496's element derivation (group.ts's Group), so this module does not import group.ts,
 * which imports it.
 */
export function hashToPoint<P>(
  g: { fromUniformBytes(bytes: Uint8Array): P },
  tag: string,
  fields: readonly Field[],
): P {
  return g.fromUniformBytes(expandMessageXmd(lengthPrefixed(fields.map(asBytes)), DST_PREFIX + tag, 64));
}
