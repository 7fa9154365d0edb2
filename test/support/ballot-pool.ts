// What the tests of the ballot-check worker pool (src/node/ballot-checks.ts) share: a small election and its honest
// ballots, the pool's workers (private) to end as a crash would, an answer awaited with a deadline, a condition
// awaited, and a process kept alive while the pool's workers run (test/node/ballot-checks-crash.test.ts,
// test/node/ballot-poison.test.ts, test/node/ballot-deadline.test.ts).
import { after, before } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import type { BallotChecks } from '../../src/node/ballot-checks.ts';
import type { ModuleWorker } from '../../src/node/module-worker.ts';
import { buildElection, seededRandom } from '../ballot/fixture.ts';

/** An election of 3 options (k = 2, 6 voters) from `seed`, and `encrypt(i)`: voter i % 6 for option i % 3. */
export async function checkElection(seed: string) {
  const g = await ballot.sodiumGroup();
  const f = buildElection(g, { n: 3, k: 2, voters: 6, seed });
  const rnd = seededRandom(`${seed}-ballots`);
  const encrypt = (i: number) =>
    ballot.encryptBallot(
      g,
      f.election,
      f.voters[i % 6]!.secret,
      [[0, 1, 2].map((o) => (o === i % 3 ? 1 : 0))],
      rnd,
    ).ballot;
  /** One honest ballot of each voter. */
  const ballots = Array.from({ length: 6 }, (_, i) => encrypt(i));
  return { election: f.election, ballots, encrypt };
}

export type CheckWorker = ModuleWorker<{ id: number }, { id: number; ok: true }>;
type Slots = { slots: { worker: CheckWorker; busy: boolean }[] };

/** The pool's slots (private): each its worker and whether it holds a batch. */
export const slotsOf = (pool: BallotChecks) => (pool as unknown as Slots).slots;
/** The pool's workers (private): the tests end them as a crash would. */
export const workersOf = (pool: BallotChecks) => slotsOf(pool).map((s) => s.worker);

/** Resolves with the promise's outcome, or fails the test when it has none in 120 s (a cast never answered). */
export async function settledWithin<T>(p: Promise<T>, what: string): Promise<PromiseSettledResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in 120 s`)), 120_000);
  });
  try {
    return await Promise.race([
      p.then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the condition holds (polling every 5 ms, with a deadline of 120 s). */
export async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + 120_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not in 120 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The pool's workers do not keep a process alive (a server's listener does): this keeps the test file's alive from
 * its first `before` (then `start`) to its last `after` (after `stop`).
 */
export function keepAliveWhileTesting(
  hooks: { start?: () => Promise<void>; stop?: () => Promise<void> } = {},
): void {
  let alive: NodeJS.Timeout;
  before(async () => {
    alive = setInterval(() => {}, 60_000);
    await hooks.start?.();
  });
  after(async () => {
    try {
      await hooks.stop?.();
    } finally {
      clearInterval(alive);
    }
  });
}
