// A council's members searched by name (the trustee and committee pickers: GET …/councils/:council/members?q=,
// docs/SCALE.md "Searching for a member or a council"): the member's name_key carried beside each membership, and
// an index on (org_id, council_id, name_key, member_id), so a prefix is an index range of the council's own rows.
// Reading the organisation's name range in `members` and keeping those of the council would walk every member
// whose name starts with the text (a quarter of a million for "a" at a million members) to show ten.
//
// As with the members' keys (2026-12-07T0700-name-search): the migration adds the column; the keys of the rows
// already there are filled after every migration by `fillMembershipKeys`, which the store runs at each open after
// `fillNameKeys` (it copies members.name_key): at first the whole column; then the rows a process of an older
// version wrote without a key after a rollback, read through the partial index of the memberships whose key is
// NULL (2026-12-07T1300-missing-name-keys: one probe of an empty index when nothing is missing). 10,000 rows a
// statement, each batch its own transaction, resumable (a NULL key is what is left); the index is made last, so its
// presence says the fill is done. The core writes the key with every membership from now on; a process of the
// version before would write rows without it: stop the world (docs/DEPLOYMENT.md).
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import { anyKeyMissing, hasIndex } from './2026-12-07T0700-name-search.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .alterTable('memberships')
    .addColumn('name_key', 'text', (c) => (postgres ? c.modifyEnd(sql`collate "C"`) : c))
    .execute();
}

const index = 'memberships_name_key_idx';
// Any constant: the fills of processes starting at once on one PostgreSQL database take turns per batch.
const fillLock = 7_071_015;

type Key = { org_id: string; council_id: string; member_id: string };

/**
 * Fills `name_key` of the memberships that have none from their member's, `batch` rows a statement, each batch its
 * own transaction, then makes the index if it is not there. Returns the rows filled.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function fillMembershipKeys(db: Kysely<any>, batch = 10_000): Promise<number> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const key = sql`(memberships.org_id, memberships.council_id, memberships.member_id)`;
  let filled = 0;
  let after: Key | null = null;
  // Nothing missing (every start but the one after an older version wrote): one probe, no transaction.
  for (;;) {
    if (after === null && !(await anyKeyMissing(db, 'memberships', ['org_id', 'council_id', 'member_id'])))
      break;
    const from: Key | null = after;
    const rows: Key[] = await db.transaction().execute(async (trx): Promise<Key[]> => {
      if (postgres) await sql`select pg_advisory_xact_lock(${fillLock})`.execute(trx);
      const past: RawBuilder<unknown> = from
        ? sql`${key} > (${from.org_id}, ${from.council_id}, ${from.member_id})`
        : sql`true`;
      const found: Key[] = (
        await sql<Key>`select org_id, council_id, member_id from memberships
          where name_key is null and ${past} order by org_id, council_id, member_id limit ${batch}`.execute(
          trx,
        )
      ).rows;
      const last = found.at(-1);
      if (last)
        await sql`update memberships set name_key = members.name_key from members
          where members.org_id = memberships.org_id and members.id = memberships.member_id
            and memberships.name_key is null and ${past}
            and ${key} <= (${last.org_id}, ${last.council_id}, ${last.member_id})`.execute(trx);
      return found;
    });
    filled += rows.length;
    if (rows.length < batch) break;
    after = rows.at(-1)!;
  }
  if (await hasIndex(db, postgres, index)) return filled;
  await db.transaction().execute(async (trx) => {
    if (postgres) await sql`select pg_advisory_xact_lock(${fillLock})`.execute(trx);
    await trx.schema
      .createIndex(index)
      .ifNotExists()
      .on('memberships')
      .columns(['org_id', 'council_id', 'name_key', 'member_id'])
      .execute();
  });
  return filled;
}
