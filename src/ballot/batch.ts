// Batch verification (docs/BALLOT-PROTOCOL.md §8, "Batch verification"): many group equations Σ s·P = 0, each
// multiplied by a 128-bit weight z and summed, are checked with one multi-scalar multiplication. If any equation
// fails, the weighted sum is the identity with probability at most 2^-128 over the weights. The weights are drawn
// from a CSPRNG that the caller passes (the pure layer has none: node:crypto's randomBytes in Node), or, given none,
// derived by SHA-256 from a seed that hashes every input of the batch, so that nobody can pick inputs after seeing
// them. A failed batch names nothing: the caller bisects or re-checks one by one.
import { sha256 } from '@noble/hashes/sha2.js';
import { checkRandom, concat, u32, type RandomBytes } from './bytes.ts';
import type { Group, Point } from './group.ts';

/** Weights drawn from the CSPRNG at a time (16 bytes each). */
const RANDOM_WEIGHTS = 256;

export class EquationBatch {
  private readonly points: Point[] = [];
  private readonly scalars: bigint[] = [];
  private gCoef = 0n;
  private kCoef = 0n;
  private counter = 0;
  private spare: bigint | undefined;

  private pool: Uint8Array | undefined;
  private used = 0;

  /**
   * `seed` must hash every input of the batch when no `randomBytes` is given; with `randomBytes` (a CSPRNG) the
   * weights are its bytes and the seed is not used.
   */
  constructor(
    private readonly g: Group,
    private readonly K: Point,
    private readonly seed: Uint8Array,
    private readonly randomBytes?: RandomBytes,
  ) {}

  /** z_i: 128 bits from the CSPRNG, or two 128-bit weights per SHA-256(seed ‖ u32(i)), little-endian halves. */
  weight(): bigint {
    if (this.randomBytes) {
      if (!this.pool || this.used === this.pool.length) {
        this.pool = checkRandom(this.randomBytes, 16 * RANDOM_WEIGHTS);
        this.used = 0;
      }
      const z = le128(this.pool, this.used);
      this.used += 16;
      return z === 0n ? 1n : z;
    }
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    const h = sha256(concat([this.seed, u32(this.counter++)]));
    const lo = le128(h, 0);
    const hi = le128(h, 16);
    this.spare = hi === 0n ? 1n : hi;
    return lo === 0n ? 1n : lo;
  }

  private readonly index = new Map<Point, number>();

  /**
   * Adds s·P to the weighted sum (s already weighted); a point added again (the same object) gets one term. s is
   * any integer (negative, or past L: the caller need not reduce its products); check() reduces each term once.
   */
  term(P: Point, s: bigint): void {
    const i = this.index.get(P);
    if (i !== undefined) {
      this.scalars[i] = this.scalars[i]! + s;
      return;
    }
    this.index.set(P, this.points.length);
    this.points.push(P);
    this.scalars.push(s);
  }

  /** Adds s·G (merged into one term; any integer, as term). */
  base(s: bigint): void {
    this.gCoef += s;
  }

  /** Adds s·K for the election's joint key K (merged into one term; any integer, as term). */
  key(s: bigint): void {
    this.kCoef += s;
  }

  get size(): number {
    return this.points.length;
  }

  /** True iff the weighted sum of every equation added is the identity. */
  check(): boolean {
    const mod = this.g.scalar.mod;
    return this.g.msmIsIdentity(
      [...this.points, this.g.G, this.K],
      [...this.scalars.map(mod), mod(this.gCoef), mod(this.kCoef)],
    );
  }
}

/** 16 bytes at `at`, little-endian (two 64-bit reads, not sixteen BigInt shifts). */
function le128(b: Uint8Array, at: number): bigint {
  const v = new DataView(b.buffer, b.byteOffset + at, 16);
  return (v.getBigUint64(8, true) << 64n) | v.getBigUint64(0, true);
}
