// What the scheduler's passes read of the sealed records whose key the service does not hold, on SQLite and
// PostgreSQL (docs/SCALE.md "The scheduler's scans"): those whose entry says the sealer keeps the key are never
// read; an older entry's (it does not say) is asked for once by the first pass after it falls due, and by no later
// pass; the service's own records are still revealed when due, and the sealer's reveal is still taken. The database's reads are counted by a Kysely plugin on the
// service's own handle (every statement the service makes goes through it). Motions waiting for seconders still
// lapse when their days are over (the pass reads none of them before: test/core/schedule/pass-reads.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { seal } from '../../src/record/index.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { revealDueRecords } from '../../src/server/sealed-records.ts';
import { apiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import { instantProcedure } from '../support/factory.ts';

/** Counts the statements that name `table`. */
function tableReads(table: string): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args: PluginTransformQueryArgs) {
      if (JSON.stringify(args.node).includes(`"${table}"`)) this.count++;
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs) => args.result,
  };
}

const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

for (const database of testDatabases()) {
  describe(`the scheduler's passes on ${database.name}`, () => {
    test('sealed records whose key the client keeps are never read; an older entry’s once, by the first pass', async () => {
      const opened = await database.open();
      const secrets = tableReads('sealed_secrets');
      const o = await apiOrg({ ...opened, kysely: opened.kysely.withPlugin(secrets) });
      try {
        const ledger = o.service.ledger(o.orgId);
        const ana = o.people.ana!.memberId!;
        const inMinutes = (m: number) => new Date(o.clock.t + m * 60_000).toISOString();
        // the service's own record, due in two hours
        const mine = await o.people.ana!.ok<{ seq: number }>(
          'POST',
          `/orgs/${o.orgId}/councils/north/sealed`,
          {
            label: 'The service keeps this key',
            content: 'Ours.',
            releaseAt: inMinutes(120),
          },
        );
        // five sealed by a client that keeps their keys and says so, two as older entries were (not saying), due in
        // an hour
        const kept = [];
        for (let i = 0; i < 7; i++) {
          const content = new TextEncoder().encode(`kept ${i}`);
          const release = { at: inMinutes(60) };
          const { sealed, key } = seal(content, 'Kept', release, (n) => new Uint8Array(n).fill(i + 1));
          const r = await ledger.execute(
            {
              type: 'seal_record',
              councilId: 'north',
              label: 'Kept',
              commitment: sealed.commitment,
              release,
              ...(i < 5 ? { keyKeptBy: 'sealer' as const } : {}),
            },
            ana,
          );
          assert.ok(r.ok);
          kept.push({ seq: r.entries[0]!.seq, key: base64(key), content: base64(content) });
        }
        const pass = async () => {
          secrets.count = 0;
          const revealed = await revealDueRecords(o.service);
          return { revealed, reads: secrets.count };
        };
        assert.deepEqual(await pass(), { revealed: 0, reads: 0 }, 'nothing due');
        o.clock.advanceMinutes(61);
        assert.deepEqual(await pass(), { revealed: 0, reads: 2 }, 'the older entries’ keys asked for once');
        for (let i = 0; i < 3; i++)
          assert.deepEqual(await pass(), { revealed: 0, reads: 0 }, `no reads on a later pass (${i})`);
        // the sealer publishes one reveal; the service's record falls due and is revealed (its key read, dropped)
        const first = kept[0]!; // a client that keeps the key
        const own = await ledger.execute(
          { type: 'reveal_record', sealedSeq: first.seq, key: first.key, content: first.content },
          ana,
        );
        assert.ok(own.ok, JSON.stringify(own));
        o.clock.advanceMinutes(60);
        assert.deepEqual(
          await pass(),
          { revealed: 1, reads: 2 },
          "the service's record: its key read, dropped",
        );
        assert.deepEqual(await pass(), { revealed: 0, reads: 0 });
        const state = await ledger.current();
        assert.notEqual(state.sealed.get(mine.seq)!.revealedAt, null);
        assert.notEqual(state.sealed.get(first.seq)!.revealedAt, null);
        assert.equal(state.sealed.get(kept[1]!.seq)!.revealedAt, null);
      } finally {
        await o.close();
      }
    });

    test('motions waiting for seconders lapse when their days are over, by the pass', async () => {
      const o = await apiOrg(await database.open(), {
        procedure: { ...instantProcedure, seconders: { kind: 'absolute', count: 1 }, unsecondedLapseDays: 2 },
      });
      try {
        const moved: string[] = [];
        for (const title of ['One', 'Two', 'Three']) {
          const m = await o.people.ana!.ok<{ motionId: string }>(
            'POST',
            `/orgs/${o.orgId}/councils/north/motions`,
            {
              title,
              text: '',
            },
          );
          moved.push(m.motionId);
          o.clock.advanceMinutes(60);
        }
        await o.people.ben!.ok('POST', `/orgs/${o.orgId}/motions/${moved[1]}/second`);
        o.clock.advanceMinutes(2 * 24 * 60 - 3 * 60); // two days after the first was moved
        assert.equal(await runDueActs(o.service), 1);
        o.clock.advanceMinutes(2 * 60);
        assert.equal(await runDueActs(o.service), 1);
        assert.equal(await runDueActs(o.service), 0);
        const state = await o.service.ledger(o.orgId).current();
        assert.deepEqual(
          moved.map((id) => state.motions.get(id)!.state),
          ['lapsed', 'debate', 'lapsed'],
        );
      } finally {
        await o.close();
      }
    });
  });
}
