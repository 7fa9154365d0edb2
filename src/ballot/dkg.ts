// Distributed key generation, Pedersen/Feldman with a commit-then-reveal round (EG 2.1 §3.2;
// docs/BALLOT-PROTOCOL.md §3). Each trustee runs dkgCommit, dkgShares, dkgReceive on its own machine; anyone
// runs dkgResult over the published messages.
import { toHex, u32, type RandomBytes } from './bytes.ts';
import { hashBytes } from './hash.ts';
import type { Group, Point } from './group.ts';
import { pointFromHex, pointHex, scalarFromHex, scalarToHex, type Hex } from './codec.ts';
import { BallotProtocolError } from './errors.ts';
import { fromHex } from './bytes.ts';
import type { SetupBody } from './manifest.ts';
import { schnorrProve, type SchnorrProof } from './schnorr.ts';
import { dleqProve, type DleqProof } from './dleq.ts';
import { decryptShare, encryptShare, verifyShareSignature, type EncryptedShare } from './share-encryption.ts';

export interface DkgCommitBody {
  trustee: number;
  commitmentHash: Hex;
  communicationKey: Hex;
  pop: SchnorrProof;
}

export interface DkgSharesBody {
  trustee: number;
  commitments: Hex[];
  proofs: SchnorrProof[];
  shares: EncryptedShare[];
}

export interface DkgAccusationBody {
  accuser: number;
  accused: number;
  /** The shared point S = y_accuser·E, revealed. */
  S: Hex;
  proof: DleqProof;
}

/** Kept by the trustee only. */
export interface TrusteeSecret {
  trustee: number;
  communicationSecret: Hex;
  coefficients: Hex[];
}

const sh = (setup: SetupBody) => fromHex(setup.setupHash, 32, 'setup.setupHash');

export function commitmentHash(
  g: Group,
  setup: SetupBody,
  i: number,
  commitments: readonly Point[],
): Uint8Array {
  return hashBytes('dkg-commit', [sh(setup), u32(i), ...commitments.map((p) => g.encode(p))]);
}

/** f(x) = Σ a_j x^j mod L, by Horner. */
export function evalPolynomial(g: Group, coefficients: readonly bigint[], x: number): bigint {
  let acc = 0n;
  for (let j = coefficients.length - 1; j >= 0; j--)
    acc = g.scalar.add(g.scalar.mul(acc, BigInt(x)), coefficients[j]!);
  return acc;
}

/** Σ_j x^j·A_j: the public image of f(x) (Feldman, EG share verification). */
export function evalCommitments(g: Group, commitments: readonly Point[], x: number): Point {
  const powers: bigint[] = [];
  let p = 1n;
  for (let j = 0; j < commitments.length; j++) {
    powers.push(p);
    p = g.scalar.mul(p, BigInt(x));
  }
  return g.msm(commitments, powers);
}

function checkTrustee(setup: SetupBody, i: number): void {
  if (!Number.isInteger(i) || i < 1 || i > setup.n)
    throw new BallotProtocolError(`trustee: ${i} not in 1..${setup.n}`);
}

export function dkgCommit(
  g: Group,
  setup: SetupBody,
  trustee: number,
  randomBytes: RandomBytes,
): { secret: TrusteeSecret; message: DkgCommitBody } {
  checkTrustee(setup, trustee);
  const y = g.scalar.random(randomBytes);
  const coefficients = Array.from({ length: setup.k }, () => g.scalar.random(randomBytes));
  const A = coefficients.map((a) => g.mulBase(a));
  const pop = schnorrProve(g, 'dkg-comm-pop', [sh(setup), u32(trustee)], y, randomBytes);
  return {
    secret: { trustee, communicationSecret: scalarToHex(y), coefficients: coefficients.map(scalarToHex) },
    message: {
      trustee,
      commitmentHash: toHex(commitmentHash(g, setup, trustee, A)),
      communicationKey: pointHex(g, g.mulBase(y)),
      pop,
    },
  };
}

function commitFor(commits: readonly DkgCommitBody[], i: number): DkgCommitBody {
  const c = commits.find((m) => m.trustee === i);
  if (!c) throw new BallotProtocolError(`no dkg-commit from trustee ${i}`);
  return c;
}

export function dkgShares(
  g: Group,
  setup: SetupBody,
  secret: TrusteeSecret,
  commits: readonly DkgCommitBody[],
  randomBytes: RandomBytes,
): DkgSharesBody {
  const i = secret.trustee;
  const coefficients = secret.coefficients.map((h, j) => scalarFromHex(h, `coefficients[${j}]`));
  const y = scalarFromHex(secret.communicationSecret, 'communicationSecret');
  const proofs = coefficients.map((a, j) =>
    schnorrProve(g, 'dkg-coef-pop', [sh(setup), u32(i), u32(j)], a, randomBytes),
  );
  const shares: EncryptedShare[] = [];
  for (let l = 1; l <= setup.n; l++) {
    if (l === i) continue;
    const Y = pointFromHex(g, commitFor(commits, l).communicationKey, `trustee ${l} communicationKey`);
    const route = { setupHash: sh(setup), from: i, to: l };
    shares.push(encryptShare(g, route, Y, evalPolynomial(g, coefficients, l), y, randomBytes));
  }
  return { trustee: i, commitments: coefficients.map((a) => pointHex(g, g.mulBase(a))), proofs, shares };
}

/** Decrypts and checks the shares addressed to this trustee; a bad one yields a provable accusation. */
export function dkgReceive(
  g: Group,
  setup: SetupBody,
  secret: TrusteeSecret,
  sharesBodies: readonly DkgSharesBody[],
  randomBytes: RandomBytes,
): { received: Record<number, Hex>; accusations: DkgAccusationBody[] } {
  const l = secret.trustee;
  const y = scalarFromHex(secret.communicationSecret, 'communicationSecret');
  const Y = g.mulBase(y);
  const received: Record<number, Hex> = {};
  const accusations: DkgAccusationBody[] = [];
  for (const body of sharesBodies) {
    const i = body.trustee;
    if (i === l) continue;
    const enc = body.shares.find((s) => s.to === l);
    if (!enc) continue; // a missing share is judged publicly by dkgResult
    const E = pointFromHex(g, enc.E, 'share.E');
    const S = g.mul(E, y);
    const route = { setupHash: sh(setup), from: i, to: l };
    const share = decryptShare(g, route, E, S, enc.ct);
    const A = body.commitments.map((h, j) => pointFromHex(g, h, `commitments[${j}]`));
    if (share !== null && g.eq(g.mulBase(share), evalCommitments(g, A, l))) {
      received[i] = scalarToHex(share);
      continue;
    }
    const context = ['accuse', sh(setup), u32(i), u32(l)];
    const proof = dleqProve(g, context, { G1: g.G, H1: Y, G2: E, H2: S }, y, randomBytes);
    accusations.push({ accuser: l, accused: i, S: pointHex(g, S), proof });
  }
  return { received, accusations };
}

export { verifyShareSignature };
