// An ended mixed secret vote's mix pages and receipts are its whole mix board (issue #18, after 901bdb1 paged them),
// over real HTTP, on SQLite and PostgreSQL: five members rank three programmes with revotes (one credential casts
// three times) and a challenge; the three trustees shuffle in turn and two decrypt. The references are what the
// running vote showed, held in memory, before the last decryption ended it (`…/mix/list` whole, `…/mix/board`), the
// vote's entries read directly from `log_entries` and parsed, and each cast's 201. Once ended (settled), and again
// after a restart: `…/mix/list` in pages of 1, 2, 7 and 1000 (following `next`) is the list the trustees decrypted;
// each `…/mix/shuffles/:mixer` in pages is that shuffle, its list and its proof's per-position lists; `…/mix/board`
// is the running one with the decryptions and the result after it, its casts and challenges the log's; `board=all`
// is the log's board without the mix entries; and every receipt answers as cast.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../support/databases.ts';
import {
  boardFromLog,
  heldOrg,
  serve,
  wholeBoard,
  type HeldVote,
  type Server,
} from '../support/held-secret-vote.ts';

const LIMITS = [1, 2, 7, 1000];
type Json = Record<string, unknown>;

/** A mix page read from the first position to the end, `limit` at a time, following `next`: the pages as they came. */
async function mixPages(s: Server, path: string, limit: number): Promise<Json[]> {
  const pages: Json[] = [];
  for (let after: number | null = -1; after !== null;) {
    const page = await s.anonymous.ok('GET', `${path}?limit=${limit}${after >= 0 ? `&after=${after}` : ''}`);
    assert.ok(page.next === null || page.next > after, `${path}: the pages end`);
    pages.push(page);
    after = page.next;
  }
  return pages;
}

for (const database of testDatabases())
  describe(`an ended mixed secret vote's mix pages and receipts are its whole mix board (${database.name})`, () => {
    test('list, shuffles and mix board in pages of any size, board=all and receipts, live and after a restart', async () => {
      const db = await database.open();
      const org = await heldOrg(db, 5);
      let server = org.server;
      try {
        const v: HeldVote = await org.vote(true);
        const [a1, a2, a3] = v.options as [string, string, string];
        await v.cast(0, a1);
        await v.cast(1, a2);
        await v.spoil(2, a3);
        await v.cast(2, a3);
        await v.cast(0, a2); // a revote
        await v.cast(3, a1);
        await v.cast(3, a3);
        await v.cast(3, a1); // the third: its two earlier ballots superseded by this one
        await v.cast(4, a2);
        await v.endVoting();
        await v.mix();
        await v.decrypt(1);

        // the running vote, its mix in memory: the list to decrypt, the mix board, the receipts
        const running = {
          list: await server.anonymous.ok('GET', `${v.path}/mix/list`),
          board: await server.anonymous.ok('GET', `${v.path}/mix/board`),
        };
        assert.equal(running.list.stage, 'decrypt');
        assert.equal(running.board.shuffles.length, 3);
        assert.equal(running.list.ciphertexts.length, 5, 'one ballot a credential is mixed');
        const mixLog = await boardFromLog(db, org.orgId, v.voteId, 'mix');
        const fromLog = (kind: string, key: string) =>
          mixLog.filter((e) => e.kind === kind).map((e) => ({ seq: e.seq, at: e.at, [key]: e.body }));
        assert.deepEqual(running.board.cast, fromLog('ranked-ballot', 'ballot'), 'the casts are the log’s');
        assert.deepEqual(running.board.spoiled, fromLog('ranked-spoiled', 'spoiled'));
        assert.deepEqual(
          [...running.board.cast, ...running.board.spoiled]
            .map((c: Json) => c.seq as number)
            .sort((x, y) => x - y),
          v.posted.map((p) => p.seq),
        );
        for (const p of v.posted)
          assert.deepEqual(
            await server.anonymous.ok('GET', `${v.path}/receipts/${p.code}`),
            v.expected(p.code, false),
          );

        await v.decrypt(2);
        const ended = async (s: Server, label: string) => {
          const state = await s.service.ledger(org.orgId).current();
          assert.ok(state.votes.get(v.voteId)!.secret!.settled, 'ended: its board is not in memory');
          for (const limit of LIMITS) {
            const list = await mixPages(s, `${v.path}/mix/list`, limit);
            assert.deepEqual(
              list.flatMap((p) => p.ciphertexts as unknown[]),
              running.list.ciphertexts,
              `${label}: mix/list by ${limit}`,
            );
            assert.ok(list.every((p) => p.stage === 'done'));
            assert.equal(list.length, Math.ceil(5 / limit), `${label}: mix/list pages of ${limit}`);
            for (const [i, kept] of (running.board.shuffles as Json[]).entries()) {
              const pages = await mixPages(s, `${v.path}/mix/shuffles/${i + 1}`, limit);
              const shuffle = kept.shuffle as { ciphertexts: unknown[]; proof: Record<string, unknown[]> };
              assert.deepEqual(
                pages.flatMap((p) => p.ciphertexts as unknown[]),
                shuffle.ciphertexts,
                `${label}: shuffle ${i + 1} by ${limit}`,
              );
              for (const k of ['commitments', 'chain', 'tHat', 'sHat', 'sPrime'])
                assert.deepEqual(
                  pages.flatMap((p) => (p.proof as Record<string, unknown[]>)[k]!),
                  shuffle.proof[k],
                  `${label}: shuffle ${i + 1}'s ${k} by ${limit}`,
                );
              assert.deepEqual(pages[0]!.seqs, kept.seqs);
            }
          }
          const board = await s.anonymous.ok('GET', `${v.path}/mix/board`);
          for (const key of ['cast', 'spoiled', 'shuffles', 'skipped'])
            assert.deepEqual(board[key], running.board[key], `${label}: mix/board ${key}`);
          assert.deepEqual(
            board.partials.slice(0, 1),
            running.board.partials,
            `${label}: the first decryption kept`,
          );
          assert.equal(board.partials.length, 2);
          assert.ok(board.result !== null);
          const all = await wholeBoard(s.anonymous, v.path, 2);
          assert.deepEqual(all.board, await boardFromLog(db, org.orgId, v.voteId), `${label}: board=all`);
          for (const p of v.posted)
            assert.deepEqual(
              await s.anonymous.ok('GET', `${v.path}/receipts/${p.code}`),
              v.expected(p.code, true),
              `${label}: receipt of ${p.kind} ${p.seq}`,
            );
          assert.deepEqual(await s.anonymous.ok('GET', `${v.path}/receipts/${'0'.repeat(64)}`), {
            status: 'not-found',
            tallied: false,
          });
        };
        await ended(server, 'ended');
        await server.close();
        server = await serve(db, org.clock);
        await ended(server, 'restarted');
      } finally {
        await server.close();
        await db.close();
      }
    });
  });
