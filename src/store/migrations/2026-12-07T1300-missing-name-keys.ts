// Name keys missing after an older version wrote are refilled (docs/OPERATIONS.md "Running an older version beside
// or after a newer one"): a process of a version from before 2026-12-07T0700-name-search (members, councils) or
// 2026-12-07T1015-membership-name-key (memberships), still running beside a newer one (a rolling upgrade, or one
// rolled back), writes its rows with `name_key` NULL, and the search, which reads the key, never finds them. The fills that
// src/store/database.ts runs at each open (`fillNameKeys`, `fillMembershipKeys`) stopped for good once their search
// index existed; now they run at every open and read the rows left to fill through these partial indexes, which
// hold only the rows whose key is NULL: when nothing is missing (the usual start) each fill is one probe of an empty
// index, whatever the organisation's size. Their columns are the fills' batch order, so a batch is an index range.
//
// On PostgreSQL a plain CREATE INDEX reads the table once and holds writes to it meanwhile (a few seconds at a
// million members): an operator of a large installation may build them first without that lock (CREATE INDEX
// CONCURRENTLY … WHERE name_key IS NULL, the statements below; docs/DEPLOYMENT.md "Upgrading"), and this migration
// then finds them there.
import { sql, type Kysely } from 'kysely';

/** The partial index of each table whose rows carry a name key: its name and its columns (the fill's order). */
export const missingNameKeyIndexes = [
  { table: 'members', index: 'members_name_key_missing_idx', columns: ['org_id', 'id'] },
  { table: 'councils', index: 'councils_name_key_missing_idx', columns: ['org_id', 'id'] },
  {
    table: 'memberships',
    index: 'memberships_name_key_missing_idx',
    columns: ['org_id', 'council_id', 'member_id'],
  },
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, index, columns } of missingNameKeyIndexes)
    await db.schema
      .createIndex(index)
      .ifNotExists()
      .on(table)
      .columns([...columns])
      .where(sql.ref('name_key'), 'is', null)
      .execute();
}
