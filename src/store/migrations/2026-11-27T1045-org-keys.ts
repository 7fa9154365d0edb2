// Rows keyed within their organisation. Ids of councils and members are chosen by founders (a `councils init`
// file, `found_organisation`'s founders) and other ids may repeat across organisations, so a table keyed by an
// id alone let two organisations on one installation overwrite each other's rows. Every table holding an
// organisation's data gets org_id first in its primary key; the rows are kept as they are (on SQLite by copying
// the table, which cannot change a primary key in place). Rows already lost to such an overwrite come back from
// the log: openDatabase rebuilds every organisation's projections once, right after this migration.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export const orgKeysMigration = '2026-11-27T1045-org-keys';

/** Each table's key within an organisation (its primary key so far), and the unique columns it keeps. */
const tables: Record<string, { key: string[]; unique?: string[] }> = {
  councils: { key: ['id'] },
  members: { key: ['id'] },
  memberships: { key: ['council_id', 'member_id'] },
  invitations: { key: ['id'] },
  mandates: { key: ['id'] },
  motions: { key: ['id'] },
  alternatives: { key: ['motion_id', 'id'] },
  comments: { key: ['motion_id', 'id'] },
  statements: { key: ['motion_id', 'id'] },
  votes: { key: ['id'] },
  electors: { key: ['vote_id', 'member_id'] },
  ballots: { key: ['vote_id', 'member_id'] },
  petitions: { key: ['id'] },
  petition_signatures: { key: ['petition_id', 'member_id'] },
  member_keys: { key: ['key_id'] },
  privileged_requests: { key: ['id'] },
  approvals: { key: ['request_id', 'id'] },
  sealed_records: { key: ['id'] },
  pay_schemes: { key: ['council_id', 'version'] },
  pay_workforce_imports: { key: ['council_id', 'seq'] },
  // Private tables (never in the log): kept row for row.
  accounts: { key: ['member_id'], unique: ['email'] },
  api_tokens: { key: ['id'], unique: ['token_hash'] },
  invitation_secrets: { key: ['invitation_id'], unique: ['token_hash'] },
  pay_workforces: { key: ['council_id', 'sha256'] },
  sealed_secrets: { key: ['commitment'] },
  secret_issuer_keys: { key: ['key_id'] },
};

const name = (n: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(n)) throw new RangeError(`not a plain SQL name: ${n}`);
  return `"${n}"`;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const keyOf = (def: { key: string[] }) => ['org_id', ...def.key].map(name).join(', ');
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // The migrator runs each PostgreSQL migration in a transaction already.
    for (const [table, def] of Object.entries(tables)) await rekeyPostgres(db, table, keyOf(def));
    return;
  }
  // Not on SQLite: all tables change in one transaction here, so a failure leaves the old schema whole.
  await db.transaction().execute(async (trx) => {
    for (const [table, def] of Object.entries(tables)) {
      await rekeySqlite(trx, table, keyOf(def), def.unique ?? []);
    }
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rekeyPostgres(db: Kysely<any>, table: string, key: string): Promise<void> {
  const pk = await sql<{ conname: string }>`select conname from pg_constraint
      where conrelid = ${table}::regclass and contype = 'p'`.execute(db);
  const drop = pk.rows[0] ? `drop constraint ${name(pk.rows[0].conname)}, ` : '';
  // Adding the primary key makes org_id NOT NULL (every row has one: projections write it, private rows too).
  await sql
    .raw(`alter table ${name(table)} ${drop}add constraint ${name(`${table}_pk`)} primary key (${key})`)
    .execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rekeySqlite(db: Kysely<any>, table: string, key: string, unique: string[]): Promise<void> {
  const columns = await sql<{ name: string; type: string; notnull: number }>`
      select name, type, "notnull" from pragma_table_info(${table}) order by cid`.execute(db);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master
      where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  const defs = columns.rows.map(
    (c) => `${name(c.name)} ${c.type}${c.notnull || c.name === 'org_id' ? ' not null' : ''}`,
  );
  defs.push(`constraint ${name(`${table}_pk`)} primary key (${key})`);
  for (const u of unique) defs.push(`unique (${name(u)})`);
  const list = columns.rows.map((c) => name(c.name)).join(', ');
  const next = name(`${table}__org_keys`);
  await sql.raw(`create table ${next} (${defs.join(', ')})`).execute(db);
  await sql.raw(`insert into ${next} (${list}) select ${list} from ${name(table)}`).execute(db);
  await sql.raw(`drop table ${name(table)}`).execute(db);
  await sql.raw(`alter table ${next} rename to ${name(table)}`).execute(db);
  for (const i of indexes.rows) await sql.raw(i.sql).execute(db);
}
