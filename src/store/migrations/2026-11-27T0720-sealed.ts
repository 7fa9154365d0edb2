// Sealed records: their projection, and the secret half (content and key) kept off the log until release.
import type { Kysely } from 'kysely';
import { sealedTables } from '../../core/sealed/records.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const def = sealedTables.sealed_records;
  let t = db.schema.createTable('sealed_records');
  for (const col of def.columns) t = t.addColumn(col, 'text', (c) => (col === 'id' ? c.primaryKey() : c));
  await t.execute();
  await db.schema
    .createTable('sealed_secrets')
    .addColumn('commitment', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('seal_key', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
}
