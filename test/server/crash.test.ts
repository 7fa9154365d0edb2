// Kill tests of multi-step acts (issue #13): a real child process accepts an invitation, runs `councils init`,
// opens a secret vote or (a `councils serve` child's scheduler) freezes a credential list, and is killed with SIGKILL at a random moment; after each kill the database holds no
// half-done act and trying again works; at the end every organisation's record passes `councils verify`. A few
// runs per database here; scripts/crash-run.ts makes the bigger run whose figures docs/OPERATIONS.md gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  acceptUnderKill,
  freezeUnderKill,
  initUnderKill,
  secretSetupUnderKill,
  sharedDatabase,
  verifyAll,
} from '../support/crash-runs.ts';

const runs = Number(process.env.COUNCILS_CRASH_RUNS ?? 4);
const kinds = (['sqlite', 'postgres'] as const).filter(
  (k) => k === 'sqlite' || process.env.TEST_DATABASE_URL,
);

// The databases side by side (each its own database, key folder and child processes): most of a run is waiting for
// a child to start or for a scheduler's first pass, so the two overlap their waits. A database's acts one by one.
describe('kill -9 in the middle of an act', { concurrency: true }, () => {
  for (const kind of kinds) {
    describe(`kill -9 in the middle of an act, on ${kind}`, { concurrency: 1 }, () => {
      test('accepting an invitation: used ⇔ admitted with an account, and a retry admits', async () => {
        const shared = await sharedDatabase(kind, process.env.TEST_DATABASE_URL);
        try {
          const { figures, keyDir } = await acceptUnderKill(shared.url, shared.dir, runs);
          assert.deepEqual(
            { ...figures, killed: 0 },
            { runs, killed: 0, usedNobodyAdmitted: 0, accountMismatch: 0, retryFailed: 0 },
          );
          assert.deepEqual(await verifyAll(shared.url, shared.dir, keyDir), []);
        } finally {
          await shared.drop();
        }
      });

      test('councils init: an organisation whole with its key, secrets and links, or nothing', async () => {
        const shared = await sharedDatabase(kind, process.env.TEST_DATABASE_URL);
        try {
          const { figures, keyDir } = await initUnderKill(
            shared.url,
            shared.dir,
            'examples/federation.yaml',
            runs,
          );
          assert.deepEqual(
            { ...figures, killed: 0 },
            { runs, killed: 0, withoutKey: 0, withoutSecrets: 0, linksLost: 0, leftovers: 0 },
          );
          assert.deepEqual(await verifyAll(shared.url, shared.dir, keyDir), []);
        } finally {
          await shared.drop();
        }
      });

      test('opening a secret vote: open with its issuing keys, or no key of it kept', async () => {
        const shared = await sharedDatabase(kind, process.env.TEST_DATABASE_URL);
        try {
          const { figures, keyDir } = await secretSetupUnderKill(shared.url, shared.dir, runs);
          assert.deepEqual({ ...figures, killed: 0 }, { runs, killed: 0, orphanKeys: 0, voteWithoutKeys: 0 });
          assert.deepEqual(await verifyAll(shared.url, shared.dir, keyDir), []);
        } finally {
          await shared.drop();
        }
      });

      test('freezing a credential list: frozen with its issuing keys and listings gone, or neither', async () => {
        const shared = await sharedDatabase(kind, process.env.TEST_DATABASE_URL);
        try {
          const { figures, keyDir } = await freezeUnderKill(shared.url, shared.dir, runs);
          assert.deepEqual(
            { frozenWithKeys: figures.frozenWithKeys, keysWithoutFreeze: figures.keysWithoutFreeze },
            { frozenWithKeys: 0, keysWithoutFreeze: 0 },
          );
          assert.equal(figures.neverFrozen, 0, 'every list froze after a restart');
          assert.deepEqual(await verifyAll(shared.url, shared.dir, keyDir), []);
        } finally {
          await shared.drop();
        }
      });
    });
  }
});
