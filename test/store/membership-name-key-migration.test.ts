// The migration that carries each member's name_key beside their memberships (2026-12-07T1015), on a database that
// already holds organisations: the migration adds the column, the fill at open fills every key across the batches'
// bounds and across organisations, then makes the index; a council's search then finds its members; a fill cut
// short (each batch commits by itself) is finished by the next. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { searchKey } from '../../src/core/index.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { fillMembershipKeys } from '../../src/store/migrations/2026-12-07T1015-membership-name-key.ts';
import { searchCouncilMembers } from '../../src/store/read-search.ts';
import { apiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import { council, organisation } from '../support/factory.ts';

const migration = '2026-12-07T1015-membership-name-key';

const second = organisation({
  name: 'Second',
  councils: [council('top', 'Top'), council('north', 'Nörth', 'top', 1), council('zed', 'Zed', 'top', 1)],
  founders: Array.from({ length: 11 }, (_, i) => ({
    memberId: `s${String(i).padStart(2, '0')}`,
    name: `Ｓecond Émile ${i}`,
    councilId: i % 3 === 0 ? 'zed' : 'north',
  })),
});

for (const database of testDatabases()) {
  describe(`the memberships' name keys are filled on ${database.name}`, () => {
    test('every key, across batches and organisations; again after a fill cut short', async () => {
      const o = await apiOrg(await database.open());
      try {
        const q = o.db.kysely;
        const { orgId } = await o.service.foundWithInvitations(second);
        const wanted = async () =>
          (
            await q
              .selectFrom('memberships')
              .innerJoin('members', (j) =>
                j
                  .onRef('members.org_id', '=', 'memberships.org_id')
                  .onRef('members.id', '=', 'memberships.member_id'),
              )
              .select(['memberships.org_id', 'memberships.member_id', 'members.name', 'memberships.name_key'])
              .orderBy('memberships.org_id')
              .orderBy('memberships.member_id')
              .execute()
          ).map((r) => ({ ...r, expected: searchKey(r.name) }));
        assert.equal((await wanted()).length, 16);
        // The database as it was before the migration: no column, no index (nor the later partial index of the
        // keys left to fill, 2026-12-07T1300), the migration and those after it not recorded.
        await q.schema.dropIndex('memberships_name_key_idx').execute();
        await q.schema.dropIndex('memberships_name_key_missing_idx').execute();
        await q.schema.alterTable('memberships').dropColumn('name_key').execute();
        // (the migrations after it run again over what they made: each statement of theirs may, `ifNotExists`)
        await q
          .deleteFrom('kysely_migration' as never)
          .where('name' as never, '>=', migration as never)
          .execute();
        const up = await new Migrator({ db: q, provider: migrationProvider }).migrateToLatest();
        assert.equal(up.error, undefined, String(up.error));
        assert.deepEqual(up.results?.map((r) => r.migrationName).slice(0, 2), [
          migration,
          '2026-12-07T1300-missing-name-keys',
        ]);
        for (const r of await wanted()) assert.equal(r.name_key, null, 'the migration adds the column only');
        assert.equal(await fillMembershipKeys(q, 3), 16);
        for (const r of await wanted()) assert.equal(r.name_key, r.expected, r.member_id);
        const found = await searchCouncilMembers(q, orgId, 'north', 'second emile 1', { limit: 10 });
        assert.deepEqual(
          found.members.map((m) => m.id),
          ['s01', 's10'],
        );
        assert.equal(await fillMembershipKeys(q, 3), 0, 'nothing to do once the index is made');
        // A fill cut short: keys missing and no index. The next fill (batches of 5) finishes it.
        await q.schema.dropIndex('memberships_name_key_idx').execute();
        await sql`update memberships set name_key = null where member_id like 's%'`.execute(q);
        assert.equal(await fillMembershipKeys(q, 5), 11);
        for (const r of await wanted()) assert.equal(r.name_key, r.expected, r.member_id);
      } finally {
        await o.close();
      }
    });
  });
}
