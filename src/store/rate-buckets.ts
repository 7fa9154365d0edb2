// Token buckets in PostgreSQL, shared by every API process on the database (docs/DEPLOYMENT.md "Rate limits and
// revocations"): taking a token is one atomic upsert that refills the bucket for the time passed and takes one
// if there is one, so two processes answering one client at once cannot both spend its last token.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface BucketLimit {
  burst: number;
  /** Tokens per millisecond. */
  perMs: number;
}

/**
 * Takes a token from (scope, key)'s bucket at `nowMs`: whether one was granted, and the tokens left (a bucket
 * never seen starts full). The clock never runs back: a process whose clock is behind the last taker's adds
 * nothing.
 */
export async function takeToken(
  q: Kysely<Database>,
  scope: string,
  key: string,
  limit: BucketLimit,
  nowMs: number,
): Promise<{ granted: boolean; tokens: number }> {
  const refilled = sql`least(${limit.burst}::float8, b.tokens + greatest(0, ${nowMs}::bigint - b.at_ms) * ${limit.perMs}::float8)`;
  const r = await sql<{ granted: boolean; tokens: number }>`
    insert into rate_buckets as b (scope, key, tokens, at_ms, granted)
    values (${scope}, ${key}, ${limit.burst - 1}::float8, ${nowMs}::bigint, true)
    on conflict (scope, key) do update set
      tokens = case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end,
      granted = ${refilled} >= 1,
      at_ms = greatest(b.at_ms, ${nowMs}::bigint)
    returning granted, tokens`.execute(q);
  const row = r.rows[0]!;
  return { granted: row.granted, tokens: Number(row.tokens) };
}

/** The tokens (scope, key)'s bucket holds at `nowMs`, taking none (`burst` if it was never used). */
export async function tokensLeft(
  q: Kysely<Database>,
  scope: string,
  key: string,
  limit: BucketLimit,
  nowMs: number,
): Promise<number> {
  const r = await sql<{ tokens: number; at_ms: number }>`
    select tokens, at_ms from rate_buckets where scope = ${scope} and key = ${key}`.execute(q);
  const row = r.rows[0];
  if (!row) return limit.burst;
  return Math.min(limit.burst, Number(row.tokens) + Math.max(0, nowMs - Number(row.at_ms)) * limit.perMs);
}

/** Forgets buckets untouched since `beforeMs` (they would be full again by now). */
export async function sweepBuckets(q: Kysely<Database>, beforeMs: number): Promise<void> {
  await sql`delete from rate_buckets where at_ms < ${beforeMs}::bigint`.execute(q);
}
