// A secret vote that has ended keeps its result, not its board, in memory (src/core/secret/settled.ts,
// docs/BALLOT-PROTOCOL.md "In Councils"): once the batch that closed it is written, the ledger drops every
// credential, encrypted ballot and proof (a mixed vote's shuffles and decrypted list too), and a restart or
// `councils rebuild` does the same. Every answer about the vote (its board view, a voter's receipt check, a mixed
// vote's mix, list and board) is the same from the settled state, read again from the log, as from the whole state
// kept in memory, and after a restart and a rebuild. The replay and `councils verify` (on worker threads) still
// refuse a log forged after the close: a tampered ballot proof, and a ballot posted after the vote ended. A
// homomorphic and a mixed vote, on real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { apply, emptyState, type Entry } from '../../src/core/index.ts';
import { replayEntries } from '../../src/core/replay.ts';
import type { SecretVote } from '../../src/core/secret/types.ts';
import { reopenBoard } from '../../src/core/secret/vote.ts';
import { parallelReplay } from '../../src/cli/ballot-workers/parallel-replay.ts';
import {
  checkReceipt,
  mixBoardView,
  mixListView,
  mixView,
  secretView,
  withBoard,
} from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { testDatabases } from '../support/databases.ts';
import {
  closeSmallSecretVote as close,
  openSmallSecretVote,
  type SmallSecretVote,
} from '../support/small-secret-vote.ts';

const g = await ballot.sodiumGroup();

/** The log with entries put in, renumbered so that it applies. */
const renumber = (es: Entry[]): Entry[] => es.map((e, seq) => ({ ...e, seq }));
const isBoard = (e: Entry, kind: string) => e.act === 'board_posted' && e.payload.kind === kind;

async function failures(es: Entry[], verify = false): Promise<string> {
  const checks = verify
    ? await parallelReplay(1)(
        (async function* () {
          yield* es;
        })() as never,
        es.length,
        {},
      )
    : await replayEntries(es);
  return checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.id}: ${c.detail}`)
    .join('\n');
}

/** Every answer the server gives about the vote, through `service` (its routes call these). */
async function answers(service: CouncilsService, v: SmallSecretVote, ranked: boolean): Promise<unknown> {
  const view = await secretView(service, v.orgId, v.voteId, 'all', 'm1');
  const codes = view.board.flatMap((e) =>
    e.kind === 'ballot' || e.kind === 'spoiled'
      ? [
          (e.body as { code?: string; ballot?: { code: string } }).code ??
            (e.body as { ballot: { code: string } }).ballot.code,
        ]
      : [],
  );
  const mixCodes = ranked
    ? (await mixBoardView(service, v.orgId, v.voteId)).cast.map((c) => (c.ballot as { code: string }).code)
    : [];
  const receipts = [];
  for (const code of [...codes, ...mixCodes, '0'.repeat(64)])
    receipts.push(await checkReceipt(service, v.orgId, v.voteId, code));
  return {
    views: await Promise.all(
      (['all', 'election', 'key'] as const).map((part) => secretView(service, v.orgId, v.voteId, part, 'm1')),
    ),
    receipts,
    ...(ranked
      ? {
          mix: await mixView(service, v.orgId, v.voteId),
          list: await mixListView(service, v.orgId, v.voteId),
          board: await mixBoardView(service, v.orgId, v.voteId),
        }
      : {}),
  };
}

function assertSettled(sv: SecretVote | undefined, ranked: boolean): void {
  assert.ok(sv?.settled, 'settled');
  assert.deepEqual([sv.board.length, sv.cast.length, sv.usedIds.size, sv.election], [0, 0, 0, null]);
  if (ranked) assert.deepEqual([sv.mix!.cast.length, sv.mix!.shuffles.length, sv.mix!.result], [0, 0, null]);
  assert.equal(sv.settled.credentialList?.count, 5, 'the frozen list’s summary stays');
}

for (const database of testDatabases()) {
  for (const ranked of [false, true]) {
    describe(`an ended ${ranked ? 'mixed' : 'homomorphic'} secret vote on ${database.name}`, () => {
      test('keeps its result, not its board, and every answer about it is the same read from the log', async () => {
        const db = await database.open();
        try {
          const v = await openSmallSecretVote(db, { ranked });
          await close(v, ranked);
          const live = await v.vote();
          assertSettled(live.secret, ranked);
          const entries = await v.entries();

          // the whole state, as kept before this change: every entry applied, nothing settled
          const whole = emptyState();
          for (const e of entries) apply(whole, e);
          const kept = whole.votes.get(v.voteId)!.secret!;
          assert.ok(!kept.settled && kept.board.length > 0);
          assert.deepEqual(await reopenBoard(g, live, entries), kept, 'the board read again is the one kept');

          const settledAnswers = await answers(v.service, v, ranked);
          // one rebuild of an ended board serves every reader (each is O(ballots) of the server's thread)
          const state = await v.service.ledger(v.orgId).current();
          const boards = await Promise.all([0, 1, 2].map(() => withBoard(v.service, v.orgId, state, live)));
          assert.ok(boards.every((b) => b === boards[0]) && boards[0]!.board.length > 0, 'read once');
          // the same service answering from the whole board in memory (its cached state given the kept one)
          const unsettled = new CouncilsService(db, v.clock, {});
          (await unsettled.ledger(v.orgId).current()).votes.get(v.voteId)!.secret = kept;
          assert.deepEqual(
            settledAnswers,
            await answers(unsettled, v, ranked),
            'as from the board in memory',
          );

          // a restart replays the log and settles the vote again; so does a rebuild
          const restarted = new CouncilsService(db, v.clock, {});
          assertSettled((await restarted.ledger(v.orgId).current()).votes.get(v.voteId)!.secret, ranked);
          assert.deepEqual(await answers(restarted, v, ranked), settledAnswers, 'after a restart');
          await rebuildOrg(db, v.orgId);
          const rebuilt = new CouncilsService(db, v.clock, {});
          assert.deepEqual(await answers(rebuilt, v, ranked), settledAnswers, 'after a rebuild');
          const view = (settledAnswers as { views: { phase: string; board: unknown[] }[] }).views[0]!;
          assert.equal(view.phase, 'decided');
          assert.equal(view.board.length, kept.board.length);
          const receipts = (settledAnswers as { receipts: { status: string; tallied: boolean }[] }).receipts;
          assert.ok(receipts.some((r) => r.status === 'counted' && r.tallied));
          assert.equal(receipts.at(-1)!.status, 'not-found');
        } finally {
          await db.close();
        }
      });

      test(
        'the replay and councils verify refuse a log forged after the close',
        { timeout: 300_000 },
        async () => {
          const db = await database.open();
          try {
            const v = await openSmallSecretVote(db, { ranked });
            await close(v, ranked);
            const entries = await v.entries();
            assert.equal(await failures(entries), '', 'the honest log replays');
            const kind = ranked ? 'ranked-ballot' : 'ballot';
            const at = entries.findIndex((e) => isBoard(e, kind));
            // a ballot's proof altered: the board check, made when the vote ended, names it
            const tampered = structuredClone(entries);
            const { signature } = (tampered[at]!.payload as { body: ballot.BallotBody }).body;
            signature.s = `${signature.s.slice(0, -1)}${signature.s.endsWith('0') ? '1' : '0'}`;
            assert.notDeepEqual(tampered[at], entries[at]);
            // named by its board entry (a mixed vote's ranked ballots by their place on the mix board)
            const id = (entries[at]!.payload as { body: { id: string } }).body.id;
            const named = ranked ? `ballot 0 \\(${id}\\): R\\.7 signature invalid` : `entry ${at}`;
            for (const verify of [false, true])
              assert.match(
                await failures(tampered, verify),
                new RegExp(`secret_ballot: vote ${v.voteId}: .*${named}`),
              );
            // a ballot posted after the vote ended (a copy of one cast in time): refused, though its board is gone
            const closing = entries.findIndex((e) => e.act === 'vote_closed');
            const late = renumber([
              ...entries.slice(0, closing + 2),
              { ...entries[at]!, time: entries[closing]!.time },
              ...entries.slice(closing + 2),
            ]);
            for (const verify of [false, true])
              assert.match(
                await failures(late, verify),
                new RegExp(`replay_rules: board_posted: a ${kind} entry for vote ${v.voteId}, which ended`),
              );
          } finally {
            await db.close();
          }
        },
      );
    });
  }
}

test(
  'ended boards read again are shared: never rebuilt twice at once, kept while read',
  { timeout: 300_000 },
  async () => {
    const database = testDatabases()[0]!;
    const db = await database.open();
    try {
      const votes: SmallSecretVote[] = [];
      for (let i = 0; i < 3; i++) {
        const v = await openSmallSecretVote(db, { ranked: false });
        await close(v, false);
        votes.push(v);
      }
      const service = new CouncilsService(db, votes[0]!.clock, {});
      const boardOf = async (v: SmallSecretVote) => {
        const state = await service.ledger(v.orgId).current();
        return withBoard(service, v.orgId, state, state.votes.get(v.voteId)!);
      };
      const [a, b, c, a2] = await Promise.all([...votes, votes[0]!].map(boardOf));
      assert.equal(a2, a, 'a board being rebuilt is shared, not rebuilt again (C came between)');
      assert.ok(a !== b && b !== c && a!.board.length > 0);
      for (const v of [...votes, ...votes]) await boardOf(v);
      assert.equal(await boardOf(votes[0]!), a, 'three small boards stay kept while read in turn');
    } finally {
      await db.close();
    }
  },
);
