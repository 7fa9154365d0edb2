// A vote's electorate is no longer a table (docs/SCALE.md "Opening a vote"): it is the council's members at the
// opening's moment, frozen in the organisation's state that the log builds, and read from there. Writing it as one
// row per elector made opening a vote of 100,000 electors take seconds. The rows were a projection of the log, so
// dropping them loses nothing.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('electors').execute();
}
