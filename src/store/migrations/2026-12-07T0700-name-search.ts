// The pickers search members and councils by the start of their name (docs/SCALE.md, "Searching for a member or a
// council"): `name_key` (searchKey of the name: no accents, lower case; src/core/organisation/search-key.ts) beside
// each name, and an index on (org_id, name_key, id), so a prefix is an index range whatever the organisation's size.
// PostgreSQL compares the column in the "C" collation, byte by byte as SQLite's BINARY does, so both databases
// order and bound it the same way (a language's collation would also not keep a prefix's names in one range).
//
// The migration adds the column; the keys of the rows already there are filled after it by `fillNameKeys`, which
// the store runs at every open (src/store/database.ts): at first the whole column; then whatever a process of an
// older version wrote without a key after a rollback, read through the partial index of the rows whose key is NULL
// (2026-12-07T1300-missing-name-keys: one probe of an empty index when nothing is missing). The fill is
// not in the migration because Kysely runs every pending PostgreSQL migration in one transaction: a million rows'
// keys would be one transaction, lost whole by a crash, and (as first written) a million statements. Now it is
// 10,000 rows a statement, each batch its own transaction, resumable: a NULL key is what is left to do. The index
// is made last, so its presence says the fill is done (and a search never reads a half-filled column).
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { searchKey } from '../../core/organisation/search-key.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of tables)
    await db.schema
      .alterTable(table)
      .addColumn('name_key', 'text', (c) => (postgres ? c.modifyEnd(sql`collate "C"`) : c))
      .execute();
}

const tables = ['members', 'councils'] as const;
// Any constant: the fills of processes starting at once on one PostgreSQL database take turns per batch.
const fillLock = 7_070_700;

/**
 * Fills `name_key` of the rows that have none, `batch` rows a statement, each batch its own transaction, then
 * makes the search index if it is not there. Returns the rows filled.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function fillNameKeys(db: Kysely<any>, batch = 10_000): Promise<number> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let filled = 0;
  for (const table of tables) {
    const index = `${table}_name_key_idx`;
    let after: { org_id: string; id: string } | null = null;
    // Nothing missing (every start but the one after an older version wrote): one probe, no transaction.
    for (;;) {
      if (after === null && !(await anyKeyMissing(db, table, ['org_id', 'id']))) break;
      const rows = await db.transaction().execute(async (trx) => {
        if (postgres) await sql`select pg_advisory_xact_lock(${fillLock})`.execute(trx);
        let q = trx.selectFrom(table).select(['org_id', 'id', 'name']).where('name_key', 'is', null);
        if (after) q = q.where(sql<boolean>`(org_id, id) > (${after.org_id}, ${after.id})`);
        const found: { org_id: string; id: string; name: string }[] = await q
          .orderBy('org_id')
          .orderBy('id')
          .limit(batch)
          .execute();
        if (found.length === 0) return found;
        const keys = JSON.stringify(found.map((r) => ({ o: r.org_id, i: r.id, k: searchKey(r.name) })));
        await (
          postgres
            ? sql`update ${sql.table(table)} as t set name_key = j.k
                from json_to_recordset(${keys}::json) as j(o text, i text, k text)
                where t.org_id = j.o and t.id = j.i`
            : sql`update ${sql.table(table)} set name_key = j.value ->> '$.k' from json_each(${keys}) as j
                where ${sql.table(table)}.org_id = j.value ->> '$.o' and ${sql.table(table)}.id = j.value ->> '$.i'`
        ).execute(trx);
        return found;
      });
      filled += rows.length;
      if (rows.length < batch) break;
      after = rows[rows.length - 1]!;
    }
    if (await hasIndex(db, postgres, index)) continue;
    await db.transaction().execute(async (trx) => {
      if (postgres) await sql`select pg_advisory_xact_lock(${fillLock})`.execute(trx);
      await trx.schema
        .createIndex(index)
        .ifNotExists()
        .on(table)
        .columns(['org_id', 'name_key', 'id'])
        .execute();
    });
  }
  return filled;
}

/**
 * Whether any row of `table` has no `name_key`: a probe of its partial index of those rows (2026-12-07T1300), in
 * whose order it asks, or SQLite's planner walks the covering search index instead.
 */
export async function anyKeyMissing(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  table: string,
  order: readonly string[],
): Promise<boolean> {
  const { rows } = await sql`select 1 from ${sql.table(table)} where name_key is null
    order by ${sql.join(order.map((c) => sql.ref(c)))} limit 1`.execute(db);
  return rows.length > 0;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function hasIndex(db: Kysely<any>, postgres: boolean, name: string): Promise<boolean> {
  const { rows } = await (
    postgres
      ? sql`select 1 from pg_indexes where schemaname = current_schema() and indexname = ${name}`
      : sql`select 1 from sqlite_master where type = 'index' and name = ${name}`
  ).execute(db);
  return rows.length > 0;
}
