// A motion's debate comes a page at a time, oldest first (docs/SCALE.md): each page is an index range on the
// comments' position within their motion, not a sort of every comment the motion has.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('comments_motion_position_idx')
    .ifNotExists()
    .on('comments')
    .columns(['org_id', 'motion_id', 'position'])
    .execute();
}
