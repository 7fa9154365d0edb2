// A token bucket per client address for the routes anyone may call without signing in that write to the log: the
// anonymous cast and challenge of secret ballots (docs/BALLOT-PROTOCOL.md §10, "Rate limit"). Each address holds
// up to `burst` tokens, refilled at `perMinute`; a request takes one, or is refused with 429 `rate_limited` and a
// Retry-After header. In memory, per process: it slows a flood of forged ballots (each costs the server a full
// ballot check) without touching legitimate voters, who cast a few ballots each.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../store/database.ts';
import { takeToken, tokensLeft } from '../store/rate-buckets.ts';
import { ApiError } from './errors.ts';
import type { RateLimit } from './rate-limit-spec.ts';

export { DEFAULT_ANONYMOUS_RATE, parseRateLimit, type RateLimit } from './rate-limit-spec.ts';

/** A token bucket per key: in this process (TokenBuckets) or in PostgreSQL for every process (SharedBuckets). */
export interface Buckets {
  readonly limit: RateLimit;
  /** Takes a token for `key`: 0 if granted, else the seconds until one is back. */
  take(key: string): number | Promise<number>;
  /** The seconds until `key` has a token (0: it has one now), taking nothing. */
  wait(key: string): number | Promise<number>;
}

/**
 * The buckets of `scope` for `db`: shared through the database on PostgreSQL (with a wall clock, the same for
 * every process: `clock` or Date.now), in memory on SQLite (`clock` or performance.now).
 */
export function bucketsFor(db: Db, scope: string, limit: RateLimit, clock?: () => number): Buckets {
  if (db.dialect === 'postgres') return new SharedBuckets(db, scope, limit, clock ?? (() => Date.now()));
  return new TokenBuckets(limit, clock);
}

export class SharedBuckets implements Buckets {
  constructor(
    private readonly db: Db,
    readonly scope: string,
    readonly limit: RateLimit,
    private readonly clock: () => number,
  ) {
    if (!(limit.burst >= 1 && limit.perMinute > 0)) throw new RangeError('limit: burst ≥ 1, perMinute > 0');
  }

  private get bucket() {
    return { burst: this.limit.burst, perMs: this.limit.perMinute / 60_000 };
  }

  async take(key: string): Promise<number> {
    const r = await takeToken(this.db.kysely, this.scope, key, this.bucket, this.clock());
    return r.granted ? 0 : secondsUntilOne(r.tokens, this.bucket.perMs);
  }

  async wait(key: string): Promise<number> {
    const tokens = await tokensLeft(this.db.kysely, this.scope, key, this.bucket, this.clock());
    return tokens >= 1 ? 0 : secondsUntilOne(tokens, this.bucket.perMs);
  }
}

function secondsUntilOne(tokens: number, perMs: number): number {
  return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
}

export class TokenBuckets implements Buckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(limit.burst >= 1 && limit.perMinute > 0)) throw new RangeError('limit: burst ≥ 1, perMinute > 0');
  }

  /** The seconds until `key` has a token (0: it has one now), taking nothing. */
  wait(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const rate = this.limit.perMinute / 60_000;
    const tokens = Math.min(this.limit.burst, b.tokens + (this.clock() - b.at) * rate);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / rate / 1000);
  }

  /** Takes a token for `key`: 0 if granted, else the seconds until one is back. */
  take(key: string): number {
    const now = this.clock();
    const rate = this.limit.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.sweep(now, rate);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / rate / 1000);
  }

  /** Forgets addresses whose bucket is full again (they would start full anyway). */
  private sweep(now: number, rate: number): void {
    for (const [k, b] of this.buckets)
      if (b.tokens + (now - b.at) * rate >= this.limit.burst) this.buckets.delete(k);
  }
}

/** An onRequest hook (before the body is even parsed) that refuses a request over the limit of its client address. */
export function rateLimited(buckets: Buckets) {
  return async (request: FastifyRequest, reply: { header(k: string, v: string): unknown }): Promise<void> => {
    const wait = await buckets.take(request.ip);
    if (wait === 0) return;
    reply.header('retry-after', String(wait));
    throw new ApiError('rate_limited', `too many requests from this address; try again in ${wait} s`);
  };
}
