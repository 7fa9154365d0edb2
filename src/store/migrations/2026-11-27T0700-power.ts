// Power from below and collective authority (docs/POWER.md): petitions and their signatures, member keys,
// privileged requests and approvals, committees, the record's settings. Every column is text (counts too), as
// the first migration makes every column whose name it does not list as integer. The first migration once
// created tables from the core's live list, so a database made then already has them: hence IF NOT EXISTS,
// which gives the same schema either way.
import type { Kysely } from 'kysely';

// The tables as src/core/power/projections.ts defined them when this migration was written (frozen: a later change
// to the core's list comes with a migration of its own).
const powerTables: Record<string, { columns: readonly string[]; keyColumns: number }> = {
  petitions: {
    columns: [
      'id',
      'org_id',
      'kind',
      'council_id',
      'target_council_id',
      'mandate_id',
      'title',
      'text',
      'opened_by',
      'opened_at',
      'deadline',
      'required',
      'councils_required',
      'passed_in',
      'signature_count',
      'succeeded_at',
      'motion_id',
    ],
    keyColumns: 1,
  },
  petition_signatures: {
    columns: ['petition_id', 'member_id', 'org_id', 'council_id', 'signed_at'],
    keyColumns: 2,
  },
  member_keys: {
    columns: ['key_id', 'org_id', 'member_id', 'public_key', 'registered_at', 'revoked_at'],
    keyColumns: 1,
  },
  privileged_requests: {
    columns: [
      'id',
      'org_id',
      'kind',
      'content',
      'content_hash',
      'council_id',
      'authority',
      'approvers',
      'required',
      'requested_by',
      'requested_at',
      'expires_at',
      'state',
      'done_at',
      'reversed_at',
    ],
    keyColumns: 1,
  },
  approvals: {
    columns: [
      'request_id',
      'id',
      'org_id',
      'member_id',
      'key_id',
      'round',
      'signature',
      'approved_at',
      'expires_at',
      'withdrawn_at',
    ],
    keyColumns: 2,
  },
  committees: {
    columns: ['org_id', 'council_id', 'member_ids', 'elected_at', 'term_ends', 'request_id'],
    keyColumns: 2,
  },
  power_settings: {
    columns: ['org_id', 'log_key', 'witnesses', 'trustees', 'unsealed'],
    keyColumns: 1,
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, def] of Object.entries(powerTables)) {
    let t = db.schema.createTable(table).ifNotExists();
    def.columns.forEach((col, i) => {
      t = t.addColumn(col, 'text', (c) => (i < def.keyColumns ? c.notNull() : c));
    });
    t = t.addPrimaryKeyConstraint(`${table}_pk`, def.columns.slice(0, def.keyColumns) as never);
    await t.execute();
  }
  for (const [table, col] of [
    ['petitions', 'org_id'],
    ['privileged_requests', 'org_id'],
    ['member_keys', 'member_id'],
  ] as const) {
    await db.schema.createIndex(`${table}_${col}_idx`).ifNotExists().on(table).column(col).execute();
  }
}
