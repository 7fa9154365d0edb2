// Portable backend on @noble/curves (pure JavaScript, runs in any browser).
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { BallotFormatError } from './errors.ts';
import { checkScalar, hashBytes, hashToScalar, ORDER, scalarOps, type Group, type Point } from './group.ts';

const RP = ristretto255.Point;
type RPoint = InstanceType<typeof RP>;

const wrap = (p: RPoint): Point => p as unknown as Point;
const unwrap = (p: Point): RPoint => p as unknown as RPoint;

// RFC 9496 encoding costs an inverse square root (≈ 255 field squarings), as much as a tenth of a multiplication
// here; a ballot encodes each of its points two or three times (hex for the board, challenge and contest hashes), so
// each point remembers its encoding (and a decoded point its input bytes).
const encodings = new WeakMap<RPoint, Uint8Array>();
function encode(p: RPoint): Uint8Array {
  let b = encodings.get(p);
  if (!b) encodings.set(p, (b = p.toBytes()));
  return b.slice();
}

// noble precomputes the base point with 6-bit windows; 8-bit windows (4,224 points, built on first use) make
// fixed-base multiplications, most of a ballot's work, about a third cheaper.
let base8: RPoint | undefined;
const base = (): RPoint => (base8 ??= RP.fromBytes(RP.BASE.toBytes()).precompute(8, false));

function mul(p: RPoint, s: bigint): RPoint {
  checkScalar(s, 'mul');
  return s === 0n ? RP.ZERO : p.multiply(s); // noble's constant-time ladder refuses 0
}

export const nobleGroup: Group = {
  backend: 'noble',
  order: ORDER,
  G: wrap(RP.BASE),
  identity: wrap(RP.ZERO),
  mulBase: (s) => wrap(mul(base(), s)),
  mul: (p, s) => wrap(mul(unwrap(p), s)),
  add: (p, q) => wrap(unwrap(p).add(unwrap(q))),
  sum: (points) => wrap(points.reduce((acc, p) => acc.add(unwrap(p)), RP.ZERO)),
  sub: (p, q) => wrap(unwrap(p).subtract(unwrap(q))),
  neg: (p) => wrap(unwrap(p).negate()),
  eq: (p, q) => unwrap(p).equals(unwrap(q)),
  encode: (p) => encode(unwrap(p)),
  decode(b, name = 'point') {
    if (!(b instanceof Uint8Array) || b.length !== 32)
      throw new BallotFormatError(`${name}: point must be 32 bytes`);
    try {
      const p = RP.fromBytes(b);
      encodings.set(p, b.slice());
      return wrap(p);
    } catch {
      throw new BallotFormatError(`${name}: invalid or non-canonical ristretto255 encoding`);
    }
  },
  fromUniformBytes(b) {
    if (b.length !== 64) throw new RangeError('fromUniformBytes: need 64 bytes');
    const derive = ristretto255_hasher.deriveToCurve;
    if (!derive) throw new Error('fromUniformBytes: @noble/curves lacks deriveToCurve');
    return wrap(derive(b));
  },
  msm(points, scalars) {
    if (points.length !== scalars.length) throw new RangeError('msm: points and scalars differ in length');
    if (points.length === 0) return wrap(RP.ZERO);
    scalars.forEach((s, i) => checkScalar(s, `msm scalar ${i}`));
    if (points.length < 8) {
      let acc = RP.ZERO;
      for (let i = 0; i < points.length; i++) acc = acc.add(unwrap(points[i]!).multiplyUnsafe(scalars[i]!));
      return wrap(acc);
    }
    return wrap(pippenger(RP, points.map(unwrap), [...scalars]));
  },
  msmPreferred: false,
  msmIsIdentity(points, scalars) {
    return nobleGroup.eq(nobleGroup.msm(points, scalars), nobleGroup.identity);
  },
  fixedBase: (p) => wrap(RP.fromBytes(unwrap(p).toBytes()).precompute(8, false)),
  hashBytes,
  hashToScalar,
  scalar: scalarOps,
};
