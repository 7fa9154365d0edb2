// A verifiable re-encryption shuffle of vectors of ElGamal ciphertexts (docs/MIXNET.md §3–§5): the Terelius–Wikström
// proof of a shuffle as Haenni, Locher, Koenig and Dubuis write it step by step (GenShuffle, GenPermutationCommitment,
// GenCommitmentChain, GenShuffleProof, CheckShuffleProof), on ristretto255, in commitment form, one permutation for
// every position of a ballot's vector. The verifier checks all N + 2w + 3 equations with one weighted multi-scalar
// multiplication (batch.ts). Pure: randomness is a parameter.
import { checkRandom, concat, fromHex, toHex, u32, type RandomBytes } from '../bytes.ts';
import type { Group, Point } from '../group.ts';
import { hashBytes, hashToPoint } from '../hash.ts';
import { pointHex, scalarFromHex, scalarToHex, type Hex } from '../codec.ts';
import { scalarToBytes } from '../scalar.ts';
import type { Ciphertext } from '../elgamal.ts';
import { EquationBatch } from '../batch.ts';
import { BallotFormatError, BallotProtocolError } from '../errors.ts';
import { prepare, type Election } from '../election.ts';
import type { SchnorrProof } from '../schnorr.ts';

/** One ciphertext on the board. */
export interface CiphertextHex {
  alpha: Hex;
  beta: Hex;
}

/** A list to be mixed: N ballots, each a vector of w ciphertexts (the same w for all). */
export type MixList = CiphertextHex[][];

export interface ShuffleProof {
  /** c_1..c_N: the permutation commitment (GenPermutationCommitment). */
  commitments: Hex[];
  /** ĉ_1..ĉ_N: the commitment chain (GenCommitmentChain); ĉ_0 = h_0. */
  chain: Hex[];
  t1: Hex;
  t2: Hex;
  t3: Hex;
  /** t_4 per position k: (t_{4,α,k}, t_{4,β,k}). */
  t4: CiphertextHex[];
  /** t̂_1..t̂_N. */
  tHat: Hex[];
  s1: Hex;
  s2: Hex;
  s3: Hex;
  /** s_{4,k} per position. */
  s4: Hex[];
  /** ŝ_1..ŝ_N. */
  sHat: Hex[];
  /** s'_1..s'_N. */
  sPrime: Hex[];
}

/** The `shuffle` board message of mixer `mixer` (1-based): its output list and the proof. */
export interface ShuffleBody {
  mixer: number;
  ciphertexts: MixList;
  proof: ShuffleProof;
  /** The slot's mixer's signature (sign.ts), required when the manifest says `shuffles: "signed"`. */
  signature?: SchnorrProof;
}

export type ShuffleVerdict = { ok: true } | { ok: false; reason: string };

type Vector = Ciphertext[];

// ── generators ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Fingerprints whose generators are kept, per group: the latest used. At ≈ 240 bytes a generator, a vote of
 * 1,000,000 ballots keeps ≈ 240 MB while it is among them; older ones are dropped and made again if asked for.
 */
export const KEPT_GENERATOR_FINGERPRINTS = 16;

const generatorCache = new WeakMap<Group, Map<string, Point[]>>();

/**
 * h_0..h_N: h_i = HashToPoint("mix-generator"; H_E, u32(i)) (docs/MIXNET.md §2). h_0 starts the commitment chain,
 * h_1..h_N commit to the permutation. Nobody knows a relation between them, G and K. Kept for the
 * KEPT_GENERATOR_FINGERPRINTS fingerprints used last.
 */
export function mixGenerators(g: Group, fp: Uint8Array, n: number): Point[] {
  let byFp = generatorCache.get(g);
  if (!byFp) generatorCache.set(g, (byFp = new Map()));
  const key = toHex(fp);
  const gens = byFp.get(key) ?? [];
  // the latest used last in the Map's order; the one used longest ago dropped past the bound
  byFp.delete(key);
  byFp.set(key, gens);
  for (const old of byFp.keys()) {
    if (byFp.size <= KEPT_GENERATOR_FINGERPRINTS) break;
    byFp.delete(old);
  }
  for (let i = gens.length; i <= n; i++) gens.push(hashToPoint(g, 'mix-generator', [fp, u32(i)]));
  return gens.slice(0, n + 1);
}

/** The fingerprints whose generators are kept for `g`, used longest ago first (for tests). */
export function keptGeneratorFingerprints(g: Group): string[] {
  return [...(generatorCache.get(g)?.keys() ?? [])];
}

// ── hashing (docs/MIXNET.md §4) ───────────────────────────────────────────────────────────────────────────────

const listBytes = (g: Group, list: readonly Vector[]): Uint8Array => {
  const parts: Uint8Array[] = [];
  for (const v of list) for (const ct of v) parts.push(g.encode(ct.alpha), g.encode(ct.beta));
  return concat(parts);
};

const pointsBytes = (g: Group, ps: readonly Point[]): Uint8Array => concat(ps.map((p) => g.encode(p)));

/** y = H("mix-statement"; H_E, u32(m), u32(N), u32(w), E_in, E_out, C). */
function statementHash(
  g: Group,
  fp: Uint8Array,
  mixer: number,
  input: readonly Vector[],
  output: readonly Vector[],
  commitments: readonly Point[],
): Uint8Array {
  const w = input[0]?.length ?? 0;
  return hashBytes('mix-statement', [
    fp,
    u32(mixer),
    u32(input.length),
    u32(w),
    listBytes(g, input),
    listBytes(g, output),
    pointsBytes(g, commitments),
  ]);
}

/** u_j = Hq("mix-u"; y, u32(j)), j = 1..N. */
const challenges = (g: Group, y: Uint8Array, n: number): bigint[] =>
  Array.from({ length: n }, (_, j) => g.hashToScalar('mix-u', [y, u32(j + 1)]));

interface Commitments {
  chain: Point[];
  t1: Point;
  t2: Point;
  t3: Point;
  t4: Ciphertext[];
  tHat: Point[];
}

/** c = Hq("mix-challenge"; y, Ĉ, enc(t1), enc(t2), enc(t3), T4, T̂). */
function mainChallenge(g: Group, y: Uint8Array, t: Commitments): bigint {
  return g.hashToScalar('mix-challenge', [
    y,
    pointsBytes(g, t.chain),
    g.encode(t.t1),
    g.encode(t.t2),
    g.encode(t.t3),
    concat(t.t4.flatMap((ct) => [g.encode(ct.alpha), g.encode(ct.beta)])),
    pointsBytes(g, t.tHat),
  ]);
}

// ── the shuffle (GenShuffle) and its proof (GenShuffleProof) ─────────────────────────────────────────────────

/** A uniform integer in [0, n) from randomBytes (rejection sampling on 32 bits). */
function randomIndex(randomBytes: RandomBytes, n: number): number {
  const limit = Math.floor(0x100000000 / n) * n;
  for (;;) {
    const b = checkRandom(randomBytes, 4);
    const x = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (x < limit) return x % n;
  }
}

/** ψ: output i takes input ψ[i]; uniform (Fisher–Yates). */
export function randomPermutation(n: number, randomBytes: RandomBytes): number[] {
  const psi = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomIndex(randomBytes, i + 1);
    [psi[i], psi[j]] = [psi[j]!, psi[i]!];
  }
  return psi;
}

/** The secrets of one shuffle, for the prover only (tests use them to forge). */
export interface ShuffleWitness {
  psi: number[];
  /** ρ_{i,k}: re-encryption randomness of output i, position k. */
  rho: bigint[][];
}

export function decodeList(g: Group, list: MixList, name: string, width?: number): Vector[] {
  if (!Array.isArray(list)) throw new BallotFormatError(`${name}: expected an array`);
  const w = width ?? (list[0]?.length as number | undefined) ?? 0;
  return list.map((v, i) => {
    if (!Array.isArray(v) || v.length !== w || w < 1)
      throw new BallotFormatError(`${name}[${i}]: expected ${Math.max(w, 1)} ciphertexts`);
    return v.map((ct, k) => ({
      alpha: g.decode(fromHex(ct?.alpha, 32, `${name}[${i}][${k}].alpha`), `${name}[${i}][${k}].alpha`),
      beta: g.decode(fromHex(ct?.beta, 32, `${name}[${i}][${k}].beta`), `${name}[${i}][${k}].beta`),
    }));
  });
}

export const encodeList = (g: Group, list: readonly Vector[]): MixList =>
  list.map((v) => v.map((ct) => ({ alpha: pointHex(g, ct.alpha), beta: pointHex(g, ct.beta) })));

/** GenShuffle: e'_i = e_{ψ(i)} + Enc(0; ρ_i), position by position. */
export function reEncrypt(g: Group, K: Point, input: readonly Vector[], witness: ShuffleWitness): Vector[] {
  return witness.psi.map((j, i) =>
    input[j]!.map((ct, k) => {
      const r = witness.rho[i]![k]!;
      return { alpha: g.add(ct.alpha, g.mulBase(r)), beta: g.add(ct.beta, g.mul(K, r)) };
    }),
  );
}

/**
 * GenShuffleProof for output = reEncrypt(input, witness). Exported for the forgery tests, which prove false
 * statements with it; callers use `shuffle`.
 */
export function proveShuffle(
  g: Group,
  election: Election,
  mixer: number,
  input: readonly Vector[],
  output: readonly Vector[],
  witness: ShuffleWitness,
  randomBytes: RandomBytes,
  commitmentRandomness?: bigint[],
): ShuffleProof {
  const { K, fp } = prepare(g, election);
  const S = g.scalar;
  const n = input.length;
  const w = input[0]!.length;
  const h = mixGenerators(g, fp, n);
  const rnd = () => S.random(randomBytes);
  // GenPermutationCommitment: c_{ψ(i)} = r_{ψ(i)}·G + h_i
  const r = commitmentRandomness ?? Array.from({ length: n }, rnd);
  const c: Point[] = new Array<Point>(n);
  witness.psi.forEach((j, i) => (c[j] = g.add(g.mulBase(r[j]!), h[i + 1]!)));
  for (let j = 0; j < n; j++) c[j] ??= g.mulBase(r[j]!); // only a forger's ψ (not a permutation) leaves gaps
  const y = statementHash(g, fp, mixer, input, output, c);
  const u = challenges(g, y, n);
  const uP = witness.psi.map((j) => u[j]!); // u'_i = u_{ψ(i)}
  // GenCommitmentChain: ĉ_i = r̂_i·G + u'_i·ĉ_{i−1}
  const rHat = Array.from({ length: n }, rnd);
  const chain: Point[] = [];
  let prev = h[0]!;
  for (let i = 0; i < n; i++) {
    prev = g.add(g.mulBase(rHat[i]!), g.mul(prev, uP[i]!));
    chain.push(prev);
  }
  const [w1, w2, w3] = [rnd(), rnd(), rnd()];
  const w4 = Array.from({ length: w }, rnd);
  const wHat = Array.from({ length: n }, rnd);
  const wPrime = Array.from({ length: n }, rnd);
  const t3 = g.add(g.mulBase(w3), g.msm(h.slice(1), wPrime));
  const t4 = Array.from({ length: w }, (_, k) => ({
    alpha: g.sub(
      g.msm(
        output.map((v) => v[k]!.alpha),
        wPrime,
      ),
      g.mulBase(w4[k]!),
    ),
    beta: g.sub(
      g.msm(
        output.map((v) => v[k]!.beta),
        wPrime,
      ),
      g.mul(K, w4[k]!),
    ),
  }));
  const tHat = chain.map((_, i) =>
    g.add(g.mulBase(wHat[i]!), g.mul(i === 0 ? h[0]! : chain[i - 1]!, wPrime[i]!)),
  );
  const t: Commitments = { chain, t1: g.mulBase(w1), t2: g.mulBase(w2), t3, t4, tHat };
  const ch = mainChallenge(g, y, t);
  // responses
  const rBar = r.reduce((a, b) => S.add(a, b), 0n);
  let v = 1n; // v_i = Π_{l>i} u'_l
  let rHatSum = 0n;
  for (let i = n - 1; i >= 0; i--) {
    rHatSum = S.add(rHatSum, S.mul(rHat[i]!, v));
    v = S.mul(v, uP[i]!);
  }
  let rTilde = 0n; // Σ_j u_j r_j
  for (let j = 0; j < n; j++) rTilde = S.add(rTilde, S.mul(u[j]!, r[j]!));
  const rho = Array.from({ length: w }, (_, k) => {
    let acc = 0n; // Σ_i u'_i ρ_{i,k}
    for (let i = 0; i < n; i++) acc = S.add(acc, S.mul(uP[i]!, witness.rho[i]![k]!));
    return acc;
  });
  const resp = (omega: bigint, x: bigint) => scalarToHex(S.sub(omega, S.mul(ch, x)));
  return {
    commitments: c.map((p) => pointHex(g, p)),
    chain: chain.map((p) => pointHex(g, p)),
    t1: pointHex(g, t.t1),
    t2: pointHex(g, t.t2),
    t3: pointHex(g, t3),
    t4: t4.map((ct) => ({ alpha: pointHex(g, ct.alpha), beta: pointHex(g, ct.beta) })),
    tHat: tHat.map((p) => pointHex(g, p)),
    s1: resp(w1, rBar),
    s2: resp(w2, rHatSum),
    s3: resp(w3, rTilde),
    s4: w4.map((om, k) => resp(om, rho[k]!)),
    sHat: wHat.map((om, i) => resp(om, rHat[i]!)),
    sPrime: wPrime.map((om, i) => resp(om, uP[i]!)),
  };
}

/** Mixer `mixer` shuffles and re-encrypts `input` (the previous mixer's output, or the ballots) and proves it. */
export function shuffle(
  g: Group,
  election: Election,
  mixer: number,
  input: MixList,
  randomBytes: RandomBytes,
): ShuffleBody {
  if (!Number.isInteger(mixer) || mixer < 1) throw new BallotProtocolError('mixer: a positive integer');
  if (!Array.isArray(input) || input.length === 0) throw new BallotProtocolError('input: no ballots to mix');
  const { K } = prepare(g, election);
  const list = decodeList(g, input, 'input');
  const w = list[0]!.length;
  const psi = randomPermutation(list.length, randomBytes);
  const witness = {
    psi,
    rho: list.map(() => Array.from({ length: w }, () => g.scalar.random(randomBytes))),
  };
  const output = reEncrypt(g, K, list, witness);
  return {
    mixer,
    ciphertexts: encodeList(g, output),
    proof: proveShuffle(g, election, mixer, list, output, witness, randomBytes),
  };
}

// ── CheckShuffleProof ─────────────────────────────────────────────────────────────────────────────────────────

interface DecodedProof extends Commitments {
  c: Point[];
  s1: bigint;
  s2: bigint;
  s3: bigint;
  s4: bigint[];
  sHat: bigint[];
  sPrime: bigint[];
}

function decodeProof(g: Group, p: ShuffleProof, n: number, w: number): DecodedProof {
  if (typeof p !== 'object' || p === null) throw new BallotFormatError('proof: expected an object');
  const pts = (xs: unknown, len: number, name: string): Point[] => {
    if (!Array.isArray(xs) || xs.length !== len)
      throw new BallotFormatError(`proof.${name}: expected ${len} points`);
    return xs.map((x, i) => g.decode(fromHex(x as string, 32, `proof.${name}[${i}]`), `proof.${name}[${i}]`));
  };
  const scs = (xs: unknown, len: number, name: string): bigint[] => {
    if (!Array.isArray(xs) || xs.length !== len)
      throw new BallotFormatError(`proof.${name}: expected ${len} scalars`);
    return xs.map((x, i) => scalarFromHex(x as string, `proof.${name}[${i}]`));
  };
  const pt = (x: unknown, name: string) => pts([x], 1, name)[0]!;
  if (!Array.isArray(p.t4) || p.t4.length !== w) throw new BallotFormatError(`proof.t4: expected ${w} pairs`);
  return {
    c: pts(p.commitments, n, 'commitments'),
    chain: pts(p.chain, n, 'chain'),
    t1: pt(p.t1, 't1'),
    t2: pt(p.t2, 't2'),
    t3: pt(p.t3, 't3'),
    t4: p.t4.map((ct, k) => ({
      alpha: pt(ct?.alpha, `t4[${k}].alpha`),
      beta: pt(ct?.beta, `t4[${k}].beta`),
    })),
    tHat: pts(p.tHat, n, 'tHat'),
    s1: scs([p.s1], 1, 's1')[0]!,
    s2: scs([p.s2], 1, 's2')[0]!,
    s3: scs([p.s3], 1, 's3')[0]!,
    s4: scs(p.s4, w, 's4'),
    sHat: scs(p.sHat, n, 'sHat'),
    sPrime: scs(p.sPrime, n, 'sPrime'),
  };
}

/**
 * No output ciphertext may repeat an input one or another output one (docs/MIXNET.md §5, check 5.2): an honest
 * re-encryption gives fresh α with overwhelming probability; a repeat links a voter's ballot through the mix.
 */
function freshnessProblem(input: MixList, output: MixList): string | null {
  const seen = new Set<string>();
  for (const v of input) for (const ct of v) seen.add(ct.alpha);
  for (let i = 0; i < output.length; i++) {
    for (let k = 0; k < output[i]!.length; k++) {
      const a = output[i]![k]!.alpha;
      if (seen.has(a)) return `output ${i} position ${k}: α repeats an earlier ciphertext (not re-encrypted)`;
      seen.add(a);
    }
  }
  return null;
}

/**
 * CheckShuffleProof: whether `body` is a correct shuffle of `input` by mixer `body.mixer`. Never throws on board data:
 * a malformed message is a false verdict naming the field.
 */
export function verifyShuffle(
  g: Group,
  election: Election,
  input: MixList,
  body: ShuffleBody,
): ShuffleVerdict {
  try {
    return verifyDecoded(g, election, decodeList(g, input, 'input'), input, body);
  } catch (e) {
    if (e instanceof BallotFormatError) return { ok: false, reason: `encoding: ${e.message}` };
    throw e;
  }
}

/** verifyShuffle with the input already decoded (a chain of mixers decodes each list once). */
export function verifyDecoded(
  g: Group,
  election: Election,
  input: readonly Vector[],
  inputHex: MixList,
  body: ShuffleBody,
): ShuffleVerdict {
  const S = g.scalar;
  const { K, fp } = prepare(g, election);
  try {
    if (typeof body !== 'object' || body === null)
      return { ok: false, reason: 'encoding: expected an object' };
    if (!Number.isInteger(body.mixer) || body.mixer < 1)
      return { ok: false, reason: 'encoding: mixer must be a positive integer' };
    const n = input.length;
    if (n === 0) return { ok: false, reason: 'no ballots to mix' };
    const w = input[0]!.length;
    if (!Array.isArray(body.ciphertexts) || body.ciphertexts.length !== n)
      return { ok: false, reason: `output has ${body.ciphertexts?.length} ballots, input ${n}` };
    const output = decodeList(g, body.ciphertexts, 'ciphertexts', w);
    const pf = decodeProof(g, body.proof, n, w);
    const fresh = freshnessProblem(inputHex, body.ciphertexts);
    if (fresh) return { ok: false, reason: fresh };
    const h = mixGenerators(g, fp, n);
    const y = statementHash(g, fp, body.mixer, input, output, pf.c);
    const u = challenges(g, y, n);
    const c = mainChallenge(g, y, pf);
    const seed = hashBytes('mix-batch-seed', [
      scalarToBytes(c),
      scalarToBytes(pf.s1),
      scalarToBytes(pf.s2),
      scalarToBytes(pf.s3),
      concat(pf.s4.map(scalarToBytes)),
      concat(pf.sHat.map(scalarToBytes)),
      concat(pf.sPrime.map(scalarToBytes)),
    ]);
    const batch = new EquationBatch(g, K, seed);
    const [z1, z2, z3] = [batch.weight(), batch.weight(), batch.weight()];
    const z4 = pf.t4.map(() => [batch.weight(), batch.weight()] as const);
    const z5 = pf.tHat.map(() => batch.weight());
    // E1: c·(Σ c_j − Σ h_i) + s1·G − t1 = 0
    // E3: c·Σ u_j·c_j + s3·G + Σ s'_i·h_i − t3 = 0
    const zc1 = S.mul(z1, c);
    for (let j = 0; j < n; j++) batch.term(pf.c[j]!, S.add(zc1, S.mul(S.mul(z3, c), u[j]!)));
    for (let i = 0; i < n; i++) batch.term(h[i + 1]!, S.sub(S.mul(z3, pf.sPrime[i]!), zc1));
    batch.base(S.add(S.add(S.mul(z1, pf.s1), S.mul(z2, pf.s2)), S.mul(z3, pf.s3)));
    batch.term(pf.t1, S.neg(z1));
    batch.term(pf.t3, S.neg(z3));
    // E2: c·(ĉ_N − U·h_0) + s2·G − t2 = 0, U = Π u_j
    const U = u.reduce((a, b) => S.mul(a, b), 1n);
    batch.term(pf.chain[n - 1]!, S.mul(z2, c));
    batch.term(h[0]!, S.neg(S.mul(S.mul(z2, c), U)));
    batch.term(pf.t2, S.neg(z2));
    // E5_i: c·ĉ_i + ŝ_i·G + s'_i·ĉ_{i−1} − t̂_i = 0
    for (let i = 0; i < n; i++) {
      batch.term(pf.chain[i]!, S.mul(z5[i]!, c));
      batch.term(i === 0 ? h[0]! : pf.chain[i - 1]!, S.mul(z5[i]!, pf.sPrime[i]!));
      batch.base(S.mul(z5[i]!, pf.sHat[i]!));
      batch.term(pf.tHat[i]!, S.neg(z5[i]!));
    }
    // E4_k: c·Σ u_j·e_{j,k} + Σ s'_i·e'_{i,k} − Enc(0; s4_k) − t4_k = 0, for α (with G) and β (with K)
    for (let k = 0; k < w; k++) {
      const [za, zb] = z4[k]!;
      const zac = S.mul(za, c);
      const zbc = S.mul(zb, c);
      for (let j = 0; j < n; j++) {
        batch.term(input[j]![k]!.alpha, S.mul(zac, u[j]!));
        batch.term(input[j]![k]!.beta, S.mul(zbc, u[j]!));
      }
      for (let i = 0; i < n; i++) {
        batch.term(output[i]![k]!.alpha, S.mul(za, pf.sPrime[i]!));
        batch.term(output[i]![k]!.beta, S.mul(zb, pf.sPrime[i]!));
      }
      batch.base(S.neg(S.mul(za, pf.s4[k]!)));
      batch.key(S.neg(S.mul(zb, pf.s4[k]!)));
      batch.term(pf.t4[k]!.alpha, S.neg(za));
      batch.term(pf.t4[k]!.beta, S.neg(zb));
    }
    return batch.check() ? { ok: true } : { ok: false, reason: 'shuffle proof invalid' };
  } catch (e) {
    if (e instanceof BallotFormatError) return { ok: false, reason: `encoding: ${e.message}` };
    throw e;
  }
}

/** The decoded output of a verified shuffle, for the next mixer's verification. */
export const decodeOutput = (g: Group, body: ShuffleBody): Vector[] =>
  decodeList(g, body.ciphertexts, 'ciphertexts');
