// The name search migration on a database made before it: every member's and council's name_key is filled (across
// batches and organisations), and the search reads them through the new index. The fill resumes after a crash
// (some keys filled, the index not yet made) on both databases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { fillNameKeys } from '../../src/store/migrations/2026-12-07T0700-name-search.ts';
import { searchKey } from '../../src/core/organisation/search-key.ts';
import { insertRows } from '../../src/store/db.ts';
import { testDatabases } from '../support/databases.ts';
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
    // What openDatabase runs after the migrations: 500 rows a batch, so batches cross the organisations.
    assert.equal(await fillNameKeys(db, 500), 1201);
    assert.equal(await fillNameKeys(db, 500), 0, 'nothing to do once the index is made');
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

for (const database of testDatabases())
  test(`${database.name}: the fill resumes after a crash (keys partly filled, no index yet)`, async () => {
    const db = await database.open();
    const k = db.kysely;
    try {
      const joined = '2026-01-01T00:00:00.000Z';
      const rows = Array.from({ length: 250 }, (_, i) => [
        `m${String(i).padStart(3, '0')}`,
        'org_r',
        `Ödön ${i}`,
        joined,
        searchKey(`Ödön ${i}`),
      ]);
      await insertRows(k, 'members', ['id', 'org_id', 'name', 'joined_at', 'name_key'], rows);
      // A fill that died after some batches: those keys are there, the rest NULL, the index not made.
      await k.schema.dropIndex('members_name_key_idx').execute();
      await k
        .updateTable('members')
        .set({ name_key: null as unknown as string })
        .where('id', '>=', 'm100')
        .execute();
      assert.equal(await fillNameKeys(k, 40), 150);
      const left = await k.selectFrom('members').select('id').where('name_key', 'is', null).execute();
      assert.deepEqual(left, []);
      assert.deepEqual(
        (await searchMembers(k, 'org_r', 'odon 24', { limit: 100 })).members.map((m) => m.name),
        [
          'Ödön 24',
          'Ödön 240',
          'Ödön 241',
          'Ödön 242',
          'Ödön 243',
          'Ödön 244',
          'Ödön 245',
          'Ödön 246',
          'Ödön 247',
          'Ödön 248',
          'Ödön 249',
        ],
      );
      assert.equal(await fillNameKeys(k, 40), 0, 'the index made: nothing more');
    } finally {
      await db.close();
    }
  });
