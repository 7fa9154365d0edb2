// A ballot whose check ends the worker thread checking it (src/node/ballot-checks.ts): a real crash, an exception
// thrown outside the check's own try by the worker's test fault (src/node/ballot-check-worker.ts, honoured under
// NODE_ENV=test only). It is refused alone with BallotUncheckable, the honest ballots of its batch are answered, and
// however often one member casts it the pool's restart limit is not reached: the ends it caused are not counted.
// Workers that end now and then, each after a whole cool-down, never add up to the limit either.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as ballot from '../../src/ballot/index.ts';
import { BallotChecks, BallotUncheckable, ChecksStopped } from '../../src/node/ballot-checks.ts';
import {
  checkElection,
  keepAliveWhileTesting,
  settledWithin,
  until,
  workersOf,
} from '../support/ballot-pool.ts';

const { election, ballots, encrypt } = await checkElection('poison');
const poison = encrypt(0);
// read by every worker the pools below start (a worker's environment is a copy of this process's)
process.env.NODE_ENV = 'test';
process.env.COUNCILS_TEST_CRASHING_BALLOT = poison.code;

/** The outcome of a check: true, the failed check's number, or the class of the error it was refused with. */
async function outcome(p: Promise<ballot.Verdict>): Promise<string | boolean> {
  const r = await settledWithin(p, 'a check');
  if (r.status === 'fulfilled') return r.value.ok ? true : r.value.check;
  const e = r.reason;
  return e instanceof BallotUncheckable
    ? 'uncheckable'
    : e instanceof ChecksStopped
      ? 'stopped'
      : `error: ${String(e)}`;
}

keepAliveWhileTesting();

test('a ballot whose check ends its worker is refused alone with BallotUncheckable; the honest casts of its batch pass', async () => {
  const said: string[] = [];
  const pool = new BallotChecks(1, { say: (m) => said.push(m) });
  try {
    await pool.start();
    // the first cast holds the worker while 40 more (copies of honest ballots, and the poison) wait: one batch
    const first = pool.check(election, ballots[0]!);
    const honest = Array.from({ length: 40 }, (_, i) => ({ ...ballots[i % ballots.length]! }));
    const waiting = [...honest.slice(0, 23), poison, ...honest.slice(23)];
    const results = await Promise.all([first, ...waiting.map((b) => pool.check(election, b))].map(outcome));
    assert.deepEqual(results, [true, ...waiting.map((b) => (b === poison ? 'uncheckable' : true))]);
    assert.equal(pool.broken, null);
    assert.equal(pool.counts.uncheckable, 1);
    assert.equal(said.length, 1);
    assert.match(said[0]!, /1 secret ballot\(s\) ended a ballot check worker twice and were refused/);
    // a forgery is still refused for its check, and an honest cast passes
    const forged = { ...ballots[4]!, code: ballots[4]!.code.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    assert.deepEqual(
      await Promise.all([pool.check(election, ballots[5]!), pool.check(election, forged)].map(outcome)),
      [true, '5.4'],
    );
  } finally {
    await pool.close();
  }
});

test('one member casting the poisoned ballot again and again never stops the pool; the others are answered', async () => {
  const said: string[] = [];
  // a limit of 3 ends, the cool-down longer than the test: before, the second poisoned cast stopped the pool
  const pool = new BallotChecks(2, {
    maxEnds: 3,
    windowMs: 600_000,
    backoffMs: 20,
    say: (m) => said.push(m),
  });
  try {
    await pool.start();
    for (let round = 0; round < 5; round++) {
      const [bad, ...good] = await Promise.all(
        [poison, ...ballots.slice(0, 3).map((b) => ({ ...b }))].map((b) => outcome(pool.check(election, b))),
      );
      assert.equal(bad, 'uncheckable', `round ${round}`);
      assert.deepEqual(good, [true, true, true], `round ${round}`);
      assert.equal(pool.broken, null, `round ${round}`);
    }
    assert.equal(pool.counts.uncheckable, 5);
    assert.equal(said.length, 1, 'said once a cool-down');
  } finally {
    await pool.close();
  }
});

test('workers that end now and then, each after a whole cool-down, never stop the pool', async () => {
  // before, two ends of idle workers without a cast between them stopped a pool with this limit
  const pool = new BallotChecks(1, { maxEnds: 2, windowMs: 300, backoffMs: 10, say: () => {} });
  try {
    await pool.start();
    for (let i = 0; i < 3; i++) {
      const [w] = workersOf(pool);
      await w!.ready;
      await new Promise((r) => setTimeout(r, 400)); // a whole cool-down, idle
      await w!.terminate();
      await until('the ended worker replaced', () => pool.broken !== null || !workersOf(pool).includes(w!));
      assert.equal(pool.broken, null, `end ${i + 1}`);
    }
    assert.equal(await outcome(pool.check(election, ballots[1]!)), true);
  } finally {
    await pool.close();
  }
});

test('a flood of poisoned casts does not hold honest casts: each answered within seconds of its own check', async (t) => {
  // review-b finding 2: the poisons' bisected parts went to the front of the queue, on every worker, and each end
  // grew the restart backoff (up to 5 s): honest casts arriving meanwhile waited minutes. Now the suspects are
  // checked behind fresh casts, on one worker at most, and their ends restart after the base backoff.
  const pool = new BallotChecks(2, { windowMs: 600_000, say: () => {} });
  try {
    await pool.start();
    const poisons = Array.from({ length: 16 }, () => outcome(pool.check(election, { ...poison })));
    await new Promise((r) => setTimeout(r, 300)); // the poisons' batch is on a worker, ending it
    const waits: number[] = [];
    const honest: Promise<string | boolean>[] = [];
    for (let i = 0; i < 5; i++) {
      const at = performance.now();
      honest.push(
        outcome(pool.check(election, { ...ballots[i]! })).then((r) => {
          waits.push(Math.round(performance.now() - at));
          return r;
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
    }
    // a generous bound (a single check takes ≈ 50 ms; a worker's start-up under load a second or two): before, the
    // honest casts waited for the whole bisection, minutes under load
    const bound = new Promise<'late'>((r) => setTimeout(() => r('late'), 15_000).unref());
    assert.deepEqual(await Promise.race([Promise.all(honest), bound]), [true, true, true, true, true]);
    assert.ok(
      waits.every((w) => w < 15_000),
      `honest casts answered after ${waits.join(', ')} ms`,
    );
    assert.deepEqual(
      await Promise.all(poisons),
      poisons.map(() => 'uncheckable'),
    );
    assert.equal(pool.broken, null);
    t.diagnostic(`honest casts answered after ${waits.join(', ')} ms; 16 poisons refused`);
  } finally {
    await pool.close();
  }
});
