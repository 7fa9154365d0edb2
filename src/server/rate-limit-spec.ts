// What a rate limit is and how it is written (rate-limit.ts applies it): its own module, importing nothing, so that
// the configuration (src/config.ts) can check $COUNCILS_ANONYMOUS_RATE without loading the server.

export interface RateLimit {
  /** Requests an address may make at once. */
  burst: number;
  /** Tokens an address gets back per minute. */
  perMinute: number;
}

/** The default: a polling station's 60 voters behind one address may cast at once, then one ballot a second. */
export const DEFAULT_ANONYMOUS_RATE: RateLimit = { burst: 60, perMinute: 60 };

/** "BURST/PER_MINUTE" (e.g. "60/60"), or "off". */
export function parseRateLimit(text: string): RateLimit | false {
  if (text === 'off') return false;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const limit = m ? { burst: Number(m[1]), perMinute: Number(m[2]) } : undefined;
  if (!limit || limit.burst < 1 || limit.perMinute < 1)
    throw new RangeError(`rate limit "${text}": expected BURST/PER_MINUTE with both at least 1, or off`);
  return limit;
}
