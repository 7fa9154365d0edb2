// The deployment of docs/DEPLOYMENT.md started on one machine by scripts/topology.ts: a PostgreSQL primary and a
// streaming replica, two `councils serve` API processes reading from it, a job-queue worker, haproxy routing by
// organisation in front. Members post comments through haproxy (each with an Idempotency-Key, sent again with it
// when haproxy answers 502/503 or the connection breaks); every page read after a write shows it, and pages are
// read from the replica; the process serving the organisation is killed with kill -9 in the middle of a load and
// the traffic goes on through the other; every acknowledged comment is stored exactly once, and `councils verify`
// passes on the exported record.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTopology, type Topology } from '../../scripts/topology.ts';
import { verifyAll } from '../support/crash-runs.ts';
import { exited, foundForLoad, storedComments, type LoadOrg } from '../support/multi-process.ts';

const pgUrl = process.env.TEST_DATABASE_URL;
const haproxy = spawnSync('sh', ['-c', 'command -v haproxy'], { stdio: 'ignore' }).status === 0;

type Counts = { replica: number; behind: number; failed: number };

async function readCounts(s: { url: string }): Promise<Counts> {
  const res = await fetch(`${s.url}/api/v1/health`);
  return ((await res.json()) as { readReplica: Counts }).readReplica;
}

test(
  'the topology on one machine: writes through haproxy, reads from the replica, kill -9 of a process, verify passes',
  {
    skip: !pgUrl ? 'no PostgreSQL' : !haproxy ? 'haproxy is not installed (apt-get install haproxy)' : false,
    timeout: 300_000,
  },
  async (t) => {
    let org: LoadOrg | undefined;
    const began = performance.now();
    const phase = (what: string) => t.diagnostic(`${what}: ${Math.round(performance.now() - began)} ms`);
    const topology: Topology = await startTopology({
      processes: 2,
      workers: 1,
      env: { COUNCILS_CHECKPOINT_SECONDS: '1' },
      prepare: async (url, keyDir) => {
        org = await foundForLoad(url, keyDir, 3);
      },
    });
    phase('topology started');
    const dir = mkdtempSync(join(tmpdir(), 'councils-topology-test-'));
    try {
      const { orgId, motionId, tokens } = org!;
      const motionUrl = `${topology.url}/api/v1/orgs/${orgId}/motions/${motionId}`;
      const acknowledged: string[] = [];
      let resent = 0;

      /** One comment, sent again with the same key until it is acknowledged (60 s at most). */
      const post = async (token: string, text: string) => {
        const key = randomUUID();
        const deadline = performance.now() + 60_000;
        for (;;) {
          assert.ok(performance.now() < deadline, `comment not acknowledged within 60 s: ${text}`);
          let status = 0;
          let error: string | undefined;
          try {
            const res = await fetch(`${motionUrl}/comments`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'application/json',
                'idempotency-key': key,
              },
              body: JSON.stringify({ stance: 'neutral', text }),
            });
            status = res.status;
            error = ((await res.json().catch(() => ({}))) as { error?: string }).error;
          } catch {
            // the connection broke: sent again below
          }
          if (status === 201 || error === 'idempotency_answer_lost') return void acknowledged.push(text);
          // haproxy's answers for a process that died with the request (502) or none up yet (503), a broken
          // connection, or the first attempt still held by a killed process: the same request again
          const again = status === 0 || status === 502 || status === 503 || error === 'idempotency_in_flight';
          assert.ok(again, `comment refused: ${status} ${error}`);
          resent++;
          await new Promise((r) => setTimeout(r, 100));
        }
      };

      /** The motion's comments as a member reads them through haproxy (again on 502/503: a process just died). */
      const read = async (): Promise<Set<string>> => {
        const deadline = performance.now() + 30_000;
        for (;;) {
          const res = await fetch(motionUrl, { headers: { authorization: `Bearer ${tokens[0]}` } });
          if (res.status === 200)
            return new Set(
              ((await res.json()) as { comments: { text: string }[] }).comments.map((c) => c.text),
            );
          assert.ok(res.status === 502 || res.status === 503, `read answered ${res.status}`);
          assert.ok(performance.now() < deadline, 'no process answered the read within 30 s');
          await new Promise((r) => setTimeout(r, 100));
        }
      };

      const load = (clients: number, each: number, onAck?: (n: number) => void) =>
        Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            for (let i = 0; i < each; i++) {
              await post(tokens[c % tokens.length]!, `client ${c} comment ${i} ${randomUUID()}`);
              onAck?.(acknowledged.length);
            }
          }),
        );

      // Writes through haproxy; each member's next read shows their comment (read-your-writes).
      await load(3, 4);
      assert.equal(acknowledged.length, 12);
      for (let i = 0; i < 3; i++) {
        const seen = await read();
        for (const text of acknowledged) assert.ok(seen.has(text), `a write vanished from a read: ${text}`);
      }
      phase('first load written and read');
      // A read served from the replica, once it has caught up.
      const deadline = performance.now() + 30_000;
      for (;;) {
        const counts = await Promise.all(topology.api.map(readCounts));
        if (counts.some((c) => c.replica > 0)) break;
        assert.ok(performance.now() < deadline, `no read served by the replica: ${JSON.stringify(counts)}`);
        await read();
        await new Promise((r) => setTimeout(r, 100));
      }
      // The process the organisation is routed to: the one its reads went to.
      const counts = await Promise.all(topology.api.map(readCounts));
      const served = counts.map((c) => c.replica + c.behind + c.failed);
      const routed = served.indexOf(Math.max(...served));
      t.diagnostic(`reads per process: ${JSON.stringify(counts)}`);

      // kill -9 of that process in the middle of a load: the traffic goes on through the other.
      const victim = topology.api[routed]!;
      let killed = false;
      await load(3, 6, (n) => {
        if (n >= 18 && !killed) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      });
      await exited(victim.child);
      assert.ok(killed, 'the process was killed in the middle of the load');
      assert.equal(acknowledged.length, 30);
      t.diagnostic(`requests sent again: ${resent}`);
      phase('second load, with the kill, written');
      const seen = await read();
      for (const text of acknowledged)
        assert.ok(seen.has(text), `an acknowledged comment is missing: ${text}`);

      const stored = await storedComments(topology.primary, orgId);
      assert.deepEqual(
        [...stored.entries()].filter(([, n]) => n !== 1),
        [],
        'no comment stored twice',
      );
      assert.deepEqual(new Set(stored.keys()), new Set(acknowledged), 'acknowledged = stored');

      // The processes stop; the record verifies.
      for (const s of [...topology.api, ...topology.workers]) s.child.kill('SIGTERM');
      await Promise.all([...topology.api, ...topology.workers].map((s) => exited(s.child)));
      phase('processes stopped');
      assert.deepEqual(await verifyAll(topology.primary, dir, topology.keyDir), []);
      phase('verified');
    } finally {
      await topology.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
