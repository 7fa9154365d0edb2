// The prime-order group behind the protocol: ristretto255 (RFC 9496). Two backends implement it
// (noble-group.ts, sodium-group.ts); both must give identical bytes (test/ballot/group.test.ts).
import type { RandomBytes } from './bytes.ts';
import { ballotHash, hashBytes, hashToScalar, type Field, type Sha256 } from './hash.ts';
import { L, mod, randomScalar, sAdd, sInv, sMul, sNeg, sSub } from './scalar.ts';

declare const pointBrand: unique symbol;
/** An opaque group element; only the backend that made it may use it. */
export type Point = { readonly [pointBrand]: 'ristretto255' };

export interface Group {
  readonly backend: 'noble' | 'sodium';
  readonly order: bigint;
  readonly G: Point;
  readonly identity: Point;
  /** s·G for s in [0, L). */
  mulBase(s: bigint): Point;
  /** s·P for s in [0, L). */
  mul(p: Point, s: bigint): Point;
  add(p: Point, q: Point): Point;
  /** Σ points (one encoding at the end instead of one per addition on the sodium backend). */
  sum(points: readonly Point[]): Point;
  sub(p: Point, q: Point): Point;
  neg(p: Point): Point;
  eq(p: Point, q: Point): boolean;
  /** RFC 9496 §4.3.2 canonical 32-byte encoding. */
  encode(p: Point): Uint8Array;
  /** RFC 9496 §4.3.1; throws BallotFormatError on any non-canonical or invalid encoding. */
  decode(b: Uint8Array, name?: string): Point;
  /** RFC 9496 §4.3.4 element derivation from 64 uniform bytes. */
  fromUniformBytes(b: Uint8Array): Point;
  /** Σ s_i·P_i (variable time: public inputs only). */
  msm(points: readonly Point[], scalars: readonly bigint[]): Point;
  /** Whether Σ s_i·P_i is the identity (variable time: public inputs only; batch verification). */
  msmIsIdentity(points: readonly Point[], scalars: readonly bigint[]): boolean;
  /** True when msmIsIdentity beats separate multiplications even for one proof's equations. */
  readonly msmPreferred: boolean;
  /** A copy of P that multiplies faster when used as a base many times (the joint key K). */
  fixedBase(p: Point): Point;
  /** H of docs/BALLOT-PROTOCOL.md §1 (hash.ts), with this group's SHA-256. */
  hashBytes(tag: string, fields: readonly Field[]): Uint8Array;
  /** Hq of docs/BALLOT-PROTOCOL.md §1 (hash.ts), with this group's SHA-256. */
  hashToScalar(tag: string, fields: readonly Field[]): bigint;
  readonly scalar: ScalarOps;
}

export interface ScalarOps {
  add(a: bigint, b: bigint): bigint;
  sub(a: bigint, b: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  neg(a: bigint): bigint;
  inv(a: bigint): bigint;
  mod(a: bigint): bigint;
  random(randomBytes: RandomBytes): bigint;
}

export const scalarOps: ScalarOps = {
  add: sAdd,
  sub: sSub,
  mul: sMul,
  neg: sNeg,
  inv: sInv,
  mod,
  random: randomScalar,
};

export const ORDER = L;
export { hashBytes, hashToScalar };

/**
 * The same group whose H and Hq hash with `sha256` (a Node process passes node:crypto's, several times faster than
 * noble's on a ballot's short messages: src/node/ballot-crypto.ts). Same points, same bytes.
 */
export function withSha256(g: Group, sha256: Sha256): Group {
  return { ...g, ...ballotHash(sha256) };
}

export function checkScalar(s: bigint, name: string): void {
  if (typeof s !== 'bigint' || s < 0n || s >= L)
    throw new RangeError(`${name}: scalar must be a bigint in [0, L)`);
}
