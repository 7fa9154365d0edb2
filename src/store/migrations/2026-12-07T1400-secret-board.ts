// A secret vote's board found by index (issue #18, docs/SCALE.md "Closing a vote"): a row for each `board_posted`
// entry, naming its vote, its list (`board`, a mixed vote's `mix`, or `issued`), its kind and, for a ballot, its
// confirmation code, id and credential. An ended vote's board is paged from it (`GET …/secret?board=all&after=`),
// a receipt is looked up by code and a superseding ballot by credential, and a board is read again for the mix pages
// without reading the other votes' entries of the same stretch of the log. The store writes the rows with the
// entries (src/store/log-repository.ts appendEntries), in the same transaction.
//
// The table only: its rows are a projection of the log (src/store/secret-board.ts writes them, fills those missing
// at each open and rebuilds them). This migration made `secret_board_fill` too, the place of a fill that ran once;
// 2026-12-07T1610-secret-board-marks drops it where it was made and keeps a mark per organisation instead. Each
// statement may run again on a database that has its result (`ifNotExists`).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('secret_board')
    .ifNotExists()
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
    .ifNotExists()
    .on('secret_board')
    .columns(['org_id', 'vote_id', 'part', 'seq'])
    .execute();
  await db.schema
    .createIndex('secret_board_code_idx')
    .ifNotExists()
    .on('secret_board')
    .columns(['org_id', 'vote_id', 'code'])
    .execute();
  await db.schema
    .createIndex('secret_board_credential_idx')
    .ifNotExists()
    .on('secret_board')
    .columns(['org_id', 'vote_id', 'credential', 'seq'])
    .execute();
}
