// Issue #18 item 2: two and then four `councils serve` processes on one PostgreSQL database serving one
// organisation under load: no failed request, every acknowledged comment stored exactly once and nothing else,
// the record verifies; and kill -9 of the process holding the organisation's scheduler lease in the middle of the
// load loses nothing, and another process holds the lease within seconds. Small runs;
// bench/multi-process.bench.ts is the bigger one (docs/PERFORMANCE.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedDatabase, verifyAll } from '../support/crash-runs.ts';
import {
  commentLoad,
  exited,
  leaseHolder,
  startCluster,
  storedComments,
  type Cluster,
  type LoadFigures,
} from '../support/multi-process.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

/** Polls `check` until it returns a value (not undefined), for at most `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const applicationOf = (s: Cluster['servers'][number]) => `councils ${s.child.pid}`;

test(
  '2 and 4 API processes on one PostgreSQL database serve one organisation; kill -9 of the lease holder loses nothing',
  { skip: !pgUrl },
  async (t) => {
    const shared = await sharedDatabase('postgres', pgUrl);
    const cluster = await startCluster(shared.url, shared.dir, 4);
    const acknowledged: string[] = [];
    const check = (load: LoadFigures, expected: number) => {
      assert.deepEqual(load.failed, [], 'no failed request');
      assert.equal(load.acknowledged, expected);
      acknowledged.push(...load.texts);
    };
    try {
      let started = performance.now();
      const two = await commentLoad(cluster, 12, 6, undefined, [0, 1]);
      check(two, 72);
      t.diagnostic(`2 processes: 72 comments in ${Math.round(performance.now() - started)} ms`);
      started = performance.now();
      const four = await commentLoad(cluster, 12, 6);
      check(four, 72);
      t.diagnostic(`4 processes: 72 comments in ${Math.round(performance.now() - started)} ms`);

      const holder = await eventually(() => leaseHolder(shared.url, cluster.orgId), 20_000, 'a lease');
      const victim = cluster.servers.find((s) => applicationOf(s) === holder.application);
      assert.ok(victim, `the lease is held by one of the servers (${holder.application})`);
      let killed = false;
      const killing = commentLoad(cluster, 12, 10, (n) => {
        if (n === 30 && !killed) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      });
      const load = await killing;
      await exited(victim.child);
      assert.ok(killed, 'the holder was killed in the middle of the load');
      check(load, 120);
      t.diagnostic(`kill -9: ${load.retried} requests sent again to another process`);
      const next = await eventually(
        async () => {
          const h = await leaseHolder(shared.url, cluster.orgId);
          return h && h.application !== holder.application ? h : undefined;
        },
        15_000,
        'another process holds the lease',
      );
      const alive = cluster.servers.filter((s) => s !== victim).map(applicationOf);
      assert.ok(alive.includes(next.application), next.application);

      const stored = await storedComments(shared.url, cluster.orgId);
      assert.deepEqual(
        [...stored.entries()].filter(([, n]) => n !== 1),
        [],
        'no comment stored twice',
      );
      assert.deepEqual(new Set(stored.keys()), new Set(acknowledged), 'acknowledged = stored');
    } finally {
      await cluster.stop();
    }
    {
      const v = performance.now();
      assert.deepEqual(await verifyAll(shared.url, shared.dir, cluster.keyDir), []);
      t.diagnostic(`verify: ${Math.round(performance.now() - v)} ms`);
    }
    await shared.drop();
  },
);
