// The write lock and the incremental catch-up (src/store/leases.ts, src/store/ledger.ts) with two processes'
// worth of handles on one PostgreSQL database: each ledger has its own pool, as two API processes would. Batches
// from both interleave without a refusal or a full replay of the log, and a read catches up with what the other
// wrote. And the scheduler's leases: one holder at a time, taken over when the holder's connection ends.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { SchedulerLeases } from '../../src/store/leases.ts';
import { foundOrganisation, OrgLedger } from '../../src/store/ledger.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { sharedDatabase } from '../support/crash-runs.ts';
import { TestClock } from '../support/databases.ts';
import { members, organisation } from '../support/factory.ts';
import { must } from '../support/ledger-steps.ts';
import { supportScript } from '../support/paths.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

describe('two processes on one PostgreSQL database', { skip: !pgUrl }, () => {
  let shared: Awaited<ReturnType<typeof sharedDatabase>>;
  let a: Db;
  let b: Db;
  const clock = new TestClock();
  before(async () => {
    shared = await sharedDatabase('postgres', pgUrl);
    a = await openDatabase(shared.url);
    b = await openDatabase(shared.url);
  });
  after(async () => {
    await a.close();
    await b.close();
    await shared.drop();
  });

  const founding = organisation({ name: 'Two pools', founders: members('all', 'Ana', 'Ben') });

  test('batches from both interleave: every command accepted, seqs dense, no full replay after the first load', async () => {
    const { ledger: first } = await foundOrganisation(a, founding, clock);
    const second = new OrgLedger(b, first.orgId, clock);
    await second.current();
    const runs = Array.from({ length: 200 }, (_, i) =>
      (i % 2 === 0 ? first : second).execute(
        { type: 'move_motion', councilId: 'all', title: `Motion ${i}`, text: '' },
        i % 3 === 0 ? 'ana' : 'ben',
      ),
    );
    const outcomes = await Promise.all(runs);
    assert.deepEqual(
      outcomes.filter((o) => !o.ok),
      [],
    );
    const seqs: number[] = [];
    for await (const e of readEntries(a.kysely, first.orgId)) seqs.push(e.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i),
    );
    assert.equal((await first.current()).motions.size, 200);
    assert.equal((await second.current()).motions.size, 200);
    // Each read the log whole once, at its first use (the founding ledger's log was empty then).
    assert.deepEqual([first.fullReplays, second.fullReplays], [1, 1]);
  });

  test('a read catches up with what another process wrote, without a write of its own', async () => {
    const { ledger: first } = await foundOrganisation(a, founding, clock);
    const second = new OrgLedger(b, first.orgId, clock);
    const before = (await second.current()).size;
    await must(first, { type: 'move_motion', councilId: 'all', title: 'Seen', text: '' }, 'ana');
    const state = await second.current();
    assert.equal(state.size, before + 1);
    assert.deepEqual(
      [...state.motions.values()].map((m) => m.title),
      ['Seen'],
    );
    assert.equal(second.fullReplays, 1);
  });

  test('concurrent reads share one catch-up: one round trip for many, and each sees what was committed before it', async () => {
    const { ledger: first } = await foundOrganisation(a, founding, clock);
    let catchUps = 0;
    const counting: KyselyPlugin = {
      transformQuery(args) {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node.from).includes('"log_entries"'))
          catchUps++;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const second = new OrgLedger({ ...b, kysely: b.kysely.withPlugin(counting) }, first.orgId, clock);
    const before = (await second.current()).size;
    await must(first, { type: 'move_motion', councilId: 'all', title: 'Shared', text: '' }, 'ana');
    catchUps = 0;
    const states = await Promise.all(Array.from({ length: 20 }, () => second.current()));
    assert.deepEqual(new Set(states.map((s) => s.size)), new Set([before + 1]));
    // Before: one read of the log per call (20).
    assert.ok(catchUps <= 2, `${catchUps} catch-up reads for 20 concurrent reads`);
    // A read that begins after a commit sees it, also while an earlier catch-up is under way.
    const under = second.current();
    await must(first, { type: 'move_motion', councilId: 'all', title: 'Later', text: '' }, 'ben');
    const [, after] = await Promise.all([under, second.current()]);
    assert.equal(after.size, before + 2);
  });

  test("the scheduler's lease: one holder; when its connection ends, the other takes it", async () => {
    const { ledger } = await foundOrganisation(a, founding, clock);
    const one = new SchedulerLeases(a, 'lease one');
    const two = new SchedulerLeases(b, 'lease two');
    assert.deepEqual(await one.leased([ledger.orgId]), [ledger.orgId]);
    assert.deepEqual(await two.leased([ledger.orgId]), []);
    assert.deepEqual(await one.leased([ledger.orgId]), [ledger.orgId], 'kept');
    await one.release();
    assert.deepEqual(await two.leased([ledger.orgId]), [ledger.orgId]);
    assert.deepEqual(await one.leased([ledger.orgId]), []);
    await two.release();
    await one.release();
  });

  test('a holder that falls silent (its socket open: a vanished host, a hung process) loses its lease within the silence allowed', async () => {
    const { ledger } = await foundOrganisation(a, founding, clock);
    const child = spawn(
      process.execPath,
      [...supportScript('lease-child'), shared.url, ledger.orgId, '1500'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const mine = new SchedulerLeases(b, 'waiting');
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
        child.once('exit', (code) => reject(new Error(`the holder exited ${code}`)));
      });
      assert.deepEqual(await mine.leased([ledger.orgId]), [], 'held by the other process');
      child.kill('SIGSTOP');
      // Before: held for as long as TCP keepalives take to give up on a silent peer (hours; here, for ever).
      const deadline = performance.now() + 20_000;
      while ((await mine.leased([ledger.orgId])).length === 0) {
        assert.ok(performance.now() < deadline, 'the silent holder still holds the lease after 20 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      child.kill('SIGKILL');
      await mine.release();
    }
  });
});
