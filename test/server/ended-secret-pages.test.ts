// The pages of an ended secret vote read what they show, not its whole board (issue #18, docs/SCALE.md "Closing a
// vote"): over real HTTP, on SQLite and PostgreSQL, a homomorphic and a mixed vote. The observable: once the server
// has loaded the ended vote, the bodies of its ballots' log rows are dropped (in this test's database only); a page
// that read them, or rebuilt the board from the log, fails, and one that reads only its own rows answers as before.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import type { Db } from '../../src/store/database.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import {
  closeSmallSecretVote as close,
  emptyBoardBodies,
  openSmallSecretVote,
  type SmallSecretVote,
} from '../support/small-secret-vote.ts';

/** A server on a fresh service over `db` (a restart: the log replayed, the vote settled), on a real port. */
async function serve(db: Db, v: SmallSecretVote) {
  const service = new CouncilsService(db, v.clock, {});
  const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/orgs/${v.orgId}/votes/${v.voteId}/secret`;
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { service, app, get };
}

/**
 * A small secret vote opened and closed on a fresh database of `database`, and two servers over it: `s`, and `fresh`
 * (loaded, the vote settled, no page of the vote read yet: nothing of its board kept but what its first view sums).
 */
async function endedVote(database: TestDatabase, ranked: boolean) {
  const db = await database.open();
  const v = await openSmallSecretVote(db, { ranked, publicRecord: true });
  await close(v, ranked);
  const s = await serve(db, v);
  const fresh = await serve(db, v);
  await fresh.service.ledger(v.orgId).current();
  return {
    db,
    v,
    s,
    fresh,
    stop: async () => {
      await s.app.close();
      await fresh.app.close();
      await db.close();
    },
  };
}

/** Drops the bodies of the vote's ballots' log rows: nothing can read a ballot from the log any more. */
async function dropBallotBodies(db: Db, v: SmallSecretVote): Promise<number> {
  const seqs = await emptyBoardBodies(db, v, (kind) => kind === 'ballot' || kind === 'ranked-ballot');
  assert.ok(seqs.length > 0);
  return seqs.length;
}

for (const database of testDatabases()) {
  for (const ranked of [false, true]) {
    describe(`an ended ${ranked ? 'mixed' : 'homomorphic'} secret vote's pages on ${database.name}`, () => {
      test('board=key and board=election read no ballot: they answer as before with the ballots’ rows gone', async () => {
        const { db, v, s, fresh, stop } = await endedVote(database, ranked);
        try {
          const before: Record<string, unknown> = {};
          for (const part of ['key', 'election'] as const) {
            const r = await s.get(`?board=${part}`);
            assert.equal(r.status, 200, JSON.stringify(r.json));
            before[part] = r.json;
          }
          const key = before.key as { phase: string; board: { kind: string }[]; aggregate?: unknown };
          assert.equal(key.phase, 'decided');
          assert.ok(
            key.board.length > 0 && key.board.every((e) => e.kind === 'setup' || e.kind.startsWith('dkg')),
          );
          assert.equal(key.aggregate !== undefined, !ranked, 'a homomorphic vote shows its aggregate');
          if (ranked) {
            const mix = await s.get('/mix');
            assert.equal(mix.status, 200);
            before.mix = mix.json;
          }

          // a restart sums no ballot (review-c finding 3): a homomorphic vote's sums wait for the first view that
          // shows them, which sums them once from the board read again and keeps them in the settled summary
          const settledOf = async () =>
            (await fresh.service.ledger(v.orgId).current()).votes.get(v.voteId)!.secret!.settled!;
          assert.equal((await settledOf()).aggregate, ranked ? null : undefined, 'summed at the start');
          assert.deepEqual((await fresh.get('?board=key')).json, before.key);
          assert.deepEqual((await settledOf()).aggregate, ranked ? null : key.aggregate, 'the sums kept');
          await dropBallotBodies(db, v);
          for (const part of ['key', 'election'] as const) {
            const r = await fresh.get(`?board=${part}`);
            assert.equal(r.status, 200, `board=${part} read the ballots: ${JSON.stringify(r.json)}`);
            assert.deepEqual(r.json, before[part]);
          }
          if (ranked)
            assert.deepEqual((await fresh.get('/mix')).json, before.mix, 'the mix page reads no ballot');
        } finally {
          await stop();
        }
      });

      test('board=all comes in pages by seq, every entry once; a receipt is found by index, after a restart', async () => {
        const { db, v, s, fresh, stop } = await endedVote(database, ranked);
        try {
          type View = {
            board: { seq: number; kind: string; body: Record<string, unknown> }[];
            boardNext: number | null;
          };
          const whole = (await s.get('?board=all')).json as unknown as View;
          assert.equal(whole.boardNext, null, 'a small board is one page');
          const seqs = whole.board.map((e) => e.seq);
          assert.ok(seqs.length > 4 && seqs.every((x, i) => i === 0 || x > seqs[i - 1]!));
          // page by page, two at a time: every entry once, in order, the same as the whole
          const paged: View['board'] = [];
          let after: number | null = -1;
          for (let pages = 0; after !== null; pages++) {
            assert.ok(pages <= seqs.length, 'the pages end');
            const r = await s.get(`?board=all&limit=2${after >= 0 ? `&after=${after}` : ''}`);
            assert.equal(r.status, 200, JSON.stringify(r.json));
            const page = r.json as unknown as View;
            assert.ok(page.board.length <= 2);
            paged.push(...page.board);
            after = page.boardNext;
          }
          assert.deepEqual(paged, whole.board);
          const { board: _board, boardNext: _next, ...rest } = whole as unknown as Record<string, unknown>;
          const page = (await s.get(`?board=all&limit=2&after=${seqs[1]}`)).json;
          assert.deepEqual(page.board, whole.board.slice(2, 4), 'after is a seq, not a position');
          assert.deepEqual(
            { ...page, board: undefined, boardNext: undefined },
            { ...rest, board: undefined, boardNext: undefined },
          );
          // past the end: an empty page, up to the largest seq a PostgreSQL integer holds; a cursor or limit that is not a whole number in range: 400, nothing else
          assert.deepEqual(
            ((await s.get(`?board=all&after=${seqs.at(-1)! + 1000}`)).json as unknown as View).board,
            [],
          );
          const last = await s.get('?board=all&after=2147483647');
          assert.equal(last.status, 200, JSON.stringify(last.json));
          assert.deepEqual((last.json as unknown as View).board, []);
          for (const q of [
            'after=abc',
            'after=-1',
            'after=1.5',
            'limit=0',
            'limit=-3',
            'limit=1001',
            'limit=ten',
            'after=99999999999999999999',
            'after=2147483648',
            'after=3000000000',
          ]) {
            const r = await s.get(`?board=all&${q}`);
            assert.equal(r.status, 400, `${q} → ${r.status}`);
            assert.equal(r.json.error, 'invalid_request', q);
          }

          // receipts: every code on the board (a mixed vote's on its mix board) and one that is not there
          const codes = whole.board.flatMap((e) =>
            e.kind === 'ballot'
              ? [e.body.code as string]
              : e.kind === 'spoiled'
                ? [(e.body.ballot as { code: string }).code]
                : [],
          );
          if (ranked) {
            const mixBoard = (await s.get('/mix/board')).json as { cast: { ballot: { code: string } }[] };
            codes.push(...mixBoard.cast.map((c) => c.ballot.code));
          }
          assert.ok(codes.length > 0);
          codes.push('0'.repeat(64));
          const receipts = [];
          for (const code of codes) receipts.push((await s.get(`/receipts/${code}`)).json);
          assert.ok(receipts.some((r) => r.status === 'counted' && r.tallied === true));
          assert.equal(receipts.at(-1)!.status, 'not-found');
          await dropBallotBodies(db, v);
          for (const [i, code] of codes.entries()) {
            const r = await fresh.get(`/receipts/${code}`);
            assert.equal(r.status, 200, `the receipt check read the ballots: ${JSON.stringify(r.json)}`);
            assert.deepEqual(r.json, receipts[i]);
          }
        } finally {
          await stop();
        }
      });
    });
  }
}
