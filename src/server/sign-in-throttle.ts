// How sign-in attempts are slowed (docs/ACCOUNTS.md, "Sign-in throttling"; OWASP Authentication Cheat Sheet,
// "Protect Against Automated Attacks"; NIST SP 800-63B §5.2.2, "Rate Limiting (Throttling)"):
//
// - per e-mail address tried (whether or not an account has it, so the answers do not tell which exist): the
//   first `freeFailures` wrong passwords cost nothing; after that each attempt must wait a delay that doubles
//   with every further failure, from `baseDelayMs` up to `maxDelayMs`; after `hardLimit` consecutive failures
//   (NIST's "no more than 100") the address is refused until a sign-in from a known device or a password reset;
// - per client address: a bucket of `addressBurst` failures refilled at `addressPerHour`, so one address cannot
//   guess at many accounts;
// - neither applies to a device that signed in to this account before (a cookie holding a secret whose hash is
//   kept): guessing by someone else cannot lock a member out of a browser they already use. A known device loses
//   that standing after `deviceFailures` wrong passwords in a row (a stolen laptop does not guess forever).
import { ApiError } from './errors.ts';
import type { Db } from '../store/database.ts';
import { bucketsFor, type Buckets } from './rate-limit.ts';

export const throttleRules = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  hardLimit: 100,
  addressBurst: 30,
  addressPerHour: 30,
  deviceFailures: 10,
} as const;

/** Milliseconds to wait after `failures` consecutive failures, the last at `lastFailureAt` (0: none). */
export function accountDelayMs(failures: number): number {
  if (failures < throttleRules.freeFailures) return 0;
  const doublings = failures - throttleRules.freeFailures;
  return Math.min(throttleRules.maxDelayMs, throttleRules.baseDelayMs * 2 ** Math.min(doublings, 30));
}

/** Refused for now: 429 with Retry-After (the route sets the header from `retryAfter`). */
export class SignInThrottled extends ApiError {
  constructor(
    override readonly retryAfter: number,
    now: Date,
    byAddress: boolean,
  ) {
    const at = new Date(now.getTime() + retryAfter * 1000).toISOString().slice(11, 19);
    super(
      'sign_in_throttled',
      `too many wrong passwords ${byAddress ? 'from this network address' : 'for this e-mail address'}: try again in ${retryAfter} s (at ${at} UTC), or sign in from a device you have used before`,
    );
  }
}

export function blockedForNewDevices(): ApiError {
  return new ApiError(
    'sign_in_blocked',
    `more than ${throttleRules.hardLimit} wrong passwords in a row for this e-mail address: sign in from a device you have used before, or reset your password`,
  );
}

/** The per-address part: in memory on SQLite (one process), shared by every process on PostgreSQL. */
export function addressFailureBuckets(db: Db, clock: () => number): Buckets {
  return bucketsFor(
    db,
    'sign-in',
    { burst: throttleRules.addressBurst, perMinute: throttleRules.addressPerHour / 60 },
    clock,
  );
}
