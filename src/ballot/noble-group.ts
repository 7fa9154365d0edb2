// Portable backend on @noble/curves (pure JavaScript, runs in any browser).
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { BallotFormatError } from './errors.ts';
import { checkScalar, hashToScalar, ORDER, scalarOps, type Group, type Point } from './group.ts';

const RP = ristretto255.Point;
type RPoint = InstanceType<typeof RP>;

const wrap = (p: RPoint): Point => p as unknown as Point;
const unwrap = (p: Point): RPoint => p as unknown as RPoint;

function mul(p: RPoint, s: bigint): RPoint {
  checkScalar(s, 'mul');
  return s === 0n ? RP.ZERO : p.multiply(s); // noble's constant-time ladder refuses 0
}

export const nobleGroup: Group = {
  backend: 'noble',
  order: ORDER,
  G: wrap(RP.BASE),
  identity: wrap(RP.ZERO),
  mulBase: (s) => wrap(mul(RP.BASE, s)),
  mul: (p, s) => wrap(mul(unwrap(p), s)),
  add: (p, q) => wrap(unwrap(p).add(unwrap(q))),
  sub: (p, q) => wrap(unwrap(p).subtract(unwrap(q))),
  neg: (p) => wrap(unwrap(p).negate()),
  eq: (p, q) => unwrap(p).equals(unwrap(q)),
  encode: (p) => unwrap(p).toBytes(),
  decode(b, name = 'point') {
    if (!(b instanceof Uint8Array) || b.length !== 32)
      throw new BallotFormatError(`${name}: point must be 32 bytes`);
    try {
      return wrap(RP.fromBytes(b));
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
  fixedBase: (p) => wrap(RP.fromBytes(unwrap(p).toBytes()).precompute(8, false)),
  hashToScalar,
  scalar: scalarOps,
};
