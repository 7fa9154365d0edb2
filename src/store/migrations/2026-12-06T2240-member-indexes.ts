// Indexes for what a member's own pages read (docs/SCALE.md): their base councils, their mandates, their pending
// admission, the recalls of their mandates, a council's mandates and motions. Without them SQLite walked every row
// the organisation has in these tables (a key searched on `org_id` alone): the memberships read of every landing
// page took 250 ms at 1,000,000 members. test/server/query-plans.test.ts checks every member page's plans.
import type { Kysely } from 'kysely';

const indexes: [name: string, table: string, columns: string[]][] = [
  ['memberships_member_idx', 'memberships', ['org_id', 'member_id', 'council_id']],
  ['mandates_org_member_idx', 'mandates', ['org_id', 'member_id']],
  ['mandates_org_council_idx', 'mandates', ['org_id', 'council_id']],
  ['admissions_member_idx', 'admissions', ['org_id', 'member_id']],
  ['motions_mandate_idx', 'motions', ['org_id', 'mandate_id']],
  ['motions_org_council_idx', 'motions', ['org_id', 'council_id', 'moved_at']],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of indexes)
    await db.schema.createIndex(name).on(table).columns(columns).execute();
}
