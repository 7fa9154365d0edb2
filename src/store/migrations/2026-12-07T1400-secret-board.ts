// A secret vote's board found by index (issue #18, docs/SCALE.md "Closing a vote"): a row for each `board_posted`
// entry, naming its vote, its list (`board`, a mixed vote's `mix`, or `issued`), its kind and, for a ballot, its
// confirmation code, id and credential. An ended vote's board is paged from it (`GET …/secret?board=all&after=`),
// a receipt is looked up by code and a superseding ballot by credential, and a board is read again for the mix pages
// without reading the other votes' entries of the same stretch of the log. The store writes the rows with the
// entries (src/store/log-repository.ts appendEntries), in the same transaction.
//
// The rows of entries already logged are filled after every migration by `fillSecretBoard`, which the store runs at
// each open and which does nothing once done: 5,000 log rows a batch, each batch its own transaction with its place
// in `secret_board_fill`, so a fill cut off goes on where it stopped; an entry the process appends meanwhile writes
// its own row, which the fill then writes again, the same.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { boardRowOf } from '../../core/secret/board-rows.ts';
import type { Entry } from '../../core/index.ts';
import { insertRows } from '../db.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('secret_board')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('vote_id', 'text', (c) => c.notNull())
    .addColumn('part', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('ballot_id', 'text')
    .addColumn('credential', 'text')
    .addPrimaryKeyConstraint('secret_board_pk', ['org_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('secret_board_page_idx')
    .on('secret_board')
    .columns(['org_id', 'vote_id', 'part', 'seq'])
    .execute();
  await db.schema
    .createIndex('secret_board_code_idx')
    .on('secret_board')
    .columns(['org_id', 'vote_id', 'code'])
    .execute();
  await db.schema
    .createIndex('secret_board_credential_idx')
    .on('secret_board')
    .columns(['org_id', 'vote_id', 'credential', 'seq'])
    .execute();
  await db.schema
    .createTable('secret_board_fill')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('secret_board_fill').values({ id: 1, org_id: '', seq: -1, done: 0 }).execute();
}

export const secretBoardColumns = [
  'org_id',
  'seq',
  'vote_id',
  'part',
  'kind',
  'code',
  'ballot_id',
  'credential',
] as const;

/** The index rows of some entries (those of `board_posted`), as `secretBoardColumns`. */
export function secretBoardRows(
  orgId: string,
  entries: readonly Pick<Entry, 'seq' | 'act' | 'payload'>[],
): (string | number | null)[][] {
  return entries.flatMap((e) => {
    const r = boardRowOf(e);
    return r ? [[orgId, e.seq, r.voteId, r.part, r.kind, r.code, r.ballotId, r.credential]] : [];
  });
}

// Any constant: the fills of processes starting at once on one PostgreSQL database take turns per batch.
const fillLock = 7_071_300;

/** Fills `secret_board` for the entries logged before it, `batch` log rows at a time; returns the rows written. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function fillSecretBoard(db: Kysely<any>, batch = 5000): Promise<number> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let written = 0;
  for (;;) {
    const more = await db.transaction().execute(async (trx) => {
      if (postgres) await sql`select pg_advisory_xact_lock(${fillLock})`.execute(trx);
      const at = await trx.selectFrom('secret_board_fill').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!at || at.done) return false;
      const rows: { org_id: string; seq: number; body: string }[] = (
        await sql<{ org_id: string; seq: number; body: string }>`select org_id, seq, body from log_entries
          where act = 'board_posted' and (org_id, seq) > (${at.org_id}, ${at.seq})
          order by org_id, seq limit ${batch}`.execute(trx)
      ).rows;
      const values = rows.flatMap((r) => secretBoardRows(r.org_id, [JSON.parse(r.body) as Entry]));
      await insertRows(trx as never, 'secret_board', secretBoardColumns, values, ['org_id', 'seq']);
      written += values.length;
      const last = rows.at(-1);
      await trx
        .updateTable('secret_board_fill')
        .set(
          last
            ? { org_id: last.org_id, seq: Number(last.seq), done: rows.length < batch ? 1 : 0 }
            : { done: 1 },
        )
        .where('id', '=', 1)
        .execute();
      return rows.length === batch;
    });
    if (!more) return written;
  }
}
