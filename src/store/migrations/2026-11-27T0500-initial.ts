// The first schema: the log, the projections of the core, and personal data kept outside the log.
import type { Kysely } from 'kysely';
import { projectionTables } from '../../core/index.ts';

const integerColumns = new Set(['size', 'seats_in_parent', 'position', 'status_quo', 'seats']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('log_entries')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('act', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_entries_pk', ['org_id', 'seq'])
    .execute();

  for (const [table, def] of Object.entries(projectionTables)) {
    let t = db.schema.createTable(table);
    def.columns.forEach((col, i) => {
      t = t.addColumn(col, integerColumns.has(col) ? 'integer' : 'text', (c) =>
        i < def.keyColumns ? c.notNull() : c,
      );
    });
    t = t.addPrimaryKeyConstraint(`${table}_pk`, def.columns.slice(0, def.keyColumns) as never);
    await t.execute();
  }
  for (const [table, col] of [
    ['councils', 'org_id'],
    ['members', 'org_id'],
    ['mandates', 'council_id'],
    ['mandates', 'member_id'],
    ['motions', 'council_id'],
    ['memberships', 'member_id'],
    ['votes', 'motion_id'],
  ] as const) {
    await db.schema.createIndex(`${table}_${col}_idx`).on(table).column(col).execute();
  }

  await db.schema
    .createTable('accounts')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createTable('invitation_secrets')
    .addColumn('invitation_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
}
