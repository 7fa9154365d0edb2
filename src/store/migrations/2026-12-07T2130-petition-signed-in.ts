// A petition's signatures counted by signing council, kept in its row (`signed_in`, canonical JSON { councilId:
// count }, written by the projection from the state's `signedIn`): a petition's page read them with a GROUP BY over
// every signature on each view, O(signatures). A row written before this column, or since by a process of an older
// version (which writes the columns it knows: `signature_count` moves on, `signed_in` does not), is told by its
// counts not adding up to `signature_count`; its page counts the signatures as before (src/store/read-power.ts
// `getPetition`) until the row is written again (its next signature) or `councils rebuild` writes every row.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // (run again over what it made by a test of an earlier migration: the column is added once)
  const table = (await db.introspection.getTables()).find((t) => t.name === 'petitions');
  if (!table?.columns.some((c) => c.name === 'signed_in'))
    await db.schema.alterTable('petitions').addColumn('signed_in', 'text').execute();
}
