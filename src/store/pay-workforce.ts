// A council's workforce files (grade, hours and output per worker): personal data, kept like accounts in a
// private table and never in the log. The log holds each import's SHA-256 (`workforce_imported`), so whoever has
// the file can check it is the one the payroll ran on. Files are content-addressed: storing one twice is a no-op.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export async function storeWorkforce(
  db: Kysely<Database>,
  w: { orgId: string; councilId: string; sha256: string; workers: number; csv: string; at: string },
): Promise<void> {
  const have = await findWorkforce(db, w.orgId, w.councilId, w.sha256);
  if (have !== undefined) return;
  await db
    .insertInto('pay_workforces')
    .values({
      council_id: w.councilId,
      sha256: w.sha256,
      org_id: w.orgId,
      workers: String(w.workers),
      csv: w.csv,
      stored_at: w.at,
    })
    .execute();
}

/** The CSV text of a stored workforce file, or undefined. */
export async function findWorkforce(
  db: Kysely<Database>,
  orgId: string,
  councilId: string,
  sha256: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('pay_workforces')
    .select('csv')
    .where('org_id', '=', orgId)
    .where('council_id', '=', councilId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return r?.csv;
}
