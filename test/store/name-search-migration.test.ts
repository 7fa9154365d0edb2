// The name search migration on a database made before it: every member's and council's name_key is filled (across
// the thousand-row batches and organisations), and the search reads them through the new index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { searchCouncils, searchMembers } from '../../src/store/read-search.ts';
import type { Database } from '../../src/store/schema.ts';

test('the name search migration fills every key of the rows it finds', async () => {
  const all = await migrationProvider.getMigrations();
  const before = Object.fromEntries(
    Object.entries(all).filter(([name]) => name < '2026-12-07T0700-name-search'),
  );
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const provider = (m: Record<string, Migration>) => ({ getMigrations: async () => m });
    await new Migrator({ db, provider: provider(before) }).migrateToLatest();
    const joined = '2026-01-01T00:00:00.000Z';
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      id: `m${String(i).padStart(4, '0')}`,
      org_id: i % 2 === 0 ? 'org_a' : 'org_b',
      name: `Émile ${i}`,
      joined_at: joined,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('members')
        .values(rows.slice(i, i + 200))
        .execute();
    await db
      .insertInto('councils')
      .values([{ id: 'c', org_id: 'org_a', name: 'Čas', parent_id: null, seats_in_parent: 0, position: 0 }])
      .execute();
    const up = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    assert.equal(up.error, undefined, String(up.error));
    const empty = await db.selectFrom('members').select('id').where('name_key', 'is', null).execute();
    assert.deepEqual(empty, []);
    const q = db as Kysely<Database>;
    const found = await searchMembers(q, 'org_b', 'emile 119', { limit: 100 });
    assert.deepEqual(
      found.members.map((m) => m.name),
      ['Émile 119', 'Émile 1191', 'Émile 1193', 'Émile 1195', 'Émile 1197', 'Émile 1199'],
    );
    assert.deepEqual(
      (await searchCouncils(q, 'org_a', 'cas', { limit: 10 })).councils.map((c) => c.id),
      ['c'],
    );
  } finally {
    await db.destroy();
  }
});
