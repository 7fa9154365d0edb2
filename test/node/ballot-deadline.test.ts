// A ballot check that hangs (src/node/ballot-checks.ts RestartLimits.checkMs): a real worker thread blocked for
// good by its test fault (COUNCILS_TEST_HANGING_BALLOT, honoured under NODE_ENV=test only: Atomics.wait on a value
// nothing changes). The caller gets CheckTimedOut (a ChecksStopped: the server's 503 ballot_checks_paused with
// Retry-After) once the deadline has passed, the stuck worker is terminated and replaced, and the next honest
// ballots are checked; such ends are not counted toward the restart limit. Before, the caller waited for ever.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { BallotChecks, CheckTimedOut, ChecksStopped } from '../../src/node/ballot-checks.ts';
import type { ModuleWorker } from '../../src/node/module-worker.ts';
import { buildElection, seededRandom } from '../ballot/fixture.ts';

const g = await ballot.sodiumGroup();
const f = buildElection(g, { n: 3, k: 2, voters: 6, seed: 'deadline' });
const rnd = seededRandom('deadline-ballots');
const encrypt = (i: number) =>
  ballot.encryptBallot(
    g,
    f.election,
    f.voters[i % 6]!.secret,
    [[0, 1, 2].map((o) => (o === i % 3 ? 1 : 0))],
    rnd,
  ).ballot;
const honest = Array.from({ length: 4 }, (_, i) => encrypt(i));
const hang = encrypt(5);
// read by every worker the pools below start (a worker's environment is a copy of this process's)
process.env.NODE_ENV = 'test';
process.env.COUNCILS_TEST_HANGING_BALLOT = hang.code;

type Slots = { slots: { worker: ModuleWorker<{ id: number }, { id: number; ok: true }> }[] };
const workersOf = (c: BallotChecks) => (c as unknown as Slots).slots.map((s) => s.worker);

/** The check's outcome and how long it took; fails the test if it has none in 60 s (a check that hangs). */
async function timed(p: Promise<ballot.Verdict>): Promise<{ outcome: unknown; ms: number }> {
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('a check not answered in 60 s')), 60_000);
  });
  try {
    const outcome = await Promise.race([
      p.then(
        (v) => v.ok,
        (e: unknown) => e,
      ),
      bound,
    ]);
    return { outcome, ms: Date.now() - start };
  } finally {
    clearTimeout(timer);
  }
}

// the pool's workers do not keep a process alive (a server's listener does): this does, for the test
let alive: NodeJS.Timeout;
before(() => {
  alive = setInterval(() => {}, 60_000);
});
after(() => clearInterval(alive));

test('a check that hangs is refused at its deadline (503, Retry-After), its worker replaced; the next ballots pass', async () => {
  const said: string[] = [];
  const pool = new BallotChecks(1, { checkMs: 2_000, maxEnds: 2, say: (m) => said.push(m) });
  try {
    await pool.start();
    assert.equal((await timed(pool.check(f.election, honest[0]!))).outcome, true);
    const [stuck] = workersOf(pool);
    for (let round = 0; round < 3; round++) {
      // the hanging ballot, and an honest one cast while it hangs the only worker: the first is refused at the
      // deadline (to be cast again), the second checked on the replacement
      const [hung, waited] = await Promise.all(
        [pool.check(f.election, hang), pool.check(f.election, { ...honest[round + 1]! })].map(timed),
      );
      assert.ok(hung!.outcome instanceof CheckTimedOut && hung!.outcome instanceof ChecksStopped);
      assert.equal(hung!.outcome.retryAfter, 1);
      assert.ok(hung!.ms >= 1_900 && hung!.ms < 30_000, `refused after ${hung!.ms} ms`);
      assert.equal(waited!.outcome, true);
    }
    // three stuck workers ended, with maxEnds 2: not counted, the pool never stopped
    assert.equal(pool.broken, null);
    assert.notEqual(workersOf(pool)[0], stuck);
    assert.equal(stuck!.hasEnded, true);
    assert.deepEqual(said, ['a ballot check worker did not answer within 2 s: ended and replaced']);
  } finally {
    await pool.close();
  }
});
