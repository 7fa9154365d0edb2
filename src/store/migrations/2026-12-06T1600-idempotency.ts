// Idempotent retries (docs/OPERATIONS.md "Idempotent retries"): the answer to a write sent with an Idempotency-Key,
// kept for a day. `id` is derived from the key and the principal's scope, never the key itself; the stored answer
// is encrypted under a key derived from the Idempotency-Key (invitation links and tokens are in some). A log act
// writes its row in its own transaction (`org_id`, `first_seq`, `entry_count`: the entries it appended), and the
// answer is added as it is sent.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text')
    .addColumn('first_seq', 'integer')
    .addColumn('entry_count', 'integer')
    .addColumn('status', 'integer')
    .addColumn('body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expiry')
    .on('idempotency_keys')
    .column('expires_at')
    .execute();
}
