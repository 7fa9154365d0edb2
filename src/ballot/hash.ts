// H and Hq of docs/BALLOT-PROTOCOL.md §1: expand_message_xmd(SHA-256) over length-prefixed fields, tagged DST. The
// SHA-256 is noble's unless a caller builds its own pair with ballotHash (a Node process passes node:crypto's
// through its group: group.ts, withSha256); every SHA-256 gives the same bytes.
import { utf8 } from './bytes.ts';
import { defaultSha256, expandParts, type Sha256 } from './rfc9380.ts';
import { leToBigint, mod } from './scalar.ts';

export const DST_PREFIX = 'COUNCILS-BALLOT-V1-';

export type Field = Uint8Array | string;
export type { Sha256 };

const asBytes = (f: Field): Uint8Array => (typeof f === 'string' ? utf8(f) : f);

/** H and Hq over one SHA-256. */
export interface BallotHash {
  /** H(tag; x1..xn): 32 bytes. */
  hashBytes(tag: string, fields: readonly Field[]): Uint8Array;
  /** Hq(tag; x1..xn): 64 bytes read little-endian, reduced mod L (RFC 9497 §4.1 style). */
  hashToScalar(tag: string, fields: readonly Field[]): bigint;
}

/** The UTF-8 DST of each tag (a handful of tags, each hashed many times a ballot). */
const dsts = new Map<string, Uint8Array>();
const dstOf = (tag: string): Uint8Array => {
  let d = dsts.get(tag);
  if (!d) dsts.set(tag, (d = utf8(DST_PREFIX + tag)));
  return d;
};

/** expand_message_xmd(LP(x1) ‖ … ‖ LP(xn), DST_PREFIX ‖ tag, len). */
const expandFields = (sha256: Sha256, tag: string, fields: readonly Field[], len: number): Uint8Array =>
  expandParts(fields.map(asBytes), true, dstOf(tag), len, sha256);

export function ballotHash(sha256: Sha256): BallotHash {
  return {
    hashBytes: (tag, fields) => expandFields(sha256, tag, fields, 32),
    hashToScalar: (tag, fields) => mod(leToBigint(expandFields(sha256, tag, fields, 64))),
  };
}

const portable = ballotHash(defaultSha256);

/** H(tag; x1..xn): 32 bytes. */
export const hashBytes = portable.hashBytes;

/**
 * H(tag; x1..xn) of fields already written as LP(x1) ‖ … ‖ LP(xn) in one buffer (a long list's fields written in
 * place rather than made one array each): the same 32 bytes as hashBytes of the fields.
 */
export const hashPrefixed = (tag: string, prefixed: Uint8Array): Uint8Array =>
  expandParts([prefixed], false, dstOf(tag), 32, defaultSha256);

/** Hq(tag; x1..xn): 64 bytes read little-endian, reduced mod L (RFC 9497 §4.1 style). */
export const hashToScalar = portable.hashToScalar;

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
  return g.fromUniformBytes(expandFields(defaultSha256, tag, fields, 64));
}
