// The organisation's people directory comes a page at a time in the order of member ids (docs/SCALE.md): an index
// range on (org_id, id), where the `members` table had its key on `id` alone and an index on `org_id`, which gave
// a page only after reading and sorting every member of the organisation. On PostgreSQL a plain CREATE INDEX holds
// writes to `members` for the build: an operator of a large installation builds it first, without that lock
// (CREATE INDEX CONCURRENTLY members_org_id_id_idx ON members (org_id, id); docs/DEPLOYMENT.md "Upgrading"), and
// this migration then finds it there.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('members_org_id_id_idx')
    .ifNotExists()
    .on('members')
    .columns(['org_id', 'id'])
    .execute();
}
