// The first schema: the log, the projections of the core, and personal data kept outside the log.
import type { Kysely } from 'kysely';

// The core's projection tables as they were when this migration was published. Frozen here: a migration must
// not change with the code; later tables and columns come in later migrations.
const projectionTables: Record<string, { columns: string[]; keyColumns: number }> = {
  orgs: { columns: ['id', 'name', 'constitution', 'root_council_id', 'founded_at', 'size'], keyColumns: 1 },
  councils: { columns: ['id', 'org_id', 'name', 'parent_id', 'seats_in_parent', 'position'], keyColumns: 1 },
  members: { columns: ['id', 'org_id', 'name', 'joined_at'], keyColumns: 1 },
  memberships: { columns: ['council_id', 'member_id', 'org_id'], keyColumns: 2 },
  invitations: {
    columns: ['id', 'org_id', 'council_id', 'name', 'invited_by', 'issued_at', 'used_by'],
    keyColumns: 1,
  },
  mandates: {
    columns: [
      'id',
      'org_id',
      'member_id',
      'council_id',
      'from_council_id',
      'started_at',
      'term_ends',
      'motion_id',
      'ended_at',
      'end_reason',
    ],
    keyColumns: 1,
  },
  motions: {
    columns: [
      'id',
      'org_id',
      'council_id',
      'kind',
      'title',
      'text',
      'mover_id',
      'moved_at',
      'debate_opened_at',
      'state',
      'decision',
      'seat_council_id',
      'mandate_id',
      'vote_id',
      'adopted_alternative_id',
    ],
    keyColumns: 1,
  },
  alternatives: {
    columns: [
      'motion_id',
      'id',
      'org_id',
      'position',
      'title',
      'text',
      'amends',
      'candidate_id',
      'proposed_by',
      'proposed_at',
    ],
    keyColumns: 2,
  },
  comments: {
    columns: [
      'motion_id',
      'id',
      'org_id',
      'position',
      'author_id',
      'stance',
      'text',
      'reply_to',
      'posted_at',
    ],
    keyColumns: 2,
  },
  statements: { columns: ['motion_id', 'id', 'org_id', 'author_id', 'text', 'attached_at'], keyColumns: 2 },
  votes: {
    columns: [
      'id',
      'org_id',
      'motion_id',
      'council_id',
      'options',
      'status_quo',
      'seats',
      'opened_at',
      'closes_at',
      'closed_at',
      'result',
      'outcome',
      'winner',
      'winners',
    ],
    keyColumns: 1,
  },
  electors: { columns: ['vote_id', 'member_id', 'org_id', 'weight'], keyColumns: 2 },
  ballots: { columns: ['vote_id', 'member_id', 'org_id', 'ballot', 'cast_at'], keyColumns: 2 },
};

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
  // The first entry of each log names an organisation: listing them must not scan every entry.
  await db.schema.createIndex('log_entries_seq_idx').on('log_entries').column('seq').execute();

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
