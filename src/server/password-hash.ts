// Passwords are stored as argon2id hashes (RFC 9106, @node-rs/argon2), at a cost the operator may set
// (COUNCILS_PASSWORD_HASH, docs/OPERATIONS.md "Configuration"): by default OWASP's first recommended configuration,
// 19 MiB of memory, 2 passes, 1 lane (the library's own defaults). A hash is a PHC string that records its
// parameters (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so a hash made at one cost verifies whatever the setting
// is later: raising or lowering it applies to new and changed passwords.

import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export interface PasswordHashCost {
  /** KiB of memory (argon2's m). */
  memoryKiB: number;
  /** Passes over it (argon2's t). */
  passes: number;
  /** Lanes, each its own thread (argon2's p). */
  lanes: number;
}

/** OWASP's first recommended argon2id configuration (Password Storage Cheat Sheet): m = 19 MiB, t = 2, p = 1. */
export const defaultPasswordHashCost: PasswordHashCost = { memoryKiB: 19_456, passes: 2, lanes: 1 };

/**
 * OWASP's recommended configurations, each as strong as the others (more memory or more passes): a cost at least
 * one of them is "recommended"; below all of them, `councils serve` says so when it starts.
 */
const recommended: readonly [memoryKiB: number, passes: number][] = [
  [47_104, 1],
  [19_456, 2],
  [12_288, 3],
  [9_216, 4],
  [7_168, 5],
];

export function isRecommendedCost(c: PasswordHashCost): boolean {
  return recommended.some(([m, t]) => c.memoryKiB >= m && c.passes >= t);
}

/** `m=KIB,t=PASSES,p=LANES` (the PHC string's own notation, in any order), as COUNCILS_PASSWORD_HASH gives it. */
export function parsePasswordHashCost(text: string): PasswordHashCost {
  const fields = new Map<string, number>();
  for (const part of text.split(',')) {
    const m = /^\s*([mtp])=(\d{1,10})\s*$/.exec(part);
    if (!m || fields.has(m[1]!))
      throw new Error(`m=KIB,t=PASSES,p=LANES (e.g. m=19456,t=2,p=1), not "${text}"`);
    fields.set(m[1]!, Number(m[2]));
  }
  const cost = {
    memoryKiB: fields.get('m') ?? defaultPasswordHashCost.memoryKiB,
    passes: fields.get('t') ?? defaultPasswordHashCost.passes,
    lanes: fields.get('p') ?? defaultPasswordHashCost.lanes,
  };
  // argon2's own bounds (RFC 9106 §3.1), with the memory at most 4 GiB
  if (cost.lanes < 1 || cost.lanes > 255) throw new Error(`p is 1 to 255 lanes, not ${cost.lanes}`);
  if (cost.passes < 1 || cost.passes > 1000) throw new Error(`t is 1 to 1000 passes, not ${cost.passes}`);
  if (cost.memoryKiB < 8 * cost.lanes || cost.memoryKiB > 4 * 1024 * 1024)
    throw new Error(`m is 8 KiB a lane (${8 * cost.lanes}) to 4194304 KiB, not ${cost.memoryKiB}`);
  return cost;
}

/** Hashes new passwords at one cost and checks passwords against stored hashes of any cost. */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(readonly cost: PasswordHashCost = defaultPasswordHashCost) {}

  hash(password: string): Promise<string> {
    return hash(password, {
      memoryCost: this.cost.memoryKiB,
      timeCost: this.cost.passes,
      parallelism: this.cost.lanes,
    });
  }

  /**
   * Whether `password` is the one `stored` was made from. Checking an unknown account's (`stored` undefined) costs
   * the same: a hash of a random string, made at this cost on the first check of any account, is checked instead.
   */
  /**
   * Whether `stored` was made at another cost than this one (or is not an argon2id PHC string of version 19): a
   * sign-in with the right password then hashes it again at this cost (accounts.ts). Without that, once the
   * operator changed the cost, a wrong password took the old cost's time for an account and the new cost's for an
   * unknown address: the time of one request told which addresses have an account.
   */
  needsRehash(stored: string): boolean {
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
    return (
      !m ||
      Number(m[1]) !== this.cost.memoryKiB ||
      Number(m[2]) !== this.cost.passes ||
      Number(m[3]) !== this.cost.lanes
    );
  }

  async matches(stored: string | undefined, password: string): Promise<boolean> {
    const dummy = await (this.dummy ??= this.hash(randomBytes(16).toString('hex')));
    return verify(stored ?? dummy, password).catch(() => false);
  }
}
