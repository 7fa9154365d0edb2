// Disjunctive Chaum–Pedersen range proof (CDS94; EG 2.1 range proofs) that (α, β) encrypts some m in [lo..hi].
// Commitment form (a_j, b_j, c_j, v_j), j = lo..hi, so that many proofs can be checked in one multi-scalar
// multiplication. Challenge: Hq("range-proof"; context…, enc(α), enc(β), enc(a_lo), enc(b_lo), …)
// (docs/BALLOT-PROTOCOL.md §5). Valid iff Σ c_j = c and v_j·G = a_j + c_j·α and v_j·K = b_j + c_j·(β − j·G).
import { fromHex, u32, type RandomBytes } from './bytes.ts';
import { hashBytes, type Field } from './hash.ts';
import { scalarFromBytes, scalarToBytes } from './scalar.ts';
import { EquationBatch } from './batch.ts';
import type { Group, Point } from './group.ts';
import type { Ciphertext } from './elgamal.ts';
import { pointHex, scalarToHex, type Hex } from './codec.ts';
import { BallotFormatError } from './errors.ts';

export interface RangeProof {
  a: Hex[];
  b: Hex[];
  c: Hex[];
  v: Hex[];
}

export interface RangeStatement {
  K: Point;
  ct: Ciphertext;
  lo: number;
  hi: number;
  /** Everything the challenge must bind besides the ciphertext: H_I, contest index, option index, lo, hi. */
  context: readonly Field[];
}

/** β − j·G: the ciphertext's β with the candidate value j removed. */
function shifted(g: Group, beta: Point, j: number): Point {
  if (j === 0) return beta;
  if (j === 1) return g.sub(beta, g.G);
  return g.sub(beta, g.mulBase(BigInt(j)));
}

function challenge(g: Group, st: RangeStatement, a: readonly Point[], b: readonly Point[]): bigint {
  const fields: Field[] = [...st.context, g.encode(st.ct.alpha), g.encode(st.ct.beta)];
  for (let i = 0; i < a.length; i++) fields.push(g.encode(a[i]!), g.encode(b[i]!));
  return g.hashToScalar('range-proof', fields);
}

export function rangeProve(
  g: Group,
  st: RangeStatement,
  m: number,
  r: bigint,
  randomBytes: RandomBytes,
): RangeProof {
  if (!Number.isInteger(m) || m < st.lo || m > st.hi)
    throw new RangeError(`m: ${m} outside [${st.lo}..${st.hi}]`);
  const size = st.hi - st.lo + 1;
  const a: Point[] = [];
  const b: Point[] = [];
  const c: bigint[] = [];
  const v: bigint[] = [];
  const u = g.scalar.random(randomBytes);
  for (let i = 0; i < size; i++) {
    const j = st.lo + i;
    if (j === m) {
      a.push(g.mulBase(u));
      b.push(g.mul(st.K, u));
      c.push(0n);
      v.push(0n);
      continue;
    }
    const cj = g.scalar.random(randomBytes);
    const vj = g.scalar.random(randomBytes);
    // Simulated branch. The prover knows r, so with w = v_j − c_j·r:
    //   a_j = v_j·G − c_j·α = w·G   and   b_j = v_j·K − c_j·(β − j·G) = w·K − c_j·(m − j)·G,
    // two fixed-base and one variable-base multiplication instead of one and three.
    const w = g.scalar.sub(vj, g.scalar.mul(cj, r));
    a.push(g.mulBase(w));
    b.push(g.sub(g.mul(st.K, w), g.mulBase(g.scalar.mul(cj, g.scalar.mod(BigInt(m - j))))));
    c.push(cj);
    v.push(vj);
  }
  const total = challenge(g, st, a, b);
  const k = m - st.lo;
  const others = c.reduce((s, x, i) => (i === k ? s : g.scalar.add(s, x)), 0n);
  c[k] = g.scalar.sub(total, others);
  v[k] = g.scalar.add(u, g.scalar.mul(c[k]!, r));
  return {
    a: a.map((p) => pointHex(g, p)),
    b: b.map((p) => pointHex(g, p)),
    c: c.map(scalarToHex),
    v: v.map(scalarToHex),
  };
}

export interface DecodedProof {
  a: Point[];
  b: Point[];
  c: bigint[];
  v: bigint[];
  /** The 32-byte fields as they came, a's, b's, c's then v's: what the ballot digest hashes (ballot.ts). */
  bytes: Uint8Array[];
}

export function decodeRangeProof(g: Group, proof: RangeProof, size: number, name: string): DecodedProof {
  for (const key of ['a', 'b', 'c', 'v'] as const) {
    if (!Array.isArray(proof?.[key]) || proof[key].length !== size) {
      throw new BallotFormatError(`${name}.${key}: expected ${size} entries`);
    }
  }
  const bytes: Uint8Array[] = [];
  const field = (h: Hex, what: string): Uint8Array => {
    const b = fromHex(h, 32, what);
    bytes.push(b);
    return b;
  };
  return {
    a: proof.a.map((h, i) => g.decode(field(h, `${name}.a[${i}]`), `${name}.a[${i}]`)),
    b: proof.b.map((h, i) => g.decode(field(h, `${name}.b[${i}]`), `${name}.b[${i}]`)),
    c: proof.c.map((h, i) => scalarFromBytes(field(h, `${name}.c[${i}]`), `${name}.c[${i}]`)),
    v: proof.v.map((h, i) => scalarFromBytes(field(h, `${name}.v[${i}]`), `${name}.v[${i}]`)),
    bytes,
  };
}

/**
 * What the batch weights of a proof hash: every input of its weighted equations. The Fiat–Shamir challenge c
 * already hashes the context, α, β and every a_j, b_j (`challenge`), so the seed hashes c instead of encoding those
 * points again (a ristretto255 encoding costs a field inversion), with K, lo, hi, the context, and every c_j and
 * v_j. Leaving any input out lets a cheater compute the weights first and then choose it: without the c_j, three
 * branches (two when α is the identity) are enough to solve for c_j that cancel the weighted sum of false
 * equations (docs/BALLOT-PROTOCOL.md, "Review of the WebAssembly MSM"; test/ballot/wasm-msm-review.test.ts).
 */
function seedFields(g: Group, st: RangeStatement, p: DecodedProof, c: bigint): Field[] {
  const out: Field[] = [encodedKey(g, st.K), u32(st.lo), u32(st.hi), u32(st.context.length), ...st.context];
  out.push(scalarToBytes(c));
  for (let i = 0; i < p.c.length; i++) out.push(scalarToBytes(p.c[i]!), scalarToBytes(p.v[i]!));
  return out;
}

// K is the election's joint key, the same for every proof of a board: encoded once per point object.
const keyBytes = new WeakMap<Point, Uint8Array>();
function encodedKey(g: Group, K: Point): Uint8Array {
  let bytes = keyBytes.get(K);
  if (!bytes) keyBytes.set(K, (bytes = g.encode(K)));
  return bytes;
}

/** The proof's Fiat–Shamir challenge if its challenges sum to it, else null (the hashing half of a check). */
function checkedChallenge(g: Group, st: RangeStatement, p: DecodedProof): bigint | null {
  const sum = p.c.reduce((s, x) => g.scalar.add(s, x), 0n);
  const c = challenge(g, st, p.a, p.b);
  return sum === c ? c : null;
}

export function rangeVerify(g: Group, st: RangeStatement, proof: RangeProof, name = 'proof'): boolean {
  return rangeVerifyDecoded(g, st, decodeRangeProof(g, proof, st.hi - st.lo + 1, name));
}

export function rangeVerifyDecoded(g: Group, st: RangeStatement, p: DecodedProof): boolean {
  if (p.a.length !== st.hi - st.lo + 1) return false;
  const c = checkedChallenge(g, st, p);
  if (c === null) return false;
  if (g.msmPreferred) {
    // the proof's 2·(hi − lo + 1) equations, weighted, in one multi-scalar multiplication (batch.ts)
    const batch = new EquationBatch(g, st.K, hashBytes('batch-seed', [u32(1), ...seedFields(g, st, p, c)]));
    rangeEquations(g, batch, st.lo, p, [st.ct.alpha], [st.ct.beta]);
    return batch.check();
  }
  for (let i = 0; i < p.a.length; i++) {
    const lhsA = g.mulBase(p.v[i]!);
    if (!g.eq(lhsA, g.add(p.a[i]!, g.mul(st.ct.alpha, p.c[i]!)))) return false;
    const lhsB = g.mul(st.K, p.v[i]!);
    if (!g.eq(lhsB, g.add(p.b[i]!, g.mul(shifted(g, st.ct.beta, st.lo + i), p.c[i]!)))) return false;
  }
  return true;
}

/**
 * Adds the group equations of a decoded proof to a batch, each weighted: z1·(v_j·G − a_j − c_j·α) and
 * z2·(v_j·K − b_j − c_j·(β − j·G)). `alphas`/`betas` are the points whose sum is the statement's α/β (one for a
 * selection; every option of the contest for a sum proof, so that the sum need not be computed). The challenge sum
 * must be checked separately (rangeChallengeOk).
 */
export function rangeEquations(
  g: Group,
  batch: EquationBatch,
  lo: number,
  p: DecodedProof,
  alphas: readonly Point[],
  betas: readonly Point[],
): void {
  // plain integer products: the batch reduces each term mod L once, when it is checked
  let alphaCoef = 0n;
  let betaCoef = 0n;
  for (let i = 0; i < p.a.length; i++) {
    const z1 = batch.weight();
    const z2 = batch.weight();
    const c = p.c[i]!;
    const v = p.v[i]!;
    const j = lo + i;
    batch.base(j === 0 ? z1 * v : z1 * v + z2 * c * BigInt(j));
    batch.key(z2 * v);
    batch.term(p.a[i]!, -z1);
    batch.term(p.b[i]!, -z2);
    alphaCoef -= z1 * c;
    betaCoef -= z2 * c;
  }
  for (const A of alphas) batch.term(A, alphaCoef);
  for (const B of betas) batch.term(B, betaCoef);
}

/** Whether the challenges of a decoded proof sum to its Fiat–Shamir challenge (the hashing half of a check). */
export const rangeChallengeOk = (g: Group, st: RangeStatement, p: DecodedProof): boolean =>
  p.a.length === st.hi - st.lo + 1 && checkedChallenge(g, st, p) !== null;

/**
 * Batch verification of proofs that share one key K: every challenge sum, then every group equation in one
 * multi-scalar multiplication (EquationBatch). False says only that some proof is bad: re-check singly to name it.
 */
export function rangeVerifyBatch(
  g: Group,
  items: readonly { st: RangeStatement; proof: RangeProof }[],
): boolean {
  if (items.length === 0) return true;
  const decoded = items.map((it, n) => decodeRangeProof(g, it.proof, it.st.hi - it.st.lo + 1, `proof ${n}`));
  const K = items[0]!.st.K;
  const seed: Field[] = [u32(items.length)];
  for (let n = 0; n < items.length; n++) {
    const { st } = items[n]!;
    if (!g.eq(K, st.K)) throw new RangeError('rangeVerifyBatch: all statements must share one key');
    const c = checkedChallenge(g, st, decoded[n]!);
    if (c === null) return false;
    seed.push(...seedFields(g, st, decoded[n]!, c));
  }
  const batch = new EquationBatch(g, K, hashBytes('batch-seed', seed));
  items.forEach(({ st }, n) => rangeEquations(g, batch, st.lo, decoded[n]!, [st.ct.alpha], [st.ct.beta]));
  return batch.check();
}
