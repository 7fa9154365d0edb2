// Each member's language (docs/WEB.md "Languages"): the web app and e-mail speak to a member in it. Personal
// settings, not acts: kept beside the accounts, never in the log. No row: the browser's language, else English.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_locales')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_locales_pk', ['org_id', 'member_id'])
    .execute();
}
