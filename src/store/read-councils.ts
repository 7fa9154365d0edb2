// Read models of the council tree (docs/SCALE.md). The whole tree is built in one pass with maps (for the tree
// page, cached per log size by the server); everything a member loads on every page — their own councils, one
// council's page, a page of its members — reads only the rows it shows, through indexes, so its cost does not
// grow with the organisation.
import type { Kysely } from 'kysely';
import type { CouncilRow, Database, MandateRow } from './schema.ts';

type Q = Kysely<Database>;

/** Ids per query in `where id in (…)`: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535. */
const chunk = 500;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += chunk) out.push(xs.slice(i, i + chunk));
  return out;
}

/** Names by id from `members` or `councils`, for these ids only. */
async function namesOf(q: Q, table: 'members' | 'councils', orgId: string, ids: Iterable<string>) {
  const names = new Map<string, string>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await q
      .selectFrom(table)
      .select(['id', 'name'])
      .where('org_id', '=', orgId)
      .where('id', 'in', part)
      .execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
}

/** The names of these members only (a page's rows, never the whole organisation's). */
export const memberNamesOf = (q: Q, orgId: string, ids: Iterable<string>): Promise<Map<string, string>> =>
  namesOf(q, 'members', orgId, ids);

/** The names of these councils only. */
export const councilNamesOf = (q: Q, orgId: string, ids: Iterable<string>): Promise<Map<string, string>> =>
  namesOf(q, 'councils', orgId, ids);

export function mandateView(r: MandateRow, names: ReadonlyMap<string, string>) {
  return {
    id: r.id,
    memberId: r.member_id,
    memberName: names.get(r.member_id) ?? '',
    councilId: r.council_id,
    fromCouncilId: r.from_council_id,
    startedAt: r.started_at,
    termEnds: r.term_ends,
    endedAt: r.ended_at,
    endReason: r.end_reason,
  };
}
type MandateView = ReturnType<typeof mandateView>;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Council nodes from their rows, the ids of their children, their base members' counts and the sitting
 * mandates that touch them: one pass, each lookup a map's.
 */
function nodes(
  councils: readonly CouncilRow[],
  childIds: ReadonlyMap<string, string[]>,
  memberCounts: ReadonlyMap<string, number>,
  mandates: readonly MandateRow[],
  names: ReadonlyMap<string, string>,
) {
  const sitting = new Map<string, MandateView[]>();
  const sent = new Map<string, MandateView[]>();
  for (const m of mandates) {
    const view = mandateView(m, names);
    push(sitting, m.council_id, view);
    push(sent, m.from_council_id, view);
  }
  return councils.map((c) => {
    const children = childIds.get(c.id) ?? [];
    const isBase = children.length === 0;
    const deputies = sitting.get(c.id) ?? [];
    return {
      id: c.id,
      name: c.name,
      parentId: c.parent_id,
      childIds: children,
      kind: isBase ? ('base' as const) : ('higher' as const),
      seatsInParent: Number(c.seats_in_parent),
      memberCount: isBase ? (memberCounts.get(c.id) ?? 0) : deputies.length,
      deputies,
      sentDeputies: sent.get(c.id) ?? [],
    };
  });
}
export type CouncilNode = ReturnType<typeof nodes>[number];

function activeMandates(q: Q, orgId: string, now: string) {
  return q
    .selectFrom('mandates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('ended_at', 'is', null)
    .where('term_ends', '>', now);
}

/**
 * The whole council tree: every council with its seats, its sitting deputies and when their terms end. One pass
 * over councils, member counts (counted by the database) and sitting mandates; O(councils + mandates).
 */
export async function getCouncilTree(q: Q, orgId: string, now: string): Promise<CouncilNode[]> {
  const councils = await q
    .selectFrom('councils')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('position')
    .execute();
  const counts = await q
    .selectFrom('memberships')
    .select((eb) => ['council_id', eb.fn.countAll<number | string>().as('n')])
    .where('org_id', '=', orgId)
    .groupBy('council_id')
    .execute();
  const mandates = await activeMandates(q, orgId, now).execute();
  const childIds = new Map<string, string[]>();
  for (const c of councils) if (c.parent_id !== null) push(childIds, c.parent_id, c.id);
  const memberCounts = new Map(counts.map((r) => [r.council_id, Number(r.n)]));
  const names = await memberNamesOf(
    q,
    orgId,
    mandates.map((m) => m.member_id),
  );
  return nodes(councils, childIds, memberCounts, mandates, names);
}

/** These councils' nodes only, read through indexes: O(the councils asked for, their children and deputies). */
export async function getCouncilNodes(
  q: Q,
  orgId: string,
  ids: readonly string[],
  now: string,
): Promise<CouncilNode[]> {
  if (ids.length === 0) return [];
  const councils: CouncilRow[] = [];
  const childIds = new Map<string, string[]>();
  const memberCounts = new Map<string, number>();
  const mandates: MandateRow[] = [];
  for (const part of chunks(ids)) {
    councils.push(
      ...(await q
        .selectFrom('councils')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', 'in', part)
        .orderBy('position')
        .execute()),
    );
    const children = await q
      .selectFrom('councils')
      .select(['id', 'parent_id'])
      .where('org_id', '=', orgId)
      .where('parent_id', 'in', part)
      .orderBy('position')
      .execute();
    for (const c of children) push(childIds, c.parent_id!, c.id);
    const counts = await q
      .selectFrom('memberships')
      .select((eb) => ['council_id', eb.fn.countAll<number | string>().as('n')])
      .where('org_id', '=', orgId)
      .where('council_id', 'in', part)
      .groupBy('council_id')
      .execute();
    for (const r of counts) memberCounts.set(r.council_id, Number(r.n));
    // Two index ranges, not one `or`: SQLite would answer an `or` by walking every mandate of the organisation.
    for (const column of ['council_id', 'from_council_id'] as const)
      mandates.push(...(await activeMandates(q, orgId, now).where(column, 'in', part).execute()));
  }
  const unique = [...new Map(mandates.map((m) => [m.id, m])).values()];
  const names = await memberNamesOf(
    q,
    orgId,
    unique.map((m) => m.member_id),
  );
  return nodes(councils, childIds, memberCounts, unique, names);
}

/**
 * The councils a member belongs to now — their base councils and the councils they sit in as a deputy — and
 * every council above them up to the root: what the landing page shows and names.
 */
export async function myCouncilIds(q: Q, orgId: string, memberId: string, now: string) {
  const bases = await q
    .selectFrom('memberships')
    .select('council_id')
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .execute();
  const seats = await activeMandates(q, orgId, now).where('member_id', '=', memberId).execute();
  const mine = [...new Set([...bases.map((b) => b.council_id), ...seats.map((m) => m.council_id)])];
  const all = new Set(mine);
  let frontier = mine;
  // One query per level of the tree (a tree is a few levels deep).
  while (frontier.length > 0) {
    const parents: string[] = [];
    for (const part of chunks(frontier)) {
      const rows = await q
        .selectFrom('councils')
        .select('parent_id')
        .where('org_id', '=', orgId)
        .where('id', 'in', part)
        .execute();
      for (const r of rows) if (r.parent_id !== null && !all.has(r.parent_id)) parents.push(r.parent_id);
    }
    frontier = [...new Set(parents)];
    for (const p of frontier) all.add(p);
  }
  return { mine, withAncestors: [...all] };
}

/** How many councils the organisation has. */
export async function countCouncils(q: Q, orgId: string): Promise<number> {
  const r = await q
    .selectFrom('councils')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The largest page of a paged list (docs/API.md "Paging"). */
export const maxPageSize = 500;
/** A page's size when the request does not say. */
export const defaultPageSize = 100;

/**
 * A page of a base council's members, in the order of their ids (the memberships table's key, so each page is
 * an index range however large the council): up to `limit` after the member id `after`, and the cursor of the
 * next page, or null at the end.
 */
/**
 * A page of the organisation's people directory, in the order of member ids: an index range of `members (org_id,
 * id)` and the base councils of the page's members (`memberships (org_id, member_id, council_id)`).
 */
export async function getOrgMembers(q: Q, orgId: string, page: { after?: string; limit?: number } = {}) {
  const limit = Math.min(page.limit ?? defaultPageSize, maxPageSize);
  let query = q.selectFrom('members').select(['id', 'name']).where('org_id', '=', orgId);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const read = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const rows = read.slice(0, limit);
  const councils = new Map<string, string>();
  for (const part of chunks(rows.map((r) => r.id))) {
    const found = await q
      .selectFrom('memberships')
      .select(['member_id', 'council_id'])
      .where('org_id', '=', orgId)
      .where('member_id', 'in', part)
      .execute();
    for (const r of found) if (!councils.has(r.member_id)) councils.set(r.member_id, r.council_id);
  }
  const members = rows.map((r) => ({ id: r.id, name: r.name, councilId: councils.get(r.id) ?? null }));
  return { members, next: read.length > limit ? members[members.length - 1]!.id : null };
}

export async function getCouncilMembers(
  q: Q,
  orgId: string,
  councilId: string,
  page: { after?: string; limit?: number } = {},
) {
  const limit = Math.min(page.limit ?? defaultPageSize, maxPageSize);
  let query = q
    .selectFrom('memberships')
    .innerJoin('members', (join) =>
      join
        .onRef('members.id', '=', 'memberships.member_id')
        .onRef('members.org_id', '=', 'memberships.org_id'),
    )
    .select(['members.id as id', 'members.name as name', 'members.joined_at as joined_at'])
    .where('memberships.org_id', '=', orgId)
    .where('memberships.council_id', '=', councilId);
  if (page.after !== undefined) query = query.where('memberships.member_id', '>', page.after);
  const rows = await query
    .orderBy('memberships.member_id')
    .limit(limit + 1)
    .execute();
  const members = rows.slice(0, limit).map((r) => ({ id: r.id, name: r.name, joinedAt: r.joined_at }));
  return { members, next: rows.length > limit ? members[members.length - 1]!.id : null };
}
