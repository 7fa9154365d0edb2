// Property tests (fast-check) of an ended homomorphic secret vote's pages and receipts (issue #18), over real HTTP,
// on SQLite and PostgreSQL: for random sequences of casts, revotes and challenges by four voters, once the vote has
// ended (its board no longer in memory), `board=all` read page after page with a page size drawn afresh for each
// page (a cursor one page gave, followed with another limit) is the vote's board read directly from the log; a page
// from a random cursor is the entries after it; and every receipt answers as the casts say (the last cast of a
// credential counted, its earlier ones superseded by it, a challenge spoiled). Each run holds a vote of its own in
// one organisation; a few runs, as a vote costs its key generation and registrations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Db } from '../../src/store/database.ts';
import { testDatabases } from '../support/databases.ts';
import { boardFromLog, boardPage, heldOrg, type HeldOrg } from '../support/held-secret-vote.ts';

const VOTERS = 4;
const RUNS = 3;

/** A voter's act: cast (a revote when it cast before) or challenge a ballot for one of the three options. */
const act = fc.record({
  // voter 0 half the time: credentials that cast three times and more, whose earlier casts the last supersedes
  voter: fc.oneof(fc.constant(0), fc.nat({ max: VOTERS - 1 })),
  challenge: fc.boolean(),
  option: fc.nat({ max: 2 }),
});

for (const database of testDatabases())
  describe(`an ended secret vote's pages and receipts, for random casts and page sizes (${database.name})`, () => {
    let db: Db;
    let org: HeldOrg;
    before(async () => {
      db = await database.open();
      org = await heldOrg(db, VOTERS);
    });
    after(async () => {
      await org?.server.close();
      await db?.close();
    });

    test('paged reads are the whole board; receipts as cast', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(act, { minLength: 4, maxLength: 10 }),
          fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
          fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5 })), {
            minLength: 1,
            maxLength: 6,
          }),
          async (acts, limits, cursors) => {
            const v = await org.vote();
            for (const a of acts) {
              const option = v.options[a.option]!;
              if (a.challenge) await v.spoil(a.voter, option);
              else await v.cast(a.voter, option);
            }
            await v.endVoting();
            await v.decrypt(1);
            await v.decrypt(2);
            const state = await org.server.service.ledger(org.orgId).current();
            assert.ok(state.votes.get(v.voteId)!.secret!.settled, 'ended: its board is not in memory');
            const whole = await boardFromLog(db, org.orgId, v.voteId);
            assert.deepEqual(
              whole.filter((e) => e.kind === 'ballot' || e.kind === 'spoiled').map((e) => e.seq),
              v.posted.map((p) => p.seq),
            );

            // page after page, each with its own limit, following boardNext to the end
            const read = [];
            let next: number | undefined;
            for (let i = 0; ; i++) {
              assert.ok(i <= whole.length, 'the pages end');
              const limit = limits[i % limits.length]!;
              const page = await boardPage(org.server.anonymous, v.path, limit, next);
              const expected = whole.filter((e) => next === undefined || e.seq > next).slice(0, limit);
              assert.deepEqual(page.board, expected, `page ${i} (limit ${limit}, after ${next})`);
              read.push(...page.board);
              if (page.boardNext === null) {
                assert.ok(page.board.length < limit, 'only a short page is the last');
                break;
              }
              assert.equal(page.boardNext, page.board.at(-1)!.seq);
              next = page.boardNext;
            }
            assert.deepEqual(read, whole);

            // a page from anywhere in the vote's stretch of the log, board entry or not
            const first = whole[0]!.seq - 1;
            const span = whole.at(-1)!.seq + 1 - first;
            for (const [at, limit] of cursors) {
              const after = first + Math.floor(at * span);
              const page = await boardPage(org.server.anonymous, v.path, limit, after);
              assert.deepEqual(
                page.board,
                whole.filter((e) => e.seq > after).slice(0, limit),
                `after=${after}`,
              );
            }

            for (const p of v.posted) {
              const r = await org.server.anonymous.ok('GET', `${v.path}/receipts/${p.code}`);
              assert.deepEqual(r, v.expected(p.code, true), `receipt of ${p.kind} ${p.seq}`);
            }
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
