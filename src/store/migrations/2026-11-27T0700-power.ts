// Power from below and collective authority (docs/POWER.md): petitions and their signatures, member keys,
// privileged requests and approvals, committees, the record's settings. Every column is text (counts too), as
// the first migration makes every column whose name it does not list as integer. The first migration once
// created tables from the core's live list, so a database made then already has them: hence IF NOT EXISTS,
// which gives the same schema either way.
import type { Kysely } from 'kysely';
import { powerTables } from '../../core/power/projections.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, def] of Object.entries(powerTables)) {
    let t = db.schema.createTable(table).ifNotExists();
    def.columns.forEach((col, i) => {
      t = t.addColumn(col, 'text', (c) => (i < def.keyColumns ? c.notNull() : c));
    });
    t = t.addPrimaryKeyConstraint(`${table}_pk`, def.columns.slice(0, def.keyColumns) as never);
    await t.execute();
  }
  for (const [table, col] of [
    ['petitions', 'org_id'],
    ['privileged_requests', 'org_id'],
    ['member_keys', 'member_id'],
  ] as const) {
    await db.schema.createIndex(`${table}_${col}_idx`).ifNotExists().on(table).column(col).execute();
  }
}
