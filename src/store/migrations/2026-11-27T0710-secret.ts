// Secret votes: which member registered which public credential. Kept out of the log on purpose (like accounts):
// only the frozen list of public credentials is published (docs/BALLOT-PROTOCOL.md "In Councils").
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('secret_credentials')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('vote_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('secret_credentials_pk', ['org_id', 'vote_id', 'member_id'])
    .addUniqueConstraint('secret_credentials_credential', ['org_id', 'vote_id', 'credential'])
    .execute();
}
