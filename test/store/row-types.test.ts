// Typed rows from the core's table definitions: the row types of src/store/schema.ts must name exactly the core's
// columns (checked by the compiler, below), and the tables the migrations made have exactly those columns.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { projectionTables, type ProjectionTable } from '../../src/core/index.ts';
import type { Kysely } from 'kysely';
import { timeAndIdRange } from '../../src/store/paging.ts';
import type { Database, MemberRow, ProjectionRow } from '../../src/store/schema.ts';
import { testDatabases } from '../support/databases.ts';

// The compiler refuses a row type with a column the core does not define, or without one it does: `npm test`
// type-checks first, so a column renamed in the core fails here and in every read of it.
type WithRenamed = { id: string; org_id: string; full_name: string; joined_at: string };
type WithoutOne = { id: string; org_id: string; name: string };
type WithExtra = MemberRow & { nickname: string };
// @ts-expect-error a column the core's members table does not have (and one it has, missing)
export type Renamed = ProjectionRow<'members', WithRenamed>;
// @ts-expect-error a column of the core's members table missing
export type Missing = ProjectionRow<'members', WithoutOne>;
// @ts-expect-error a column the core's members table does not have
export type Extra = ProjectionRow<'members', WithExtra>;
export type Exact = ProjectionRow<'members', MemberRow>;
// Every projection table of the core is a typed table of the store's Database.
export type Every = Database[ProjectionTable];

// A keyset range (src/store/paging.ts) names the tables' columns, as its WHERE clause reads them: a selected alias
// is refused (PostgreSQL refuses an alias in WHERE; SQLite takes it, so only the compiler can stop it on both).
export const ranges = (q: Kysely<Database>) => {
  const signatures = q.selectFrom('petition_signatures').select(['signed_at as at', 'member_id']);
  const page = { limit: 10 };
  return [
    timeAndIdRange(signatures, ['signed_at', 'member_id'], 'asc', page),
    timeAndIdRange(signatures, ['petition_signatures.signed_at', 'member_id'], 'asc', page),
    // @ts-expect-error `at` is an alias of the query's output, not a column
    timeAndIdRange(signatures, ['at', 'member_id'], 'asc', page),
    // @ts-expect-error `opened_at` is no column of petition_signatures
    timeAndIdRange(signatures, ['opened_at', 'member_id'], 'asc', page),
  ];
};

for (const database of testDatabases()) {
  describe(`projection tables on ${database.name}`, () => {
    test("have exactly the core's columns", async () => {
      const db = await database.open();
      try {
        const tables = new Map(
          (await db.kysely.introspection.getTables()).map((t) => [
            t.name,
            t.columns.map((c) => c.name).sort(),
          ]),
        );
        for (const [table, def] of Object.entries(projectionTables)) {
          assert.deepEqual(tables.get(table), [...def.columns].sort(), table);
        }
      } finally {
        await db.close();
      }
    });
  });
}
