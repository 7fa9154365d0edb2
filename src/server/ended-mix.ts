// An ended mixed vote's mix read by index, not by rebuilding its board (issue #18, docs/SCALE.md "Closing a vote"):
// its settled summary (src/core/secret/settled.ts) says who shuffled, in which order, and the seqs of each shuffle's
// parts; one shuffle is read by those seqs, the whole mix (what its verifier takes) by one index range of the vote's
// `mix` rows (src/store/mix-board.ts). Either is joined by the same `applyMixPosted` the ledger applies, so a page
// shows what the board kept in memory showed, field for field; the election's board (credentials, key generation)
// is never read. Both reads are shared, one at a time, and kept as a rebuilt board is (ended-reads.ts): concurrent
// readers of an ended vote's mix pages cause one read, and a page of a shuffle after the first costs O(page).
import type { Entry, Vote } from '../core/index.ts';
import { MIX_KINDS } from '../core/secret/board-rows.ts';
import { applyMixPosted, newMixState } from '../core/secret/mixed.ts';
import type { BoardPosted, MixState, SecretVote } from '../core/secret/types.ts';
import { mixEntries } from '../store/mix-board.ts';
import { endedReads } from './ended-reads.ts';
import { ApiError } from './errors.ts';
import type { CouncilsService } from './service.ts';

/** The mix made from `entries` as the ledger makes it (parts joined, ballots and turns in order). */
async function mixOf(vote: Vote, entries: AsyncIterable<Entry>): Promise<MixState> {
  const kept = vote.secret!.mix!;
  const shell = { mix: newMixState(kept.candidates, kept.mixMinutes), usedIds: new Set<string>() };
  for await (const e of entries) {
    const p = e.payload as BoardPosted;
    if (e.act !== 'board_posted' || p.voteId !== vote.id || !MIX_KINDS.includes(p.kind))
      throw new RangeError(`vote ${vote.id}: entry ${e.seq} is not one of its mix entries`);
    applyMixPosted(shell as unknown as SecretVote, p.kind, p.body, e.time, e.seq, e.actor);
  }
  return shell.mix;
}

const sameSeqs = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * An ended mixed vote's whole mix (ranked ballots, challenged ballots, shuffles, skips, decryptions, result): its
 * `mix` rows in its span, one index range read in pages. Throws, as a rebuild did, when the log does not give back
 * the ballots and shuffles the vote had.
 */
export function endedMix(service: CouncilsService, orgId: string, vote: Vote): Promise<MixState> {
  const { span } = vote.secret!;
  return endedReads(service).get(`${orgId}\u0000${vote.id}\u0000${span.to}\u0000mix`, span.entries, () =>
    readMix(service, orgId, vote),
  );
}

async function readMix(service: CouncilsService, orgId: string, vote: Vote): Promise<MixState> {
  const sv = vote.secret!;
  const kept = sv.settled!.mix!;
  const mix = await mixOf(vote, mixEntries(service.db.kysely, orgId, vote.id, sv.span.from - 1, sv.span.to));
  if (
    mix.cast.length !== kept.cast ||
    mix.skipped.length !== kept.skipped.length ||
    mix.shuffles.length !== kept.shuffles.length ||
    mix.shuffles.some((s, i) => !sameSeqs(s.seqs, kept.shuffles[i]!.seqs))
  )
    throw new RangeError(
      `vote ${vote.id}: the log gives ${mix.cast.length} ballots and ${mix.shuffles.length} shuffles of its ` +
        `${kept.cast} and ${kept.shuffles.length}`,
    );
  return mix;
}

/** Shuffle `mixer` (1-based) of an ended mixed vote: its parts read by seq, joined. 404 when there is none. */
export async function endedShuffle(
  service: CouncilsService,
  orgId: string,
  vote: Vote,
  mixer: number,
): Promise<MixState['shuffles'][number]> {
  const turn = vote.secret!.settled!.mix!.shuffles[mixer - 1];
  if (!turn) throw noShuffle(mixer);
  const { seqs } = turn;
  const key = `${orgId}\u0000${vote.id}\u0000${vote.secret!.span.to}\u0000shuffle ${mixer}`;
  return endedReads(service).get(key, seqs.length, () => readShuffle(service, orgId, vote, mixer, seqs));
}

async function readShuffle(
  service: CouncilsService,
  orgId: string,
  vote: Vote,
  mixer: number,
  seqs: readonly number[],
): Promise<MixState['shuffles'][number]> {
  const entries = mixEntries(service.db.kysely, orgId, vote.id, seqs[0]! - 1, seqs.at(-1)!, seqs.length);
  const [read, ...more] = (await mixOf(vote, entries)).shuffles;
  if (!read || more.length || !sameSeqs(read.seqs, seqs))
    throw new RangeError(
      `vote ${vote.id}: the log does not give shuffle ${mixer} at seqs ${seqs.join(', ')}`,
    );
  return read;
}

export const noShuffle = (mixer: number) =>
  new ApiError('not_found', `this vote has no shuffle ${mixer}`, 'params.mixer');

/** Positions after `after` (-1: from the first), at most `limit`, of a list of `count`; `next` as board=all's. */
export function positions(
  count: number,
  after: number,
  limit: number,
): { from: number; to: number; next: number | null } {
  const from = Math.min(after + 1, count);
  const to = Math.min(from + limit, count);
  return { from, to, next: to < count ? to - 1 : null };
}
