// Searching the organisation's members and councils by the start of their name, for the web app's pickers
// (docs/SCALE.md, "Searching for a member or a council"): an index range of (org_id, name_key, id) from the
// typed prefix's key to the least key past it, a page at a time, so a search costs the same in an organisation of
// a hundred members and of a million. The text may also be an id: the member or council with that id comes first.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { prefixUpperBound, searchKey } from '../core/index.ts';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;

/** Where a page of matches ends: the last row's key and id (opaque to clients; base64url JSON). */
interface Cursor {
  key: string;
  id: string;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');

/**
 * The cursor `after` as a position in the matches of `text`, or undefined when it is not one this search made
 * (not ours, or from a search of other text).
 */
export function readSearchCursor(text: string, after: string): Cursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [key, id] = parsed as unknown[];
  if (typeof key !== 'string' || typeof id !== 'string') return undefined;
  // PostgreSQL's text holds no NUL (a query with one fails: a 500 any member could cause), and no key or id of
  // ours is longer than a few hundred characters
  if (key.includes('\u0000') || id.includes('\u0000') || key.length > 1000 || id.length > 1000)
    return undefined;
  if (!key.startsWith(searchKey(text))) return undefined;
  return { key, id };
}

/** What every search reads of a row: its id, name and name key (`key`), and what the caller wants beside them. */
interface Found {
  id: string;
  name: string;
  key: string | null;
}

/**
 * A page of `rows` (already limited to their organisation, or council) whose key starts with the key of `text`
 * (or whose id is `text`, first), in key order: `key` and `id` name the columns of the index range.
 */
async function search<R extends Found>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rows: SelectQueryBuilder<Database, any, R>,
  columns: { key: string; id: string },
  text: string,
  page: { after?: Cursor; limit: number },
): Promise<{ rows: R[]; next: string | null }> {
  const prefix = searchKey(text);
  const from = page.after ?? { key: prefix, id: '' };
  const upper = prefixUpperBound(prefix);
  const key = sql.ref<string>(columns.key);
  const id = sql.ref<string>(columns.id);
  let query = rows
    .where(key, '>=', from.key)
    .where((eb) => eb.or([eb(key, '>', from.key), eb(id, '>', from.id)]));
  if (upper !== null) query = query.where(key, '<', upper);
  const read = (await query
    .orderBy(key)
    .orderBy(id)
    .limit(page.limit + 1)
    .execute()) as R[];
  const exact = page.after === undefined ? ((await rows.where(id, '=', text).execute()) as R[]) : [];
  // The id's row is shown first, and not again where its name would put it.
  const ranged = read.filter((r) => r.id !== text);
  const all = [...exact, ...ranged];
  const shown = all.slice(0, page.limit);
  const last = ranged.filter((r) => shown.includes(r)).at(-1);
  return {
    rows: shown,
    next: all.length > page.limit ? encode(last ? { key: last.key ?? '', id: last.id } : from) : null,
  };
}

/** Members whose name starts with `text` (or whose id is `text`), with their base council. */
export async function searchMembers(
  q: Q,
  orgId: string,
  text: string,
  page: { after?: Cursor; limit: number },
) {
  const { rows, next } = await search(
    q.selectFrom('members').select(['id', 'name', 'name_key as key']).where('org_id', '=', orgId),
    { key: 'name_key', id: 'id' },
    text,
    page,
  );
  const councils = new Map<string, string>();
  if (rows.length > 0) {
    const found = await q
      .selectFrom('memberships')
      .select(['member_id', 'council_id'])
      .where('org_id', '=', orgId)
      .where(
        'member_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    for (const r of found) if (!councils.has(r.member_id)) councils.set(r.member_id, r.council_id);
  }
  return {
    members: rows.map((r) => ({ id: r.id, name: r.name, councilId: councils.get(r.id) ?? null })),
    next,
  };
}

/**
 * Members of the base council `councilId` whose name starts with `text` (or whose id is `text`): an index range
 * of `memberships (org_id, council_id, name_key, member_id)`, the council's rows only, however large the
 * organisation (migration 2026-12-07T1015).
 */
export async function searchCouncilMembers(
  q: Q,
  orgId: string,
  councilId: string,
  text: string,
  page: { after?: Cursor; limit: number },
) {
  const { rows, next } = await search(
    q
      .selectFrom('memberships')
      .innerJoin('members', (join) =>
        join
          .onRef('members.org_id', '=', 'memberships.org_id')
          .onRef('members.id', '=', 'memberships.member_id'),
      )
      .select([
        'members.id as id',
        'members.name as name',
        'memberships.name_key as key',
        'members.joined_at',
      ])
      .where('memberships.org_id', '=', orgId)
      .where('memberships.council_id', '=', councilId),
    { key: 'memberships.name_key', id: 'memberships.member_id' },
    text,
    page,
  );
  return { members: rows.map((r) => ({ id: r.id, name: r.name, joinedAt: r.joined_at })), next };
}

/**
 * Councils whose name starts with `text` (or whose id is `text`), with their parent and kind; `kind` keeps those
 * of one kind inside the index range (a higher council has children), so a page holds only councils of that kind.
 */
export async function searchCouncils(
  q: Q,
  orgId: string,
  text: string,
  page: { after?: Cursor; limit: number },
  kind?: 'base' | 'higher',
) {
  let rows = q
    .selectFrom('councils')
    .select(['id', 'name', 'name_key as key', 'parent_id'])
    .where('org_id', '=', orgId);
  if (kind !== undefined) {
    const children = q
      .selectFrom('councils as child')
      .select('child.id')
      .where('child.org_id', '=', orgId)
      .where('child.parent_id', '=', sql.ref<string>('councils.id'));
    rows = rows.where((eb) => (kind === 'higher' ? eb.exists(children) : eb.not(eb.exists(children))));
  }
  const found = await search(rows, { key: 'name_key', id: 'id' }, text, page);
  const ids = found.rows.map((r) => r.id);
  const higher = new Set<string>();
  if (kind === 'higher') for (const id of ids) higher.add(id);
  else if (kind === undefined && ids.length > 0)
    for (const r of await q
      .selectFrom('councils')
      .select('parent_id')
      .distinct()
      .where('org_id', '=', orgId)
      .where('parent_id', 'in', ids)
      .execute())
      if (r.parent_id !== null) higher.add(r.parent_id);
  return {
    councils: found.rows.map((r) => ({
      id: r.id,
      name: r.name,
      parentId: r.parent_id,
      kind: higher.has(r.id) ? ('higher' as const) : ('base' as const),
    })),
    next: found.next,
  };
}
