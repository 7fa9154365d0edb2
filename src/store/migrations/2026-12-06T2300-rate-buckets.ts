// Rate limits shared by every API process on one PostgreSQL database (docs/DEPLOYMENT.md "Rate limits and
// revocations"): one token bucket per (scope, client address). On PostgreSQL the table is UNLOGGED: a bucket is
// worth nothing after a crash (it starts full again), and an unlogged write costs no WAL and no fsync. SQLite has
// the table too but does not use it (one process owns the file; its buckets are in memory).
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let table = db.schema.createTable('rate_buckets');
  if (postgres) table = table.modifyFront(sql`unlogged`);
  await table
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('granted', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_buckets_pk', ['scope', 'key'])
    .execute();
}
