// Outside review of src/ballot/wasm-msm.ts and of the batch verification built on it (batch.ts, range-proof.ts,
// check-ballot.ts); docs/BALLOT-PROTOCOL.md "Review of the WebAssembly MSM". Three parts:
//   1. soundness of the batch weights: a cheater who can predict the weights before fixing every input of the
//      equations forges range proofs (found: the weights of a single range proof did not hash the c_j);
//   2. the field arithmetic of the module at the edges (limbs at the bound the code relies on, values near p, 2p,
//      2^255, negative values), the constants, the exponentiation chain, canonical reduction;
//   3. decoding and the multi-scalar multiplication at the edges, against @noble/curves and libsodium.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import {
  nobleGroup,
  sodiumGroup,
  checkBallot,
  verifyBallotBody,
  encryptBallot,
  rangeVerify,
  rangeVerifyBatch,
  rangeProve,
  type BallotBody,
  type RangeProof,
} from '../../src/ballot/index.ts';
import { verifyBallotsBatched } from '../../src/ballot/check-ballot.ts';
import { EquationBatch } from '../../src/ballot/batch.ts';
import { msmEngine, HEAP } from '../../src/ballot/wasm-msm.ts';
import { hashBytes } from '../../src/ballot/hash.ts';
import { fromHex, toHex } from '../../src/ballot/bytes.ts';
import { L, scalarToBytes, scalarToHex } from '../../src/ballot/scalar.ts';
import { pointHex } from '../../src/ballot/codec.ts';
import {
  ballotContext,
  ballotDigest,
  confirmationCode,
  contestHash,
  proofContext,
  SUM_OPTION,
} from '../../src/ballot/ballot.ts';
import { prepare, credentialScalar, type Election } from '../../src/ballot/election.ts';
import { schnorrProve } from '../../src/ballot/schnorr.ts';
import type { Group, Point } from '../../src/ballot/group.ts';
import type { Ciphertext } from '../../src/ballot/elgamal.ts';
import { buildElection, manifest3, seededRandom } from './fixture.ts';

const sodium = await sodiumGroup();
const noble = nobleGroup;
const backends: Group[] = [noble, sodium];
const rfc = JSON.parse(
  readFileSync(new URL('../vectors/ballot/rfc9496-ristretto255.json', import.meta.url), 'utf8'),
) as { 'A.1_multiples_of_generator': string[]; 'A.2_invalid_encodings': Record<string, string[]> };

const P = 2n ** 255n - 19n;
const modP = (a: bigint) => ((a % P) + P) % P;
const modL = (a: bigint) => ((a % L) + L) % L;
const powP = (b: bigint, e: bigint) => {
  let r = 1n;
  b = modP(b);
  for (; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
};
const powL = (b: bigint, e: bigint) => {
  let r = 1n;
  b = modL(b);
  for (; e > 0n; e >>= 1n, b = (b * b) % L) if (e & 1n) r = (r * b) % L;
  return r;
};
const invL = (a: bigint) => powL(a, L - 2n);

// ── 1. soundness of the weights ─────────────────────────────────────────────────────────────────────────────

/** Solves A·x = b mod L (square, invertible) by Gauss–Jordan elimination. */
function solveModL(A: bigint[][], b: bigint[]): bigint[] {
  const n = A.length;
  const M = A.map((row, i) => [...row.map(modL), modL(b[i]!)]);
  for (let col = 0; col < n; col++) {
    const piv = M.findIndex((row, r) => r >= col && row[col] !== 0n);
    if (piv < 0) throw new Error('singular');
    [M[col], M[piv]] = [M[piv]!, M[col]!];
    const inv = invL(M[col]![col]!);
    M[col] = M[col]!.map((x) => modL(x * inv));
    for (let r = 0; r < n; r++) {
      if (r === col || M[r]![col] === 0n) continue;
      const f = M[r]![col]!;
      M[r] = M[r]!.map((x, k) => modL(x - f * M[col]![k]!));
    }
  }
  return M.map((row) => row[n]!);
}

/**
 * A "range proof" that (α, β) = (r·G, m·G + r·K) lies in [lo..hi] for an m OUTSIDE the range, made by a cheater
 * who knows how the verifier derives its batch weights from `seedFields` (everything but the c_j): a_j = x_j·G,
 * b_j = x'_j·G (+ v_j·K when r = 0), then the c_j are solved so that the weighted sum of the (false) equations
 * vanishes: one linear equation for the G-part, one for the K-part (unless r = 0) and Σ c_j = c. So it needs 3
 * branches in general, 2 when α is the identity.
 */
function forgeRangeProof(
  g: Group,
  st: { K: Point; ct: Ciphertext; lo: number; hi: number; context: Uint8Array[] },
  m: bigint,
  r: bigint,
  seedFields: (a: Point[], b: Point[], v: bigint[]) => Uint8Array[],
  rnd: (n: number) => Uint8Array,
): RangeProof {
  const n = st.hi - st.lo + 1;
  const S = g.scalar;
  const x = Array.from({ length: n }, () => S.random(rnd));
  const x2 = Array.from({ length: n }, () => S.random(rnd));
  const v = Array.from({ length: n }, () => S.random(rnd));
  const a = x.map((xi) => g.mulBase(xi));
  const b = x2.map((xi, i) => (r === 0n ? g.add(g.mulBase(xi), g.mul(st.K, v[i]!)) : g.mulBase(xi)));
  const batch = new EquationBatch(g, st.K, hashBytes('batch-seed', seedFields(a, b, v)));
  const z1: bigint[] = [];
  const z2: bigint[] = [];
  for (let i = 0; i < n; i++) {
    z1.push(batch.weight());
    z2.push(batch.weight());
  }
  const fields: Uint8Array[] = [...st.context, g.encode(st.ct.alpha), g.encode(st.ct.beta)];
  for (let i = 0; i < n; i++) fields.push(g.encode(a[i]!), g.encode(b[i]!));
  const c = g.hashToScalar('range-proof', fields);
  // G-part: Σ z1_j (v_j − x_j − c_j r) + z2_j (−x'_j − c_j (m − j)) = 0
  const rowG = z1.map((z, i) => z * r + z2[i]! * (m - BigInt(st.lo + i)));
  const rhsG = z1.reduce((s, z, i) => s + z * (v[i]! - x[i]!) - z2[i]! * x2[i]!, 0n);
  // K-part: Σ z2_j (v_j − c_j r) = 0 (identically 0 when r = 0: b_j carries v_j·K)
  const rowK = z2.map((z) => z * r);
  const rhsK = z2.reduce((s, z, i) => s + z * v[i]!, 0n);
  const rows = r === 0n ? [rowG, z1.map(() => 1n)] : [rowG, rowK, z1.map(() => 1n)];
  const rhs = r === 0n ? [rhsG, c] : [rhsG, rhsK, c];
  assert.ok(n >= rows.length, 'not enough branches to forge');
  // the unknowns beyond the number of equations are fixed at random, the rest solved
  const free = Array.from({ length: n - rows.length }, () => S.random(rnd));
  const k = rows.length;
  const sq = rows.map((row) => row.slice(0, k));
  const rh = rows.map((row, i) => rhs[i]! - row.slice(k).reduce((s, q, j) => s + q * free[j]!, 0n));
  const cs = [...solveModL(sq, rh), ...free];
  return {
    a: a.map((p) => pointHex(g, p)),
    b: b.map((p) => pointHex(g, p)),
    c: cs.map((q) => scalarToHex(modL(q))),
    v: v.map((q) => scalarToHex(q)),
  };
}

/** The weights' seed of a single range proof before the review: α, β, a_j, b_j, v_j, no c_j. */
const seedWithoutC =
  (g: Group, ct: Ciphertext) =>
  (a: Point[], b: Point[], v: bigint[]): Uint8Array[] => {
    const out = [g.encode(ct.alpha), g.encode(ct.beta)];
    for (let i = 0; i < a.length; i++) out.push(g.encode(a[i]!), g.encode(b[i]!), scalarToBytes(v[i]!));
    return out;
  };

describe('batch weights: a cheater must not know them before every input of the equations is fixed', () => {
  const f = buildElection(sodium, { n: 2, k: 2, voters: 3, seed: 'review-forge' });
  const K = prepare(sodium, f.election).K;
  const rnd = seededRandom('review-forge-proofs');

  test('a forged range proof for m = 7 in [0..2] (3 branches, ordinary ciphertext) is refused by both backends', () => {
    for (const g of backends) {
      const Kg = g.decode(sodium.encode(K));
      const r = g.scalar.random(rnd);
      const ct = { alpha: g.mulBase(r), beta: g.add(g.mulBase(7n), g.mul(Kg, r)) };
      const st = { K: Kg, ct, lo: 0, hi: 2, context: [new Uint8Array([1, 2, 3])] };
      const forged = forgeRangeProof(g, st, 7n, r, seedWithoutC(g, ct), rnd);
      assert.equal(rangeVerify(g, st, forged), false, `${g.backend}: single`);
      assert.equal(rangeVerifyBatch(g, [{ st, proof: forged }]), false, `${g.backend}: batch`);
      // the honest proof of a value in range passes (the test can fail)
      const honest = { ...st, ct: { alpha: g.mulBase(r), beta: g.add(g.mulBase(2n), g.mul(Kg, r)) } };
      assert.equal(rangeVerify(g, honest, rangeProve(g, honest, 2, r, rnd)), true);
    }
  });

  test('a forged range proof for m = 5 in [0..1] with α the identity (2 branches) is refused by both backends', () => {
    for (const g of backends) {
      const Kg = g.decode(sodium.encode(K));
      const ct = { alpha: g.identity, beta: g.mulBase(5n) };
      const st = { K: Kg, ct, lo: 0, hi: 1, context: [new Uint8Array([4])] };
      const forged = forgeRangeProof(g, st, 5n, 0n, seedWithoutC(g, ct), rnd);
      assert.equal(rangeVerify(g, st, forged), false, g.backend);
      assert.equal(rangeVerifyBatch(g, [{ st, proof: forged }]), false, `${g.backend}: batch`);
    }
  });

  test('a yes/no/abstain ballot worth +2 yes and −1 no (forged option proofs, honest sum proof) is refused', () => {
    for (const g of backends) {
      const fe = buildElection(g, { n: 2, k: 2, voters: 2, seed: `review-ballot-${g.backend}` });
      const ballot = forgedBallot(g, fe.election, fe.voters[0]!.secret, [2n, L - 1n, 0n], rnd);
      const at = manifest3.opensAt + 1;
      for (const verdict of [
        checkBallot(g, fe.election, ballot, at, new Set()),
        verifyBallotBody(g, fe.election, ballot, at),
        verifyBallotsBatched(g, fe.election, [{ ballot, at }])[0]!,
      ]) {
        assert.deepEqual(verdict.ok ? 'accepted' : verdict.check, '5.6', g.backend);
      }
      // the same construction with the honest values 0/1/0 (so honest proofs) is accepted: the test can fail
      const honest = forgedBallot(g, fe.election, fe.voters[1]!.secret, [0n, 1n, 0n], rnd);
      assert.deepEqual(checkBallot(g, fe.election, honest, at, new Set()), { ok: true });
      // among honest ballots in one batch, the forged one is named
      const { ballot: other } = encryptBallot(g, fe.election, fe.voters[1]!.secret, [[0, 0, 1]], rnd);
      const verdicts = verifyBallotsBatched(
        g,
        fe.election,
        [honest, ballot, other].map((b) => ({ ballot: b, at })),
      );
      assert.deepEqual(
        verdicts.map((v) => (v.ok ? 'ok' : v.check)),
        ['ok', '5.6', 'ok'],
      );
    }
  });
});

/**
 * A ballot for manifest3's yes/no/abstain contest whose options encrypt `values` (mod L); an option whose value is
 * not 0 or 1 is encrypted with α = identity and a forged proof, the sum (which is 1) gets an honest proof.
 */
function forgedBallot(
  g: Group,
  election: Election,
  secret: string,
  values: bigint[],
  rnd: (n: number) => Uint8Array,
): BallotBody {
  const prep = prepare(g, election);
  const x = credentialScalar(g, secret);
  const X = g.mulBase(x);
  const id = rnd(32);
  const hI = ballotContext(prep.fp, id, g.encode(X));
  const cts: Ciphertext[] = [];
  const selections = values.map((m, o) => {
    const honest = m === 0n || m === 1n;
    const r = honest ? g.scalar.random(rnd) : 0n;
    const ct = { alpha: g.mulBase(r), beta: g.add(g.mulBase(m), g.mul(prep.K, r)) };
    cts.push(ct);
    const st = { K: prep.K, ct, lo: 0, hi: 1, context: proofContext(hI, 0, o, 0, 1) };
    const proof = honest
      ? rangeProve(g, st, Number(m), r, rnd)
      : forgeRangeProof(g, st, m, 0n, seedWithoutC(g, ct), rnd);
    return { alpha: pointHex(g, ct.alpha), beta: pointHex(g, ct.beta), proof, r };
  });
  const sum = cts.reduce((s, ct) => ({ alpha: g.add(s.alpha, ct.alpha), beta: g.add(s.beta, ct.beta) }), {
    alpha: g.identity,
    beta: g.identity,
  });
  const rSum = selections.reduce((s, x) => g.scalar.add(s, x.r), 0n);
  const total = Number(modL(values.reduce((s, v) => s + v, 0n)));
  const sumSt = { K: prep.K, ct: sum, lo: 1, hi: 1, context: proofContext(hI, 0, SUM_OPTION, 1, 1) };
  const contests = [
    {
      selections: selections.map(({ alpha, beta, proof }) => ({ alpha, beta, proof })),
      sumProof: rangeProve(g, sumSt, total, rSum, rnd),
    },
  ];
  const code = confirmationCode(hI, [contestHash(g, hI, 0, cts)]);
  return {
    election: election.fingerprint,
    id: toHex(id),
    credential: pointHex(g, X),
    contests,
    code: toHex(code),
    signature: schnorrProve(g, 'schnorr', [ballotDigest(hI, code, contests)], x, rnd),
  };
}

// ── 2. field arithmetic ────────────────────────────────────────────────────────────────────────────────────

/** The engine's private parts, reached for white-box tests (TypeScript's `private` is compile-time only). */
interface Internals {
  x: {
    memory: { buffer: ArrayBuffer };
    mul(out: number, a: number, b: number): void;
    add(out: number, a: number, b: number): void;
    sub(out: number, a: number, b: number): void;
    sqn(out: number, a: number, n: number): void;
    padd(out: number, p: number, q: number): void;
    pow22523(out: number, z: number, unused: number): void;
    freeze(out: number, a: number, unused: number): void;
    feq(a: number, c: number, unused: number): number;
    isneg(a: number, u1: number, u2: number): number;
    iszero(a: number, u1: number, u2: number): number;
    invsqrt(r: number, w: number, unused: number): number;
  };
  decode(enc: Uint8Array, addr: number): void;
  isIdentity(addr: number): boolean;
  encode(addr: number): Uint8Array;
}
const engine = msmEngine();
const inner = engine as unknown as Internals;
const FE = 80;
const OFF = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230];
const BITS = [26, 25, 26, 25, 26, 25, 26, 25, 26, 25];
// test operands live above HEAP; the field tests never run an MSM on this engine in between
const A = HEAP;
const B = HEAP + FE;
const OUT = HEAP + 2 * FE;
const mem = () => new BigInt64Array(inner.x.memory.buffer);
const setLimbs = (addr: number, l: readonly bigint[]) => l.forEach((v, i) => (mem()[addr / 8 + i] = v));
const getLimbs = (addr: number) => Array.from(mem().subarray(addr / 8, addr / 8 + 10));
const valueOf = (l: readonly bigint[]) => l.reduce((s, v, i) => s + (v << BigInt(OFF[i]!)), 0n);
const canonicalLimbs = (v: bigint) =>
  OFF.map((o, i) => (modP(v) >> BigInt(o)) & ((1n << BigInt(BITS[i]!)) - 1n));
const setFe = (addr: number, v: bigint) => setLimbs(addr, canonicalLimbs(v));
/** The module's freeze of the element at addr: its limbs, written above the operands. */
const frozen = (addr: number) => {
  inner.x.freeze(HEAP + 3 * FE, addr, 0);
  return getLimbs(HEAP + 3 * FE);
};
const getFe = (addr: number) => modP(valueOf(getLimbs(addr)));

/**
 * The operand bound the module relies on: every operand of mul is a mul output (limbs in [0, 2^26) / [0, 2^25),
 * limb 1 slightly wider), its negation, or the sum or difference of two of those — so |limb| < 2^27 (even index)
 * and < 2^26 (odd index). Add and sub never carry.
 */
const BOUND = BITS.map((b) => 1n << BigInt(b + 1));
const limbsWithin = (bound: readonly bigint[]) =>
  fc.tuple(...bound.map((m) => fc.bigInt({ min: -m + 1n, max: m - 1n })));
/** What mul promises of its output (so that its output may feed add, sub, mul and freeze again). */
function assertCarried(l: readonly bigint[], what: string) {
  l.forEach((v, i) => {
    const lo = i === 1 ? -(1n << 16n) : 0n;
    const hi = (1n << BigInt(BITS[i]!)) + (i === 1 ? 1n << 16n : 0n);
    assert.ok(v >= lo && v < hi, `${what}: limb ${i} = ${v} out of range`);
  });
}

describe('field arithmetic mod 2^255 − 19 (ten 26/25-bit limbs in i64 lanes)', () => {
  test('the constants, recomputed: d, 2d, √−1 (the non-negative root, as RFC 9496 §4.1), 1, 0', () => {
    const d = modP(-121665n * powP(121666n, P - 2n));
    assert.equal(getFe(240), d);
    assert.equal(modP(121666n * getFe(240) + 121665n), 0n);
    assert.equal(d, ed25519.Point.CURVE().d);
    assert.equal(d, 37095705934669439343138083508754565189542113879843219016388785533085940283555n); // RFC 9496 §4.1
    assert.equal(powP(d, (P - 1n) / 2n), P - 1n, 'd is not a square (completeness of the addition law)');
    assert.equal(getFe(0), modP(2n * d));
    const i = getFe(320);
    assert.equal(modP(i * i), P - 1n);
    assert.equal(i & 1n, 0n, 'SQRT_M1 is the non-negative square root');
    assert.equal(i, 19681161376707505956807079304988542015446066515923890162744021073123829784752n);
    assert.equal(getFe(80), 1n);
    assert.equal(getFe(160), 0n);
    // the constants are stored canonically (freeze compares limbs)
    for (const at of [0, 80, 160, 240, 320]) assert.deepEqual(getLimbs(at), canonicalLimbs(getFe(at)));
  });

  test('mul: no i64 overflow for operands at the bound (worst column, symbolically)', () => {
    // column k of the schoolbook product: Σ f_i·g_j (i + j ≡ k mod 10), ×2 when i and j are both odd, ×19 on wrap
    let worst = 0n;
    for (let k = 0; k < 10; k++) {
      let col = 0n;
      for (let i = 0; i < 10; i++) {
        const j = (k - i + 10) % 10;
        const f = (i % 2 === 1 && j % 2 === 1 ? 2n : 1n) * (i > k ? 19n : 1n);
        col += f * (BOUND[i]! - 1n) * (BOUND[j]! - 1n);
      }
      if (col > worst) worst = col;
    }
    // carries add at most worst / 2^25 to a column
    assert.ok(
      worst + (worst >> 25n) * 19n < 2n ** 63n,
      `worst column 2^${Math.log2(Number(worst)).toFixed(2)}`,
    );
  });

  test('mul and squaring agree with BigInt for any limbs within the bound, and leave carried limbs', () => {
    const check = (fa: readonly bigint[], fb: readonly bigint[]) => {
      setLimbs(A, fa);
      setLimbs(B, fb);
      inner.x.mul(OUT, A, B);
      const out = getLimbs(OUT);
      assert.equal(modP(valueOf(out)), modP(valueOf(fa) * valueOf(fb)));
      assertCarried(out, 'mul');
      inner.x.mul(OUT, A, A);
      assert.equal(modP(valueOf(getLimbs(OUT))), modP(valueOf(fa) ** 2n));
      inner.x.sqn(OUT, A, 3);
      assert.equal(modP(valueOf(getLimbs(OUT))), powP(valueOf(fa), 8n));
      // aliasing: out = a
      setLimbs(OUT, fa);
      inner.x.mul(OUT, OUT, B);
      assert.equal(modP(valueOf(getLimbs(OUT))), modP(valueOf(fa) * valueOf(fb)));
    };
    const max = BOUND.map((m) => m - 1n);
    const min = BOUND.map((m) => -m + 1n);
    const alt = BOUND.map((m, i) => (i % 2 ? m - 1n : -m + 1n));
    for (const a of [max, min, alt]) for (const b of [max, min, alt]) check(a, b);
    fc.assert(
      fc.property(limbsWithin(BOUND), limbsWithin(BOUND), (a, b) => check(a, b)),
      { numRuns: 300 },
    );
  });

  test('add and sub are limb-wise; with mul they compute mod p from the edges (0, 1, p − 1, p, p + 1, 2^255 − 1…)', () => {
    const edges = [0n, 1n, 2n, 19n, P - 1n, P - 2n, 2n ** 254n, 2n ** 255n - 20n, 2n ** 252n - 3n];
    for (const a of edges) {
      for (const b of edges) {
        setFe(A, a);
        setFe(B, b);
        inner.x.add(OUT, A, B);
        assert.equal(getFe(OUT), modP(a + b));
        inner.x.sub(OUT, A, B);
        assert.equal(getFe(OUT), modP(a - b));
        inner.x.mul(OUT, A, B);
        assert.equal(getFe(OUT), modP(a * b));
        assert.deepEqual(frozen(OUT), canonicalLimbs(a * b));
      }
    }
  });

  /** The flags of the module (sign, zero, equality) agree with freeze's limbs of A (the value v). */
  function flagsAgree(v: bigint) {
    const js = frozen(A);
    assert.equal(inner.x.isneg(A, 0, 0), Number(js[0]! & 1n), `isneg(${v})`);
    assert.equal(inner.x.iszero(A, 0, 0), js.every((l) => l === 0n) ? 1 : 0, `iszero(${v})`);
    setLimbs(B, js);
    assert.equal(inner.x.feq(A, B, 0), 1, `feq(${v}, itself)`);
    setLimbs(B, canonicalLimbs(valueOf(js) + 1n));
    assert.equal(inner.x.feq(A, B, 0), 0, `feq(${v}, + 1)`);
  }

  test('freeze: the canonical limbs of the value mod p, for p, 2p, 2^255 ± small, negatives and any limbs < 2^30', () => {
    const limbsOfRaw = (v: bigint): bigint[] => {
      // v in [0, 2^256): plain base-2^25.5 digits, the top limb taking what is left (up to 2^26)
      const out = OFF.map((o, i) => (v >> BigInt(o)) & ((1n << BigInt(BITS[i]!)) - 1n));
      out[9] = v >> 230n;
      return out;
    };
    const values = [
      0n,
      1n,
      P - 1n,
      P,
      P + 1n,
      P + 18n,
      2n ** 255n - 1n,
      2n ** 255n,
      2n ** 255n + 18n,
      2n * P - 1n,
      2n * P,
      2n * P + 1n,
      2n ** 256n - 1n,
    ];
    for (const v of values) {
      setLimbs(A, limbsOfRaw(v));
      assert.equal(valueOf(getLimbs(A)), v);
      assert.deepEqual(frozen(A), canonicalLimbs(v), `freeze(${v})`);
      flagsAgree(v);
      setLimbs(
        A,
        limbsOfRaw(v).map((l) => -l),
      );
      assert.deepEqual(frozen(A), canonicalLimbs(-v), `freeze(−${v})`);
      flagsAgree(-v);
    }
    const w = 1n << 30n;
    for (const l of [
      BITS.map(() => w - 1n),
      BITS.map(() => -w + 1n),
      BITS.map((_, i) => (i % 2 ? w - 1n : -w + 1n)),
    ]) {
      setLimbs(A, l);
      assert.deepEqual(frozen(A), canonicalLimbs(valueOf(l)));
      flagsAgree(valueOf(l));
    }
    fc.assert(
      fc.property(limbsWithin(BITS.map(() => w)), (l) => {
        setLimbs(A, l);
        assert.deepEqual(frozen(A), canonicalLimbs(valueOf(l)));
        flagsAgree(valueOf(l));
      }),
      { numRuns: 500 },
    );
  });

  test('invsqrt is RFC 9496 SQRT_RATIO_M1(1, w): its flag and its non-negative root, through every case', () => {
    const i = getFe(320);
    const seen = new Set<string>();
    const check = (w: bigint) => {
      setFe(B, w);
      const flag = inner.x.invsqrt(OUT, B, 0);
      const r = getFe(OUT);
      assertCarried(getLimbs(OUT), 'invsqrt');
      assert.equal(r & 1n, 0n, `CT_ABS: r of ${w} is non-negative`);
      if (w === 0n) {
        assert.deepEqual([flag, r], [0, 0n]);
        return;
      }
      const square = powP(w, (P - 1n) / 2n) === 1n;
      assert.equal(flag, square ? 1 : 0, `was_square(${w})`);
      // r² · w = 1 for a square, i for a non-square (RFC 9496 §4.2: √(i/w))
      assert.equal(modP(r * r * w), square ? 1n : i, `r of ${w}`);
      seen.add(square ? 'square' : 'non-square');
    };
    for (const w of [0n, 1n, 2n, P - 1n, i, modP(-i), 4n, 2n ** 254n]) check(w);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P - 1n }), (w) => check(w)),
      { numRuns: 200 },
    );
    assert.deepEqual([...seen].sort(), ['non-square', 'square']);
  });

  test('sqn (squarings on limbs held in locals) is a^(2^n) for n = 0…8 and 250, in place or not, carried', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P - 1n }), fc.constantFrom(0, 1, 2, 3, 8, 250), (a, n) => {
        setFe(A, a);
        inner.x.sqn(OUT, A, n);
        assert.equal(modP(valueOf(getLimbs(OUT))), powP(a, 2n ** BigInt(n)));
        if (n > 0) assertCarried(getLimbs(OUT), 'sqn');
        inner.x.sqn(A, A, n); // out = a
        assert.equal(modP(valueOf(getLimbs(A))), powP(a, 2n ** BigInt(n)));
      }),
      {
        numRuns: 60,
        examples: [
          [P - 1n, 250],
          [0n, 3],
          [1n, 0],
        ],
      },
    );
  });

  test('pow22523 is z^((p − 5)/8), and gives √(u/v) as RFC 9496 SQRT_RATIO_M1 needs', () => {
    const e = (P - 5n) / 8n;
    const zs = [0n, 1n, 2n, P - 1n, P - 2n, 2n ** 254n, 2n ** 255n - 20n];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P - 1n }), (z) => {
        setFe(A, z);
        inner.x.pow22523(OUT, A, 0);
        assert.equal(getFe(OUT), powP(z, e));
      }),
      { numRuns: 30, examples: zs.map((z) => [z]) },
    );
  });
});

// ── 3. points: addition, decoding, the identity class, the multi-scalar multiplication ─────────────────────

const E = ed25519.Point;
type EdPoint = InstanceType<typeof E>;
/** A point of order 8 (checked below), so T, 2T, …, 7T are the whole torsion subgroup E[8]. */
const T8 = E.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
const torsion: EdPoint[] = [];
for (let i = 0, acc = E.ZERO; i < 8; i++, acc = acc.add(T8)) torsion.push(acc);
const PT = 4 * FE;
const D = modP(-121665n * powP(121666n, P - 2n));

/** Writes an Edwards point in extended coordinates scaled by λ (projective: the same point). */
function setPoint(addr: number, p: EdPoint, lambda = 1n) {
  const { x, y } = p.toAffine();
  setFe(addr, x * lambda);
  setFe(addr + FE, y * lambda);
  setFe(addr + 2 * FE, lambda);
  setFe(addr + 3 * FE, x * y * lambda);
}
/** Reads a point back as affine (x, y), checking the extended-coordinate invariants on the way. */
function getPoint(addr: number): { x: bigint; y: bigint } {
  const [X, Y, Z, T] = [0, 1, 2, 3].map((k) => getFe(addr + k * FE)) as [bigint, bigint, bigint, bigint];
  assert.notEqual(Z, 0n);
  assert.equal(modP(X * Y), modP(Z * T), 'X·Y = Z·T');
  assert.equal(modP(-X * X + Y * Y), modP(Z * Z + D * T * T), 'on the curve −x² + y² = 1 + d·x²·y²');
  const zi = powP(Z, P - 2n);
  return { x: modP(X * zi), y: modP(Y * zi) };
}

describe('points', () => {
  test('T8 has order 8', () => {
    assert.ok(T8.isSmallOrder() && !T8.equals(E.ZERO));
    assert.ok(torsion[4]!.add(torsion[4]!).equals(E.ZERO) && !torsion[4]!.equals(E.ZERO));
    assert.ok(torsion[7]!.add(T8).equals(E.ZERO));
  });

  test('padd is complete: it matches noble’s Edwards addition for doubling, P + (−P), the identity, every torsion point, projective inputs and aliasing', () => {
    const rnd = seededRandom('padd');
    const pts: EdPoint[] = [...torsion];
    for (let i = 0; i < 6; i++) pts.push(E.BASE.multiply(noble.scalar.random(rnd)));
    pts.push(pts[9]!.negate(), pts[9]!.add(torsion[1]!), pts[9]!.add(torsion[2]!));
    const P1 = HEAP;
    const P2 = HEAP + PT;
    const R = HEAP + 2 * PT;
    for (const p of pts) {
      for (const q of pts) {
        const want = p.add(q).toAffine();
        setPoint(P1, p, 7n);
        setPoint(P2, q, P - 3n);
        inner.x.padd(R, P1, P2);
        assert.deepEqual(getPoint(R), { x: want.x, y: want.y });
        inner.x.padd(P1, P1, P2); // out = p
        assert.deepEqual(getPoint(P1), { x: want.x, y: want.y });
        setPoint(P1, p);
        inner.x.padd(P2, P1, P2); // out = q
        assert.deepEqual(getPoint(P2), { x: want.x, y: want.y });
      }
      const dbl = p.double().toAffine();
      setPoint(P1, p);
      inner.x.padd(P1, P1, P1); // out = p = q
      assert.deepEqual(getPoint(P1), { x: dbl.x, y: dbl.y });
    }
  });

  test('encoding (in the module): noble’s RFC 9496 bytes for any representative of the class, at any projective scale', () => {
    const rnd = seededRandom('encode');
    const ristretto = (p: EdPoint) => toHex(new ristretto255.Point(p).toBytes());
    for (let n = 0; n < 40; n++) {
      const p = n === 0 ? E.ZERO : E.BASE.multiply(noble.scalar.random(rnd));
      const want = ristretto(p);
      // p + t for t in E[4] is the same ristretto255 element (and takes the rotated branch for some t)
      for (const [k, t] of torsion.entries()) {
        if (k % 2 === 1) continue;
        const q = p.add(t);
        for (const lambda of [1n, 5n, P - 1n]) {
          setPoint(A, q, lambda);
          assert.equal(toHex(inner.encode(A)), want, `#${n} + ${k}·T8 × ${lambda}`);
        }
      }
    }
  });

  test('the identity class is exactly E[4]: X = 0 or Y = 0 (RFC 9496 §4.3.3), at any projective scale', () => {
    const rnd = seededRandom('e4');
    for (const [k, t] of torsion.entries()) {
      for (const lambda of [1n, 2n, P - 1n]) {
        setPoint(A, t, lambda);
        assert.equal(inner.isIdentity(A), k % 2 === 0, `${k}·T8 × ${lambda}`);
      }
    }
    const p = E.BASE.multiply(noble.scalar.random(rnd));
    for (const t of torsion) {
      setPoint(A, p.add(t));
      assert.equal(inner.isIdentity(A), false);
    }
  });

  test('decoding: RFC 9496 A.1 multiples decode to the right points, every A.2 invalid encoding is refused', () => {
    const e = msmEngine();
    const enc = rfc['A.1_multiples_of_generator'].map((h) => fromHex(h, 32, 'A.1'));
    enc.forEach((b, i) => {
      // i·B − i·(1·B) = 0, and (i + 1)·(1·B) is not i·B
      assert.equal(e.msmIsIdentity([b, enc[1]!], [1n, modL(-BigInt(i))]), true, `A.1 #${i}`);
      assert.equal(e.msmIsIdentity([b, enc[1]!], [1n, modL(-BigInt(i + 1))]), false, `A.1 #${i} + 1`);
      if (i > 0) {
        inner.decode(b, A);
        getPoint(A); // on the curve, X·Y = Z·T
      }
    });
    for (const [kind, list] of Object.entries(rfc['A.2_invalid_encodings'])) {
      for (const h of list) {
        const b = fromHex(h, 32, 'A.2');
        assert.throws(() => e.msmIsIdentity([b], [1n]), /ristretto255/, `${kind}: ${h}`);
        assert.throws(() => inner.decode(b, A), /ristretto255/, `${kind}: ${h}`);
      }
    }
    // the all-zero encoding goes through the decoder too (msmIsIdentity short-cuts it): the identity
    inner.decode(new Uint8Array(32), A);
    assert.equal(inner.isIdentity(A), true);
  });

  /** Accepts or refuses b like noble and libsodium, and decodes it to the same point. */
  function decodesLikeOthers(e: ReturnType<typeof msmEngine>, b: Uint8Array, what: string): boolean {
    const ok = (f: () => unknown) => {
      try {
        f();
        return true;
      } catch {
        return false;
      }
    };
    const byNoble = ok(() => noble.decode(b));
    assert.equal(
      ok(() => sodium.decode(b)),
      byNoble,
      `sodium vs noble: ${what} ${toHex(b)}`,
    );
    assert.equal(
      ok(() => inner.decode(b, A)),
      byNoble,
      `wasm vs noble: ${what} ${toHex(b)}`,
    );
    if (byNoble) {
      assert.equal(e.msmIsIdentity([b, noble.encode(noble.neg(noble.decode(b)))], [1n, 1n]), true, toHex(b));
    } else {
      assert.throws(() => e.msmIsIdentity([b], [1n]), /ristretto255/);
    }
    return byNoble;
  }
  const le = (v: bigint) => {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = Number((v >> BigInt(8 * i)) & 255n);
    return out;
  };

  test('decoding at the edges of s: small s, s just below and above p, s = −1 (y = 0), the sign bit, bit 255', () => {
    const e = msmEngine();
    let valid = 0;
    const values: bigint[] = [];
    for (let s = 0n; s < 600n; s++) values.push(s, P - 1n - s, P + s, 2n ** 254n + s, 2n ** 254n - s);
    for (const s of values) {
      if (s >= 2n ** 256n) continue;
      if (decodesLikeOthers(e, le(s), `s = ${s}`)) valid++;
      const high = le(s);
      high[31]! |= 0x80;
      assert.throws(() => inner.decode(high, A), /ristretto255/, 'bit 255 set');
    }
    assert.ok(valid > 100, `${valid} valid encodings among the edge values`); // the test sees both outcomes
    assert.throws(() => inner.decode(le(P - 1n), A), /invalid ristretto255 encoding/); // s = −1: y = 0
  });

  test('decoding Edwards (non-ristretto) encodings: the eight small-order points, with and without the sign bit, and random points', () => {
    const e = msmEngine();
    const rnd = seededRandom('edwards');
    const inputs: Uint8Array[] = [];
    for (const t of torsion) {
      const b = t.toBytes();
      inputs.push(
        b,
        Uint8Array.from(b, (x, i) => (i === 31 ? x ^ 0x80 : x)),
      );
    }
    for (let i = 0; i < 100; i++) {
      const p = E.BASE.multiply(noble.scalar.random(rnd));
      inputs.push(p.toBytes(), p.add(T8).toBytes(), p.add(torsion[4]!).toBytes());
    }
    let valid = 0;
    for (const b of inputs) if (decodesLikeOthers(e, b, 'edwards')) valid++;
    assert.ok(valid > 0 && valid < inputs.length, `${valid} of ${inputs.length}`);
  });

  test('decoding random canonical non-negative s like noble and libsodium, through every case of SQRT_RATIO_M1', () => {
    const e = msmEngine();
    const i = getFe(320);
    /** Which case of RFC 9496 SQRT_RATIO_M1(1, w) the decoding of s goes through (computed here in BigInt). */
    const sqrtCase = (s: bigint) => {
      const ss = modP(s * s);
      const u2sq = modP((1n + ss) ** 2n);
      const w = modP((-D * (1n - ss) ** 2n - u2sq) * u2sq);
      const r = modP(w ** 3n * powP(w ** 7n, (P - 5n) / 8n));
      const check = modP(w * r * r);
      return check === 1n ? 'correct' : check === P - 1n ? 'flipped' : check === modP(-i) ? 'flipped_i' : 'i';
    };
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (P - 1n) / 2n }), (h) => {
        const valid = decodesLikeOthers(e, le(2n * h), 'random even s');
        const c = sqrtCase(2n * h);
        seen.set(`${c}/${valid}`, (seen.get(`${c}/${valid}`) ?? 0) + 1);
      }),
      { numRuns: 400 },
    );
    // square roots found directly and after the √−1 correction both decode; both non-square cases are refused
    for (const k of ['correct/true', 'flipped/true', 'flipped_i/false', 'i/false']) {
      assert.ok((seen.get(k) ?? 0) > 0, `${k} never seen: ${[...seen.entries()].join(' ')}`);
    }
  });
});

describe('multi-scalar multiplication at the edges (against noble and libsodium)', () => {
  const e = msmEngine();
  const rnd = seededRandom('msm-edges');
  const base = Array.from({ length: 25 }, () => noble.mulBase(noble.scalar.random(rnd)));
  const ZERO = new Uint8Array(32);
  const HALF = L >> 1n;
  const edgeScalars = [
    0n,
    1n,
    2n,
    15n,
    16n,
    255n,
    256n,
    HALF - 1n,
    HALF,
    HALF + 1n,
    L - 1n,
    L - 2n,
    2n ** 128n - 1n,
    2n ** 128n,
    L - (2n ** 128n - 1n),
    2n ** 252n - 1n,
    2n ** 252n,
  ];

  /** Checks Σ s_i·P_i against noble (and libsodium's sum of single multiplications) through the identity test. */
  function agrees(points: Uint8Array[], scalars: bigint[], what: string) {
    const R = noble.msm(
      points.map((b) => noble.decode(b)),
      scalars,
    );
    const Rs = sodium.msm(
      points.map((b) => sodium.decode(b)),
      scalars,
    );
    assert.equal(toHex(sodium.encode(Rs)), toHex(noble.encode(R)), `libsodium vs noble: ${what}`);
    const minusR = noble.encode(noble.neg(R));
    assert.equal(e.msmIsIdentity([...points, minusR], [...scalars, 1n]), true, what);
    assert.equal(e.msmIsIdentity(points, scalars), noble.eq(R, noble.identity), `${what} (alone)`);
    // one more of R: identity exactly when R is
    assert.equal(e.msmIsIdentity([...points, minusR], [...scalars, 2n]), noble.eq(R, noble.identity), what);
  }

  test('every edge scalar, alone (Straus) and among 30 identity points (Pippenger)', () => {
    const p = noble.encode(base[0]!);
    for (const s of edgeScalars) {
      agrees([p], [s], `s = ${s}`);
      agrees(
        [...Array(30).fill(ZERO), p],
        [...edgeScalars.slice(0, 30), ...Array(13).fill(7n), s].slice(-31),
        `s = ${s} (31)`,
      );
      agrees([ZERO, p, ZERO], [s, s, s], `identity around, s = ${s}`);
    }
  });

  test("large sums (Pippenger's signed digits, windows of 6 to 10 bits) equal (Σ s_i·r_i)·G for P_i = r_i·G", () => {
    const mk = [
      () => noble.scalar.random(rnd) & (2n ** 128n - 1n), // a batch weight
      () => noble.scalar.random(rnd), // a weighted response
      () => L - 1n - (noble.scalar.random(rnd) & 0xffffn), // just below L: negated, short
      () => 0n,
    ];
    const distinct = Array.from({ length: 64 }, () => noble.scalar.random(rnd));
    const encoded = distinct.map((r) => noble.encode(noble.mulBase(r)));
    for (const n of [300, 3000, 12000]) {
      const rs = Array.from({ length: n }, (_, i) => distinct[i % 64]!);
      const points = rs.map((_, i) => encoded[i % 64]!);
      const scalars = rs.map((_, i) => mk[i % mk.length]!());
      let sum = 0n;
      for (let i = 0; i < n; i++) sum = noble.scalar.add(sum, noble.scalar.mul(scalars[i]!, rs[i]!));
      const G = noble.encode(noble.G);
      assert.equal(e.msmIsIdentity([...points, G], [...scalars, noble.scalar.neg(sum)]), true, `${n} points`);
      assert.equal(
        e.msmIsIdentity([...points, G], [...scalars, noble.scalar.neg(noble.scalar.add(sum, 1n))]),
        false,
        `${n} points, off by G`,
      );
    }
  });

  test('a point whose ring slot was reused since it was decoded is decoded again, not read from the new owner', () => {
    const fresh = msmEngine();
    const [a, b] = [noble.encode(base[1]!), noble.encode(base[2]!)];
    const minusA = noble.encode(noble.neg(noble.decode(a)));
    fresh.remember(a);
    // 2^15 more decodings (distinct objects, so each takes a slot): a's slot now holds one of b's copies
    for (let i = 0; i < 1 << 15; i++) fresh.remember(b.slice());
    assert.equal(fresh.msmIsIdentity([a, minusA], [1n, 1n]), true);
    assert.equal(fresh.msmIsIdentity([a, minusA], [2n, 1n]), false);
    assert.equal(fresh.msmIsIdentity([a, minusA, b], [3n, 3n, 0n]), true);
    // an encoding that takes no property (the ticket) is decoded each time, not refused
    const sealed = Object.preventExtensions(a.slice());
    for (let i = 0; i < 2; i++) assert.equal(fresh.msmIsIdentity([sealed, minusA], [1n, 1n]), true);
  });

  test('zero scalars, identity points, repeated points (one object and equal copies) that cancel', () => {
    for (const n of [1, 5, 24, 25, 40]) {
      const pts = Array.from({ length: n }, (_, i) => noble.encode(base[i % base.length]!));
      assert.equal(
        e.msmIsIdentity(
          pts,
          pts.map(() => 0n),
        ),
        true,
        `${n} zero scalars`,
      );
      assert.equal(
        e.msmIsIdentity(
          pts.map(() => ZERO),
          pts.map(() => noble.scalar.random(rnd)),
        ),
        true,
        `${n} identity points`,
      );
      const same = pts[0]!;
      const s = pts.map(() => noble.scalar.random(rnd));
      const total = s.reduce((a, b) => modL(a + b), 0n);
      // Σ s_i·P + (−Σ s_i)·P with P the same object n times, then with copies
      assert.equal(
        e.msmIsIdentity([...pts.map(() => same), same], [...s, modL(-total)]),
        true,
        `${n} same object`,
      );
      assert.equal(
        e.msmIsIdentity([...pts.map(() => same.slice()), same.slice()], [...s, modL(-total)]),
        true,
        `${n} copies`,
      );
      assert.equal(e.msmIsIdentity([...pts.map(() => same), same], [...s, modL(1n - total)]), false);
    }
  });

  test('any size around the Straus/Pippenger switch and the window widths, any scalar length (not a multiple of the window)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 23, 24, 25, 26, 31, 33, 47, 64, 65, 130),
        fc.integer({ min: 1, max: 253 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, bits, seed) => {
          const r = seededRandom(`sizes-${seed}`);
          const pts = Array.from({ length: n }, (_, i) =>
            i % 11 === 10 ? ZERO : noble.encode(base[(i * 7 + seed) % base.length]!),
          );
          const scalars = pts.map((_, i) => {
            if (i % 13 === 12) return 0n;
            const s = modL(noble.scalar.random(r) % (1n << BigInt(bits)));
            return i % 3 === 2 ? modL(-s) : s; // full-length negations, as batch coefficients are
          });
          agrees(pts, scalars, `n = ${n}, ${bits} bits`);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('5,000 points (10-bit windows), then small sums again after the memory grew', () => {
    const n = 5000;
    const pts = Array.from({ length: n }, (_, i) => noble.encode(base[i % base.length]!));
    const scalars = pts.map(() => noble.scalar.random(rnd));
    // R = Σ_k (Σ_{i ≡ k} s_i)·P_k: 25 multiplications for noble
    const coef = base.map(() => 0n);
    scalars.forEach((s, i) => (coef[i % base.length] = modL(coef[i % base.length]! + s)));
    const R = base.reduce((acc, p, k) => noble.add(acc, noble.mul(p, coef[k]!)), noble.identity);
    const minusR = noble.encode(noble.neg(R));
    assert.equal(e.msmIsIdentity([...pts, minusR], [...scalars, 1n]), true);
    assert.equal(e.msmIsIdentity([...pts, minusR], [...scalars, 2n]), false);
    agrees([noble.encode(base[1]!)], [5n], 'after growing');
    agrees(pts.slice(0, 30), scalars.slice(0, 30), 'after growing (Pippenger)');
  });

  test('scalars outside [0, L) are refused, not silently reduced wrongly', () => {
    const p = noble.encode(base[0]!);
    for (const s of [L, L + 5n, 2n ** 256n, -1n, -L]) {
      assert.throws(() => e.msmIsIdentity([p], [s]), RangeError, `s = ${s}`);
    }
    assert.throws(() => e.msmIsIdentity([p], [1n, 2n]), RangeError);
    assert.throws(() => e.msmIsIdentity([p.subarray(1)], [1n]), /32 bytes/);
  });
});
