// The landing page shows how many members and councils the organisation has (GET /orgs/:org). They were counted
// from the ledger's state, which made every load catch the state up with the log first; a count of the rows would
// walk a million members. The organisation's row, which every entry rewrites already (its `size`), now carries
// both counts as the state holds them; rows written before are filled here by counting once (members are never
// deleted, councils are when dissolved: the rows are what the state holds).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orgs').addColumn('member_count', 'integer').execute();
  await db.schema.alterTable('orgs').addColumn('council_count', 'integer').execute();
  await sql`update orgs set
      member_count = (select count(*) from members m where m.org_id = orgs.id),
      council_count = (select count(*) from councils c where c.org_id = orgs.id)`.execute(db);
}
