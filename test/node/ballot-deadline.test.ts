// A ballot check that hangs (src/node/ballot-checks.ts RestartLimits.checkMs, deadlineOf): a real worker thread
// blocked for good by its test fault (COUNCILS_TEST_HANGING_BALLOT, honoured under NODE_ENV=test only: Atomics.wait
// on a value nothing changes). At the deadline the stuck worker is terminated and replaced (not counted toward the
// restart limit) and its batch is split as a crash's is: the honest ballots batched with the hanging one are checked
// and answered, and the hanging one, once it passes its deadline alone, is refused with BallotUncheckable (the
// server's 422 ballot_uncheckable). The deadline scales with the batch's ballots × options, so that an honest big
// batch slower in total than one deadline is checked whole. Before (c3f2e87): every ballot of the hanging one's
// batch was refused 503 at each cast, and a batch slower than the fixed deadline was refused whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import {
  BallotChecks,
  BallotUncheckable,
  DEADLINE_BALLOT_OPTIONS,
  deadlineOf,
} from '../../src/node/ballot-checks.ts';
import { buildElection, seededRandom } from '../ballot/fixture.ts';
import { checkElection, keepAliveWhileTesting, workersOf } from '../support/ballot-pool.ts';

const g = await ballot.sodiumGroup();
// the pool tests' election (3 options, k = 2, 6 voters): four honest ballots, and the sixth voter's that hangs
const { election, ballots } = await checkElection('deadline');
const honest = ballots.slice(0, 4);
const hang = ballots[5]!;
// read by every worker the pools below start (a worker's environment is a copy of this process's)
process.env.NODE_ENV = 'test';
process.env.COUNCILS_TEST_HANGING_BALLOT = hang.code;

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

keepAliveWhileTesting();

test('a ballot that hangs alone is refused 422 after its deadline twice, its worker replaced; the next ballots pass', async () => {
  const said: string[] = [];
  const pool = new BallotChecks(1, { checkMs: 1_000, maxEnds: 2, say: (m) => said.push(m) });
  try {
    await pool.start();
    assert.equal((await timed(pool.check(election, honest[0]!))).outcome, true);
    const [stuck] = workersOf(pool);
    for (let round = 0; round < 3; round++) {
      // the hanging ballot, and an honest one cast while it hangs the only worker: the first is checked again alone
      // on the replacement and refused at its second deadline, the second checked on the replacement
      const [hung, waited] = await Promise.all(
        [pool.check(election, hang), pool.check(election, { ...honest[round + 1]! })].map(timed),
      );
      assert.ok(hung!.outcome instanceof BallotUncheckable, String(hung!.outcome));
      assert.match(hung!.outcome.message, /did not end in time twice/);
      assert.ok(hung!.ms >= 1_900 && hung!.ms < 30_000, `refused after ${hung!.ms} ms`);
      assert.equal(waited!.outcome, true);
    }
    // six stuck workers ended, with maxEnds 2: not counted, the pool never stopped
    assert.equal(pool.broken, null);
    assert.equal(pool.counts.uncheckable, 3);
    assert.notEqual(workersOf(pool)[0], stuck);
    assert.equal(stuck!.hasEnded, true);
    assert.deepEqual(said, ['a ballot check worker did not answer within 1 s: ended and replaced']);
  } finally {
    await pool.close();
  }
});

test('honest ballots batched with a hanging one are checked and accepted; only the hanging one is refused 422', async () => {
  const pool = new BallotChecks(1, { checkMs: 1_000, say: () => {} });
  try {
    await pool.start();
    for (let round = 0; round < 2; round++) {
      // the first holds the worker while the rest wait: the 20 honest casts and the hanging one are one batch
      const first = pool.check(election, { ...honest[0]! });
      const batched = Array.from({ length: 20 }, (_, i) => ({ ...honest[i % honest.length]! }));
      const results = await Promise.all(
        [first, ...[...batched, { ...hang }].map((b) => pool.check(election, b))].map(timed),
      );
      const outcomes = results.map((r) =>
        r.outcome instanceof BallotUncheckable ? 'uncheckable' : r.outcome,
      );
      assert.deepEqual(outcomes, [true, ...batched.map(() => true), 'uncheckable'], `round ${round}`);
    }
    assert.equal(pool.broken, null);
  } finally {
    await pool.close();
  }
});

test('an honest big batch slower in total than one deadline is checked whole: the deadline scales with its ballots × options', async () => {
  // one contest of 50 options (limits.alternatives' maximum): 128 ballots are 6,400 ballot-options, 10 deadlines
  const options = 50;
  const big = buildElection(g, {
    n: 3,
    k: 2,
    voters: 6,
    seed: 'deadline-big',
    manifest: {
      electionId: 'big',
      title: 'big',
      opensAt: 1_000_000,
      closesAt: 2_000_000,
      contests: [
        {
          id: 'c',
          title: 'c',
          options: Array.from({ length: options }, (_, i) => `o${i}`),
          min: 1,
          max: 1,
          optionMax: 1,
        },
      ],
    },
  });
  const bigRnd = seededRandom('deadline-big-ballots');
  const six = Array.from(
    { length: 6 },
    (_, i) =>
      ballot.encryptBallot(
        g,
        big.election,
        big.voters[i]!.secret,
        [Array.from({ length: options }, (_, o) => (o === i ? 1 : 0))],
        bigRnd,
      ).ballot,
  );
  const checkMs = 1_500;
  assert.equal(deadlineOf(checkMs, big.election, 128), (checkMs * 128 * options) / DEADLINE_BALLOT_OPTIONS);
  assert.equal(deadlineOf(checkMs, big.election, 1), checkMs);
  const said: string[] = [];
  const pool = new BallotChecks(1, { checkMs, say: (m) => said.push(m) });
  try {
    await pool.start();
    assert.equal((await timed(pool.check(big.election, six[0]!))).outcome, true); // the worker holds the election
    const [worker] = workersOf(pool);
    const first = pool.check(big.election, { ...six[1]! }); // holds the worker: the 128 below are one batch
    const batch = Array.from({ length: 128 }, (_, i) => pool.check(big.election, { ...six[i % 6]! }));
    await first;
    const start = Date.now();
    const results = await Promise.all(batch.map(timed));
    const ms = Date.now() - start;
    assert.deepEqual(
      results.map((r) => r.outcome),
      batch.map(() => true),
    );
    // slower than one deadline in total (so a fixed one would have failed it), and checked in one go: no worker
    // was found stuck, none replaced
    assert.ok(ms > checkMs, `the batch took ${ms} ms, not more than ${checkMs}: no test of the scaling`);
    assert.deepEqual(said, []);
    assert.equal(workersOf(pool)[0], worker);
  } finally {
    await pool.close();
  }
});
