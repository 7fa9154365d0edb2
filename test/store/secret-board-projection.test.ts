// `secret_board` and `secret_sums` are projections of the log (issue #18, src/store/secret-board.ts), on real SQLite
// files and PostgreSQL databases opened again as a restarted server opens them: the rows of entries an older process
// logged without them are written at the next open, and an ended vote's pages and receipts are whole again;
// `councils rebuild` writes the same rows as the live appends; and an ended homomorphic vote's sums, kept at its
// close, are what a restart's first view shows, read without its ballots.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reopenBoard } from '../../src/core/secret/vote.ts';
import { settledSums } from '../../src/core/secret/settled.ts';
import { rebuildCommand } from '../../src/cli/commands/rebuild.ts';
import { checkReceipt, secretView } from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { fillSecretBoard, voteBoardEntries } from '../../src/store/secret-board.ts';
import { reopenableDatabases } from '../support/databases.ts';
import {
  closeSmallSecretVote,
  emptyBodies,
  openSmallSecretVote,
  type SmallSecretVote,
} from '../support/small-secret-vote.ts';

type View = Awaited<ReturnType<typeof secretView>>;

/** Everything a restarted server shows of the vote: its whole board page by page, and a receipt for every code. */
async function shown(db: Db, v: SmallSecretVote): Promise<{ board: View['board']; receipts: unknown[] }> {
  const service = new CouncilsService(db, v.clock, {});
  const board: View['board'] = [];
  for (let after = -1; ;) {
    const page = await secretView(service, v.orgId, v.voteId, 'all', undefined, { after, limit: 3 });
    board.push(...page.board);
    if (page.boardNext === null) break;
    after = page.boardNext;
  }
  const codes = board.flatMap((e) => {
    const body = e.body as { code?: string; ballot?: { code: string } };
    return e.kind === 'ballot' ? [body.code!] : e.kind === 'spoiled' ? [body.ballot!.code] : [];
  });
  const receipts = [];
  for (const code of codes) receipts.push(await checkReceipt(service, v.orgId, v.voteId, code));
  return { board, receipts };
}

const io = () => {
  const out: string[] = [];
  return { out, io: { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) } };
};

for (const database of reopenableDatabases('councils_board')) {
  describe(`secret_board and secret_sums as projections on ${database.name}`, () => {
    test('board rows an older process left out are written at the next open: the pages and receipts are whole', async () => {
      const { url, drop } = await database.make();
      let db = await openDatabase(url);
      try {
        const v = await openSmallSecretVote(db, { ranked: false, ballots: 5, publicRecord: true });
        await closeSmallSecretVote(v, false);
        const whole = await shown(db, v);
        assert.ok(whole.board.length > 10 && whole.receipts.length >= 3);
        const live = (await dumpProjections(db.kysely, v.orgId)).secret_board!;
        const ballots = whole.board.filter((e) => e.kind === 'ballot').map((e) => e.seq);
        // An older process (one that does not know the table) logged everything from the second ballot on: no row for
        // any of its entries, and the mark left where its first append began.
        const from = ballots[1]!;
        const missing = await db.kysely
          .deleteFrom('secret_board')
          .where('org_id', '=', v.orgId)
          .where('seq', '>=', from)
          .executeTakeFirst();
        assert.ok(Number(missing.numDeletedRows) >= ballots.length - 1 + 2, 'ballots and decryptions');
        await db.kysely
          .updateTable('secret_board_marks')
          .set({ seq: from })
          .where('org_id', '=', v.orgId)
          .execute();
        const torn = await shown(db, v);
        assert.notDeepEqual(torn, whole, 'without their rows, the pages miss ballots');
        await db.close();

        db = await openDatabase(url); // the next open fills them
        assert.deepEqual(await shown(db, v), whole);
        assert.deepEqual((await dumpProjections(db.kysely, v.orgId)).secret_board, live);

        // A database whose marks were never set (made before them): the next open reads the whole log once, in
        // batches, and writes only what is missing; an open with nothing missing writes nothing.
        await db.kysely
          .deleteFrom('secret_board')
          .where('org_id', '=', v.orgId)
          .where('seq', '<', from)
          .execute();
        await db.kysely.deleteFrom('secret_board_marks').execute();
        // …cut off in the middle (a log row it cannot parse): the batches before it are kept, with the mark
        const seqOf = (r: unknown) => Number((r as { seq: number }).seq);
        const cut = seqOf(live.find((r) => seqOf(r) >= 14)!);
        const body = await db.kysely
          .selectFrom('log_entries')
          .select('body')
          .where('org_id', '=', v.orgId)
          .where('seq', '=', cut)
          .executeTakeFirstOrThrow();
        const setBody = (text: string) =>
          db.kysely
            .updateTable('log_entries')
            .set({ body: text })
            .where('org_id', '=', v.orgId)
            .where('seq', '=', cut)
            .execute();
        await setBody('not json');
        await assert.rejects(fillSecretBoard(db.kysely, 7), SyntaxError);
        const mark = await db.kysely
          .selectFrom('secret_board_marks')
          .select('seq')
          .where('org_id', '=', v.orgId)
          .executeTakeFirstOrThrow();
        assert.equal(Number(mark.seq), cut - (cut % 7), 'the mark at the batch cut off');
        const before = live.filter((r) => seqOf(r) < Number(mark.seq)).length;
        const kept = await db.kysely
          .selectFrom('secret_board')
          .select('seq')
          .where('org_id', '=', v.orgId)
          .execute();
        assert.equal(kept.filter((r) => Number(r.seq) < from).length, before);
        await setBody(body.body);
        assert.equal(
          await fillSecretBoard(db.kysely, 7),
          live.filter((r) => seqOf(r) < from).length - before,
          'the next fill goes on from the mark',
        );
        assert.equal(await fillSecretBoard(db.kysely, 7), 0);
        await db.close();
        db = await openDatabase(url);
        assert.deepEqual((await dumpProjections(db.kysely, v.orgId)).secret_board, live);
        assert.deepEqual(await shown(db, v), whole);
      } finally {
        await db.close();
        await drop();
      }
    });

    test('councils rebuild writes the same secret_board and secret_sums rows as the live appends', async () => {
      const { url, drop } = await database.make();
      const db = await openDatabase(url);
      try {
        const votes = [];
        for (const ranked of [false, true]) {
          const v = await openSmallSecretVote(db, { ranked, publicRecord: true });
          await closeSmallSecretVote(v, ranked);
          votes.push(v);
        }
        const live = await Promise.all(votes.map((v) => dumpProjections(db.kysely, v.orgId)));
        const homomorphic = live[0]!;
        assert.ok(live.every((d) => d.secret_board!.length > 10));
        assert.equal(homomorphic.secret_sums!.length, 1, 'the homomorphic vote keeps its sums');
        assert.deepEqual(live[1]!.secret_sums, [], 'a mixed vote has none');
        // Rows damaged every way a projection can be: one missing, one wrong, one that names no entry, no sums.
        const [a, b] = votes;
        const rows = await db.kysely
          .selectFrom('secret_board')
          .selectAll()
          .where('org_id', '=', a!.orgId)
          .execute();
        await db.kysely
          .deleteFrom('secret_board')
          .where('org_id', '=', a!.orgId)
          .where('seq', '=', rows[0]!.seq)
          .execute();
        await db.kysely
          .updateTable('secret_board')
          .set({ code: 'forged' })
          .where('org_id', '=', b!.orgId)
          .where('kind', '=', 'ranked-ballot')
          .execute();
        await db.kysely
          .insertInto('secret_board')
          .values({ ...rows[1]!, seq: 1_000_000 })
          .execute();
        await db.kysely.deleteFrom('secret_sums').execute();
        await db.close();

        const run = io();
        assert.equal(await rebuildCommand(['--db', url], run.io), 0, run.out.join(''));
        const again = await openDatabase(url);
        try {
          for (const [i, v] of votes.entries())
            assert.deepEqual(await dumpProjections(again.kysely, v.orgId), live[i]);
        } finally {
          await again.close();
        }
      } finally {
        await drop();
      }
    });

    test("an ended vote's sums after a restart are read as its close kept them, without its ballots", async () => {
      const { url, drop } = await database.make();
      let db = await openDatabase(url);
      try {
        const v = await openSmallSecretVote(db, { ranked: false, ballots: 5, publicRecord: true });
        await closeSmallSecretVote(v, false);
        const closed = await secretView(v.service, v.orgId, v.voteId, 'key');
        assert.ok(closed.aggregate && closed.aggregate.counted > 0);
        // what the whole board sums to, as the first view after a restart summed it before the sums were kept
        const state = await v.service.ledger(v.orgId).current();
        const vote = state.votes.get(v.voteId)!;
        const span = vote.secret!.span;
        const board = await reopenBoard(
          state.crypto.group,
          vote,
          voteBoardEntries(db.kysely, v.orgId, v.voteId, span.from, span.to),
        );
        const fromBoard = settledSums(state.crypto.group, board);
        assert.deepEqual(closed.aggregate, fromBoard);
        await db.close();

        // an older database, whose vote ended before the sums were kept: the first view after a restart sums them
        // once from the board, and keeps them
        db = await openDatabase(url);
        await db.kysely.deleteFrom('secret_sums').execute();
        const older = new CouncilsService(db, v.clock, {});
        assert.deepEqual((await secretView(older, v.orgId, v.voteId, 'key')).aggregate, fromBoard);
        const kept = await db.kysely.selectFrom('secret_sums').selectAll().execute();
        assert.equal(kept.length, 1);
        assert.deepEqual(JSON.parse(kept[0]!.sums!), fromBoard);
        await db.close();

        // a restart: the organisation loaded, then the vote's ballots gone from the board's index and from the log.
        // The first view shows the sums its close kept, read without a ballot.
        db = await openDatabase(url);
        const restarted = new CouncilsService(db, v.clock, {});
        await restarted.ledger(v.orgId).current();
        const ballots = await db.kysely
          .selectFrom('secret_board')
          .select('seq')
          .where('org_id', '=', v.orgId)
          .where('vote_id', '=', v.voteId)
          .where('kind', '=', 'ballot')
          .execute();
        assert.ok(ballots.length >= 3);
        const seqs = ballots.map((r) => r.seq);
        await db.kysely
          .deleteFrom('secret_board')
          .where('org_id', '=', v.orgId)
          .where('seq', 'in', seqs)
          .execute();
        await emptyBodies(db, v.orgId, seqs);
        const view = await secretView(restarted, v.orgId, v.voteId, 'key');
        assert.deepEqual(view.aggregate, fromBoard);
      } finally {
        await db.close();
        await drop();
      }
    });
  });
}
