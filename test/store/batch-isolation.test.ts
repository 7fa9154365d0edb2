// One member's bad command must not fail anyone else's: commands that arrive together are decided and committed
// in one batch (group commit), and a command whose entries cannot be encoded, applied or stored is refused alone
// while the rest of its batch commits (issue #13, finding 1). Real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InvalidCommand, type Command, type Entry } from '../../src/core/index.ts';
import { sql } from 'kysely';
import type { Db } from '../../src/store/database.ts';
import { foundOrganisation, type Outcome } from '../../src/store/ledger.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { must, payloadOf } from '../support/ledger-steps.ts';
import { type Founding, organisation } from '../support/factory.ts';

const voters = Array.from({ length: 30 }, (_, i) => `m${i + 1}`);

const founding: Founding = organisation({
  name: 'Cooperative',
  councils: [
    { id: 'all', name: 'General Council', parentId: null, seatsInParent: 0 },
    { id: 'bakery', name: 'Bakery', parentId: 'all', seatsInParent: 1 },
  ],
  founders: voters.map((memberId) => ({ memberId, name: memberId, councilId: 'bakery' })),
});

/** Well-formed JSON, ill-formed Unicode: a high surrogate with no low one after it. */
const lone = 'a\ud800b';

const poisoned: Command[] = [
  { type: 'move_motion', councilId: 'bakery', title: lone, text: '' },
  { type: 'issue_invitation', councilId: 'bakery', name: lone },
  // U+0000 is well-formed Unicode that PostgreSQL's text columns cannot hold.
  { type: 'issue_invitation', councilId: 'bakery', name: 'a\u0000b' },
  {
    type: 'seal_record',
    councilId: 'bakery',
    label: 'Minutes',
    commitment: Buffer.alloc(32, 7).toString('base64'),
    release: { condition: lone },
  },
];

type Settled = { ok: true; outcome: Outcome } | { ok: false; error: unknown };

const settle = (p: Promise<Outcome>): Promise<Settled> =>
  p.then(
    (outcome) => ({ ok: true as const, outcome }),
    (error: unknown) => ({ ok: false as const, error }),
  );

for (const database of testDatabases()) {
  describe(`batch isolation on ${database.name}`, () => {
    let db: Db;
    const clock = new TestClock();
    before(async () => {
      db = await database.open();
    });
    after(async () => {
      await db.close();
    });

    test('a poisoned command in a batch of honest casts is refused alone; every cast commits', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      const motionId = payloadOf(
        await must(ledger, { type: 'move_motion', councilId: 'bakery', title: 'Rye', text: '' }, 'm1'),
        'motion_moved',
      ).motionId;
      const voteId = payloadOf(
        await must(ledger, { type: 'open_vote', motionId, minutes: 60 }, 'm1'),
        'vote_opened',
      ).voteId;
      const sizeBefore = (await ledger.current()).size;

      // Issued in one turn of the event loop, so they are decided and committed as one batch. The poisoned
      // commands sit between honest ones, and a comment carries the surrogate too.
      const honest: [Command, string][] = voters.map((m) => [
        { type: 'cast_ballot', voteId, ballot: { choice: 'a1' } },
        m,
      ]);
      const bad: [Command, string][] = [
        ...poisoned.map((c): [Command, string] => [c, 'm2']),
        [{ type: 'post_comment', motionId, stance: 'for', text: lone }, 'm3'],
      ];
      const mixed: { command: Command; actor: string; poisoned: boolean }[] = [];
      honest.forEach(([command, actor], i) => {
        mixed.push({ command, actor, poisoned: false });
        if (i % 6 === 2 && bad.length > 0) {
          const [c, a] = bad.shift()!;
          mixed.push({ command: c, actor: a, poisoned: true });
        }
      });
      assert.equal(bad.length, 0);
      const results = await Promise.all(mixed.map((x) => settle(ledger.execute(x.command, x.actor))));

      const honestFailed = results.filter((r, i) => !mixed[i]!.poisoned && !(r.ok && r.outcome.ok));
      assert.equal(honestFailed.length, 0, `${honestFailed.length} of ${honest.length} honest casts failed`);
      results.forEach((r, i) => {
        if (!mixed[i]!.poisoned) return;
        assert.ok(!r.ok, `${mixed[i]!.command.type} with a lone surrogate was accepted`);
        assert.ok(r.error instanceof InvalidCommand, `${mixed[i]!.command.type}: ${String(r.error)}`);
        assert.ok(r.error.field, `${mixed[i]!.command.type}: the refusal names no field`);
      });

      // Stored: one ballot_cast entry and one ballot row per voter, nothing of the poisoned commands.
      const added: Entry[] = [];
      for await (const e of readEntries(db.kysely, ledger.orgId, sizeBefore)) added.push(e);
      assert.equal(added.filter((e) => e.act === 'ballot_cast').length, voters.length);
      const strays = added
        .filter((e) => e.actor === 'm2' || e.actor === 'm3')
        .filter((e) => e.act !== 'ballot_cast');
      assert.deepEqual(strays, []);
      const rows = await db.kysely
        .selectFrom('ballots')
        .select('member_id')
        .where('vote_id', '=', voteId)
        .execute();
      assert.equal(rows.length, voters.length);
      const live = await dumpProjections(db.kysely, ledger.orgId);
      await rebuildOrg(db, ledger.orgId);
      assert.deepEqual(await dumpProjections(db.kysely, ledger.orgId), live);
    });

    test('every poisoned command alone is refused as invalid input, naming the field, and changes nothing', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      const motionId = payloadOf(
        await must(ledger, { type: 'move_motion', councilId: 'bakery', title: 'Rye', text: '' }, 'm1'),
        'motion_moved',
      ).motionId;
      const before = await dumpProjections(db.kysely, ledger.orgId);
      const size = (await ledger.current()).size;
      const all: Command[] = [
        ...poisoned,
        { type: 'post_comment', motionId, stance: 'for', text: lone },
        { type: 'move_motion', councilId: 'bakery', title: 'T', text: 'x\udc00' },
        { type: 'propose_alternative', motionId, title: 'Alt', text: lone },
      ];
      for (const c of all) {
        await assert.rejects(ledger.execute(c, 'm2'), (e: unknown) => {
          assert.ok(e instanceof InvalidCommand, `${c.type}: ${String(e)}`);
          assert.ok(e.field, `${c.type}: no field named`);
          return true;
        });
      }
      assert.equal((await ledger.current()).size, size);
      assert.deepEqual(await dumpProjections(db.kysely, ledger.orgId), before);
    });

    test('a command whose rows the database refuses fails alone; the rest of its batch commits', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      // A real refusal by the database, for one command's projection row (no mock): a trigger on motions.
      const refused = 'Refused by the database';
      if (db.dialect === 'sqlite') {
        await sql`CREATE TRIGGER refuse_motion BEFORE INSERT ON motions WHEN NEW.title = ${sql.lit(refused)}
          BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(db.kysely);
      } else {
        await sql`CREATE FUNCTION refuse_motion() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'refused'; END $$`.execute(db.kysely);
        await sql`CREATE TRIGGER refuse_motion BEFORE INSERT ON motions FOR EACH ROW
          WHEN (NEW.title = ${sql.lit(refused)}) EXECUTE FUNCTION refuse_motion()`.execute(db.kysely);
      }
      try {
        const titles = Array.from({ length: 12 }, (_, i) => (i === 7 ? refused : `Motion ${i}`));
        const results = await Promise.all(
          titles.map((title, i) =>
            settle(ledger.execute({ type: 'move_motion', councilId: 'bakery', title, text: '' }, voters[i]!)),
          ),
        );
        results.forEach((r, i) => {
          if (i === 7) assert.ok(!r.ok, 'the refused motion was acknowledged');
          else assert.ok(r.ok && r.outcome.ok, `motion ${i} failed: ${r.ok ? '' : String(r.error)}`);
        });
        const stored = await db.kysely
          .selectFrom('motions')
          .select('title')
          .where('org_id', '=', ledger.orgId)
          .execute();
        assert.deepEqual(stored.map((m) => m.title).sort(), titles.filter((t) => t !== refused).sort());
        const live = await dumpProjections(db.kysely, ledger.orgId);
        assert.equal((await ledger.current()).motions.size, titles.length - 1);
        await rebuildOrg(db, ledger.orgId);
        assert.deepEqual(await dumpProjections(db.kysely, ledger.orgId), live);
      } finally {
        await sql`DROP TRIGGER refuse_motion${db.dialect === 'postgres' ? sql` ON motions` : sql``}`.execute(
          db.kysely,
        );
      }
    });
  });
}
