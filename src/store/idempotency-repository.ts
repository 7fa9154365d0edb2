// Stored answers to writes sent with an Idempotency-Key (src/server/idempotency.ts, docs/OPERATIONS.md). A row is
// found by an id derived from the key and the principal; its answer is stored encrypted by the server.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface StoredAnswer {
  fingerprint: string;
  /** The log entries the act appended, when it was a log act: the answer may be lost with a crash, they are not. */
  acted: { orgId: string; firstSeq: number; count: number } | null;
  answer: { status: number; body: string } | null;
  expiresAt: string;
}

export async function findStoredAnswer(q: Q, id: string): Promise<StoredAnswer | undefined> {
  const r = await q.selectFrom('idempotency_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  return {
    fingerprint: r.fingerprint,
    acted:
      r.org_id !== null && r.first_seq !== null
        ? { orgId: r.org_id, firstSeq: Number(r.first_seq), count: Number(r.entry_count) }
        : null,
    answer: r.status !== null && r.body !== null ? { status: Number(r.status), body: r.body } : null,
    expiresAt: r.expires_at,
  };
}

interface KeyRow {
  id: string;
  fingerprint: string;
  now: string;
  expiresAt: string;
  acted?: { orgId: string; firstSeq: number; count: number };
  answer?: { status: number; body: string };
}

function row(r: KeyRow) {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    org_id: r.acted?.orgId ?? null,
    first_seq: r.acted?.firstSeq ?? null,
    entry_count: r.acted?.count ?? null,
    status: r.answer?.status ?? null,
    body: r.answer?.body ?? null,
    created_at: r.now,
    expires_at: r.expiresAt,
  };
}

/** In the act's own transaction: the key is spent, by these entries. Fails (unique key) if another got it first. */
export async function insertActedKey(
  q: Q,
  r: KeyRow & { acted: NonNullable<KeyRow['acted']> },
): Promise<void> {
  await q.insertInto('idempotency_keys').values(row(r)).execute();
}

/** The answer, once it is known: added to the act's row, or a row of its own (a refusal, an act outside the log). */
export async function storeAnswer(
  q: Q,
  r: KeyRow & { answer: NonNullable<KeyRow['answer']> },
): Promise<void> {
  const { status, body } = r.answer;
  await q
    .insertInto('idempotency_keys')
    .values(row(r))
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ status, body }).where('idempotency_keys.status', 'is', null),
    )
    .execute();
}

export async function deleteStoredAnswer(q: Q, id: string): Promise<void> {
  await q.deleteFrom('idempotency_keys').where('id', '=', id).execute();
}

/** Sweeps expired keys; returns how many. */
export async function sweepStoredAnswers(q: Q, now: string): Promise<number> {
  const r = await q.deleteFrom('idempotency_keys').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
