// Ended votes' reads shared (src/server/ended-reads.ts, review A session 12 findings 1 and 2): over real HTTP, on
// SQLite and PostgreSQL, after a restart. What is counted is what the store gives back: the log rows with a body
// (and their bytes) returned to a Kysely plugin on the restarted service's handle, so a read kept or shared counts
// nothing and every read made counts all it read. N requests at once for an ended mixed vote's mix pages cause the
// rows of one read; later requests none; a read that fails (a damaged log row) is made once, its failure kept. The
// same for an ended homomorphic vote's sums summed again (a vote that ended before `secret_sums`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql, type KyselyPlugin } from 'kysely';
import { buildApp } from '../../src/server/app.ts';
import { secretView } from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import type { Db } from '../../src/store/database.ts';
import { testDatabases } from '../support/databases.ts';
import {
  closeSmallSecretVote,
  closeTwoShuffles,
  emptyBodies,
  openSmallSecretVote,
  type SmallSecretVote,
} from '../support/small-secret-vote.ts';

const N = 12;

/** A service on `db` as after a restart, with the log rows (with a body) its store returns counted. */
async function counted(db: Db, v: SmallSecretVote) {
  const read = { rows: 0, bytes: 0 };
  const counter: KyselyPlugin = {
    transformQuery: (a) => a.node,
    transformResult: async (a) => {
      for (const r of a.result.rows as { body?: unknown }[])
        if (typeof r.body === 'string') {
          read.rows++;
          read.bytes += r.body.length;
        }
      return a.result;
    },
  };
  const service = new CouncilsService({ ...db, kysely: db.kysely.withPlugin(counter) }, v.clock, {});
  await service.ledger(v.orgId).current();
  const taken = () => {
    const t = { ...read };
    read.rows = read.bytes = 0;
    return t;
  };
  taken();
  return { service, taken };
}

async function serve(service: CouncilsService, v: SmallSecretVote) {
  const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/orgs/${v.orgId}/votes/${v.voteId}/secret`;
  const many = (path: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => fetch(base + path).then((r) => r.status)));
  return { app, many };
}

async function endedMixedVote(db: Db): Promise<SmallSecretVote> {
  const v = await openSmallSecretVote(db, { ranked: true, publicRecord: true, ballots: 5 });
  await closeTwoShuffles(v);
  return v;
}

const MIX_PAGES = ['/mix/board', '/mix/list', '/mix/shuffles/1', '/mix/shuffles/1?limit=1&after=2'];

for (const database of testDatabases()) {
  describe(`ended votes' reads shared on ${database.name}`, () => {
    test(`${N} requests at once for an ended mixed vote's mix pages read it once; later requests read nothing`, async () => {
      const db = await database.open();
      const v = await endedMixedVote(db);
      try {
        // what one read of each page reads: one request at a time, each on a service of its own
        const once: Record<string, { rows: number; bytes: number }> = {};
        for (const path of MIX_PAGES) {
          const c = await counted(db, v);
          const s = await serve(c.service, v);
          assert.deepEqual(await s.many(path, 1), [200]);
          once[path] = c.taken();
          assert.ok(once[path].rows > 0, `${path} reads its rows`);
          await s.app.close();
        }
        const c = await counted(db, v);
        const s = await serve(c.service, v);
        try {
          for (const path of MIX_PAGES) {
            assert.deepEqual(await s.many(path, N), Array(N).fill(200));
            const read = c.taken();
            // a page of shuffle 1 after /mix/shuffles/1 whole: the shuffle is kept, nothing read
            const expected = path.startsWith('/mix/shuffles/1?') ? { rows: 0, bytes: 0 } : once[path];
            assert.deepEqual(read, expected, `${N} × ${path} at once: the rows of one read`);
            assert.deepEqual(await s.many(path, N), Array(N).fill(200));
            assert.deepEqual(c.taken(), { rows: 0, bytes: 0 }, `${path} again: kept, nothing read`);
          }
        } finally {
          await s.app.close();
        }
      } finally {
        await db.close();
      }
    });

    test('a mix that cannot be read (a damaged log row) is read once at a time, its failure kept', async () => {
      const db = await database.open();
      const v = await endedMixedVote(db);
      const c = await counted(db, v);
      const s = await serve(c.service, v);
      try {
        const cast = (await v.entries()).find(
          (e) =>
            e.act === 'board_posted' && e.payload.voteId === v.voteId && e.payload.kind === 'ranked-ballot',
        );
        assert.ok(cast, 'a cast ballot');
        await emptyBodies(db, v.orgId, [cast.seq]);
        assert.deepEqual(await s.many('/mix/board', 1), [500]);
        const one = c.taken();
        assert.ok(one.rows > 0);
        assert.deepEqual(await s.many('/mix/board', N), Array(N).fill(500));
        assert.deepEqual(c.taken(), { rows: 0, bytes: 0 }, 'the failure kept: nothing read again');
      } finally {
        await s.app.close();
        await db.close();
      }
    });

    test('an ended homomorphic vote whose sums were not kept and whose board cannot be read: read once', async () => {
      const db = await database.open();
      const v = await openSmallSecretVote(db, { ranked: false, ballots: 5, publicRecord: true });
      await closeSmallSecretVote(v, false);
      await sql`delete from secret_sums`.execute(db.kysely); // as a vote that ended before the table
      const ballots = (await v.entries()).filter(
        (e) => e.act === 'board_posted' && e.payload.voteId === v.voteId && e.payload.kind === 'ballot',
      );
      assert.ok(ballots.length > 0);
      const c = await counted(db, v);
      await emptyBodies(db, v.orgId, [ballots[0]!.seq]);
      try {
        await viewsRead(c, v);
      } finally {
        await db.close();
      }
    });
  });
}

async function viewsRead(c: Awaited<ReturnType<typeof counted>>, v: SmallSecretVote) {
  const view = () =>
    secretView(c.service, v.orgId, v.voteId, 'key').then(
      () => 'shown',
      (e: Error) => e.message,
    );
  assert.match(await view(), /the log gives/);
  const first = c.taken();
  assert.ok(first.rows > 0, 'the first view reads the board');
  // a view of board=key reads its page's rows each time; the board, summed, only the first time
  assert.match(await view(), /the log gives/);
  const page = c.taken();
  assert.ok(
    page.rows < first.rows,
    `the failure kept: ${page.rows} rows read, not the board's ${first.rows}`,
  );
  const again = await Promise.all(Array.from({ length: N }, view));
  assert.ok(again.every((m) => /the log gives/.test(m)));
  assert.deepEqual(
    c.taken(),
    { rows: N * page.rows, bytes: N * page.bytes },
    `${N} views at once: the page only`,
  );
}
