// The council read models on real SQLite and PostgreSQL: the whole tree built in one pass equals the nodes read
// one council at a time through indexes, member counts are right at every level, a member's councils come with
// every council above them, and a council's members page through in id order, each once. With deputies elected:
// the nodes' deputies, a council's mandates (two index ranges) and a member's recalls equal what the whole tree
// and a filter of every mandate say.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foundOrganisation, type OrgLedger } from '../../src/store/ledger.ts';
import { listMandates } from '../../src/store/read-repository.ts';
import { recallsAgainst } from '../../src/store/read-power.ts';
import {
  getCouncilMembers,
  getCouncilNodes,
  getCouncilTree,
  getMyCouncils,
} from '../../src/store/read-councils.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { council, members, organisation } from '../support/factory.ts';
import { must, payloadOf } from '../support/ledger-steps.ts';

/** Elects `candidate` from `councilId` by the votes of `voters`. */
async function elect(ledger: OrgLedger, councilId: string, candidate: string, voters: string[]) {
  const called = await must(ledger, { type: 'call_election', councilId }, voters[0]!);
  const { motionId } = payloadOf(called, 'motion_moved');
  const alt = {
    type: 'propose_alternative',
    motionId,
    title: candidate,
    text: '',
    candidateId: candidate,
  } as const;
  await must(ledger, alt, voters[0]!);
  const opened = await must(ledger, { type: 'open_vote', motionId }, voters[0]!);
  const { voteId } = payloadOf(opened, 'vote_opened');
  for (const v of voters) await must(ledger, { type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, v);
}

const founding = organisation({
  name: 'Three levels',
  councils: [
    council('root', 'Root'),
    council('east', 'East', 'root', 1),
    council('west', 'West', 'root', 1),
    council('e1', 'East One', 'east', 1),
    council('e2', 'East Two', 'east', 1),
  ],
  founders: [
    ...members('e1', 'Ana', 'Ben', 'Cai', 'Dan', 'Eve'),
    ...members('e2', 'Fay'),
    ...members('west', 'Gus', 'Hal'),
  ],
});

for (const database of testDatabases()) {
  describe(`council read models on ${database.name}`, () => {
    test('the tree in one pass equals the nodes read by id', async () => {
      const db = await database.open();
      try {
        const clock = new TestClock();
        const { ledger, outcome } = await foundOrganisation(db, founding, clock);
        assert.ok(outcome.ok);
        const now = clock.now().toISOString();
        const tree = await getCouncilTree(db.kysely, ledger.orgId, now);
        assert.deepEqual(
          tree.map((c) => [c.id, c.kind, c.memberCount, c.childIds]),
          [
            ['root', 'higher', 0, ['east', 'west']],
            ['east', 'higher', 0, ['e1', 'e2']],
            ['west', 'base', 2, []],
            ['e1', 'base', 5, []],
            ['e2', 'base', 1, []],
          ],
        );
        for (const c of tree) {
          assert.deepEqual(await getCouncilNodes(db.kysely, ledger.orgId, [c.id], now), [c]);
        }
        assert.deepEqual(await getMyCouncils(db.kysely, ledger.orgId, 'fay', now), {
          mine: ['e2'],
          councils: tree.filter((c) => ['e2', 'east', 'root'].includes(c.id)),
        });

        const pages: string[][] = [];
        let after: string | undefined;
        do {
          const page = await getCouncilMembers(db.kysely, ledger.orgId, 'e1', { limit: 2, after });
          pages.push(page.members.map((m) => m.id));
          after = page.next ?? undefined;
        } while (after !== undefined);
        assert.deepEqual(pages, [['ana', 'ben'], ['cai', 'dan'], ['eve']]);

        await elect(ledger, 'e1', 'ana', ['ana', 'ben', 'cai', 'dan', 'eve']);
        await elect(ledger, 'e2', 'fay', ['fay']);
        await elect(ledger, 'east', 'ana', ['ana', 'fay']);
        await elect(ledger, 'west', 'gus', ['gus', 'hal']);
        const elected = await getCouncilTree(db.kysely, ledger.orgId, now);
        assert.deepEqual(
          elected.find((c) => c.id === 'east')!.deputies.map((d) => [d.memberName, d.fromCouncilId]),
          [
            ['Ana', 'e1'],
            ['Fay', 'e2'],
          ],
        );
        for (const c of elected)
          assert.deepEqual(await getCouncilNodes(db.kysely, ledger.orgId, [c.id], now), [c]);
        assert.deepEqual(
          await getCouncilNodes(
            db.kysely,
            ledger.orgId,
            elected.map((c) => c.id),
            now,
          ),
          elected,
        );
        // A deputy's landing: their base council, the councils they sit in, and those above, in one statement.
        const anas = await getMyCouncils(db.kysely, ledger.orgId, 'ana', now);
        assert.deepEqual(anas.mine.slice(0, 1), ['e1']);
        assert.deepEqual([...anas.mine].sort(), ['e1', 'east', 'root']);
        assert.deepEqual(
          anas.councils,
          elected.filter((c) => ['root', 'east', 'e1'].includes(c.id)),
        );
        assert.deepEqual(await getMyCouncils(db.kysely, ledger.orgId, 'nobody', now), {
          mine: [],
          councils: [],
        });
        const every = await listMandates(db.kysely, ledger.orgId, {});
        assert.equal(every.length, 4);
        for (const c of elected)
          assert.deepEqual(
            await listMandates(db.kysely, ledger.orgId, { councilId: c.id }),
            every.filter((m) => m.councilId === c.id || m.fromCouncilId === c.id),
          );
        assert.deepEqual(
          (await listMandates(db.kysely, ledger.orgId, { memberId: 'ana' })).map((m) => m.councilId).sort(),
          ['east', 'root'],
        );
        const [recalled] = every.filter((m) => m.memberId === 'ana' && m.councilId === 'root');
        await must(ledger, { type: 'move_recall', mandateId: recalled!.id, text: 'Gone too long.' }, 'fay');
        const recalls = await recallsAgainst(db.kysely, ledger.orgId, 'ana');
        assert.deepEqual(
          recalls.map((r) => [r.title.length > 0, r.state]),
          [[true, 'debate']],
        );
        assert.deepEqual(await recallsAgainst(db.kysely, ledger.orgId, 'fay'), []);
      } finally {
        await db.close();
      }
    });
  });
}
