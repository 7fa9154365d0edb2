// A token bucket per client address for the routes anyone may call without signing in that write to the log: the
// anonymous cast and challenge of secret ballots (docs/BALLOT-PROTOCOL.md §10, "Rate limit"). Each address holds
// up to `burst` tokens, refilled at `perMinute`; a request takes one, or is refused with 429 `rate_limited` and a
// Retry-After header. In memory, per process: it slows a flood of forged ballots (each costs the server a full
// ballot check) without touching legitimate voters, who cast a few ballots each.
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';
import type { RateLimit } from './rate-limit-spec.ts';

export { DEFAULT_ANONYMOUS_RATE, parseRateLimit, type RateLimit } from './rate-limit-spec.ts';

export class TokenBuckets {
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
export function rateLimited(buckets: TokenBuckets) {
  return async (request: FastifyRequest, reply: { header(k: string, v: string): unknown }): Promise<void> => {
    const wait = buckets.take(request.ip);
    if (wait === 0) return;
    reply.header('retry-after', String(wait));
    throw new ApiError('rate_limited', `too many requests from this address; try again in ${wait} s`);
  };
}
