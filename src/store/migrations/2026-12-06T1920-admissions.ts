// Collective admission (docs/PROCEDURE.md "Admission"): the projection of invitations issued under admission rules
// (who proposed, approved and objected; who accepted; when the council admitted them). Every column is text, as
// in the power migration. Logs written before admission rules hold no such invitation, so no rebuild is needed.
import type { Kysely } from 'kysely';

// The table as src/core/admission/projections.ts defined it when this migration was written (frozen).
const columns = [
  'invitation_id',
  'org_id',
  'council_id',
  'name',
  'by',
  'proposed_by',
  'proposed_at',
  'required',
  'objection_minutes',
  'approvals',
  'approved_at',
  'objections',
  'motion_id',
  'member_id',
  'accepted_at',
  'admitted_at',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  let t = db.schema.createTable('admissions');
  for (const col of columns)
    t = t.addColumn(col, 'text', (c) => (col === 'invitation_id' || col === 'org_id' ? c.notNull() : c));
  await t.addPrimaryKeyConstraint('admissions_pk', ['org_id', 'invitation_id'] as never).execute();
  await db.schema
    .createIndex('admissions_council_idx')
    .on('admissions')
    .columns(['org_id', 'council_id'])
    .execute();
}
