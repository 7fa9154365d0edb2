// The council read models on real SQLite and PostgreSQL: the whole tree built in one pass equals the nodes read
// one council at a time through indexes, member counts are right at every level, a member's councils come with
// every council above them, and a council's members page through in id order, each once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foundOrganisation } from '../../src/store/ledger.ts';
import {
  getCouncilMembers,
  getCouncilNodes,
  getCouncilTree,
  myCouncilIds,
} from '../../src/store/read-councils.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { council, members, organisation } from '../support/factory.ts';

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
        assert.deepEqual(await myCouncilIds(db.kysely, ledger.orgId, 'fay', now), {
          mine: ['e2'],
          withAncestors: ['e2', 'east', 'root'],
        });

        const pages: string[][] = [];
        let after: string | undefined;
        do {
          const page = await getCouncilMembers(db.kysely, ledger.orgId, 'e1', { limit: 2, after });
          pages.push(page.members.map((m) => m.id));
          after = page.next ?? undefined;
        } while (after !== undefined);
        assert.deepEqual(pages, [['ana', 'ben'], ['cai', 'dan'], ['eve']]);
      } finally {
        await db.close();
      }
    });
  });
}
