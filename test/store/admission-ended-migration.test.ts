// The admission-ended migration: an admission's end with its council is a column of its row now (ended_by, written
// from Admission.endedBy), not read from whether a council with its id exists. Rows written before it get the end
// their council's absence meant then: pending in a council that is gone, ended; admitted, or in a council still
// there, not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.ts';

test('the admission-ended migration ends the pending admissions of councils that are gone, and only those', async () => {
  const all = await migrationProvider.getMigrations();
  const before = Object.fromEntries(
    Object.entries(all).filter(([name]) => name < '2026-12-07T1800-admission-ended'),
  );
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const provider = (m: Record<string, Migration>) => ({ getMigrations: async () => m });
    await new Migrator({ db, provider: provider(before) }).migrateToLatest();
    await db
      .insertInto('councils')
      .values({ id: 'kept', org_id: 'o', name: 'Kept', parent_id: null, seats_in_parent: 0, position: 0 })
      .execute();
    const admission = (id: string, org: string, council: string, admittedAt: string | null) => ({
      invitation_id: id,
      org_id: org,
      council_id: council,
      name: id,
      by: 'approvals',
      proposed_by: 'm',
      proposed_at: 'x',
      required: '1',
      objection_minutes: '60',
      approvals: '[]',
      approved_at: null,
      objections: '[]',
      motion_id: null,
      member_id: null,
      accepted_at: null,
      admitted_at: admittedAt,
    });
    await db
      .insertInto('admissions')
      .values([
        admission('pending-kept', 'o', 'kept', null),
        admission('pending-gone', 'o', 'gone', null),
        admission('admitted-gone', 'o', 'gone', 'x'),
        // another organisation's council of the same id does not keep it
        admission('pending-other-org', 'p', 'kept', null),
      ])
      .execute();
    const up = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    assert.equal(up.error, undefined, String(up.error));
    const rows = await db
      .selectFrom('admissions')
      .select(['invitation_id', 'ended_by'])
      .orderBy('invitation_id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.invitation_id, r.ended_by]),
      [
        ['admitted-gone', null],
        ['pending-gone', 'council_removed'],
        ['pending-kept', null],
        ['pending-other-org', 'council_removed'],
      ],
    );
  } finally {
    await db.destroy();
  }
});
