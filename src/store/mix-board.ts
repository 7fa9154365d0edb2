// An ended mixed vote's mix board read by index (issue #18, docs/SCALE.md "Closing a vote"): its ranked ballots,
// shuffles, skips, decryptions and result are the vote's `secret_board` rows of part `mix`, and a stretch of them
// (the whole mix, or one shuffle's parts) is one range of the index (org_id, vote_id, part, seq) joined to its log
// rows by the primary key (secret-board.ts `boardPage`). No entry of the vote's election board (credentials, key
// generation), of another vote or past the stretch is parsed.
import type { Entry } from '../core/index.ts';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { boardPage } from './secret-board.ts';

/**
 * The vote's mix entries after seq `after` up to seq `to`, in order, read `pageSize` rows at a time: a stretch
 * of `n` entries costs ⌈n / pageSize⌉ index ranges, and no more rows than it holds plus one page.
 */
export async function* mixEntries(
  q: Kysely<Database>,
  orgId: string,
  voteId: string,
  after: number,
  to: number,
  pageSize = 5000,
): AsyncGenerator<Entry> {
  for (let from = after; ;) {
    const page = await boardPage(q, orgId, voteId, 'mix', from, pageSize);
    for (const e of page) {
      if (e.seq > to) return;
      yield e;
    }
    from = page.at(-1)?.seq ?? to;
    if (page.length < pageSize || from >= to) return;
  }
}
