// Opening a vote writes no row per elector (docs/SCALE.md "Opening a vote"): the electorate is the council's
// members at the opening, frozen in the state the log builds, and read from there, so the opening's transaction
// holds the vote's row whatever the council's size. Everything that depends on the electorate stays exact: who
// joins after the opening is not an elector, the paged electorate lists exactly those frozen, a fresh process
// replaying the log and `councils rebuild` agree with the live ones. On real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../src/store/database.ts';
import { OrgLedger } from '../../src/store/ledger.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { getElectorate, type Electorate } from '../../src/store/read-votes.ts';
import { getVote } from '../../src/store/read-repository.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { founded, movedMotion, must, openedVote, payloadOf } from '../support/ledger-steps.ts';
import { organisation, withInstantProcedure } from '../support/factory.ts';

const SIZE = 40;
const ids = Array.from({ length: SIZE }, (_, i) => `m${String(i).padStart(2, '0')}`);
const rowCount = (dump: Record<string, unknown[]>) =>
  Object.values(dump).reduce((n, rows) => n + rows.length, 0);

for (const database of testDatabases()) {
  describe(`opening a vote on ${database.name}`, () => {
    let db: Db;
    const clock = new TestClock();
    before(async () => {
      db = await database.open();
    });
    after(async () => {
      await db.close();
    });

    test('writes the vote, not its electors; the electorate stays exact through a join, a replay and a rebuild', async () => {
      const ledger = await founded(
        db,
        organisation({
          name: 'Opening',
          // Admission on one approval with no objection period, so a member can join after the opening.
          constitution: withInstantProcedure({
            admission: { by: 'approvals', approvals: { kind: 'absolute', count: 1 }, objectionMinutes: 0 },
          }),
          councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
          founders: ids.map((memberId) => ({ memberId, name: `Name ${memberId}`, councilId: 'all' })),
        }),
        clock,
      );
      const orgId = ledger.orgId;
      const motionId = await movedMotion(ledger, 'm00', 'all', 'Bread');
      const rowsBefore = rowCount(await dumpProjections(db.kysely, orgId));
      const voteId = await openedVote(ledger, motionId, 'm00');
      // One row more (the vote's; the motion's is updated): the code before wrote one more per elector (41).
      assert.equal(rowCount(await dumpProjections(db.kysely, orgId)) - rowsBefore, 1);

      // A member who joins after the opening is no elector of it.
      const { invitationId } = payloadOf(
        await must(ledger, { type: 'issue_invitation', councilId: 'all', name: 'Late' }, 'm00'),
        'invitation_issued',
      );
      await must(ledger, { type: 'accept_invitation', invitationId, memberId: 'late' }, null);
      await must(ledger, { type: 'approve_admission', invitationId }, 'm01');
      if (!(await ledger.current()).councils.get('all')!.memberIds.has('late'))
        await must(ledger, { type: 'admit_due_members' }, null);
      const state = await ledger.current();
      assert.ok(state.councils.get('all')!.memberIds.has('late'));
      const electorates = async (id: string) => (await ledger.current()).votes.get(id)?.electorate;
      const live = (await electorates(voteId))!;
      assert.equal(live.size, SIZE);
      assert.equal(live.has('late'), false);
      const cast = await ledger.execute({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, 'late');
      assert.ok(!cast.ok && cast.code === 'not_an_elector');

      // The vote's counts and the viewer's part come from the frozen electorate.
      const v = (await getVote(db.kysely, orgId, voteId, electorates, 'm07'))!;
      assert.equal(v.electorateSize, SIZE);
      assert.deepEqual(v.viewer, { memberId: 'm07', elector: true, weight: '1', voted: false });
      const outsider = (await getVote(db.kysely, orgId, voteId, electorates, 'late'))!;
      assert.equal(outsider.viewer!.elector, false);

      // Pages of 7 walk the electorate in member id order, each id once, named.
      const pages = await allPages(db, orgId, live, 7);
      assert.deepEqual(
        pages.flat().map((e) => e.memberId),
        ids,
      );
      assert.deepEqual(
        pages.map((p) => p.length),
        [7, 7, 7, 7, 7, 5],
      );
      assert.equal(pages[0]![0]!.name, 'Name m00');
      // A cursor between ids, or past the end, starts at the next id.
      assert.deepEqual(
        (await getElectorate(db.kysely, orgId, live, { after: 'm05x', limit: 2 })).electors.map(
          (e) => e.memberId,
        ),
        ['m06', 'm07'],
      );
      assert.deepEqual(await getElectorate(db.kysely, orgId, live, { after: 'zzz' }), {
        electors: [],
        next: null,
      });

      // A fresh process replays the log: the same electorate. A rebuild writes the same rows as the live ones.
      const replayed = await new OrgLedger(db, orgId, clock).current();
      assert.deepEqual([...replayed.votes.get(voteId)!.electorate], [...live]);
      const liveRows = await dumpProjections(db.kysely, orgId);
      await rebuildOrg(db, orgId);
      assert.deepEqual(await dumpProjections(db.kysely, orgId), liveRows);
    });
  });
}

async function allPages(db: Db, orgId: string, electorate: Electorate, limit: number) {
  const pages = [];
  let after: string | undefined;
  for (;;) {
    const page = await getElectorate(db.kysely, orgId, electorate, { after, limit });
    pages.push(page.electors);
    if (page.next === null) return pages;
    after = page.next;
  }
}
