// A secret vote's board read by index (migration 2026-12-07T1400-secret-board, docs/SCALE.md "Closing a vote"): a
// page of its entries by seq, a ballot found by its confirmation code, the last cast of a credential, and every
// entry of the vote in order, each one index range of `secret_board` joined to its log rows; no other vote's entry
// is read.
import type { Kysely, Transaction } from 'kysely';
import type { Entry } from '../core/index.ts';
import type { Database, SecretBoardTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
type Part = SecretBoardTable['part'];

/** Up to `limit` entries of the vote's `part` after seq `after`, in order, parsed. */
export async function boardPage(
  q: Q,
  orgId: string,
  voteId: string,
  part: Part,
  after: number,
  limit: number,
): Promise<Entry[]> {
  const rows = await q
    .selectFrom('secret_board as b')
    .innerJoin('log_entries as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.seq', '=', 'b.seq'))
    .select('l.body')
    .where('b.org_id', '=', orgId)
    .where('b.vote_id', '=', voteId)
    .where('b.part', '=', part)
    .where('b.seq', '>', after)
    .orderBy('b.seq')
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.body) as Entry);
}

/**
 * Every `board_posted` entry of the vote in its span (seqs `from` to `to`), in order, in pages of `pageSize`. The
 * span bounds the read to the vote's own stretch of the log (without it, the primary key's range began at the
 * organisation's first board row: review C, finding 5).
 */
export async function* voteBoardEntries(
  q: Q,
  orgId: string,
  voteId: string,
  from: number,
  to: number,
  pageSize = 5000,
): AsyncGenerator<Entry> {
  for (let after = from - 1; ;) {
    const rows = await q
      .selectFrom('secret_board as b')
      .innerJoin('log_entries as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.seq', '=', 'b.seq'))
      .select(['l.seq', 'l.body'])
      .where('b.org_id', '=', orgId)
      .where('b.vote_id', '=', voteId)
      .where('b.seq', '>', after)
      .where('b.seq', '<=', to)
      .orderBy('b.seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield JSON.parse(r.body) as Entry;
    if (rows.length < pageSize) return;
    after = Number(rows.at(-1)!.seq);
  }
}

export interface ReceiptRow {
  seq: number;
  kind: string;
  ballotId: string | null;
  credential: string | null;
}

/** The vote's cast and challenged ballots with this confirmation code, in order. */
export async function ballotsByCode(
  q: Q,
  orgId: string,
  voteId: string,
  code: string,
): Promise<ReceiptRow[]> {
  const rows = await q
    .selectFrom('secret_board')
    .select(['seq', 'kind', 'ballot_id', 'credential'])
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .where('code', '=', code)
    .orderBy('seq')
    .limit(16)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    kind: r.kind,
    ballotId: r.ballot_id,
    credential: r.credential,
  }));
}

/** The last ballot the credential cast in the vote after seq `after`, if any. */
export async function lastCastAfter(
  q: Q,
  orgId: string,
  voteId: string,
  credential: string,
  after: number,
): Promise<ReceiptRow | undefined> {
  const r = await q
    .selectFrom('secret_board')
    .select(['seq', 'kind', 'ballot_id', 'credential'])
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .where('credential', '=', credential)
    .where('seq', '>', after)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r && { seq: Number(r.seq), kind: r.kind, ballotId: r.ballot_id, credential: r.credential };
}
