// The background loops' shape (src/server/every.ts): one round at a time, and a stop that waits for the round
// running when it was called, so that a server's final checkpoints never run beside a last scheduler round.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { every } from '../../src/server/every.ts';

test("every()'s stop settles only once the running round has ended, and no round starts after it", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let began!: () => void;
  const running = new Promise<void>((r) => (began = r));
  let rounds = 0;
  let ended = 0;
  const stop = every(1, async () => {
    rounds++;
    began();
    await gate;
    ended++;
  });
  await running;
  let stopped = false;
  const stopping = stop().then(() => (stopped = true));
  // However long it waits, stop() has not settled while the round is held.
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(stopped, false, 'stop() settled while a round was running');
  assert.equal(rounds, 1, 'one round at a time');
  release();
  await stopping;
  assert.equal(ended, 1, 'the round had ended when stop() settled');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(rounds, 1, 'no round after stop()');
});

test('every() reports a failed round and goes on', async () => {
  const hold = setInterval(() => undefined, 1000); // every()'s own timer keeps no process alive
  const errors: unknown[] = [];
  let rounds = 0;
  let twice!: () => void;
  const second = new Promise<void>((r) => (twice = r));
  const stop = every(
    1,
    async () => {
      if (++rounds === 2) twice();
      if (rounds === 1) throw new Error('first round fails');
    },
    (e) => errors.push(e),
  );
  await second;
  await stop();
  clearInterval(hold);
  assert.equal((errors[0] as Error).message, 'first round fails');
});
