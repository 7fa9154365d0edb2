// The secret half of a sealed record — its content and the key of its commitment — kept off the log until the
// record is revealed, then deleted (the reveal entry holds both from then on).
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;

export async function keepSealedSecret(
  q: Q,
  orgId: string,
  commitment: string,
  key: string,
  content: string,
): Promise<void> {
  await q
    .insertInto('sealed_secrets')
    .values({ commitment, org_id: orgId, seal_key: key, content })
    .execute();
}

export async function sealedSecret(
  q: Q,
  orgId: string,
  commitment: string,
): Promise<{ key: string; content: string } | undefined> {
  const r = await q
    .selectFrom('sealed_secrets')
    .select(['seal_key', 'content'])
    .where('org_id', '=', orgId)
    .where('commitment', '=', commitment)
    .executeTakeFirst();
  return r && { key: r.seal_key, content: r.content };
}

export async function dropSealedSecret(q: Q, orgId: string, commitment: string): Promise<void> {
  await q
    .deleteFrom('sealed_secrets')
    .where('org_id', '=', orgId)
    .where('commitment', '=', commitment)
    .execute();
}

export async function listSealedRecords(q: Q, orgId: string) {
  const rows = await q
    .selectFrom('sealed_records')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('sealed_at')
    .execute();
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return rows.map((r) => ({
    seq: Number(r.seq),
    councilId: text(r.council_id),
    label: text(r.label),
    commitment: text(r.commitment),
    releaseAt: text(r.release_at),
    releaseCondition: text(r.release_condition),
    sealedBy: text(r.sealed_by),
    sealedAt: text(r.sealed_at),
    revealedAt: text(r.revealed_at),
    content: r.content === null ? null : Buffer.from(String(r.content), 'base64').toString('utf8'),
  }));
}
