// The organisation's member and council counts (GET /orgs/:org) kept on its row: a database made before them gets
// them counted from its rows by the migration, and every entry from then on writes them as the state holds them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { getOrg } from '../../src/store/read-repository.ts';
import type { Database } from '../../src/store/schema.ts';

test('the org-counts migration counts the members and councils each organisation has', async () => {
  const all = await migrationProvider.getMigrations();
  const before = Object.fromEntries(
    Object.entries(all).filter(([name]) => name < '2026-12-07T1000-org-counts'),
  );
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const provider = (m: Record<string, Migration>) => ({ getMigrations: async () => m });
    await new Migrator({ db, provider: provider(before) }).migrateToLatest();
    for (const [org, members, councils] of [
      ['org_a', 3, 2],
      ['org_b', 1, 1],
      ['org_c', 0, 0],
    ] as const) {
      await db
        .insertInto('orgs')
        .values({ id: org, name: org, constitution: '{}', root_council_id: 'c0', founded_at: 'x', size: 1 })
        .execute();
      for (let i = 0; i < members; i++)
        await db
          .insertInto('members')
          .values({ id: `m${i}`, org_id: org, name: `M ${i}`, joined_at: 'x', name_key: `m ${i}` })
          .execute();
      for (let i = 0; i < councils; i++)
        await db
          .insertInto('councils')
          .values({
            id: `c${i}`,
            org_id: org,
            name: `C ${i}`,
            parent_id: null,
            seats_in_parent: 0,
            position: i,
          })
          .execute();
    }
    const up = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    assert.equal(up.error, undefined, String(up.error));
    const q = db as Kysely<Database>;
    const counts = async (org: string) => {
      const o = await getOrg(q, org);
      return [o!.memberCount, o!.councilCount];
    };
    assert.deepEqual(await counts('org_a'), [3, 2]);
    assert.deepEqual(await counts('org_b'), [1, 1]);
    assert.deepEqual(await counts('org_c'), [0, 0]);
  } finally {
    await db.destroy();
  }
});
