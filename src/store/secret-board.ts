// A secret vote's board as the store indexes it (docs/SCALE.md "Closing a vote"): a row in `secret_board` for each
// `board_posted` entry (its vote, its list, its kind and, for a ballot, its code, id and credential), and an ended
// homomorphic vote's sums in `secret_sums`. Both are projections of the log like the tables of
// projection-repository.ts: written with the entries, in their transaction (log-repository.ts appendEntries, the
// ledger's commit), by the same code when `councils rebuild` writes them again (rebuild.ts), and compared with a
// rebuild by `dumpProjections`.
//
// An entry logged without its row (by a process older than the table, during a rolling upgrade) is found at the
// next open (`fillSecretBoard`): `secret_board_marks` holds, per organisation, a seq below which every entry has its
// row. An append moves the mark when it starts at it, so while every writer knows the table the mark stays at the
// log's end and an open reads one row per organisation; an older writer's entries leave it behind, and the open reads
// the log from there, in batches of log rows each committed with the mark, so a fill cut off goes on where it stopped.
//
// Reads: a page of the vote's entries by seq, a ballot by its confirmation code, the last cast of a credential, and
// every entry of the vote in order, each one index range of `secret_board` joined to its log rows; no other vote's
// entry is read.
import { sql, type Kysely, type Transaction } from 'kysely';
import canonicalize from 'canonicalize';
import type { Entry, OrgState } from '../core/index.ts';
import { boardRowOf } from '../core/secret/board-rows.ts';
import { closingSums } from '../core/secret/settled.ts';
import type { AggregateSums } from '../core/secret/types.ts';
import { insertRows, type Cell } from './db.ts';
import type { Database, SecretBoardTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
type Part = SecretBoardTable['part'];

const boardColumns = ['org_id', 'seq', 'vote_id', 'part', 'kind', 'code', 'ballot_id', 'credential'] as const;

/** The `secret_board` rows of some entries (those of `board_posted`). */
function boardRows(orgId: string, entries: readonly Pick<Entry, 'seq' | 'act' | 'payload'>[]): Cell[][] {
  return entries.flatMap((e) => {
    const r = boardRowOf(e);
    return r ? [[orgId, e.seq, r.voteId, r.part, r.kind, r.code, r.ballotId, r.credential]] : [];
  });
}

/**
 * Writes the rows of entries just appended, consecutive from the log's end (the live append and the rebuild), and
 * moves the organisation's mark past them when it was where they start (a new organisation's first entries set it).
 */
export async function writeBoardRows(q: Q, orgId: string, entries: readonly Entry[]): Promise<void> {
  if (entries.length === 0) return;
  await insertRows(q, 'secret_board', boardColumns, boardRows(orgId, entries));
  const first = entries[0]!.seq;
  const end = entries.at(-1)!.seq + 1;
  if (first === 0) await insertRows(q, 'secret_board_marks', ['org_id', 'seq'], [[orgId, end]], ['org_id']);
  else
    await q
      .updateTable('secret_board_marks')
      .set({ seq: end })
      .where('org_id', '=', orgId)
      .where('seq', '=', first)
      .execute();
}

/** Deletes an organisation's board rows, mark and kept sums (a rebuild writes them again from the log). */
export async function clearBoard(q: Q, orgId: string): Promise<void> {
  for (const table of ['secret_board', 'secret_board_marks', 'secret_sums'] as const)
    await q.deleteFrom(table).where('org_id', '=', orgId).execute();
}

/** An organisation's board rows and kept sums, sorted, for comparing a rebuilt store with a live one. */
export async function dumpBoard(q: Q, orgId: string): Promise<Record<string, unknown[]>> {
  const board = await q
    .selectFrom('secret_board')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq')
    .execute();
  const sums = await q
    .selectFrom('secret_sums')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('vote_id')
    .execute();
  return {
    secret_board: board.map((r) => ({ ...r, seq: Number(r.seq) })),
    secret_sums: sums.map((r) => ({ ...r })),
  };
}

/**
 * Writes the rows of the entries logged without them, from each organisation's mark to its log's end, `batch` log
 * rows at a time (each batch a transaction that moves the mark); returns the rows written. With every mark at its
 * log's end (the usual open), one read of `orgs` joined to the marks.
 */
export async function fillSecretBoard(db: Kysely<Database>, batch = 5000): Promise<number> {
  const behind = await db
    .selectFrom('orgs as o')
    .leftJoin('secret_board_marks as m', 'm.org_id', 'o.id')
    .select(['o.id', 'o.size', 'm.seq'])
    .where((eb) => eb.or([eb('m.seq', 'is', null), eb('m.seq', '<', eb.ref('o.size'))]))
    .orderBy('o.id')
    .execute();
  let written = 0;
  for (const org of behind) {
    const size = Number(org.size);
    for (let from = org.seq === null ? 0 : Number(org.seq); from < size;) {
      const to = Math.min(from + batch, size);
      await db.transaction().execute(async (trx) => {
        // the batch's board entries without their row: a range of the log's key, each probed in the board's
        const rows = await trx
          .selectFrom('log_entries as l')
          .select(['l.seq', 'l.body'])
          .where('l.org_id', '=', org.id)
          .where('l.seq', '>=', from)
          .where('l.seq', '<', to)
          .where('l.act', '=', 'board_posted')
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('secret_board as b')
                  .select('b.seq')
                  .whereRef('b.org_id', '=', 'l.org_id')
                  .whereRef('b.seq', '=', 'l.seq'),
              ),
            ),
          )
          .orderBy('l.seq')
          .execute();
        const values = boardRows(
          org.id,
          rows.map((r) => JSON.parse(r.body) as Entry),
        );
        // a row an append wrote meanwhile is written again, the same
        await insertRows(trx, 'secret_board', boardColumns, values, ['org_id', 'seq']);
        written += values.length;
        // never backwards: an append or another process's fill may have moved it further
        await sql`insert into secret_board_marks (org_id, seq) values (${org.id}, ${to})
          on conflict (org_id) do update set seq = excluded.seq where secret_board_marks.seq < excluded.seq`.execute(
          trx,
        );
      });
      from = to;
    }
  }
  return written;
}

/** The vote's entries of one list (or all of them) after seq `after` and up to seq `to`, in order: one index range. */
function voteEntries(q: Q, orgId: string, voteId: string, part: Part | null, after: number, to: number) {
  let query = q
    .selectFrom('secret_board as b')
    .innerJoin('log_entries as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.seq', '=', 'b.seq'))
    .select(['l.seq', 'l.body'])
    .where('b.org_id', '=', orgId)
    .where('b.vote_id', '=', voteId);
  if (part !== null) query = query.where('b.part', '=', part);
  query = query.where('b.seq', '>', after);
  if (to < Infinity) query = query.where('b.seq', '<=', to);
  return query.orderBy('b.seq');
}

const parsed = (rows: readonly { body: string }[]): Entry[] => rows.map((r) => JSON.parse(r.body) as Entry);

/** Up to `limit` entries of the vote's `part` after seq `after`, in order, parsed. */
export async function boardPage(
  q: Q,
  orgId: string,
  voteId: string,
  part: Part,
  after: number,
  limit: number,
): Promise<Entry[]> {
  return parsed(await voteEntries(q, orgId, voteId, part, after, Infinity).limit(limit).execute());
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
    const rows = await voteEntries(q, orgId, voteId, null, after, to).limit(pageSize).execute();
    yield* parsed(rows);
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

/**
 * Keeps the sums of ended homomorphic votes (`null`: a log altered after the vote, none to show), by vote id: at the
 * close, in its transaction; by a rebuild; once by the first view of a vote that ended before the table.
 */
export async function keepSums(
  q: Q,
  orgId: string,
  sums: ReadonlyMap<string, AggregateSums | null>,
): Promise<void> {
  const rows = [...sums].map(([voteId, s]) => [orgId, voteId, s === null ? null : canonicalize(s)!]);
  await insertRows(q, 'secret_sums', ['org_id', 'vote_id', 'sums'], rows, ['org_id', 'vote_id']);
}

/** Keeps the sums of the votes that closed in the entries just applied (`state.settling`), before they settle. */
export async function keepClosingSums(q: Q, orgId: string, state: OrgState): Promise<void> {
  const sums = new Map<string, AggregateSums | null>();
  for (const id of state.settling) {
    const vote = state.votes.get(id);
    const s = vote && closingSums(state.crypto.group, vote);
    if (s !== undefined) sums.set(id, s);
  }
  if (sums.size > 0) await keepSums(q, orgId, sums);
}

/** An ended homomorphic vote's kept sums: null when it has none, undefined when none were kept. One row by key. */
export async function keptSums(
  q: Q,
  orgId: string,
  voteId: string,
): Promise<AggregateSums | null | undefined> {
  const r = await q
    .selectFrom('secret_sums')
    .select('sums')
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .executeTakeFirst();
  return r === undefined ? undefined : r.sums === null ? null : (JSON.parse(r.sums) as AggregateSums);
}
