// A closed vote keeps its counts, not its ballots (docs/SCALE.md "Closing a vote"): the ledger drops a vote's
// per-elector maps once the batch that closed it is written, and a fresh process replaying the log does the same.
// The closing batch's own ballot rows are written, the result and roll call read as before, a minority statement
// is refused to whoever did not vote against (before and after a restart) and a rebuild writes the same rows as
// the live process. On real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SettledElectorate } from '../../src/core/index.ts';
import type { Db } from '../../src/store/database.ts';
import { OrgLedger } from '../../src/store/ledger.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { getBallots, getElectorate } from '../../src/store/read-votes.ts';
import { getVote } from '../../src/store/read-repository.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { founded, movedMotion, must, openedVote } from '../support/ledger-steps.ts';
import { members, organisation } from '../support/factory.ts';

const choices: [string, string | null][] = [
  ['ana', 'a1'],
  ['ben', 'a1'],
  ['cai', 'a1'],
  ['dia', 'a2'],
  ['eli', null],
];

for (const database of testDatabases()) {
  describe(`a closed vote on ${database.name}`, () => {
    let db: Db;
    const clock = new TestClock();
    before(async () => {
      db = await database.open();
    });
    after(async () => {
      await db.close();
    });

    test('keeps its counts, not its ballots, live and after a restart; statements, reads and rebuild unchanged', async () => {
      const ledger = await founded(
        db,
        organisation({ name: 'Settled', founders: members('all', 'Ana', 'Ben', 'Cai', 'Dia', 'Eli') }),
        clock,
      );
      const orgId = ledger.orgId;
      const motionId = await movedMotion(ledger, 'ana', 'all', 'Opening hours', ['At six', 'At seven']);
      const voteId = await openedVote(ledger, motionId, 'ana');
      // Every ballot queued in one turn of the event loop: one batch (the ledger starts it on the next turn), whose
      // last ballot closes the vote, so the ballots' rows are projected after the closing was applied.
      const cast = await Promise.all(
        choices.map(([who, choice]) =>
          ledger.execute({ type: 'cast_ballot', voteId, ballot: { choice } }, who),
        ),
      );
      assert.ok(cast.every((c) => c.ok));
      const closing = cast.flatMap((c) => (c.ok ? c.entries : [])).find((e) => e.act === 'vote_closed');
      assert.ok(closing?.act === 'vote_closed' && closing.payload.winner === 'a1');

      const settled = async (l: OrgLedger) => {
        const vote = (await l.current()).votes.get(voteId)!;
        assert.equal(vote.closedAt, closing.time);
        assert.equal(vote.ballots, null, 'no ballot map');
        assert.ok(vote.electorate instanceof SettledElectorate, 'no electorate map');
        return vote;
      };
      await settled(ledger);

      const electorates = async (id: string) => (await ledger.current()).votes.get(id)?.electorate;
      const reads = async () => ({
        vote: await getVote(db.kysely, orgId, voteId, electorates, 'dia'),
        ballots: await getBallots(db.kysely, orgId, voteId),
        electorate: await getElectorate(db.kysely, orgId, (await electorates(voteId))!),
      });
      const live = await reads();
      assert.deepEqual(
        live.ballots.ballots.map((b) => [b.memberId, b.choice]),
        choices,
        'every ballot of the closing batch has its row',
      );
      assert.equal(live.vote!.electorateSize, 5);
      assert.deepEqual(live.vote!.viewer, { memberId: 'dia', elector: true, weight: '1', voted: true });
      assert.deepEqual(
        live.electorate.electors.map((e) => e.memberId),
        ['ana', 'ben', 'cai', 'dia', 'eli'],
      );

      const statement = { type: 'attach_minority_statement' as const, motionId, text: 'Six is too early.' };
      const refusedTo = async (l: OrgLedger, who: string) => {
        const r = await l.execute(statement, who);
        assert.ok(!r.ok && r.code === 'not_in_minority', `${who}: ${JSON.stringify(r)}`);
      };
      await refusedTo(ledger, 'ana');
      await refusedTo(ledger, 'eli');

      // A fresh process replays the log: the same settled vote, the same reads and the same refusals.
      const fresh = new OrgLedger(db, orgId, clock);
      await settled(fresh);
      const electoratesFresh = async (id: string) => (await fresh.current()).votes.get(id)?.electorate;
      assert.deepEqual(await getVote(db.kysely, orgId, voteId, electoratesFresh, 'dia'), live.vote);
      await refusedTo(fresh, 'ben');
      await refusedTo(fresh, 'eli');
      await must(fresh, statement, 'dia');
      assert.equal(fresh.fullReplays, 1);

      const liveRows = await dumpProjections(db.kysely, orgId);
      assert.equal(liveRows.ballots!.length, 5);
      await rebuildOrg(db, orgId);
      assert.deepEqual(await dumpProjections(db.kysely, orgId), liveRows, 'a rebuild writes the same rows');
    });
  });
}
