// The key history migration on a database made before it: each organisation's one log key becomes the first key
// of its history (from size 0), and record_keys is gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { recordKey, recordKeyHistory } from '../../src/store/record-repository.ts';

test('the key history migration moves each organisation’s key over as its first key', async () => {
  const all = await migrationProvider.getMigrations();
  const before = Object.fromEntries(
    Object.entries(all).filter(([name]) => name < '2026-11-27T0800-record-keys'),
  );
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const provider = (m: Record<string, Migration>) => ({ getMigrations: async () => m });
    await new Migrator({ db, provider: provider(before) }).migrateToLatest();
    await db
      .insertInto('record_keys')
      .values([
        { org_id: 'org_a', verifier_key: 'councils/org_a+00000001+AQ', created_at: '2026-01-01T00:00:00Z' },
        { org_id: 'org_b', verifier_key: 'councils/org_b+00000002+AQ', created_at: '2026-01-02T00:00:00Z' },
      ])
      .execute();
    const up = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    assert.equal(up.error, undefined, String(up.error));
    assert.deepEqual(await recordKeyHistory(db, 'org_a'), [
      { verifierKey: 'councils/org_a+00000001+AQ', fromSize: 0 },
    ]);
    assert.equal(await recordKey(db, 'org_b'), 'councils/org_b+00000002+AQ');
    await assert.rejects(db.selectFrom('record_keys').selectAll().execute(), /no such table/);
  } finally {
    await db.destroy();
  }
});
