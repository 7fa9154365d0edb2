// The power migration on a database made before it existed: it creates the tables, with the same columns as a
// database made afterwards (whose first migration already creates them from the core's list).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type Migration } from 'kysely';
import { powerTables } from '../../src/core/power/projections.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';

async function columns(db: Kysely<any>, table: string) {
  const r = await sql<{
    name: string;
    type: string;
    pk: number;
  }>`select name, type, pk from pragma_table_info(${table})`.execute(db);
  return r.rows;
}

test('the power migration upgrades a database made before it, to the schema of a new one', async () => {
  const all = await migrationProvider.getMigrations();
  const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '2026-11-27T0700-power'));
  const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  const fresh = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const provider = (m: Record<string, Migration>) => ({ getMigrations: async () => m });
    await new Migrator({ db: old, provider: provider(before) }).migrateToLatest();
    // As the first migration was published, before these tables existed.
    for (const table of Object.keys(powerTables)) await old.schema.dropTable(table).ifExists().execute();
    const up = await new Migrator({ db: old, provider: migrationProvider }).migrateToLatest();
    assert.equal(up.error, undefined, String(up.error));
    await new Migrator({ db: fresh, provider: migrationProvider }).migrateToLatest();
    for (const table of Object.keys(powerTables)) {
      const cols = await columns(old, table);
      assert.ok(cols.length > 0, `${table} exists`);
      assert.deepEqual(cols, await columns(fresh, table), table);
    }
  } finally {
    await old.destroy();
    await fresh.destroy();
  }
});
