// Schnorr proofs of knowledge / signatures in commitment form (R, s): c = Hq(tag; context…, enc(X), enc(R)),
// s = t + c·x, valid iff s·G = R + c·X. Used for trustee proofs of possession (EG 2.1 key generation) and for ballot
// signatures with the voter's credential (Belenios).
import type { RandomBytes } from './bytes.ts';
import type { Field } from './hash.ts';
import type { Group, Point } from './group.ts';
import type { EquationBatch } from './batch.ts';
import { pointFromHex, pointHex, scalarFromHex, scalarToHex, type Hex } from './codec.ts';

export interface SchnorrProof {
  R: Hex;
  s: Hex;
}

function challenge(g: Group, tag: string, context: readonly Field[], X: Point, R: Point): bigint {
  return g.hashToScalar(tag, [...context, g.encode(X), g.encode(R)]);
}

export function schnorrProve(
  g: Group,
  tag: string,
  context: readonly Field[],
  x: bigint,
  randomBytes: RandomBytes,
): SchnorrProof {
  const t = g.scalar.random(randomBytes);
  const R = g.mulBase(t);
  const c = challenge(g, tag, context, g.mulBase(x), R);
  return { R: pointHex(g, R), s: scalarToHex(g.scalar.add(t, g.scalar.mul(c, x))) };
}

/** Returns false for an invalid proof; throws BallotFormatError if the proof cannot be decoded. */
export function schnorrVerify(
  g: Group,
  tag: string,
  context: readonly Field[],
  X: Point,
  proof: SchnorrProof,
): boolean {
  const R = pointFromHex(g, proof.R, 'schnorr.R');
  const s = scalarFromHex(proof.s, 'schnorr.s');
  const c = challenge(g, tag, context, X, R);
  return g.eq(g.mulBase(s), g.add(R, g.mul(X, c)));
}

/** A signature's parts for batch verification: R decoded, s and the challenge c (throws BallotFormatError). */
export interface DecodedSchnorr {
  R: Point;
  s: bigint;
  c: bigint;
}

export function decodeSchnorr(
  g: Group,
  tag: string,
  context: readonly Field[],
  X: Point,
  proof: SchnorrProof,
): DecodedSchnorr {
  const R = pointFromHex(g, proof.R, 'schnorr.R');
  const s = scalarFromHex(proof.s, 'schnorr.s');
  return { R, s, c: challenge(g, tag, context, X, R) };
}

/** Adds z·(s·G − R − c·X) to a batch (batch.ts), for a signature already decoded. */
export function schnorrEquationDecoded(g: Group, batch: EquationBatch, X: Point, p: DecodedSchnorr): void {
  const z = batch.weight();
  // plain integer products: the batch reduces each term mod L once, when it is checked
  batch.base(z * p.s);
  batch.term(p.R, -z);
  batch.term(X, -(z * p.c));
}

/**
 * Adds z·(s·G − R − c·X) to a batch (batch.ts) instead of checking s·G = R + c·X; throws BallotFormatError if the
 * proof cannot be decoded. The caller's batch weights must be random or hash R, s, X and the context.
 */
export function schnorrEquation(
  g: Group,
  batch: EquationBatch,
  tag: string,
  context: readonly Field[],
  X: Point,
  proof: SchnorrProof,
): void {
  schnorrEquationDecoded(g, batch, X, decodeSchnorr(g, tag, context, X, proof));
}
