// A council's members searched by name (the trustee and committee pickers: GET …/councils/:council/members?q=,
// docs/SCALE.md "Searching for a member or a council"): the member's name_key carried beside each membership, and
// an index on (org_id, council_id, name_key, member_id), so a prefix is an index range of the council's own rows.
// Reading the organisation's name range in `members` and keeping those of the council would walk every member
// whose name starts with the text (a quarter of a million for "a" at a million members) to show ten.
// Existing rows are filled from members.name_key (migration 2026-12-07T0700), one statement per batch of the
// table's key order. On SQLite each batch commits by itself (one transaction for a million rows would hold the
// file for its whole length), so a crash can leave the column half filled and the migration unrecorded: the column
// is added only where it is missing and the fill writes every row again, so the next start finishes it. The
// migrator runs a PostgreSQL migration in one transaction already. The core writes the key with every membership
// from now on; a process of the version before would write rows without it: stop the world (docs/DEPLOYMENT.md).
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

type Key = { org_id: string; council_id: string; member_id: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await addMembershipKeys(db, 5000);
}

/** The migration with batches of `batch` rows (a test makes them small, to cross their bounds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function addMembershipKeys(db: Kysely<any>, batch: number): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const columns = await sql<{ name: string }>`select ${sql.raw(
    postgres
      ? "column_name as name from information_schema.columns where table_name = 'memberships' and table_schema = current_schema()"
      : "name from pragma_table_info('memberships')",
  )}`.execute(db);
  if (!columns.rows.some((c) => c.name === 'name_key'))
    await db.schema
      .alterTable('memberships')
      .addColumn('name_key', 'text', (c) => (postgres ? c.modifyEnd(sql`collate "C"`) : c))
      .execute();
  const key = sql`(memberships.org_id, memberships.council_id, memberships.member_id)`;
  let after: Key | null = null;
  for (;;) {
    const from: RawBuilder<unknown> = after
      ? sql`${key} > (${after.org_id}, ${after.council_id}, ${after.member_id})`
      : sql`true`;
    // the last key of this batch: the batch is the key range (after, last]
    const last: Key | undefined = (
      await sql<Key>`select org_id, council_id, member_id from memberships
        where ${from} order by org_id, council_id, member_id limit 1 offset ${batch - 1}`.execute(db)
    ).rows[0];
    const to: RawBuilder<unknown> = last
      ? sql`${key} <= (${last.org_id}, ${last.council_id}, ${last.member_id})`
      : sql`true`;
    await sql`update memberships set name_key = members.name_key from members
      where members.org_id = memberships.org_id and members.id = memberships.member_id
        and ${from} and ${to}`.execute(db);
    if (!last) break;
    after = last;
  }
  await db.schema
    .createIndex('memberships_name_key_idx')
    .ifNotExists()
    .on('memberships')
    .columns(['org_id', 'council_id', 'name_key', 'member_id'])
    .execute();
}
