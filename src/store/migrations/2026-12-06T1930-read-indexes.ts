// Indexes for reads that do not grow with the organisation (docs/SCALE.md): a council's children and the deputies
// a council sends up are read through an index, not by scanning every council or mandate of the organisation.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('councils_parent_idx')
    .on('councils')
    .columns(['org_id', 'parent_id'])
    .execute();
  await db.schema
    .createIndex('mandates_from_council_idx')
    .on('mandates')
    .columns(['org_id', 'from_council_id'])
    .execute();
}
