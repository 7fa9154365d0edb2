// Fast backend: libsodium compiled to WebAssembly (libsodium-wrappers-sumo), also usable in browsers.
// Points are kept as their canonical 32-byte encodings, so encode is free and equality is byte equality.
import sodiumModule from 'libsodium-wrappers-sumo';
import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import { BallotFormatError } from './errors.ts';
import { equalBytes } from './bytes.ts';
import { checkScalar, hashBytes, hashToScalar, ORDER, scalarOps, type Group, type Point } from './group.ts';
import { scalarToBytes } from './scalar.ts';
import { msmEngine } from './wasm-msm.ts';

interface Sodium {
  ready: Promise<void>;
  crypto_scalarmult_ristretto255(n: Uint8Array, p: Uint8Array): Uint8Array;
  crypto_scalarmult_ristretto255_base(n: Uint8Array): Uint8Array;
  crypto_core_ristretto255_add(p: Uint8Array, q: Uint8Array): Uint8Array;
  crypto_core_ristretto255_sub(p: Uint8Array, q: Uint8Array): Uint8Array;
  crypto_core_ristretto255_is_valid_point(p: Uint8Array): boolean;
  crypto_core_ristretto255_from_hash(h: Uint8Array): Uint8Array;
}

const IDENTITY: Uint8Array = new Uint8Array(32);
const BASE: Uint8Array = new Uint8Array([
  0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f, 0x58, 0xe3,
  0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76,
]); // RFC 9496 §4.4 / Appendix A.1, 1·B

/** From this many points on, msm runs wasm-msm.ts's Straus or Pippenger instead of separate multiplications. */
const MSM_ENGINE_FROM = 4;

const wrap = (b: Uint8Array): Point => b as unknown as Point;
const unwrap = (p: Point): Uint8Array => p as unknown as Uint8Array;
const isIdentity = (b: Uint8Array): boolean => equalBytes(b, IDENTITY);

function build(na: Sodium): Group {
  const engine = msmEngine();
  // libsodium refuses to return the identity (it aborts a DH); 0·P and s·O are the only ways to get it in a
  // prime-order group, so they are answered here.
  const mul = (p: Uint8Array, s: bigint): Uint8Array => {
    checkScalar(s, 'mul');
    if (s === 0n || isIdentity(p)) return IDENTITY;
    return na.crypto_scalarmult_ristretto255(scalarToBytes(s), p);
  };
  const add = (p: Uint8Array, q: Uint8Array): Uint8Array =>
    isIdentity(p) ? q : isIdentity(q) ? p : na.crypto_core_ristretto255_add(p, q);
  const sub = (p: Uint8Array, q: Uint8Array): Uint8Array =>
    isIdentity(q) ? p : na.crypto_core_ristretto255_sub(p, q);
  return {
    backend: 'sodium',
    order: ORDER,
    G: wrap(BASE),
    identity: wrap(IDENTITY),
    mulBase(s) {
      checkScalar(s, 'mulBase');
      return wrap(s === 0n ? IDENTITY : na.crypto_scalarmult_ristretto255_base(scalarToBytes(s)));
    },
    mul: (p, s) => wrap(mul(unwrap(p), s)),
    add: (p, q) => wrap(add(unwrap(p), unwrap(q))),
    sum: (points) => wrap(engine.sumEncoded(points.map(unwrap))),
    sub: (p, q) => wrap(sub(unwrap(p), unwrap(q))),
    neg: (p) => wrap(sub(IDENTITY, unwrap(p))),
    eq: (p, q) => equalBytes(unwrap(p), unwrap(q)),
    encode: (p) => unwrap(p).slice(),
    decode(b, name = 'point') {
      if (!(b instanceof Uint8Array) || b.length !== 32)
        throw new BallotFormatError(`${name}: point must be 32 bytes`);
      // RFC 9496 decoding by wasm-msm.ts's engine, which keeps the result for the sums and multi-scalar
      // multiplications of this point: each point of a ballot is decoded once (test/ballot/group.test.ts checks
      // the engine's verdicts against libsodium's crypto_core_ristretto255_is_valid_point)
      const copy = b.slice();
      try {
        engine.remember(copy);
      } catch (e) {
        if (e instanceof BallotFormatError)
          throw new BallotFormatError(`${name}: invalid or non-canonical ristretto255 encoding`);
        throw e;
      }
      return wrap(copy);
    },
    fromUniformBytes(b) {
      if (b.length !== 64) throw new RangeError('fromUniformBytes: need 64 bytes');
      return wrap(na.crypto_core_ristretto255_from_hash(b));
    },
    msm(points, scalars) {
      if (points.length !== scalars.length) throw new RangeError('msm: points and scalars differ in length');
      scalars.forEach((s, i) => checkScalar(s, `msm scalar ${i}`));
      if (points.length >= MSM_ENGINE_FROM) {
        // wasm-msm.ts's sum, encoded by noble from its extended coordinates (any representative of the class)
        const { X, Y, Z, T } = engine.msmExtended(points.map(unwrap), scalars);
        if (X === 0n || Y === 0n) return wrap(IDENTITY);
        return wrap(new ristretto255.Point(new ed25519.Point(X, Y, Z, T)).toBytes());
      }
      // libsodium has no multi-scalar multiplication: for a few points, a sum of single multiplications.
      let acc = IDENTITY;
      for (let i = 0; i < points.length; i++) acc = add(acc, mul(unwrap(points[i]!), scalars[i]!));
      return wrap(acc);
    },
    // libsodium has no multi-scalar multiplication: wasm-msm.ts's Pippenger (its own WebAssembly arithmetic)
    msmPreferred: true,
    msmIsIdentity(points, scalars) {
      scalars.forEach((s, i) => checkScalar(s, `msm scalar ${i}`));
      return engine.msmIsIdentity(points.map(unwrap), scalars);
    },
    fixedBase: (p) => p,
    hashBytes,
    hashToScalar,
    scalar: scalarOps,
  };
}

let cached: Promise<Group> | undefined;

/** The libsodium backend; resolves once the WebAssembly module is ready. */
export function sodiumGroup(): Promise<Group> {
  cached ??= (async () => {
    const na = sodiumModule as unknown as Sodium;
    await na.ready;
    return build(na);
  })();
  return cached;
}
