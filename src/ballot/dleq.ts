// Chaum–Pedersen proof that log_G1 H1 = log_G2 H2 (EG 2.1 partial decryptions; also DKG accusations).
// Commitment form: a1 = t·G1, a2 = t·G2, c = Hq("dleq"; context…, G1, H1, G2, H2, a1, a2), s = t + c·x.
import type { RandomBytes } from './bytes.ts';
import type { Field } from './hash.ts';
import type { Group, Point } from './group.ts';
import type { EquationBatch } from './batch.ts';
import { pointFromHex, pointHex, scalarFromHex, scalarToHex, type Hex } from './codec.ts';

export interface DleqProof {
  a1: Hex;
  a2: Hex;
  s: Hex;
}

interface Statement {
  G1: Point;
  H1: Point;
  G2: Point;
  H2: Point;
}

function challenge(g: Group, context: readonly Field[], st: Statement, a1: Point, a2: Point): bigint {
  const e = (p: Point) => g.encode(p);
  return g.hashToScalar('dleq', [...context, e(st.G1), e(st.H1), e(st.G2), e(st.H2), e(a1), e(a2)]);
}

export function dleqProve(
  g: Group,
  context: readonly Field[],
  st: Statement,
  x: bigint,
  randomBytes: RandomBytes,
): DleqProof {
  const t = g.scalar.random(randomBytes);
  const a1 = g.mul(st.G1, t);
  const a2 = g.mul(st.G2, t);
  const c = challenge(g, context, st, a1, a2);
  return { a1: pointHex(g, a1), a2: pointHex(g, a2), s: scalarToHex(g.scalar.add(t, g.scalar.mul(c, x))) };
}

export function dleqVerify(g: Group, context: readonly Field[], st: Statement, proof: DleqProof): boolean {
  const a1 = pointFromHex(g, proof.a1, 'dleq.a1');
  const a2 = pointFromHex(g, proof.a2, 'dleq.a2');
  const s = scalarFromHex(proof.s, 'dleq.s');
  const c = challenge(g, context, st, a1, a2);
  return (
    g.eq(g.mul(st.G1, s), g.add(a1, g.mul(st.H1, c))) && g.eq(g.mul(st.G2, s), g.add(a2, g.mul(st.H2, c)))
  );
}

/**
 * Adds z1·(s·G1 − a1 − c·H1) + z2·(s·G2 − a2 − c·H2) to a batch (batch.ts) instead of checking both equations;
 * throws BallotFormatError if the proof cannot be decoded. The caller's batch seed must cover every input (the
 * mix-net's decryptions hash the list, the trustee's key and every M, a1, a2, s: docs/MIXNET.md §8).
 */
export function dleqEquation(
  g: Group,
  batch: EquationBatch,
  context: readonly Field[],
  st: Statement,
  proof: DleqProof,
): void {
  const a1 = pointFromHex(g, proof.a1, 'dleq.a1');
  const a2 = pointFromHex(g, proof.a2, 'dleq.a2');
  const s = scalarFromHex(proof.s, 'dleq.s');
  const c = challenge(g, context, st, a1, a2);
  const [z1, z2] = [batch.weight(), batch.weight()];
  const S = g.scalar;
  batch.term(st.G1, S.mul(z1, s));
  batch.term(a1, S.neg(z1));
  batch.term(st.H1, S.neg(S.mul(z1, c)));
  batch.term(st.G2, S.mul(z2, s));
  batch.term(a2, S.neg(z2));
  batch.term(st.H2, S.neg(S.mul(z2, c)));
}
