// Sealed records: their projection, and the secret half (content and key) kept off the log until release.
import type { Kysely } from 'kysely';

// The columns of sealed_records as src/core/sealed/records.ts defined them when this migration was written (frozen).
const sealedColumns = [
  'id',
  'seq',
  'org_id',
  'council_id',
  'label',
  'commitment',
  'release_at',
  'release_condition',
  'sealed_by',
  'sealed_at',
  'revealed_at',
  'content',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  let t = db.schema.createTable('sealed_records');
  for (const col of sealedColumns) t = t.addColumn(col, 'text', (c) => (col === 'id' ? c.primaryKey() : c));
  await t.execute();
  await db.schema
    .createTable('sealed_secrets')
    .addColumn('commitment', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('seal_key', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
}
