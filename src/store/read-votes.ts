// Read models of a vote's lists (docs/SCALE.md): how many may vote and have voted, the viewer's own part, and the
// electorate and named ballots in pages in the order of member ids. Names are read for the rows of the page only.
// The ballots are a table (each page an index range of its key); the electorate is not a table at all: it is frozen
// in the organisation's state when the vote opens (docs/SCALE.md "Opening a vote"), and its pages are ranges of
// that frozen map sorted once.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { memberNamesOf } from './read-councils.ts';
import { limitOf, pageOf, type Page } from './paging.ts';
import { SettledElectorate } from '../core/index.ts';
import { byCodeUnits } from '../lib/order.ts';

type Q = Kysely<Database>;

/** A vote's electorate as the organisation's state froze it at the opening: member id → weight. */
export type Electorate = ReadonlyMap<string, bigint>;

/**
 * The electorate of a vote by id, from the organisation's state caught up with its log (the ledger's `current`,
 * asked after the vote's row was read, so the state holds at least what that row shows); undefined for a vote the
 * state does not hold.
 */
export type Electorates = (voteId: string) => Promise<Electorate | undefined>;

// An electorate never changes once frozen, so its sorted ids are computed at the first page asked for and kept as
// long as the map is (sorting 100,000 ids once costs tens of milliseconds; each page after is a binary search).
const sortedIds = new WeakMap<Electorate, string[]>();
function idsOf(electorate: Electorate): readonly string[] {
  // a closed vote's electorate keeps its ids sorted already: no second copy of them (8 bytes an elector)
  if (electorate instanceof SettledElectorate) return electorate.ids;
  let ids = sortedIds.get(electorate);
  if (!ids) sortedIds.set(electorate, (ids = [...electorate.keys()].sort(byCodeUnits)));
  return ids;
}

/** The index of the first id greater than `after` in sorted ids. */
function firstAfter(ids: readonly string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An open ballot's choice for ballots of one choice (majority, plurality); null for others and to abstain. */
function choiceOf(ballot: string): string | null {
  const content: { choice?: unknown } = JSON.parse(ballot); // canonical JSON the core wrote
  return typeof content.choice === 'string' ? content.choice : null;
}

async function countBallots(q: Q, orgId: string, voteId: string) {
  const r = await q
    .selectFrom('ballots')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function voteExists(q: Q, orgId: string, voteId: string): Promise<boolean> {
  const r = await q
    .selectFrom('votes')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', voteId)
    .executeTakeFirst();
  return r !== undefined;
}

export async function voteCounts(q: Q, orgId: string, voteId: string, electorate: Electorate) {
  return { electors: electorate.size, ballots: await countBallots(q, orgId, voteId) };
}

/** Whether a member may vote (with their weight) and has voted. */
export async function viewerPart(
  q: Q,
  orgId: string,
  voteId: string,
  memberId: string,
  electorate: Electorate,
) {
  const weight = electorate.get(memberId);
  const ballot = await q
    .selectFrom('ballots')
    .select('member_id')
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return {
    memberId,
    elector: weight !== undefined,
    weight: weight === undefined ? null : weight.toString(),
    voted: ballot !== undefined,
  };
}

/** A page of a vote's `ballots`, in member id order, and the names of its members. */
async function ballotPage(q: Q, orgId: string, voteId: string, page: Page) {
  const limit = limitOf(page);
  let query = q.selectFrom('ballots').selectAll().where('org_id', '=', orgId).where('vote_id', '=', voteId);
  if (page.after !== undefined) query = query.where('member_id', '>', page.after);
  const rows = await query
    .orderBy('member_id')
    .limit(limit + 1)
    .execute();
  const { items, next } = pageOf(rows, limit, (r) => r.member_id);
  const names = await memberNamesOf(
    q,
    orgId,
    items.map((r) => r.member_id),
  );
  return { items, next, name: (id: string) => names.get(id) ?? '' };
}

/** A page of a vote's electorate: who may vote, with their weights. */
export async function getElectorate(q: Q, orgId: string, electorate: Electorate, page: Page = {}) {
  const ids = idsOf(electorate);
  const limit = limitOf(page);
  const from = page.after === undefined ? 0 : firstAfter(ids, page.after);
  const items = ids.slice(from, from + limit);
  const names = await memberNamesOf(q, orgId, items);
  return {
    electors: items.map((memberId) => ({
      memberId,
      name: names.get(memberId) ?? '',
      weight: electorate.get(memberId)!.toString(),
    })),
    next: from + limit < ids.length ? items[items.length - 1]! : null,
  };
}

/** A page of a vote's ballots, named (an open vote is a roll call): who voted, their choice, when. */
export async function getBallots(q: Q, orgId: string, voteId: string, page: Page = {}) {
  const { items, next, name } = await ballotPage(q, orgId, voteId, page);
  return {
    ballots: items.map((b) => ({
      memberId: b.member_id,
      name: name(b.member_id),
      choice: choiceOf(b.ballot),
      castAt: b.cast_at,
    })),
    next,
  };
}
