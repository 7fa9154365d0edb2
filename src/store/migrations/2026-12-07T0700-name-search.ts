// The pickers search members and councils by the start of their name (docs/SCALE.md, "Searching for a member or a
// council"): `name_key` (searchKey of the name: no accents, lower case; src/core/organisation/search-key.ts) beside
// each name, and an index on (org_id, name_key, id), so a prefix is an index range whatever the organisation's size.
// PostgreSQL compares the column in the "C" collation, byte by byte as SQLite's BINARY does, so both databases
// order and bound it the same way (a language's collation would also not keep a prefix's names in one range).
// Existing rows are filled here, a thousand at a time; the core writes the key with every row from now on.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { searchKey } from '../../core/organisation/search-key.ts';

const batch = 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // The migrator runs each PostgreSQL migration in a transaction already; on SQLite it does not, so a process
  // killed while the keys are filled would leave the column without the migration recorded, and every later start
  // would fail on "duplicate column name" (review finding). One transaction: all of it or none.
  if (postgres) await fill(db, true);
  else await db.transaction().execute((trx) => fill(trx, false));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function fill(db: Kysely<any>, postgres: boolean): Promise<void> {
  for (const table of ['members', 'councils']) {
    await db.schema
      .alterTable(table)
      .addColumn('name_key', 'text', (c) => (postgres ? c.modifyEnd(sql`collate "C"`) : c))
      .execute();
    let after: { org_id: string; id: string } | null = null;
    for (;;) {
      let q = db.selectFrom(table).select(['org_id', 'id', 'name']);
      if (after)
        q = q.where((eb) =>
          eb.or([
            eb('org_id', '>', after!.org_id),
            eb.and([eb('org_id', '=', after!.org_id), eb('id', '>', after!.id)]),
          ]),
        );
      const rows: { org_id: string; id: string; name: string }[] = await q
        .orderBy('org_id')
        .orderBy('id')
        .limit(batch)
        .execute();
      for (const r of rows)
        await db
          .updateTable(table)
          .set({ name_key: searchKey(r.name) })
          .where('org_id', '=', r.org_id)
          .where('id', '=', r.id)
          .execute();
      if (rows.length < batch) break;
      after = rows[rows.length - 1]!;
    }
    await db.schema
      .createIndex(`${table}_name_key_idx`)
      .ifNotExists()
      .on(table)
      .columns(['org_id', 'name_key', 'id'])
      .execute();
  }
}
