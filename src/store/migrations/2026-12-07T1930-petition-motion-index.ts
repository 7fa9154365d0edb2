// The petition a motion was born of, found from the motion (its page names the petition and its first signatories,
// docs/SCALE.md): one key lookup of `petitions (org_id, motion_id)`, not a walk of the organisation's petitions
// (`petitions_org_id_idx` was the only way there). Small (one row a petition) and built in well under a second.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('petitions_motion_idx')
    .ifNotExists()
    .on('petitions')
    .columns(['org_id', 'motion_id'])
    .execute();
}
