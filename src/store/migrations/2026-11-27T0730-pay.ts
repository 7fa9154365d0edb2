// Pay and pensions (docs/PAY.md "Decisions"): the projections of adopted schemes and workforce imports, and the
// private workforce files (personal data, like accounts: never in the log, which holds only their SHA-256).
// Every column is text (counts too), as in the power migration.
import type { Kysely } from 'kysely';

const tables = {
  pay_schemes: {
    columns: [
      'council_id',
      'version',
      'org_id',
      'scheme_id',
      'name',
      'document',
      'motion_id',
      'alternative_id',
      'adopted_at',
    ],
    keyColumns: 2,
  },
  pay_workforce_imports: {
    columns: ['council_id', 'seq', 'org_id', 'sha256', 'workers', 'imported_by', 'imported_at'],
    keyColumns: 2,
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, def] of Object.entries(tables)) {
    let t = db.schema.createTable(table);
    def.columns.forEach((col, i) => {
      t = t.addColumn(col, 'text', (c) => (i < def.keyColumns ? c.notNull() : c));
    });
    t = t.addPrimaryKeyConstraint(`${table}_pk`, def.columns.slice(0, def.keyColumns) as never);
    await t.execute();
    await db.schema.createIndex(`${table}_org_id_idx`).on(table).column('org_id').execute();
  }
  await db.schema
    .createTable('pay_workforces')
    .addColumn('council_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('workers', 'text', (c) => c.notNull())
    .addColumn('csv', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pay_workforces_pk', ['council_id', 'sha256'])
    .execute();
}
