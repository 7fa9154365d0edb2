// Several API processes on one PostgreSQL database serving one organisation (issue #18 item 2, docs/DEPLOYMENT.md):
// 1, 2 and 4 `councils serve` processes, 16 clients posting comments with Idempotency-Keys round-robin across
// the processes (the worst case: every batch of every process takes turns on one write lock and catches up the
// others' entries), then 4 processes with the scheduler-lease holder killed (kill -9) a third of the way through.
// Reports acknowledged comments per second (the 1-process run is the same-run baseline), failed requests, lost
// and duplicated acts (acknowledged against stored), whether `councils verify` passes on the exported record, and the
// seconds until another process held the lease.
// Usage: npx tsx bench/multi-process.bench.ts [--quick]   (prints a Markdown section)
import os from 'node:os';
import { sharedDatabase, verifyAll } from '../test/support/crash-runs.ts';
import {
  commentLoad,
  exited,
  leaseHolder,
  startCluster,
  storedComments,
} from '../test/support/multi-process.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { build, buildIsFresh } from '../scripts/build-node.mjs';

const quick = process.argv.includes('--quick');
const clients = 16;
const perClient = quick ? 15 : 60;
if (!buildIsFresh()) build();
const pg = process.env.DATABASE_URL ? undefined : startThrowawayPostgres();
const base = process.env.DATABASE_URL ?? pg?.url;
if (!base) throw new Error('PostgreSQL binaries not found, and no DATABASE_URL');

const rows: string[] = [];
try {
  for (const n of [1, 2, 4, 4]) {
    const killing = rows.length === 3;
    const shared = await sharedDatabase('postgres', base);
    const cluster = await startCluster(shared.url, shared.dir, n);
    let tookOverMs: number | undefined;
    let killedAt = 0;
    let victimApp = '';
    if (killing) {
      for (let i = 0; i < 100 && !victimApp; i++) {
        victimApp = (await leaseHolder(shared.url, cluster.orgId))?.application ?? '';
        if (!victimApp) await new Promise((r) => setTimeout(r, 200));
      }
    }
    const victim = cluster.servers.find((s) => `councils ${s.child.pid}` === victimApp);
    const load = await commentLoad(cluster, clients, perClient, (k) => {
      if (victim && killedAt === 0 && k === Math.floor((clients * perClient) / 3)) {
        killedAt = performance.now();
        victim.child.kill('SIGKILL');
      }
    });
    if (victim) {
      await exited(victim.child);
      for (;;) {
        const h = await leaseHolder(shared.url, cluster.orgId);
        if (h && h.application !== victimApp) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      tookOverMs = performance.now() - killedAt;
    }
    const stored = await storedComments(shared.url, cluster.orgId);
    const acked = new Set(load.texts);
    const lost = [...acked].filter((t) => !stored.has(t)).length;
    const duplicated = [...stored.values()].filter((c) => c > 1).length;
    const unacknowledged = [...stored.keys()].filter((t) => !acked.has(t)).length;
    await cluster.stop();
    const failures = await verifyAll(shared.url, shared.dir, cluster.keyDir);
    await shared.drop();
    const perSecond = (load.acknowledged / load.ms) * 1000;
    rows.push(
      `| ${n}${killing ? ', lease holder killed' : ''} | ${load.acknowledged} | ${perSecond.toFixed(0)} | ` +
        `${load.failed.length} | ${lost} / ${duplicated} / ${unacknowledged} | ` +
        `${failures.length === 0 ? 'passes' : `fails: ${failures.join('; ')}`} | ${load.retried} | ` +
        `${tookOverMs === undefined ? '—' : (tookOverMs / 1000).toFixed(1)} |`,
    );
  }
} finally {
  pg?.stop();
}
console.log(`## Several API processes on one PostgreSQL database (bench/multi-process.bench.ts${quick ? ' --quick' : ''})

${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end; ${clients} clients × ${perClient} comments, round-robin over the processes.

| Processes | Acknowledged | Comments/s | Failed requests | Lost / duplicated / stored unacknowledged | \`councils verify\` | Sent again (broken connection) | Lease taken over after (s) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`);
