// Variable-time multi-scalar multiplication over ristretto255 (public inputs only: batch verification), in a small
// WebAssembly module that this file writes out byte by byte. libsodium has no multi-scalar multiplication and
// @noble/curves' Pippenger computes with BigInt; this one keeps field elements as ten signed 64-bit limbs of 26 and
// 25 bits (the "ref10" representation of curve25519 arithmetic), adds points in extended coordinates with the
// complete formula for a = −1 (Hisil–Wong–Carter–Dawson 2008, "add-2008-hwcd-3", also used to double), and runs
// Pippenger's bucket method from JavaScript. Decoding is RFC 9496 §4.3.1 on the same arithmetic, inside the module
// (one call a point, the byte checks of canonicity and sign in JavaScript before it); a batch's sum is
// compared with the identity (§4.3.3: X·Y = 0 for the identity class), and a sum the mix-net's prover needs leaves as
// extended coordinates for the caller to encode (msmExtended; sodium-group.ts encodes with @noble/curves).
import { BallotFormatError } from './errors.ts';

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const HALF_L = L >> 1n;
const modP = (a: bigint) => ((a % P) + P) % P;
/** The value of a lower-case hex digit (BigInt's toString(16)). */
const hexValue = (c: number): number => (c <= 57 ? c - 48 : c - 87);
const OFFSETS = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230];
const BITS = [26, 25, 26, 25, 26, 25, 26, 25, 26, 25];

// ── a minimal WebAssembly writer ─────────────────────────────────────────────────────────────────────────────
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (v: bigint): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

const I32 = 0x7f;
const I64 = 0x7e;
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  load: (offset: number) => [0x29, 3, ...uleb(offset)],
  store: (offset: number) => [0x37, 3, ...uleb(offset)],
  i64: (v: bigint) => [0x42, ...sleb(v)],
  i32: (v: number) => [0x41, ...sleb(BigInt(v))],
  call: (f: number) => [0x10, ...uleb(f)],
  add: [0x7c],
  sub: [0x7d],
  mul: [0x7e],
  shl: [0x86],
  shrS: [0x87],
  shrU: [0x88],
  and: [0x83],
  or: [0x84],
  eq: [0x51],
  eqz: [0x50],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32LeS: [0x4c],
  i32And: [0x71],
  i32Or: [0x72],
  i32Eqz: [0x45],
  wrap: [0xa7],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  return: [0x0f],
  drop: [0x1a],
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  br: (d: number) => [0x0c, ...uleb(d)],
  end: [0x0b],
};

// Function indices (all take i32 addresses and return nothing).
const F_MUL = 0; // (out, a, b): out = a·b, carried
const F_ADD = 1; // (out, a, b): limb-wise a + b
const F_SUB = 2; // (out, a, b): limb-wise a − b
const F_SQN = 3; // (out, a, n): out = a^(2^n), n ≥ 0
// 4 padd (out, p, q): points, out may alias p or q
const F_SQ = 5; // (out, a, _): out = a², carried
// 6 pmadd, 7 niels (below); 8 pow22523 (out, z, _): out = z^((p−5)/8); 9 pmsub
const F_POW22523 = 8;
// The decoding's functions: RFC 9496 §4.3.1 in one call from JavaScript (the calls per field operation and the
// limb handling in JavaScript cost about a fifth of a decoding). Those marked → i32 return a flag.
const F_FROMBYTES = 10; // (out, src, _): the limbs of 32 little-endian bytes, bit 255 ignored
const F_FREEZE = 11; // (out, a, _): the canonical limbs of a (any limbs below 2^30 in magnitude)
const F_FEQ = 12; // (a, c, _) → i32: a (carried) equals the canonical constant at c
const F_ISNEG = 13; // (a, _, _) → i32: a (carried) is negative, odd once reduced (RFC 9496 IS_NEGATIVE)
const F_ISZERO = 14; // (a, _, _) → i32: a (carried) is 0 mod p
const F_INVSQRT = 15; // (r, w, _) → i32: RFC 9496 §4.2 SQRT_RATIO_M1(1, w) into r, w a square?
const F_ABS = 16; // (a, _, _): CT_ABS in place (a carried; the result carried)
// 17 decode (out, src, _) → i32: the point of the canonical non-negative encoding at src, valid?
// 18 encode (out, p, _): the canonical limbs of the encoding of the point at p

const FE = 80; // bytes per field element
const PT = 4 * FE; // X, Y, Z, T
/** Memory layout: constants and scratch below BASE; points and buckets above. */
const C_D2 = 0; // 2d
const SCRATCH = 2048;
/** Up to this many points Straus (shared doublings, 4-bit tables) beats Pippenger's buckets. */
const STRAUS_MAX = 24;
/**
 * Decoded points kept (MsmEngine.decoded): more than one batch of verifyBallotsBatched holds (≈ 22 a ballot, 512
 * ballots), in the engine's memory from RING: X, Y and T of each (Z = 1), 240 bytes a slot, 7.5 MiB in all (pages the
 * ring has not reached yet are never touched, so they cost no resident memory).
 */
const RING_SLOTS = 1 << 15;
const RING = 4096;
const SLOT = 3 * FE;
export const HEAP = RING + RING_SLOTS * SLOT;
/** Constants and scratch of the decoding (between the inverse square root's scratch and RING). */
const C_ONE = 80;
const C_ZERO = 160;
const C_D = 240;
const C_SQRT_M1 = 320;
const SCRATCH_SQRT = SCRATCH + 10 * FE; // 4 field elements of invSqrt, after the point addition's 10
const C_INVSQRT_A_MINUS_D = SCRATCH_SQRT + 4 * FE;
const C_MINUS_ONE = C_INVSQRT_A_MINUS_D + FE;
const C_MINUS_SQRT_M1 = C_MINUS_ONE + FE;
/** freeze's output for the flag functions. */
const FZ = C_MINUS_SQRT_M1 + FE;
/** An encoding to decode, with 8 bytes of room after it (fromBytes reads 8 bytes from byte 28). */
const ENC_IN = FZ + FE;

function feMulBody(): number[] {
  // locals: 0 out, 1 a, 2 b | 3.. f0..f9, g0..g9, g19_0..g19_9, f2_0..f2_9, h0..h9, c
  const f = (i: number) => 3 + i;
  const g = (i: number) => 13 + i;
  const g19 = (i: number) => 23 + i;
  const f2 = (i: number) => 33 + i;
  const h = (i: number) => 43 + i;
  const c = 53;
  const code: number[] = [];
  for (let i = 0; i < 10; i++) code.push(...op.get(1), ...op.load(8 * i), ...op.set(f(i)));
  for (let i = 0; i < 10; i++) code.push(...op.get(2), ...op.load(8 * i), ...op.set(g(i)));
  for (let i = 1; i < 10; i++) code.push(...op.get(g(i)), ...op.i64(19n), ...op.mul, ...op.set(g19(i)));
  for (let i = 1; i < 10; i += 2) code.push(...op.get(f(i)), ...op.get(f(i)), ...op.add, ...op.set(f2(i)));
  for (let k = 0; k < 10; k++) {
    for (let i = 0; i < 10; i++) {
      const wrap = i > k;
      const j = wrap ? k - i + 10 : k - i;
      const both = i % 2 === 1 && j % 2 === 1;
      code.push(...op.get(both ? f2(i) : f(i)), ...op.get(wrap ? g19(j) : g(j)), ...op.mul);
      if (i > 0) code.push(...op.add);
    }
    code.push(...op.set(h(k)));
  }
  code.push(...carryCode(h, c));
  for (let i = 0; i < 10; i++) code.push(...op.get(0), ...op.get(h(i)), ...op.store(8 * i));
  return [...vec([[51, I64]]), ...code, ...op.end];
}

/** Locals of fe_sq and sqn after their three parameters: f0..f9, 2f, 19f, 38f, h0..h9, c. */
const SQ_LOCALS = 51;
const sqF = (i: number) => 3 + i;
const sqH = (i: number) => 43 + i;

/**
 * h = f², carried, from the limbs in locals f0..f9 to h0..h9: ref10's fe_sq, 55 limb products instead of fe_mul's
 * 100 (each cross product once, doubled), with the same bounds (an operand limb is multiplied by at most 2·38 = 76,
 * as in ref10).
 */
function sqCode(): number[] {
  const f = sqF;
  const f2 = (i: number) => 13 + i;
  const f19 = (i: number) => 23 + i;
  const f38 = (i: number) => 33 + i;
  const h = sqH;
  const c = 53;
  const code: number[] = [];
  for (let i = 0; i < 10; i++) {
    code.push(...op.get(f(i)), ...op.get(f(i)), ...op.add, ...op.set(f2(i)));
    code.push(...op.get(f(i)), ...op.i64(19n), ...op.mul, ...op.set(f19(i)));
    code.push(...op.get(f19(i)), ...op.get(f19(i)), ...op.add, ...op.set(f38(i)));
  }
  for (let k = 0; k < 10; k++) {
    let first = true;
    for (let i = 0; i < 10; i++) {
      for (let j = i; j < 10; j++) {
        if ((i + j) % 10 !== k) continue;
        // coefficient: 2 for a cross product, 2 when both limbs are odd (25-bit), 19 when i + j ≥ 10
        let twos = (i === j ? 0 : 1) + (i % 2 === 1 && j % 2 === 1 ? 1 : 0);
        const nineteen = i + j >= 10;
        const a = twos > 0 ? f2(i) : f(i);
        if (twos > 0) twos--;
        const b = nineteen ? (twos > 0 ? f38(j) : f19(j)) : twos > 0 ? f2(j) : f(j);
        code.push(...op.get(a), ...op.get(b), ...op.mul);
        if (!first) code.push(...op.add);
        first = false;
      }
    }
    code.push(...op.set(h(k)));
  }
  code.push(...carryCode(h, c));
  return code;
}

const loadLimbs = (from: number): number[] =>
  Array.from({ length: 10 }, (_, i) => [...op.get(from), ...op.load(8 * i), ...op.set(sqF(i))]).flat();
const storeLimbs = (limb: (i: number) => number): number[] =>
  Array.from({ length: 10 }, (_, i) => [...op.get(0), ...op.get(limb(i)), ...op.store(8 * i)]).flat();

/** out = a², carried (locals 0 out, 1 a, 2 unused). */
function feSqBody(): number[] {
  return [...vec([[SQ_LOCALS, I64]]), ...loadLimbs(1), ...sqCode(), ...storeLimbs(sqH), ...op.end];
}

/** The carry chain of fe_mul and fe_sq: limbs h(0..9) back within 26/25 bits (one extra pass over limb 0). */
function carryCode(h: (i: number) => number, c: number): number[] {
  const code: number[] = [];
  const carry = (k: number) => {
    const next = (k + 1) % 10;
    code.push(...op.get(h(k)), ...op.i64(BigInt(BITS[k]!)), ...op.shrS, ...op.set(c));
    code.push(
      ...op.get(h(k)),
      ...op.get(c),
      ...op.i64(BigInt(BITS[k]!)),
      ...op.shl,
      ...op.sub,
      ...op.set(h(k)),
    );
    code.push(...op.get(h(next)), ...op.get(c));
    if (k === 9) code.push(...op.i64(19n), ...op.mul);
    code.push(...op.add, ...op.set(h(next)));
  };
  for (let k = 0; k < 10; k++) carry(k);
  carry(0);
  return code;
}

function feLinearBody(o: number[]): number[] {
  const code: number[] = [];
  for (let i = 0; i < 10; i++)
    code.push(
      ...op.get(0),
      ...op.get(1),
      ...op.load(8 * i),
      ...op.get(2),
      ...op.load(8 * i),
      ...o,
      ...op.store(8 * i),
    );
  return [...vec([]), ...code, ...op.end];
}

/**
 * out = a^(2^n) for n ≥ 0 (locals 0 out, 1 a, 2 n): the squarings of an inverse square root (250 of them), each on
 * limbs held in locals, with no call and no trip through memory between two of them.
 */
function feSqnBody(): number[] {
  const code = [
    ...loadLimbs(1),
    ...op.block,
    ...op.loop,
    ...op.get(2),
    ...op.i32(0),
    ...op.i32LeS,
    ...op.brIf(1),
    ...sqCode(),
    ...Array.from({ length: 10 }, (_, i) => [...op.get(sqH(i)), ...op.set(sqF(i))]).flat(),
    ...op.get(2),
    ...op.i32(1),
    ...op.i32Sub,
    ...op.set(2),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...storeLimbs(sqF),
  ];
  return [...vec([[SQ_LOCALS, I64]]), ...code, ...op.end];
}

/** Emits the calls of one point function: `at(local, offset)` an address in a point, `abs` a fixed address. */
function emitter() {
  const code: number[] = [];
  const at = (base: number, off: number) => [...op.get(base), ...op.i32(off), ...op.i32Add];
  const abs = (a: number) => op.i32(a);
  const call = (f: number, a: number[], b: number[], c: number[]) =>
    code.push(...a, ...b, ...c, ...op.call(f));
  const body = () => [...vec([]), ...code, ...op.end];
  return { at, abs, call, body, code };
}

/** Scratch field elements at SCRATCH + k·FE (k = 0, 1 temporaries, then A, B, C, D, E, F, G, H). */
const scratch = (k: number) => SCRATCH + k * FE;
const [S_T0, S_T1, S_A, S_B, S_C, S_D] = [
  scratch(0),
  scratch(1),
  scratch(2),
  scratch(3),
  scratch(4),
  scratch(5),
];
const [S_E, S_F, S_G, S_H] = [scratch(6), scratch(7), scratch(8), scratch(9)];
/** Offsets of X, Y, Z, T in an extended point. */
const [X, Y, Z, T] = [0, FE, 2 * FE, 3 * FE];

/**
 * The tail the additions share (HWCD's add-2008-hwcd-3 after A, B, C, D): E = B − A, F = D − C, G = D + C,
 * H = B + A, then out = (E·F, G·H, F·G, E·H) in local 0. `negC`: C is the negation of the one computed (a
 * subtraction), so F = D + C and G = D − C.
 */
function addTail({ at, abs, call }: ReturnType<typeof emitter>, negC = false): void {
  call(F_SUB, abs(S_E), abs(S_B), abs(S_A));
  call(negC ? F_ADD : F_SUB, abs(S_F), abs(S_D), abs(S_C));
  call(negC ? F_SUB : F_ADD, abs(S_G), abs(S_D), abs(S_C));
  call(F_ADD, abs(S_H), abs(S_B), abs(S_A));
  call(F_MUL, at(0, X), abs(S_E), abs(S_F));
  call(F_MUL, at(0, Y), abs(S_G), abs(S_H));
  call(F_MUL, at(0, T), abs(S_E), abs(S_H));
  call(F_MUL, at(0, Z), abs(S_F), abs(S_G));
}

/** out = p + q, complete (locals 0 out, 1 p, 2 q). out may alias p and q: every read comes before a write. */
function pointAddBody(): number[] {
  const e = emitter();
  const { at, abs, call } = e;
  call(F_SUB, abs(S_T0), at(1, Y), at(1, X));
  call(F_SUB, abs(S_T1), at(2, Y), at(2, X));
  call(F_MUL, abs(S_A), abs(S_T0), abs(S_T1));
  call(F_ADD, abs(S_T0), at(1, Y), at(1, X));
  call(F_ADD, abs(S_T1), at(2, Y), at(2, X));
  call(F_MUL, abs(S_B), abs(S_T0), abs(S_T1));
  call(F_MUL, abs(S_C), at(1, T), at(2, T));
  call(F_MUL, abs(S_C), abs(S_C), abs(C_D2));
  call(F_ADD, abs(S_T0), at(2, Z), at(2, Z));
  call(F_MUL, abs(S_D), at(1, Z), abs(S_T0));
  addTail(e);
  return e.body();
}

/**
 * out = p + q (or p − q, `minus`) for q in "Niels" form (Y+X, Y−X, 2d·T) with Z = 1 (a decoded point): ref10's
 * ge_madd (ge_msub), 7 multiplications instead of the complete addition's 9. out may alias p. −q's Niels form is
 * (Y−X, Y+X, −2d·T): the two first swap and C changes sign.
 */
function pointMaddBody(minus = false): number[] {
  const e = emitter();
  const { at, abs, call } = e;
  const [YPX, YMX, T2D] = [0, FE, 2 * FE];
  call(F_SUB, abs(S_T0), at(1, Y), at(1, X));
  call(F_MUL, abs(S_A), abs(S_T0), at(2, minus ? YPX : YMX));
  call(F_ADD, abs(S_T0), at(1, Y), at(1, X));
  call(F_MUL, abs(S_B), abs(S_T0), at(2, minus ? YMX : YPX));
  call(F_MUL, abs(S_C), at(1, T), at(2, T2D));
  call(F_ADD, abs(S_D), at(1, Z), at(1, Z));
  addTail(e, minus);
  return e.body();
}

/** out = the Niels form (Y+X, Y−X, 2d·T) of the point p (whose Z must be 1). */
function toNielsBody(): number[] {
  const e = emitter();
  const { at, call } = e;
  call(F_ADD, at(0, 0), at(1, Y), at(1, X));
  call(F_SUB, at(0, FE), at(1, Y), at(1, X));
  call(F_MUL, at(0, 2 * FE), at(1, T), op.i32(C_D2));
  return e.body();
}

/** Scratch field elements of pow22523 (in the constants area, below the point-addition scratch). */
const POW_T = [1200, 1280, 1360] as const;

/**
 * out = z^((p−5)/8) (locals 0 out, 1 z): ref10's pow22523 chain, 250 squarings and 11 multiplications in one call
 * from JavaScript (one call per field operation cost about a fifth of a decoding).
 */
function pow22523Body(): number[] {
  const e = emitter();
  const { abs, call } = e;
  const [t0, t1, t2] = POW_T.map((a) => abs(a)) as [number[], number[], number[]];
  const z = op.get(1);
  const n = (k: number) => op.i32(k);
  call(F_SQN, t0, z, n(1));
  call(F_SQN, t1, t0, n(2));
  call(F_MUL, t1, z, t1);
  call(F_MUL, t0, t0, t1);
  call(F_SQN, t0, t0, n(1));
  call(F_MUL, t0, t1, t0);
  call(F_SQN, t1, t0, n(5));
  call(F_MUL, t0, t1, t0);
  call(F_SQN, t1, t0, n(10));
  call(F_MUL, t1, t1, t0);
  call(F_SQN, t2, t1, n(20));
  call(F_MUL, t1, t2, t1);
  call(F_SQN, t1, t1, n(10));
  call(F_MUL, t0, t1, t0);
  call(F_SQN, t1, t0, n(50));
  call(F_MUL, t1, t1, t0);
  call(F_SQN, t2, t1, n(100));
  call(F_MUL, t1, t2, t1);
  call(F_SQN, t1, t1, n(50));
  call(F_MUL, t0, t1, t0);
  call(F_SQN, t0, t0, n(2));
  call(F_MUL, op.get(0), t0, z);
  return e.body();
}

/** out = the limbs of the 32 little-endian bytes at src, bit 255 ignored (reads src + 28 … src + 35). */
function fromBytesBody(): number[] {
  const code: number[] = [];
  for (let i = 0; i < 10; i++) {
    const o = OFFSETS[i]!;
    code.push(...op.get(0), ...op.get(1), ...op.load(o >> 3), ...op.i64(BigInt(o & 7)), ...op.shrU);
    code.push(...op.i64((1n << BigInt(BITS[i]!)) - 1n), ...op.and, ...op.store(8 * i));
  }
  return [...vec([]), ...code, ...op.end];
}

/**
 * out = the canonical limbs (value mod p) of a, for any limbs below 2^30 in magnitude: carry passes (at most four)
 * until nothing leaves limb 9 (a carry c out of limb 9 is c·2^255 ≡ 19·c, so a negative value gains p once and
 * settles in [0, 2^255)), then q = 1 iff the value is ≥ p, and p subtracted (19 added, 2^255 dropped). Locals
 * h0..h9, c, top.
 */
function freezeBody(): number[] {
  const h = (i: number) => 3 + i;
  const c = 13;
  const top = 14;
  const code: number[] = [];
  for (let i = 0; i < 10; i++) code.push(...op.get(1), ...op.load(8 * i), ...op.set(h(i)));
  const carry = (i: number, into: number | null) => {
    const b = BigInt(BITS[i]!);
    code.push(...op.get(h(i)), ...op.i64(b), ...op.shrS, ...op.set(c));
    code.push(...op.get(h(i)), ...op.get(c), ...op.i64(b), ...op.shl, ...op.sub, ...op.set(h(i)));
    if (into === null) return;
    code.push(...op.get(into), ...op.get(c), ...op.add, ...op.set(into));
  };
  code.push(...op.block);
  for (let pass = 0; pass < 4; pass++) {
    for (let i = 0; i < 9; i++) carry(i, h(i + 1));
    carry(9, top);
    code.push(...op.get(c), ...op.set(top));
    code.push(...op.get(h(0)), ...op.get(top), ...op.i64(19n), ...op.mul, ...op.add, ...op.set(h(0)));
    code.push(...op.get(top), ...op.eqz, ...op.brIf(0));
  }
  code.push(...op.end);
  // q = 1 iff value ≥ p
  code.push(...op.get(h(0)), ...op.i64(19n), ...op.add, ...op.i64(26n), ...op.shrS, ...op.set(c));
  for (let i = 1; i < 10; i++)
    code.push(
      ...op.get(h(i)),
      ...op.get(c),
      ...op.add,
      ...op.i64(BigInt(BITS[i]!)),
      ...op.shrS,
      ...op.set(c),
    );
  code.push(...op.get(h(0)), ...op.get(c), ...op.i64(19n), ...op.mul, ...op.add, ...op.set(h(0)));
  for (let i = 0; i < 9; i++) carry(i, h(i + 1));
  code.push(...op.get(h(9)), ...op.i64((1n << 25n) - 1n), ...op.and, ...op.set(h(9)));
  for (let i = 0; i < 10; i++) code.push(...op.get(0), ...op.get(h(i)), ...op.store(8 * i));
  return [...vec([[12, I64]]), ...code, ...op.end];
}

/** (a, c) → i32: freeze(a) equals the canonical limbs at c. */
function feEqBody(): number[] {
  const code = [...op.i32(FZ), ...op.get(0), ...op.i32(0), ...op.call(F_FREEZE)];
  for (let i = 0; i < 10; i++) {
    code.push(...op.i32(FZ), ...op.load(8 * i), ...op.get(1), ...op.load(8 * i), ...op.eq);
    if (i > 0) code.push(...op.i32And);
  }
  return [...vec([]), ...code, ...op.end];
}

/** (a) → i32: the low bit of freeze(a). */
function isNegBody(): number[] {
  const code = [...op.i32(FZ), ...op.get(0), ...op.i32(0), ...op.call(F_FREEZE)];
  code.push(...op.i32(FZ), ...op.load(0), ...op.i64(1n), ...op.and, ...op.wrap);
  return [...vec([]), ...code, ...op.end];
}

/** (a) → i32: freeze(a) is all zero limbs. */
function isZeroBody(): number[] {
  const code = [...op.i32(FZ), ...op.get(0), ...op.i32(0), ...op.call(F_FREEZE)];
  for (let i = 0; i < 10; i++) {
    code.push(...op.i32(FZ), ...op.load(8 * i));
    if (i > 0) code.push(...op.or);
  }
  code.push(...op.eqz);
  return [...vec([]), ...code, ...op.end];
}

/** CT_ABS(a) in place: a ← −a, carried again, when a is negative. */
function absBody(): number[] {
  const e = emitter();
  e.code.push(...op.get(0), ...op.i32(0), ...op.i32(0), ...op.call(F_ISNEG), ...op.if);
  e.call(F_SUB, op.get(0), e.abs(C_ZERO), op.get(0));
  e.call(F_MUL, op.get(0), op.get(0), e.abs(C_ONE));
  e.code.push(...op.end);
  return e.body();
}

/**
 * (r, w) → i32: RFC 9496 §4.2 SQRT_RATIO_M1(1, w): r = CT_ABS(1/√w) or CT_ABS(√(i/w)); 1 iff w was a square (r is
 * then its inverse square root; r = 0 for w = 0, which is not). Locals correct, flipped, flipped_i (i32).
 */
function invSqrtBody(): number[] {
  const e = emitter();
  const { abs, call, code } = e;
  const [w3, w7, z, chk] = [0, 1, 2, 3].map((k) => abs(SCRATCH_SQRT + k * FE)) as [
    number[],
    number[],
    number[],
    number[],
  ];
  const r = op.get(0);
  const w = op.get(1);
  const none = op.i32(0);
  call(F_SQ, w3, w, none);
  call(F_MUL, w3, w3, w);
  call(F_SQ, w7, w3, none);
  call(F_MUL, w7, w7, w);
  call(F_POW22523, z, w7, none);
  call(F_MUL, r, w3, z); // w³·(w⁷)^((p−5)/8)
  call(F_SQ, chk, r, none);
  call(F_MUL, chk, chk, w);
  [C_ONE, C_MINUS_ONE, C_MINUS_SQRT_M1].forEach((k, i) =>
    code.push(...chk, ...abs(k), ...none, ...op.call(F_FEQ), ...op.set(3 + i)),
  );
  code.push(...op.get(4), ...op.get(5), ...op.i32Or, ...op.if);
  call(F_MUL, r, r, abs(C_SQRT_M1));
  code.push(...op.end);
  code.push(...r, ...none, ...none, ...op.call(F_ABS));
  code.push(...op.get(3), ...op.get(4), ...op.i32Or);
  return [...vec([[3, I32]]), ...code, ...op.end];
}

/** Scratch field elements of the decoding (the constants area; pow22523's are 10…12). */
const decodeTmp = (k: number) => 400 + k * FE;

/**
 * (out, src) → i32: RFC 9496 §4.3.1 decoding of the 32 bytes at src, which the caller has checked are canonical
 * (s < p) and non-negative (s even); 1 and the point (X : Y : 1 : T) at out if valid, 0 otherwise (out then
 * holds nothing of use). The same sequence of operations as before it moved here from JavaScript.
 */
function decodeBody(): number[] {
  const e = emitter();
  const { abs, call, code } = e;
  const T = (k: number) => abs(decodeTmp(k));
  const [s, ss, u1, u2, u2sq, v, w] = [T(0), T(1), T(2), T(3), T(4), T(5), T(6)];
  const [r, denX, denY, X, Y, t] = [T(13), T(14), T(15), T(16), T(17), T(18)];
  const none = op.i32(0);
  const [ONE, ZERO] = [abs(C_ONE), abs(C_ZERO)];
  const refuse = [...op.if, ...op.i32(0), ...op.return, ...op.end];
  call(F_FROMBYTES, s, op.get(1), none);
  call(F_SQ, ss, s, none);
  call(F_SUB, u1, ONE, ss);
  call(F_ADD, u2, ONE, ss);
  call(F_SQ, u2sq, u2, none);
  call(F_SQ, v, u1, none);
  call(F_MUL, v, abs(C_D), v);
  call(F_SUB, v, ZERO, v);
  call(F_SUB, v, v, u2sq); // v = −D·u1² − u2²
  call(F_MUL, w, v, u2sq);
  code.push(...r, ...w, ...none, ...op.call(F_INVSQRT), ...op.i32Eqz, ...refuse);
  call(F_MUL, denX, r, u2);
  call(F_MUL, denY, r, denX);
  call(F_MUL, denY, denY, v);
  call(F_ADD, X, s, s);
  call(F_MUL, X, X, denX);
  code.push(...X, ...none, ...none, ...op.call(F_ABS));
  call(F_MUL, Y, u1, denY);
  call(F_MUL, t, X, Y);
  code.push(...t, ...none, ...none, ...op.call(F_ISNEG));
  code.push(...Y, ...none, ...none, ...op.call(F_ISZERO), ...op.i32Or, ...refuse);
  const copy = (to: number, from: number[]) => {
    for (let i = 0; i < 10; i++) code.push(...op.get(0), ...from, ...op.load(8 * i), ...op.store(to + 8 * i));
  };
  copy(0, X);
  copy(FE, Y);
  copy(2 * FE, ONE);
  copy(3 * FE, t);
  code.push(...op.i32(1));
  return e.body();
}

/**
 * (out, p): RFC 9496 §4.3.2 encoding of the point (X0 : Y0 : Z0 : T0) at p, as the canonical limbs of s at out (the
 * caller packs them into bytes). The same sequence of operations as before it moved here from JavaScript.
 */
function encodeBody(): number[] {
  const e = emitter();
  const { abs, at, call, code } = e;
  const T = (k: number) => abs(decodeTmp(k));
  const [u1, u2, t0, inv, den1, den2, zInv] = [T(0), T(1), T(2), T(3), T(4), T(5), T(6)];
  const [ix, iy, den, X, Y, sOut] = [T(7), T(8), T(9), T(13), T(14), T(15)];
  const [X0, Y0, Z0, T0] = [at(1, 0), at(1, FE), at(1, 2 * FE), at(1, 3 * FE)];
  const none = op.i32(0);
  const copy = (to: number[], from: number[]) => code.push(...to, ...from, ...op.i32(FE), ...op.memoryCopy);
  call(F_ADD, u1, Z0, Y0);
  call(F_SUB, t0, Z0, Y0);
  call(F_MUL, u1, u1, t0); // (Z0 + Y0)(Z0 − Y0)
  call(F_MUL, u2, X0, Y0);
  call(F_SQ, t0, u2, none);
  call(F_MUL, t0, t0, u1); // u1·u2²
  code.push(...inv, ...t0, ...none, ...op.call(F_INVSQRT), ...op.drop);
  call(F_MUL, den1, inv, u1);
  call(F_MUL, den2, inv, u2);
  call(F_MUL, zInv, den1, den2);
  call(F_MUL, zInv, zInv, T0);
  call(F_MUL, ix, X0, abs(C_SQRT_M1));
  call(F_MUL, iy, Y0, abs(C_SQRT_M1));
  call(F_MUL, t0, T0, zInv);
  code.push(...t0, ...none, ...none, ...op.call(F_ISNEG), ...op.if);
  copy(X, iy);
  copy(Y, ix);
  call(F_MUL, den, den1, abs(C_INVSQRT_A_MINUS_D));
  code.push(...op.else);
  copy(X, X0);
  copy(Y, Y0);
  copy(den, den2);
  code.push(...op.end);
  call(F_MUL, t0, X, zInv);
  code.push(...t0, ...none, ...none, ...op.call(F_ISNEG), ...op.if);
  call(F_SUB, Y, abs(C_ZERO), Y);
  code.push(...op.end);
  call(F_SUB, t0, Z0, Y);
  call(F_MUL, sOut, den, t0);
  code.push(...sOut, ...none, ...none, ...op.call(F_ABS));
  call(F_FREEZE, op.get(0), sOut, none);
  return e.body();
}

function moduleBytes(): Uint8Array {
  const t3 = [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])];
  const t3flag = [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])];
  // [body, returns a flag]
  const fns: [number[], boolean][] = [
    [feMulBody(), false],
    [feLinearBody(op.add), false],
    [feLinearBody(op.sub), false],
    [feSqnBody(), false],
    [pointAddBody(), false],
    [feSqBody(), false],
    [pointMaddBody(), false],
    [toNielsBody(), false],
    [pow22523Body(), false],
    [pointMaddBody(true), false],
    [fromBytesBody(), false],
    [freezeBody(), false],
    [feEqBody(), true],
    [isNegBody(), true],
    [isZeroBody(), true],
    [invSqrtBody(), true],
    [absBody(), false],
    [decodeBody(), true],
    [encodeBody(), false],
  ];
  const bodies = fns.map(([b]) => b);
  const exports = [
    ...['mul', 'add', 'sub', 'sqn', 'padd', 'sq', 'pmadd', 'niels', 'pow22523', 'pmsub'],
    ...['fromBytes', 'freeze', 'feq', 'isneg', 'iszero', 'invsqrt', 'abs', 'decode', 'encode'],
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([t3, t3flag])),
    ...section(3, vec(fns.map(([, flag]) => [flag ? 1 : 0]))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], ...exports.map((e, i) => [...name(e), 0x00, i])])),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** The part of the WebAssembly JS API used here (Node and browsers; the pure layers' types have no DOM). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  mul(out: number, a: number, b: number): void;
  add(out: number, a: number, b: number): void;
  sub(out: number, a: number, b: number): void;
  sqn(out: number, a: number, n: number): void;
  sq(out: number, a: number, unused: number): void;
  pmadd(out: number, p: number, niels: number): void;
  pmsub(out: number, p: number, niels: number): void;
  niels(out: number, p: number, unused: number): void;
  pow22523(out: number, z: number, unused: number): void;
  padd(out: number, p: number, q: number): void;
  fromBytes(out: number, src: number, unused: number): void;
  freeze(out: number, a: number, unused: number): void;
  feq(a: number, c: number, unused: number): number;
  isneg(a: number, u1: number, u2: number): number;
  iszero(a: number, u1: number, u2: number): number;
  invsqrt(r: number, w: number, unused: number): number;
  abs(a: number, u1: number, u2: number): void;
  decode(out: number, src: number, unused: number): number;
  encode(out: number, p: number, unused: number): void;
}

const D = modP(-121665n * modInverse(121666n));
const SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n;
const INVSQRT_A_MINUS_D = 54469307008909316920995813868745141605393597292927456921205312896311721017578n;

function modInverse(a: bigint): bigint {
  let r = 1n;
  let b = modP(a);
  let e = P - 2n;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}

const frozen = (v: bigint): number[] =>
  OFFSETS.map((o, i) => Number((v >> BigInt(o)) & ((1n << BigInt(BITS[i]!)) - 1n)));
function isZero(p: Uint8Array): boolean {
  for (let i = 0; i < p.length; i++) if (p[i] !== 0) return false;
  return true;
}

/** The engine: one WebAssembly instance with its memory. */
export class MsmEngine {
  private readonly x: Exports;
  private limbs!: BigInt64Array;
  private words!: Int32Array;
  private bytes!: Uint8Array;
  // scratch field elements for encoding, in the constants area (below the point-addition scratch)
  private readonly tmp = decodeTmp;

  constructor(module: object) {
    this.x = new (wasm().Instance)(module).exports as Exports;
    this.views();
    // the ring, and room above it for remember's decoding (the sums ensure their own)
    this.ensure(HEAP + 4 * PT);
    this.setFe(C_D2, modP(2n * D));
    this.setFe(C_ONE, 1n);
    this.setFe(C_ZERO, 0n);
    this.setFe(C_D, D);
    this.setFe(C_SQRT_M1, SQRT_M1);
    this.setFe(C_INVSQRT_A_MINUS_D, INVSQRT_A_MINUS_D);
    this.setFe(C_MINUS_ONE, P - 1n);
    this.setFe(C_MINUS_SQRT_M1, modP(-SQRT_M1));
  }

  private views(): void {
    this.limbs = new BigInt64Array(this.x.memory.buffer);
    this.words = new Int32Array(this.x.memory.buffer);
    this.bytes = new Uint8Array(this.x.memory.buffer);
  }

  private ensure(bytes: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (bytes > have) {
      this.x.memory.grow(Math.ceil((bytes - have) / 65536));
      this.views();
    }
  }

  private setFe(addr: number, v: bigint): void {
    const l = frozen(modP(v));
    for (let i = 0; i < 10; i++) this.limbs[addr / 8 + i] = BigInt(l[i]!);
  }

  private readonly h = new Int32Array(10);
  /**
   * Decoded points by encoding object: the generator, the joint key and a ballot's ciphertexts come back call after
   * call, and the backend's decode keeps what it decoded for the sums and multi-scalar multiplications (every point
   * decoded once). Encodings are immutable by the Group contract (sodium-group.ts copies on decode and encode). The
   * limbs of X, Y and T (Z = 1) live in a ring of RING_SLOTS slots in the engine's own memory (copied in and out
   * with copyWithin), not in an allocation per point (that cost more in garbage collection than the decoding saved);
   * each encoding object carries its ticket under this engine's own symbol (a WeakMap's set and get cost about a
   * twentieth of the verification), and a ticket whose slot has been reused since is decoded again.
   */
  private readonly ticket = Symbol('ring ticket');
  private readonly owner = new Float64Array(RING_SLOTS).fill(-1);
  private tickets = 0;

  /** The ring slot of a ticket still held, or −1. */
  private slotOf(ticket: number | undefined): number {
    if (ticket === undefined) return -1;
    const slot = ticket % RING_SLOTS;
    return this.owner[slot] === ticket ? slot : -1;
  }

  /** Keeps the decoded point at addr (Z = 1) for the encoding p. */
  private keep(p: Uint8Array, addr: number): void {
    const ticket = this.tickets++;
    const slot = ticket % RING_SLOTS;
    this.owner[slot] = ticket;
    const at = RING + slot * SLOT;
    this.bytes.copyWithin(at, addr, addr + 2 * FE); // X, Y
    this.bytes.copyWithin(at + 2 * FE, addr + 3 * FE, addr + 4 * FE); // T
    // an object that takes no property (not extensible) is simply decoded again next time
    Reflect.set(p, this.ticket, ticket);
  }

  /** Writes the kept point of a slot at addr as extended coordinates. */
  private restore(slot: number, addr: number): void {
    const at = RING + slot * SLOT;
    const b = this.bytes;
    b.copyWithin(addr, at, at + 2 * FE);
    b.copyWithin(addr + 2 * FE, C_ONE, C_ONE + FE);
    b.copyWithin(addr + 3 * FE, at + 2 * FE, at + 3 * FE);
  }

  private getFe(addr: number): bigint {
    let v = 0n;
    for (let i = 0; i < 10; i++) v += this.limbs[addr / 8 + i]! << BigInt(OFFSETS[i]!);
    return modP(v);
  }

  private setIdentity(addr: number): void {
    this.bytes.fill(0, addr, addr + PT);
    this.limbs[(addr + FE) / 8] = 1n;
    this.limbs[(addr + 2 * FE) / 8] = 1n;
  }

  /** RFC 9496 §4.3.1 decoding into the point at addr; throws BallotFormatError on an invalid encoding. */
  decode(enc: Uint8Array, addr: number): void {
    // canonical (s < p) and non-negative (even): s < p unless the top 31 bytes are all ones and the first ≥ 0xed
    if (enc[0]! & 1 || enc[31]! & 0x80)
      throw new BallotFormatError('invalid or non-canonical ristretto255 encoding');
    if (enc[31] === 0x7f && enc[0]! >= 0xed && enc.subarray(1, 31).every((b) => b === 0xff))
      throw new BallotFormatError('invalid or non-canonical ristretto255 encoding');
    const b = this.bytes;
    for (let i = 0; i < 32; i++) b[ENC_IN + i] = enc[i]!;
    // the rest in the module, one call (decodeBody)
    if (this.x.decode(addr, ENC_IN, 0) === 0) throw new BallotFormatError('invalid ristretto255 encoding');
  }

  /** RFC 9496 §4.3.2: the canonical encoding of the point (X : Y : Z : T) at addr. */
  private encode(addr: number): Uint8Array {
    // the module's encodeBody leaves the canonical limbs of s at tmp(16); packed into bytes here
    const at = this.tmp(16);
    this.x.encode(at, addr, 0);
    const w = this.words;
    const limbs = this.h;
    for (let i = 0; i < 10; i++) limbs[i] = w[at / 4 + 2 * i]!;
    const out = new Uint8Array(32);
    let acc = 0;
    let bits = 0;
    let k = 0;
    for (let i = 0; i < 10; i++) {
      acc += limbs[i]! * 2 ** bits;
      bits += BITS[i]!;
      while (bits >= 8) {
        out[k++] = acc & 0xff;
        acc = Math.floor(acc / 256);
        bits -= 8;
      }
    }
    if (k < 32) out[k] = acc & 0xff;
    return out;
  }

  /** Decoded limbs of an encoding, from the cache or decoded now (and cached) into addr. */
  private load(p: Uint8Array, addr: number): void {
    if (p.length !== 32) throw new BallotFormatError('point must be 32 bytes');
    const slot = this.slotOf((p as unknown as Record<symbol, number | undefined>)[this.ticket]);
    if (slot >= 0) this.restore(slot, addr);
    else if (isZero(p)) this.setIdentity(addr);
    else {
      this.decode(p, addr);
      this.keep(p, addr);
    }
  }

  /**
   * Checks an RFC 9496 encoding (throws BallotFormatError if it is not a canonical encoding of a point) and keeps
   * its decoding for later sums and multiplications of the same object: the backend's decode, so that every point
   * is decoded once. The object must not change afterwards (the Group contract: points are immutable).
   */
  remember(p: Uint8Array): void {
    this.load(p, HEAP);
  }

  /** The encoding of Σ points (variable time: public inputs only). */
  sumEncoded(points: readonly Uint8Array[]): Uint8Array {
    this.ensure(HEAP + 2 * PT);
    const acc = HEAP + PT;
    this.setIdentity(acc);
    for (const p of points) {
      this.load(p, HEAP);
      this.x.padd(acc, acc, HEAP);
    }
    return this.encode(acc);
  }

  /**
   * Straus's interleaved method for few points (a single proof's equations): per point the multiples 1..8 and their
   * negations, then signed radix-16 digits, four doublings per digit shared by all points.
   */
  private straus(n: number, digits: Uint8Array, longest: number): number {
    const x = this.x;
    const tables = HEAP + n * PT;
    const acc = tables + n * 16 * PT;
    this.ensure(acc + PT);
    const mem = this.bytes; // after ensure: growing detaches the old view
    const entry = (i: number, k: number) => tables + (i * 16 + k) * PT; // k = 0..7: (k+1)·P; 8..15: −(k−7)·P
    for (let i = 0; i < n; i++) {
      const P = HEAP + i * PT;
      mem.copyWithin(entry(i, 0), P, P + PT);
      x.padd(entry(i, 1), P, P);
      for (let k = 2; k < 8; k++) x.padd(entry(i, k), entry(i, k - 1), P);
      for (let k = 0; k < 8; k++) {
        const src = entry(i, k);
        const dst = entry(i, k + 8);
        mem.copyWithin(dst, src, src + PT);
        x.sub(dst, C_ZERO, dst);
        x.sub(dst + 3 * FE, C_ZERO, dst + 3 * FE);
      }
    }
    // signed digits d_j in [−8, 8), Σ d_j·16^j = s
    const count = Math.ceil(longest / 4) + 1;
    const signed = new Int8Array(n * count);
    for (let i = 0; i < n; i++) {
      let carry = 0;
      for (let j = 0; j < count; j++) {
        const byte = digits[32 * i + (j >> 1)] ?? 0;
        let d = (j < 64 ? (j & 1 ? byte >> 4 : byte & 15) : 0) + carry;
        carry = d >= 8 ? 1 : 0;
        d -= 16 * carry;
        signed[i * count + j] = d;
      }
    }
    this.setIdentity(acc);
    for (let j = count - 1; j >= 0; j--) {
      if (j !== count - 1) for (let k = 0; k < 4; k++) x.padd(acc, acc, acc);
      for (let i = 0; i < n; i++) {
        const d = signed[i * count + j]!;
        if (d > 0) x.padd(acc, acc, entry(i, d - 1));
        else if (d < 0) x.padd(acc, acc, entry(i, 7 - d));
      }
    }
    return acc;
  }

  /** Identity class: X = 0 or Y = 0 (RFC 9496 §4.3.3 equality against (0 : 1 : 1 : 0)). */
  private isIdentity(addr: number): boolean {
    this.x.mul(addr, addr, C_ONE); // carried, for freeze
    this.x.mul(addr + FE, addr + FE, C_ONE);
    return this.x.iszero(addr, 0, 0) === 1 || this.x.iszero(addr + FE, 0, 0) === 1;
  }

  /** Σ s_i·P_i = identity? Points as RFC 9496 encodings, scalars in [0, L). Variable time. */
  msmIsIdentity(points: readonly Uint8Array[], scalars: readonly bigint[]): boolean {
    const at = this.sum(points, scalars);
    return at === null || this.isIdentity(at);
  }

  /**
   * Σ s_i·P_i as extended coordinates (X : Y : Z : T), each reduced mod p: a representative of the sum's ristretto255
   * class, for the caller to encode (the mix-net's prover). Variable time: public inputs only.
   */
  msmExtended(
    points: readonly Uint8Array[],
    scalars: readonly bigint[],
  ): { X: bigint; Y: bigint; Z: bigint; T: bigint } {
    const at = this.sum(points, scalars);
    if (at === null) return { X: 0n, Y: 1n, Z: 1n, T: 0n };
    return {
      X: this.getFe(at),
      Y: this.getFe(at + FE),
      Z: this.getFe(at + 2 * FE),
      T: this.getFe(at + 3 * FE),
    };
  }

  /** The address of Σ s_i·P_i in the engine's memory (valid until the next call), or null for an empty sum. */
  private sum(points: readonly Uint8Array[], scalars: readonly bigint[]): number | null {
    const n = points.length;
    if (n !== scalars.length) throw new RangeError('msm: points and scalars differ in length');
    // the digits below assume 0 ≤ s < L (a negative or longer scalar gave a wrong sum, silently)
    for (const s of scalars) {
      if (typeof s !== 'bigint' || s < 0n || s >= L)
        throw new RangeError('msm: scalar must be a bigint in [0, L)');
    }
    if (n === 0) return null;
    const ptBase = HEAP;
    this.ensure(ptBase + n * PT);
    const digits = new Uint8Array(32 * n);
    const x = this.x;
    for (let i = 0; i < n; i++) {
      const at = ptBase + i * PT;
      this.load(points[i]!, at);
      let s = scalars[i]!;
      if (s > HALF_L) {
        // (L − s)·(−P): batch weights are short, and their negations would be full-length scalars
        s = L - s;
        x.sub(at, C_ZERO, at);
        x.sub(at + 3 * FE, C_ZERO, at + 3 * FE);
      }
      // its 32 little-endian bytes from one hex string (a BigInt shift per byte allocated 64 BigInts a scalar)
      const hex = s.toString(16);
      for (let k = 0, j = hex.length; j > 0; k++, j -= 2) {
        const lo = hexValue(hex.charCodeAt(j - 1));
        digits[32 * i + k] = j >= 2 ? (hexValue(hex.charCodeAt(j - 2)) << 4) | lo : lo;
      }
    }
    let longest = 1;
    for (let i = 0; i < n; i++) {
      for (let k = 31; k >= 0; k--) {
        if (digits[32 * i + k]) {
          longest = Math.max(longest, 8 * k + 32 - Math.clz32(digits[32 * i + k]!));
          break;
        }
      }
    }
    if (n <= STRAUS_MAX) return this.straus(n, digits, longest);
    // Pippenger with signed digits in (−2^(c−1), 2^(c−1)]: 2^(c−1) buckets, a negative digit subtracting the point
    // (ge_msub), so that the buckets' sums, the part that does not shrink with n, cost half. c ≈ ¾·log2 n (about 10
    // for a batch of 512 three-option ballots, whose weights are 128-bit for most points).
    const c = Math.min(16, Math.max(3, Math.round(Math.log2(n) * 0.75)));
    const half = 1 << (c - 1);
    const mask = (1 << c) - 1;
    // one more bit than the longest scalar, so that the top digit takes the last carry
    const windows = Math.ceil((longest + 1) / c);
    const signed = new Int32Array(n * windows);
    for (let i = 0; i < n; i++) {
      let carry = 0;
      for (let wi = 0; wi < windows; wi++) {
        const bit = wi * c;
        const byte = bit >> 3;
        const o = 32 * i + byte;
        // the scalar's bytes only (its top bytes are zero: s < L/2 < 2^252)
        const b0 = byte < 32 ? digits[o]! : 0;
        const b1 = byte + 1 < 32 ? digits[o + 1]! : 0;
        const b2 = byte + 2 < 32 ? digits[o + 2]! : 0;
        let d = (((b0 | (b1 << 8) | (b2 << 16)) >> (bit & 7)) & mask) + carry;
        carry = d > half ? 1 : 0;
        d -= carry << c;
        signed[i * windows + wi] = d;
      }
    }
    // each point also in Niels form, for the buckets' mixed additions (7 multiplications instead of 9)
    const nielsBase = ptBase + n * PT;
    const NS = 3 * FE;
    this.ensure(nielsBase + n * NS);
    for (let i = 0; i < n; i++) x.niels(nielsBase + i * NS, ptBase + i * PT, 0);
    const bucketBase = nielsBase + n * NS;
    const sum = bucketBase + half * PT;
    const acc = sum + PT;
    const total = acc + PT;
    this.ensure(total + PT);
    const used = new Uint8Array(half + 1);
    const mem = this.bytes;
    this.setIdentity(total);
    for (let wi = windows - 1; wi >= 0; wi--) {
      if (wi !== windows - 1) for (let k = 0; k < c; k++) x.padd(total, total, total);
      used.fill(0);
      for (let i = 0; i < n; i++) {
        const d = signed[i * windows + wi]!;
        if (d === 0) continue;
        const k = d > 0 ? d : -d;
        const b = bucketBase + (k - 1) * PT;
        if (used[k]) {
          if (d > 0) x.pmadd(b, b, nielsBase + i * NS);
          else x.pmsub(b, b, nielsBase + i * NS);
        } else {
          const p = ptBase + i * PT;
          mem.copyWithin(b, p, p + PT);
          if (d < 0) {
            x.sub(b, C_ZERO, b);
            x.sub(b + 3 * FE, C_ZERO, b + 3 * FE);
          }
          used[k] = 1;
        }
      }
      let haveSum = false;
      let haveAcc = false;
      for (let d = half; d >= 1; d--) {
        if (used[d]) {
          const b = bucketBase + (d - 1) * PT;
          if (haveSum) x.padd(sum, sum, b);
          else mem.copyWithin(sum, b, b + PT);
          haveSum = true;
        }
        if (haveSum) {
          if (haveAcc) x.padd(acc, acc, sum);
          else mem.copyWithin(acc, sum, sum + PT);
          haveAcc = true;
        }
      }
      if (haveAcc) x.padd(total, total, acc);
    }
    return total;
  }
}

let compiled: object | undefined;

/** A fresh engine (synchronous compilation: the module is a few kilobytes). */
export function msmEngine(): MsmEngine {
  compiled ??= new (wasm().Module)(moduleBytes());
  return new MsmEngine(compiled);
}
