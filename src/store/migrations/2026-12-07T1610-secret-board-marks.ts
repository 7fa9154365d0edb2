// `secret_board` becomes a projection like the others (issue #18, src/store/secret-board.ts): filled where rows are
// missing at each open, not once. `secret_board_marks` holds, per organisation, a seq below which every entry has its
// row (no row yet: the next open reads the organisation's log once, in batches, and writes what is missing; the rows
// already there stay). `secret_sums` keeps an ended homomorphic vote's sums from its close (`sums` null: none to
// show), so a restart's first view of the vote reads them instead of summing its ballots. `secret_board_fill`, the
// place of the one-time fill of 2026-12-07T1400, goes. Each statement may run again (`ifNotExists`, `ifExists`).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('secret_board_marks')
    .ifNotExists()
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('secret_sums')
    .ifNotExists()
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('vote_id', 'text', (c) => c.notNull())
    .addColumn('sums', 'text')
    .addPrimaryKeyConstraint('secret_sums_pk', ['org_id', 'vote_id'])
    .execute();
  await db.schema.dropTable('secret_board_fill').ifExists().execute();
}
