// Read models of a vote's lists (docs/SCALE.md): how many may vote and have voted, the viewer's own part, and the
// electorate and named ballots in pages in the order of member ids (the tables' keys, so each page is an index
// range however large the electorate). Names are read for the rows of the page only.
import type { Kysely } from 'kysely';
import type { BallotRow, Database, ElectorRow } from './schema.ts';
import { defaultPageSize, maxPageSize, memberNamesOf } from './read-councils.ts';

type Q = Kysely<Database>;

/** An open ballot's choice for ballots of one choice (majority, plurality); null for others and to abstain. */
function choiceOf(ballot: string): string | null {
  const content: { choice?: unknown } = JSON.parse(ballot); // canonical JSON the core wrote
  return typeof content.choice === 'string' ? content.choice : null;
}

async function countRows(q: Q, table: 'electors' | 'ballots', orgId: string, voteId: string) {
  const r = await q
    .selectFrom(table)
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

export async function voteCounts(q: Q, orgId: string, voteId: string) {
  return {
    electors: await countRows(q, 'electors', orgId, voteId),
    ballots: await countRows(q, 'ballots', orgId, voteId),
  };
}

/** Whether a member may vote (with their weight) and has voted. */
export async function viewerPart(q: Q, orgId: string, voteId: string, memberId: string) {
  const elector = await q
    .selectFrom('electors')
    .select('weight')
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  const ballot = await q
    .selectFrom('ballots')
    .select('member_id')
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return {
    memberId,
    elector: elector !== undefined,
    weight: elector?.weight ?? null,
    voted: ballot !== undefined,
  };
}

export interface Page {
  /** The last member id of the previous page (the `next` it returned). */
  after?: string | undefined;
  limit?: number | undefined;
}

function pageOf<T>(rows: T[], limit: number, id: (row: T) => string) {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? id(items[items.length - 1]!) : null };
}

/** A page of rows of a vote's `electors` or `ballots`, in member id order, and the names of its members. */
async function votePage<T extends 'electors' | 'ballots'>(
  q: Q,
  table: T,
  orgId: string,
  voteId: string,
  page: Page,
) {
  const limit = Math.min(page.limit ?? defaultPageSize, maxPageSize);
  let query = q
    .selectFrom(table as 'electors' | 'ballots')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId);
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
export async function getElectorate(q: Q, orgId: string, voteId: string, page: Page = {}) {
  const { items, next, name } = await votePage(q, 'electors', orgId, voteId, page);
  return {
    electors: (items as ElectorRow[]).map((e) => ({
      memberId: e.member_id,
      name: name(e.member_id),
      weight: e.weight,
    })),
    next,
  };
}

/** A page of a vote's ballots, named (an open vote is a roll call): who voted, their choice, when. */
export async function getBallots(q: Q, orgId: string, voteId: string, page: Page = {}) {
  const { items, next, name } = await votePage(q, 'ballots', orgId, voteId, page);
  return {
    ballots: (items as BallotRow[]).map((b) => ({
      memberId: b.member_id,
      name: name(b.member_id),
      choice: choiceOf(b.ballot),
      castAt: b.cast_at,
    })),
    next,
  };
}
