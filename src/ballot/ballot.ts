// Ballot encryption (EG 2.1 §3.3–3.4 on ristretto255, signed with a Belenios credential;
// docs/BALLOT-PROTOCOL.md §5).
import { checkRandom, fromHex, toHex, u32, type RandomBytes } from './bytes.ts';
import { hashBytes } from './hash.ts';
import type { Group, Point } from './group.ts';
import { pointHex, type Hex } from './codec.ts';
import { encrypt, type Ciphertext } from './elgamal.ts';
import { rangeProve, type RangeProof } from './range-proof.ts';
import { schnorrProve, type SchnorrProof } from './schnorr.ts';
import { credentialScalar, prepare, type Election } from './election.ts';
import type { Contest } from './manifest.ts';

export interface EncryptedSelection {
  alpha: Hex;
  beta: Hex;
  proof: RangeProof;
}

export interface EncryptedContest {
  selections: EncryptedSelection[];
  sumProof: RangeProof;
}

export interface BallotBody {
  /** The election fingerprint H_E the ballot was made for. */
  election: Hex;
  /** 32 fresh random bytes. */
  id: Hex;
  /** The voter's public credential X. */
  credential: Hex;
  contests: EncryptedContest[];
  /** Confirmation code. */
  code: Hex;
  signature: SchnorrProof;
}

export const SUM_OPTION = 0xffffffff;

/** H of hash.ts or a group's (Group.hashBytes: the same bytes, perhaps a faster SHA-256). */
type H = typeof hashBytes;

/** H_I = H("ballot-context"; H_E, id, enc(X)). */
export const ballotContext = (fp: Uint8Array, id: Uint8Array, X: Uint8Array, h: H = hashBytes): Uint8Array =>
  h('ballot-context', [fp, id, X]);

/** r_{c,o} = Hq("selection-nonce"; H_I, ξ_B, u32(c), u32(o)). */
export const selectionNonce = (g: Group, hI: Uint8Array, xi: Uint8Array, c: number, o: number): bigint =>
  g.hashToScalar('selection-nonce', [hI, xi, u32(c), u32(o)]);

export const proofContext = (hI: Uint8Array, c: number, o: number, lo: number, hi: number): Uint8Array[] => [
  hI,
  u32(c),
  u32(o),
  u32(lo),
  u32(hi),
];

export function contestHash(g: Group, hI: Uint8Array, c: number, cts: readonly Ciphertext[]): Uint8Array {
  const fields: Uint8Array[] = [hI, u32(c)];
  for (const ct of cts) fields.push(g.encode(ct.alpha), g.encode(ct.beta));
  return g.hashBytes('contest-hash', fields);
}

export const confirmationCode = (
  hI: Uint8Array,
  contestHashes: readonly Uint8Array[],
  h: H = hashBytes,
): Uint8Array => h('confirmation', [hI, ...contestHashes]);

/** d = H("ballot-digest"; H_I, code, every proof component in order). */
export function ballotDigest(
  hI: Uint8Array,
  code: Uint8Array,
  contests: readonly EncryptedContest[],
  h: H = hashBytes,
): Uint8Array {
  const fields: Uint8Array[] = [];
  const push = (p: RangeProof) => {
    for (const x of [...p.a, ...p.b, ...p.c, ...p.v]) fields.push(fromHex(x, 32, 'proof'));
  };
  for (const c of contests) {
    for (const s of c.selections) push(s.proof);
    push(c.sumProof);
  }
  return digestOfProofs(hI, code, fields, h);
}

/**
 * The ballot digest from the proofs' 32-byte fields, in ballotDigest's order (each contest's option proofs then its
 * sum proof; in each, the a's, b's, c's and v's): what a verifier that has decoded them already hashes.
 */
export const digestOfProofs = (
  hI: Uint8Array,
  code: Uint8Array,
  proofFields: readonly Uint8Array[],
  h: H = hashBytes,
): Uint8Array => h('ballot-digest', [hI, code, ...proofFields]);

/** Throws RangeError naming the contest if the choices do not fit the manifest. */
export function checkChoices(contests: readonly Contest[], choices: readonly (readonly number[])[]): void {
  if (!Array.isArray(choices) || choices.length !== contests.length) {
    throw new RangeError(`choices: expected ${contests.length} contests`);
  }
  contests.forEach((c, i) => {
    const row = choices[i]!;
    if (!Array.isArray(row) || row.length !== c.options.length) {
      throw new RangeError(`choices[${i}]: expected ${c.options.length} options`);
    }
    row.forEach((v, o) => {
      if (!Number.isInteger(v) || v < 0 || v > c.optionMax)
        throw new RangeError(`choices[${i}][${o}]: 0..optionMax`);
    });
    const sum = row.reduce((s, v) => s + v, 0);
    if (sum < c.min || sum > c.max)
      throw new RangeError(`choices[${i}]: ${sum} selections, allowed ${c.min}..${c.max}`);
  });
}

/**
 * Encrypts and proves a ballot. Returns the ballot for the board and the ballot nonce ξ_B, which the client keeps
 * only to challenge the ballot (spoilBallot) and must forget when it casts.
 */
export function encryptBallot(
  g: Group,
  election: Election,
  credentialSecret: Hex,
  choices: readonly (readonly number[])[],
  randomBytes: RandomBytes,
): { ballot: BallotBody; ballotNonce: Hex } {
  const prep = prepare(g, election);
  const contestsDef = election.setup.manifest.contests;
  checkChoices(contestsDef, choices);
  const x = credentialScalar(g, credentialSecret);
  const X = g.mulBase(x);
  const id = checkRandom(randomBytes, 32);
  const xi = checkRandom(randomBytes, 32);
  const hI = ballotContext(prep.fp, id, g.encode(X));
  const contests: EncryptedContest[] = [];
  const hashes: Uint8Array[] = [];
  contestsDef.forEach((def, c) => {
    const cts: Ciphertext[] = [];
    const selections: EncryptedSelection[] = [];
    let rSum = 0n;
    let sum: Ciphertext = { alpha: g.identity, beta: g.identity };
    choices[c]!.forEach((m, o) => {
      const r = selectionNonce(g, hI, xi, c, o);
      const ct = encrypt(g, prep.K, BigInt(m), r);
      const st = {
        K: prep.K,
        ct,
        lo: 0,
        hi: def.optionMax,
        context: proofContext(hI, c, o, 0, def.optionMax),
      };
      selections.push({
        alpha: pointHex(g, ct.alpha),
        beta: pointHex(g, ct.beta),
        proof: rangeProve(g, st, m, r, randomBytes),
      });
      cts.push(ct);
      rSum = g.scalar.add(rSum, r);
      sum = { alpha: g.add(sum.alpha, ct.alpha), beta: g.add(sum.beta, ct.beta) };
    });
    const total = choices[c]!.reduce((s, v) => s + v, 0);
    const sumSt = {
      K: prep.K,
      ct: sum,
      lo: def.min,
      hi: def.max,
      context: proofContext(hI, c, SUM_OPTION, def.min, def.max),
    };
    contests.push({ selections, sumProof: rangeProve(g, sumSt, total, rSum, randomBytes) });
    hashes.push(contestHash(g, hI, c, cts));
  });
  const code = confirmationCode(hI, hashes);
  const signature = schnorrProve(g, 'schnorr', [ballotDigest(hI, code, contests)], x, randomBytes);
  const ballot: BallotBody = {
    election: election.fingerprint,
    id: toHex(id),
    credential: pointHex(g, X),
    contests,
    code: toHex(code),
    signature,
  };
  return { ballot, ballotNonce: toHex(xi) };
}

export type { Point };

/**
 * The length of a ballot's JSON for these contests: every field has a fixed length (32-byte hex; a range proof
 * over [lo..hi] has hi − lo + 1 branches of four), so this is exact. It is what the ballot costs on the board, and
 * Councils keeps it within one log entry.
 */
export function ballotBytes(contests: readonly Contest[]): number {
  const h = '0'.repeat(64);
  const proof = (branches: number): RangeProof => {
    const xs = new Array<Hex>(Math.max(0, branches)).fill(h);
    return { a: xs, b: xs, c: xs, v: xs };
  };
  const body: BallotBody = {
    election: h,
    id: h,
    credential: h,
    contests: contests.map((c) => ({
      selections: c.options.map(() => ({ alpha: h, beta: h, proof: proof(c.optionMax + 1) })),
      sumProof: proof(c.max - c.min + 1),
    })),
    code: h,
    signature: { R: h, s: h },
  };
  return JSON.stringify(body).length;
}
