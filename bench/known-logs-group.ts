// A group for the board generator only: it knows the discrete logarithm to G of every point it makes, so that an
// honest ballot costs one fixed-base multiplication per point it publishes and nothing else. The generator knows
// the joint secret key k (it plays the trustees), hence the log of K, and encryptBallot builds every other point
// from G and K: α = r·G, β = m·G + r·K = (m + k·r)·G, each proof commitment likewise. Each point is carried as its
// log; additions and multiplications are scalar arithmetic mod L, and a point is multiplied out (libsodium's
// fixed-base multiplication, which RFC 9496's canonical encoding makes byte for byte the point any other route
// gives) only when it is encoded: when it is hashed or written. encryptBallot through this group returns the same
// bytes as through the sodium group (test/ballot/known-logs-group.test.ts), about 2.5× faster.
//
// Never for anything but generating test boards: the logs are the secrets the protocol exists to keep.
import { toHex } from '../src/ballot/bytes.ts';
import { scalarFromHex } from '../src/ballot/codec.ts';
import type { TrusteeShare } from '../src/ballot/dkg-result.ts';
import { BallotFormatError } from '../src/ballot/errors.ts';
import type { Group, Point } from '../src/ballot/group.ts';
import { lagrangeAtZero } from '../src/ballot/tally.ts';

/** The joint secret key k (K = k·G), from any threshold's worth of the trustees' shares (Lagrange at 0). */
export function jointSecret(g: Group, shares: readonly TrusteeShare[]): bigint {
  const set = shares.map((s) => s.trustee);
  return shares.reduce(
    (k, s) =>
      g.scalar.add(
        k,
        g.scalar.mul(lagrangeAtZero(g, set, s.trustee), scalarFromHex(s.secretShare, 'secretShare')),
      ),
    0n,
  );
}

class Known {
  enc: Uint8Array | undefined;
  constructor(readonly log: bigint) {}
}

const known = (p: Point): Known => {
  if (!(p instanceof Known)) throw new TypeError('known-logs group: a point of another group');
  return p;
};
const wrap = (k: Known): Point => k as unknown as Point;

export interface KnownLogsGroup extends Group {
  /** Forgets the encodings seen so far (decode knows only points this group encoded, or the given ones). */
  forget(): void;
}

/**
 * `inner` multiplies and encodes; `given` are the points decode must know besides those this group encoded (the
 * joint key K with log k). decode refuses any other point: the generator never reads a point it did not make.
 */
export function knownLogsGroup(
  inner: Group,
  given: readonly { point: Point; log: bigint }[],
): KnownLogsGroup {
  const s = inner.scalar;
  const givenLogs = new Map(given.map((x) => [toHex(inner.encode(x.point)), x.log]));
  // the encodings made since the last forget(), by hex (for decode) and by log (a point made twice, such as the
  // credential's in the ballot and again in its signature's challenge, is multiplied once)
  let seen = new Map<string, bigint>();
  let byLog = new Map<bigint, Uint8Array>();
  const encode = (p: Point): Uint8Array => {
    const k = known(p);
    if (!k.enc) {
      k.enc = byLog.get(k.log);
      if (!k.enc) {
        k.enc = inner.encode(inner.mulBase(k.log));
        seen.set(toHex(k.enc), k.log);
        byLog.set(k.log, k.enc);
      }
    }
    return k.enc.slice();
  };
  const of = (log: bigint): Point => wrap(new Known(log));
  const sumOf = (points: readonly Point[]) => points.reduce((acc, p) => s.add(acc, known(p).log), 0n);
  const g: KnownLogsGroup = {
    backend: inner.backend,
    order: inner.order,
    G: of(1n),
    identity: of(0n),
    mulBase: (x) => of(s.mod(x)),
    mul: (p, x) => of(s.mul(known(p).log, x)),
    add: (p, q) => of(s.add(known(p).log, known(q).log)),
    sum: (points) => of(sumOf(points)),
    sub: (p, q) => of(s.sub(known(p).log, known(q).log)),
    neg: (p) => of(s.neg(known(p).log)),
    eq: (p, q) => known(p).log === known(q).log,
    encode,
    decode(b, name = 'point') {
      const hex = b instanceof Uint8Array && b.length === 32 ? toHex(b) : '';
      const log = seen.get(hex) ?? givenLogs.get(hex);
      if (log === undefined)
        throw new BallotFormatError(`${name}: a point whose log the generator does not know`);
      const p = new Known(log);
      p.enc = b.slice();
      return wrap(p);
    },
    fromUniformBytes: () => {
      throw new TypeError('known-logs group: no hash to the group (its log is unknown)');
    },
    msm: (points, scalars) =>
      of(points.reduce((acc, p, i) => s.add(acc, s.mul(known(p).log, scalars[i]!)), 0n)),
    msmIsIdentity: (points, scalars) =>
      points.reduce((acc, p, i) => s.add(acc, s.mul(known(p).log, scalars[i]!)), 0n) === 0n,
    msmPreferred: false,
    fixedBase: (p) => p,
    hashBytes: inner.hashBytes,
    hashToScalar: inner.hashToScalar,
    scalar: s,
    forget() {
      seen = new Map();
      byLog = new Map();
    },
  };
  return g;
}
