// An ended homomorphic secret vote's pages and receipts are its whole board (issue #18; review C, finding 6), over
// real HTTP, on SQLite and PostgreSQL. Six members vote with revotes (one credential casts three times) and
// challenges (a spoiled ballot before a cast, and one never followed by a cast); ballots the rules refuse (a replayed
// ballot, a challenged ballot cast, an outsider's credential, an altered code, a malformed body) are answered 409/400
// and put nothing on the board. The references are not the code under test: the board as the running vote showed it
// (held in memory), the vote's `board_posted` entries read directly from `log_entries` and parsed, and what each
// cast's and challenge's 201 answered. Once the vote has ended (settled: its board no longer in memory), `board=all`
// read with limits 1, 2, 7 and 1000 is exactly the log's board (`boardNext` the last seq of each full page, null on
// the last, short one); a page from every cursor from before the first entry to past the last (seqs between board
// entries too) is the next entries after it; every receipt answers counted, superseded (by the credential's last
// cast) or spoiled as cast, and unknown or refused codes not-found. The same after a restart, after `councils
// rebuild`, and after the vote's `secret_board` rows are deleted and the store rebuilt. Rows deleted and the store
// opened again are not filled (the fill starts at the organisation's mark): the pages are a projection, short until
// `councils rebuild` restores them, which is tested as what is true (docs/SCALE.md, docs/OPERATIONS.md).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import * as ballot from '../../src/ballot/index.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { rebuildAll } from '../../src/store/rebuild.ts';
import { cli } from '../support/cli.ts';
import { reopenableDatabases, type ReopenableDatabase } from '../support/databases.ts';
import {
  boardFromLog,
  boardPage,
  heldOrg,
  serve,
  wholeBoard,
  type BoardEntryView,
  type HeldOrg,
  type HeldVote,
  type Server,
} from '../support/held-secret-vote.ts';

const LIMITS = [1, 2, 7, 1000];
const g = await ballot.sodiumGroup();
const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
// Databases opened again, as a restarted server or `councils rebuild` opens them.
for (const database of reopenableDatabases('councils_board_pages'))
  describe(`an ended homomorphic secret vote's pages and receipts are its whole board (${database.name})`, () => {
    let place: Awaited<ReturnType<ReopenableDatabase['make']>>;
    let db: Db;
    let org: HeldOrg;
    let v: HeldVote;
    let server: Server;
    /** The board while voting ran, and once voting was over with one trustee's decryption (both held in memory). */
    let open: BoardEntryView[];
    let decrypting: BoardEntryView[];
    /** The whole board from the log, once the vote ended. */
    let whole: BoardEntryView[];
    /** The ended vote's first page as the server that ended it answered it. */
    let endedView: Record<string, unknown>;
    /** Codes of ballots the rules refused. */
    const refused: string[] = [];

    before(async () => {
      place = await database.make();
      db = await openDatabase(place.url);
      org = await heldOrg(db, 6);
      server = org.server;
      v = await org.vote();
    });
    after(async () => {
      await server?.close();
      await db?.close();
      await place?.drop();
    });

    /** Every receipt as `posted` says, and unknown and refused codes not found. */
    async function receiptsAsCast(s: Server, tallied: boolean, label: string) {
      for (const p of v.posted) {
        const r = await s.anonymous.ok('GET', `${v.path}/receipts/${p.code}`);
        assert.deepEqual(r, v.expected(p.code, tallied), `${label}: receipt of ${p.kind} ${p.seq}`);
      }
      for (const code of [...refused, '0'.repeat(64), 'f'.repeat(64)]) {
        const r = await s.anonymous.ok('GET', `${v.path}/receipts/${code}`);
        assert.deepEqual(r, { status: 'not-found', tallied: false }, `${label}: ${code}`);
      }
    }

    /** The ended vote's pages of every size, from every cursor, and its receipts, against the whole board. */
    async function endedPagesAreTheBoard(s: Server, label: string) {
      assert.ok(
        (await s.service.ledger(org.orgId).current()).votes.get(v.voteId)!.secret!.settled,
        'the vote is ended: its board is not in memory',
      );
      for (const limit of LIMITS) {
        const read = await wholeBoard(s.anonymous, v.path, limit);
        assert.deepEqual(read.board, whole, `${label}: board=all&limit=${limit} read to the end`);
        assert.equal(read.pages.length, Math.floor(whole.length / limit) + 1, `${label}: pages of ${limit}`);
        if (limit === 1000) assert.deepEqual(read.view, endedView, `${label}: the view besides its board`);
      }
      // a cursor anywhere: before the first entry, on each entry, between entries (other acts' seqs), past the end
      const first = whole[0]!.seq;
      const last = whole.at(-1)!.seq;
      for (let at = first - 1; at <= last + 1; at++) {
        const page = await boardPage(s.anonymous, v.path, 3, at);
        const next = whole.filter((e) => e.seq > at).slice(0, 3);
        assert.deepEqual(page.board, next, `${label}: after=${at}`);
        assert.equal(
          page.boardNext,
          next.length === 3 ? next[2]!.seq : null,
          `${label}: boardNext after=${at}`,
        );
      }
      for (const at of [last + 1000, 2147483647]) {
        const page = await boardPage(s.anonymous, v.path, undefined, at);
        assert.deepEqual([page.board, page.boardNext], [[], null], `${label}: after=${at}`);
      }
      await receiptsAsCast(s, true, label);
    }

    test('while the vote runs: revotes and challenges on the board, refused ballots nowhere', async () => {
      const size = async () => (await boardFromLog(db, org.orgId, v.voteId)).length;
      await v.cast(0, 'a1');
      const replay = (await v.cast(1, 'against')).ballot;
      const challenged = await v.spoil(2, 'a1');
      await v.cast(2, 'a1');
      await v.cast(0, 'against'); // a revote
      await v.cast(3, 'a1');
      await v.cast(3, 'abstain');
      await v.spoil(1, 'a1'); // a challenge after a cast supersedes nothing
      await v.cast(3, 'a1'); // the third: its two earlier ballots superseded by this one
      await v.spoil(4, 'against'); // a challenge never followed by a cast
      await v.cast(5, 'against');

      // refused: each answered, nothing logged
      const before = await size();
      const stranger = ballot.makeCredential(g, rnd).secret;
      const outsider = ballot.encryptBallot(g, v.election, stranger, [[1, 0, 0]], rnd).ballot;
      const altered = structuredClone(v.encrypt(4, 'a1'));
      altered.code = `${altered.code.slice(0, -1)}${altered.code.endsWith('0') ? '1' : '0'}`;
      const attempts: [string, unknown, number, string][] = [
        ['a ballot sent again', replay, 409, 'ballot_check_5_8'],
        ['a challenged ballot cast', challenged.ballot, 409, 'ballot_check_5_8'],
        ['a credential not on the list', outsider, 409, 'ballot_check_5_2'],
        ['a confirmation code altered', altered, 409, 'ballot_check_5_4'],
        ['a ballot without its choices', { ...v.encrypt(4, 'a1'), contests: [] }, 409, 'ballot_check_5_1'],
      ];
      for (const [what, b, status, reason] of attempts) {
        const r = await v.send(b);
        assert.deepEqual([r.status, r.json.reason], [status, reason], `${what}: ${JSON.stringify(r.json)}`);
        // the code of a copy of an accepted ballot stays its; the others are on no ballot of the board
        const { code } = b as { code: string };
        if (!v.posted.some((p) => p.code === code)) refused.push(code);
      }
      assert.equal(refused.length, 3);
      const notOne = await v.send('not a ballot');
      assert.deepEqual([notOne.status, notOne.json.error], [400, 'invalid_request']);
      assert.equal(await size(), before, 'the refused ballots put nothing on the board');

      open = (await wholeBoard(org.server.anonymous, v.path)).board;
      assert.deepEqual(open, await boardFromLog(db, org.orgId, v.voteId), 'the running board is the log’s');
      assert.deepEqual(
        open.filter((e) => e.kind === 'ballot' || e.kind === 'spoiled').map((e) => e.seq),
        v.posted.map((p) => p.seq),
        'every accepted ballot and challenge on the board, where its answer said',
      );
      await receiptsAsCast(server, false, 'running');
    });

    test('voting over, decrypted by two trustees: the vote ends with the board the log holds', async () => {
      await v.endVoting();
      await v.decrypt(1);
      const read = await wholeBoard(server.anonymous, v.path);
      assert.equal(read.view.phase, 'decryption');
      decrypting = read.board;
      assert.deepEqual(decrypting, await boardFromLog(db, org.orgId, v.voteId));
      assert.deepEqual(decrypting.slice(0, open.length), open, 'the running board, then the trustees’ posts');
      await receiptsAsCast(server, false, 'decrypting');
      await v.decrypt(2);
      whole = await boardFromLog(db, org.orgId, v.voteId);
      assert.deepEqual(whole.slice(0, decrypting.length), decrypting);
      assert.deepEqual(
        whole.slice(decrypting.length).map((e) => e.kind),
        ['partial-decryption', 'result'],
      );
      // the sums the trustees decrypted count each credential's last cast, and no challenge
      const counted = v.posted.filter((p) => v.expected(p.code, true).status === 'counted');
      const tallies = v.options.map((o) => counted.filter((p) => p.option === o).length);
      const result = whole.at(-1)!.body as { tallies: number[][] };
      assert.deepEqual(result.tallies, [tallies]);
      endedView = (await boardPage(server.anonymous, v.path)) as Record<string, unknown>;
      assert.equal(endedView.phase, 'decided');
    });

    test('ended: board=all in pages of 1, 2, 7 and 1000, from any cursor, is the whole board; receipts as cast', () =>
      endedPagesAreTheBoard(server, 'ended'));

    test('the same after a restart', async () => {
      await server.close();
      server = await serve(db, org.clock);
      await endedPagesAreTheBoard(server, 'restarted');
    });

    /** The server stopped, `councils rebuild` run on the database, the server started again. */
    async function cliRebuild() {
      await server.close();
      await db.close();
      const r = await cli('rebuild', '--db', place.url);
      assert.equal(r.code, 0, r.err);
      db = await openDatabase(place.url);
      server = await serve(db, org.clock);
    }

    test('the same after councils rebuild', async () => {
      await cliRebuild();
      await endedPagesAreTheBoard(server, 'rebuilt');
    });

    test('the same after the vote’s secret_board rows are deleted and councils rebuild runs', async () => {
      await server.close();
      await deleteRows();
      await rebuildAll(db);
      server = await serve(db, org.clock);
      await endedPagesAreTheBoard(server, 'rows deleted, rebuilt');
    });

    test('rows deleted and the store opened again: the pages and receipts miss them until councils rebuild', async () => {
      await server.close();
      await deleteRows();
      await db.close();
      db = await openDatabase(place.url);
      server = await serve(db, org.clock);
      // the limit (docs/SCALE.md): the fill at an open reads the log from the organisation's mark, so rows deleted
      // below it stay missing; a voter checks a receipt against the log itself (docs/BALLOT-PROTOCOL.md)
      const short = await wholeBoard(server.anonymous, v.path);
      assert.deepEqual(short.board, [], 'rows deleted, reopened: the projection is short, no error');
      const counted = v.posted.find((p) => v.expected(p.code, true).status === 'counted')!;
      assert.deepEqual(await server.anonymous.ok('GET', `${v.path}/receipts/${counted.code}`), {
        status: 'not-found',
        tallied: false,
      });
      await cliRebuild();
      await endedPagesAreTheBoard(server, 'rows deleted, reopened, councils rebuild');
    });

    async function deleteRows() {
      const gone = await db.kysely
        .deleteFrom('secret_board')
        .where('org_id', '=', org.orgId)
        .where('vote_id', '=', v.voteId)
        .executeTakeFirst();
      assert.ok(Number(gone.numDeletedRows) >= 0);
      const left = await db.kysely
        .selectFrom('secret_board')
        .select((e) => e.fn.countAll().as('n'))
        .where('org_id', '=', org.orgId)
        .where('vote_id', '=', v.voteId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(left.n), 0, 'the vote’s rows deleted');
    }
  });
