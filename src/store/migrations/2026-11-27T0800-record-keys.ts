// The log key history (docs/RECORD.md "Key history"): record_keys held one key per organisation, so after a
// rotate_log_key the checkpoints signed before it could no longer be checked. record_key_history keeps every key
// with the first checkpoint size it signs and the entries that rotated to it; the one key of each organisation
// moves over as its first key (from size 0).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('record_key_history')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('verifier_key', 'text', (c) => c.notNull())
    .addColumn('from_size', 'integer', (c) => c.notNull())
    .addColumn('request_seq', 'integer')
    .addColumn('rotation_seq', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_key_history_pk', ['org_id', 'position'])
    .execute();
  await sql`insert into record_key_history (org_id, position, verifier_key, from_size, created_at)
            select org_id, 0, verifier_key, 0, created_at from record_keys`.execute(db);
  await db.schema.dropTable('record_keys').execute();
}
