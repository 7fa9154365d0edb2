// The store suite: the same tests against real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertRows, type Db } from '../../src/store/database.ts';
import { foundOrganisation } from '../../src/store/ledger.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { must, payloadOf } from '../support/ledger-steps.ts';
import { type Founding, organisation } from '../support/factory.ts';

const founding: Founding = organisation({
  name: 'Cooperative',
  councils: [
    { id: 'all', name: 'General Council', parentId: null, seatsInParent: 0 },
    { id: 'bakery', name: 'Bakery', parentId: 'all', seatsInParent: 1 },
    { id: 'mill', name: 'Mill', parentId: 'all', seatsInParent: 2 },
  ],
  founders: [
    { memberId: 'm1', name: 'One', councilId: 'bakery' },
    { memberId: 'm2', name: 'Two', councilId: 'bakery' },
    { memberId: 'm3', name: 'Three', councilId: 'mill' },
  ],
});

for (const database of testDatabases()) {
  describe(`store on ${database.name}`, () => {
    let db: Db;
    const clock = new TestClock();
    before(async () => {
      db = await database.open();
    });
    after(async () => {
      await db.close();
    });

    test('a decision end to end; rebuilt projections equal the live ones', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      const m = payloadOf(
        await must(ledger, { type: 'call_election', councilId: 'bakery' }, 'm1'),
        'motion_moved',
      ).motionId;
      await must(
        ledger,
        { type: 'propose_alternative', motionId: m, title: 'Two', text: '', candidateId: 'm2' },
        'm1',
      );
      await must(ledger, { type: 'post_comment', motionId: m, stance: 'for', text: 'ünïcödé ✓' }, 'm1');
      const v = payloadOf(await must(ledger, { type: 'open_vote', motionId: m }, 'm1'), 'vote_opened').voteId;
      await must(ledger, { type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'm1');
      const last = await must(ledger, { type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'm2');
      assert.equal(payloadOf(last, 'mandate_started').memberId, 'm2');

      const live = await dumpProjections(db.kysely, ledger.orgId);
      assert.equal(live.mandates!.length, 1);
      assert.equal(live.ballots!.length, 2);
      const { entries } = await rebuildOrg(db, ledger.orgId);
      assert.equal(entries, (await ledger.current()).size);
      assert.deepEqual(await dumpProjections(db.kysely, ledger.orgId), live);
    });

    test('a rejected or invalid command changes nothing', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      const before = await dumpProjections(db.kysely, ledger.orgId);
      const r = await ledger.execute({ type: 'move_motion', councilId: 'all', title: 'x', text: '' }, 'm1');
      assert.ok(!r.ok && r.code === 'not_a_member');
      await assert.rejects(
        ledger.execute({ type: 'move_motion', councilId: 'mill', title: '', text: '' }, 'm3'),
      );
      // An entry the record could not serve as a C2SP entry bundle (over 65,535 bytes) is refused whole.
      const long = { title: 'Long', text: 'x'.repeat(20_000) };
      await assert.rejects(
        ledger.execute(
          {
            type: 'move_motion',
            councilId: 'mill',
            title: 'Big',
            text: '',
            alternatives: [long, long, long, long],
          },
          'm3',
        ),
        /motion_moved entry would be \d+ bytes, over the record's limit of 65535/,
      );
      assert.deepEqual(await dumpProjections(db.kysely, ledger.orgId), before);
    });

    test('50 simultaneous casts by one member count once', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      const m = payloadOf(
        await must(ledger, { type: 'move_motion', councilId: 'bakery', title: 'Rye', text: '' }, 'm1'),
        'motion_moved',
      ).motionId;
      const v = payloadOf(
        await must(ledger, { type: 'open_vote', motionId: m, minutes: 5 }, 'm1'),
        'vote_opened',
      ).voteId;
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          ledger.execute({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'm1'),
        ),
      );
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.ok(results.every((r) => r.ok || r.code === 'already_voted'));
      const rows = await db.kysely.selectFrom('ballots').selectAll().where('vote_id', '=', v).execute();
      assert.equal(rows.length, 1);
      const casts = [];
      for await (const e of readEntries(db.kysely, ledger.orgId)) if (e.act === 'ballot_cast') casts.push(e);
      assert.equal(casts.length, 1);
    });

    test('a second ledger on the same database catches up instead of forking the log', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      const { OrgLedger } = await import('../../src/store/ledger.ts');
      const other = new OrgLedger(db, ledger.orgId, clock);
      await other.current();
      await must(ledger, { type: 'move_motion', councilId: 'mill', title: 'A', text: '' }, 'm3');
      await must(other, { type: 'move_motion', councilId: 'mill', title: 'B', text: '' }, 'm3');
      const seqs = [];
      for await (const e of readEntries(db.kysely, ledger.orgId)) seqs.push(e.seq);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i),
      );
      assert.equal((await other.current()).motions.size, 2);
    });

    test('insertRows: many rows over several statements, an upsert replaces only the non-key columns', async () => {
      const cols = ['id', 'org_id', 'name', 'joined_at'];
      const rows = Array.from({ length: 1234 }, (_, i) => [`x${i}`, 'org_bulk', `n${i}`, null]);
      await db.kysely
        .transaction()
        .execute((trx) => insertRows(trx, 'members', cols, rows, ['org_id', 'id']));
      await insertRows(
        db.kysely,
        'members',
        cols,
        [['x7', 'org_bulk', 'renamed', '2026-01-01']],
        ['org_id', 'id'],
      );
      const got = await db.kysely
        .selectFrom('members')
        .select(['id', 'org_id', 'name', 'joined_at'])
        .where('org_id', '=', 'org_bulk')
        .orderBy('id')
        .execute();
      assert.equal(got.length, 1234);
      assert.deepEqual(
        got.find((r) => r.id === 'x7'),
        { id: 'x7', org_id: 'org_bulk', name: 'renamed', joined_at: '2026-01-01' },
      );
      assert.equal(got.find((r) => r.id === 'x8')?.name, 'n8');
      // A plain insert of an existing key is refused, and the failed transaction leaves nothing behind.
      await assert.rejects(
        db.kysely
          .transaction()
          .execute((trx) => insertRows(trx, 'members', cols, [['y1', 'org_bulk', 'a', null], rows[0]!])),
      );
      const y1 = await db.kysely.selectFrom('members').select('id').where('id', '=', 'y1').execute();
      assert.equal(y1.length, 0);
    });
  });
}
