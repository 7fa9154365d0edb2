// An admission not yet made ends with its council (dissolved, merged away, its creation reversed): the state says so
// (Admission.endedBy, set in `apply`), and so does its row, `ended_by`, rather than the read models inferring it from
// whether a council with its id exists now, which a council created later with the same id made false (review C,
// session 12). Rows written before: an admission not admitted whose council row is gone ended with it (a council
// created since with its id is the one case this cannot tell; `councils rebuild` sets every row from the log).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // (run again over what it made by a test of an earlier migration: the column is added once)
  const table = (await db.introspection.getTables()).find((t) => t.name === 'admissions');
  if (!table?.columns.some((c) => c.name === 'ended_by'))
    await db.schema.alterTable('admissions').addColumn('ended_by', 'text').execute();
  await sql`update admissions set ended_by = 'council_removed'
    where admitted_at is null
      and not exists (select 1 from councils c where c.org_id = admissions.org_id and c.id = admissions.council_id)`.execute(
    db,
  );
}
