// A council's page lists its motions under way whole and its past motions a page at a time (docs/SCALE.md): the
// motions under way are an index range on their state, instead of a walk of every motion the council ever had.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('motions_council_state_idx')
    .on('motions')
    .columns(['org_id', 'council_id', 'state', 'moved_at'])
    .execute();
}
