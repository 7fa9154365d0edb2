// A receipt check of an ended secret vote reads one index range (issue #18, src/store/secret-board.ts
// `ballotsByCode`): the ballots with a confirmation code, in seq order. The code's index of
// 2026-12-07T1400-secret-board ended at the code, so the statement's ORDER BY seq was not in it, and SQLite (with
// no statistics) walked the organisation's whole board along the primary key (org_id, seq) instead, testing each
// row's vote and code: O(every board entry of the organisation) for one receipt (test/server/query-plans.test.ts).
// With seq last, the index gives the rows in order and the LIMIT stops the read, on both databases.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('secret_board_code_idx').ifExists().execute();
  await db.schema
    .createIndex('secret_board_code_idx')
    .ifNotExists()
    .on('secret_board')
    .columns(['org_id', 'vote_id', 'code', 'seq'])
    .execute();
}
