// The attention inbox's read state (docs/NOTIFICATIONS.md): which items of a member's inbox the member has read.
// The items themselves are derived from the log when asked for, so nothing else is stored.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attention_reads')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attention_reads_pk', ['org_id', 'member_id', 'item_id'])
    .execute();
}
