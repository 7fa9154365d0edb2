// Read models of the council tree (docs/SCALE.md). The whole tree is built in one pass with maps (for the tree
// page, cached per log size by the server); everything a member loads on every page — their own councils, one
// council's page, a page of its members — reads only the rows it shows, through indexes, so its cost does not
// grow with the organisation.
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import { projectionTables } from '../core/index.ts';
import { limitOf } from './paging.ts';
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

// The columns a node is read from, as the projections write them.
const councilColumns = projectionTables.councils.columns;
const mandateColumns = projectionTables.mandates.columns;

/**
 * A select's rows as one JSON array inside a larger statement (json_agg on PostgreSQL, json_group_array on
 * SQLite), in the select's order: several reads in one round trip. The columns are named, as SQLite's
 * json_object needs; every column read so is text or an integer, which JSON carries unchanged.
 */
export function rowsAsJson(postgres: boolean, columns: readonly string[], select: RawBuilder<unknown>) {
  for (const c of columns) if (!/^[a-z_]+$/.test(c)) throw new RangeError(`not a plain column name: ${c}`);
  const object = postgres
    ? sql`json_build_object(${sql.raw(columns.map((c) => `'${c}', t.${c}`).join(', '))})`
    : sql`json_object(${sql.raw(columns.map((c) => `'${c}', t.${c}`).join(', '))})`;
  return postgres
    ? sql`(select coalesce(json_agg(${object}), '[]'::json) from (${select}) t)`
    : sql`(select coalesce(json_group_array(${object}), '[]') from (${select}) t)`;
}

/** A JSON column as PostgreSQL's driver gives it (parsed) or SQLite's (text). */
export const fromJson = <T>(v: unknown): T[] => (typeof v === 'string' ? (JSON.parse(v) as T[]) : (v as T[]));

export const isPostgres = (q: Q) => q.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The nodes of the councils a `wanted(id)` common table expression names, read in one statement (one round
 * trip on PostgreSQL): their rows, their children's ids, their base members' counts, and the sitting mandates
 * that touch them with their members' names; each an index range per wanted council. `ctes` defines `wanted`
 * (and whatever it needs); `extra` adds columns to the one row the statement returns.
 */
async function nodesOf(
  q: Q,
  orgId: string,
  now: string,
  ctes: RawBuilder<unknown>,
  extra: Record<string, RawBuilder<unknown>> = {},
): Promise<{ nodes: CouncilNode[]; row: Record<string, unknown> }> {
  const pg = isPostgres(q);
  // On PostgreSQL the ids as one array (`= any`: an index lookup per id); `in (select …)` of a recursive walk,
  // which PostgreSQL guesses at 200 rows, was planned as a scan of every council of the organisation.
  const inWanted = (column: string) =>
    pg
      ? sql`${sql.raw(column)} = any(array(select id from wanted))`
      : sql`${sql.raw(column)} in (select id from wanted)`;
  const mandatesTouching = (column: 'council_id' | 'from_council_id') =>
    rowsAsJson(
      pg,
      [...mandateColumns, 'member_name'],
      sql`select ${sql.raw(mandateColumns.map((c) => `m.${c}`).join(', '))},
            coalesce(p.name, '') as member_name
          from mandates m left join members p on p.org_id = m.org_id and p.id = m.member_id
          where m.org_id = ${orgId} and ${inWanted(`m.${column}`)}
            and m.ended_at is null and m.term_ends > ${now}`,
    );
  const columns: Record<string, RawBuilder<unknown>> = {
    ...extra,
    councils: rowsAsJson(
      pg,
      councilColumns,
      sql`select * from councils where org_id = ${orgId} and ${inWanted('id')} order by position`,
    ),
    children: rowsAsJson(
      pg,
      ['id', 'parent_id', 'position'],
      sql`select id, parent_id, position from councils where org_id = ${orgId} and ${inWanted('parent_id')}
          order by position`,
    ),
    counts: rowsAsJson(
      pg,
      ['council_id', 'n'],
      sql`select council_id, count(*) as n from memberships where org_id = ${orgId} and ${inWanted('council_id')}
          group by council_id`,
    ),
    sitting: mandatesTouching('council_id'),
    sent: mandatesTouching('from_council_id'),
  };
  const select = sql.join(
    Object.entries(columns).map(([name, value]) => sql`${value} as ${sql.id(name)}`),
    sql`, `,
  );
  const { rows } = await sql<Record<string, unknown>>`${ctes} select ${select}`.execute(q);
  const row = rows[0]!;
  // sorted here too: an aggregate over an ordered subquery keeps its order in practice, not by any promise of
  // PostgreSQL's or SQLite's (review finding)
  const byPosition = (a: { position: number }, b: { position: number }) =>
    Number(a.position) - Number(b.position);
  const childIds = new Map<string, string[]>();
  for (const c of fromJson<{ id: string; parent_id: string; position: number }>(row.children).sort(
    byPosition,
  ))
    push(childIds, c.parent_id, c.id);
  const memberCounts = new Map(
    fromJson<{ council_id: string; n: number }>(row.counts).map((r) => [r.council_id, Number(r.n)]),
  );
  type Named = MandateRow & { member_name: string };
  const mandates = new Map<string, Named>();
  for (const list of [row.sitting, row.sent]) for (const m of fromJson<Named>(list)) mandates.set(m.id, m);
  const names = new Map([...mandates.values()].map((m) => [m.member_id, m.member_name]));
  return {
    nodes: nodes(
      fromJson<CouncilRow>(row.councils).sort(byPosition),
      childIds,
      memberCounts,
      [...mandates.values()],
      names,
    ),
    row,
  };
}

/**
 * These councils' nodes only, read through indexes in one statement: O(the councils asked for, their children
 * and deputies).
 */
export async function getCouncilNodes(
  q: Q,
  orgId: string,
  ids: readonly string[],
  now: string,
): Promise<CouncilNode[]> {
  if (ids.length === 0) return [];
  return (await councilNodesWith(q, orgId, ids, now)).nodes;
}

/** getCouncilNodes, with `extra` columns (each a JSON array: rowsAsJson) read in the same statement. */
export function councilNodesWith(
  q: Q,
  orgId: string,
  ids: readonly string[],
  now: string,
  extra: Record<string, RawBuilder<unknown>> = {},
) {
  // The ids as one bound value, however many (SQLite binds at most 32,766 values, PostgreSQL 65,535).
  const list = isPostgres(q)
    ? sql`select unnest(${[...ids]}::text[]) as id`
    : sql`select value as id from json_each(${JSON.stringify(ids)})`;
  return nodesOf(q, orgId, now, sql`with wanted(id) as (${list})`, extra);
}

/**
 * What the landing page shows, in one statement (one round trip on PostgreSQL): the councils a member belongs
 * to now — their base councils and the councils they sit in as a deputy, in that order (`mine`) — and the nodes
 * of those councils and every council above them up to the root (a recursive walk up the tree, a key lookup per
 * council).
 */
export async function getMyCouncils(q: Q, orgId: string, memberId: string, now: string) {
  const { mine, councils } = await myCouncilsWith(q, orgId, memberId, now);
  return { mine, councils };
}

/** getMyCouncils, with `extra` columns (each a JSON array: rowsAsJson) read in the same statement. */
export async function myCouncilsWith(
  q: Q,
  orgId: string,
  memberId: string,
  now: string,
  extra: Record<string, RawBuilder<unknown>> = {},
) {
  const pg = isPostgres(q);
  const bases = sql`select council_id from memberships where org_id = ${orgId} and member_id = ${memberId}`;
  const seats = sql`select council_id from mandates where org_id = ${orgId} and member_id = ${memberId}
    and ended_at is null and term_ends > ${now}`;
  // Each step up is a key lookup of the council's parent, as a scalar subquery: a join let SQLite walk every
  // council with a parent for each step. The root's parent adds one null row, which names no council. The two
  // starting sets joined by `union all`: `union` made SQLite read the mandates in council order, all of them.
  const ctes = sql`with recursive wanted(id) as (
      ${bases} union all ${seats}
      union select (select c.parent_id from councils c where c.org_id = ${orgId} and c.id = w.id)
        from wanted w where w.id is not null
    )`;
  const { nodes: councils, row } = await nodesOf(q, orgId, now, ctes, {
    ...extra,
    bases: rowsAsJson(pg, ['council_id'], bases),
    seats: rowsAsJson(pg, ['council_id'], seats),
  });
  const mine = [
    ...new Set(
      [...fromJson<{ council_id: string }>(row.bases), ...fromJson<{ council_id: string }>(row.seats)].map(
        (r) => r.council_id,
      ),
    ),
  ];
  return { mine, councils, row };
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
  const limit = limitOf(page);
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
  const limit = limitOf(page);
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
  return councilMembersPage(rows, limit);
}

/** A page of a council's members from up to `limit + 1` rows in the order of their ids (more: a next page). */
export function councilMembersPage(
  rows: readonly { id: string; name: string; joined_at: string }[],
  limit: number,
) {
  const members = rows.slice(0, limit).map((r) => ({ id: r.id, name: r.name, joinedAt: r.joined_at }));
  return { members, next: rows.length > limit ? members[members.length - 1]!.id : null };
}
