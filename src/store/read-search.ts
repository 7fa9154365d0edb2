// Searching the organisation's members and councils by the start of their name, for the web app's pickers
// (docs/SCALE.md, "Searching for a member or a council"): an index range of (org_id, name_key, id) from the
// typed prefix's key to the least key past it, a page at a time, so a search costs the same in an organisation of
// a hundred members and of a million. The text may also be an id: the member or council with that id comes first.
import type { Kysely } from 'kysely';
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

interface Match {
  id: string;
  name: string;
}

/** A page of `table`'s rows whose name starts with `text` (or whose id is `text`, first), in name order. */
async function search(
  q: Q,
  table: 'members' | 'councils',
  orgId: string,
  text: string,
  page: { after?: Cursor; limit: number },
): Promise<{ rows: Match[]; next: string | null }> {
  const prefix = searchKey(text);
  const from = page.after ?? { key: prefix, id: '' };
  const upper = prefixUpperBound(prefix);
  let query = q
    .selectFrom(table)
    .select(['id', 'name', 'name_key'])
    .where('org_id', '=', orgId)
    .where('name_key', '>=', from.key)
    .where((eb) => eb.or([eb('name_key', '>', from.key), eb('id', '>', from.id)]));
  if (upper !== null) query = query.where('name_key', '<', upper);
  const read = await query
    .orderBy('name_key')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const exact =
    page.after === undefined
      ? await q
          .selectFrom(table)
          .select(['id', 'name'])
          .where('org_id', '=', orgId)
          .where('id', '=', text)
          .execute()
      : [];
  // The id's row is shown first, and not again where its name would put it.
  const ranged = read.filter((r) => r.id !== text);
  const rows = [...exact, ...ranged];
  const shown = rows.slice(0, page.limit);
  const last = ranged.filter((r) => shown.includes(r)).at(-1);
  return {
    rows: shown.map((r) => ({ id: r.id, name: r.name })),
    next: rows.length > page.limit ? encode(last ? { key: last.name_key ?? '', id: last.id } : from) : null,
  };
}

/** Members whose name starts with `text` (or whose id is `text`), with their base council. */
export async function searchMembers(
  q: Q,
  orgId: string,
  text: string,
  page: { after?: Cursor; limit: number },
) {
  const { rows, next } = await search(q, 'members', orgId, text, page);
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
  return { members: rows.map((r) => ({ ...r, councilId: councils.get(r.id) ?? null })), next };
}

/** Councils whose name starts with `text` (or whose id is `text`), with their parent and kind. */
export async function searchCouncils(
  q: Q,
  orgId: string,
  text: string,
  page: { after?: Cursor; limit: number },
) {
  const { rows, next } = await search(q, 'councils', orgId, text, page);
  const ids = rows.map((r) => r.id);
  const parents = new Map<string, string | null>();
  const higher = new Set<string>();
  if (ids.length > 0) {
    for (const r of await q
      .selectFrom('councils')
      .select(['id', 'parent_id'])
      .where('org_id', '=', orgId)
      .where('id', 'in', ids)
      .execute())
      parents.set(r.id, r.parent_id);
    for (const r of await q
      .selectFrom('councils')
      .select('parent_id')
      .distinct()
      .where('org_id', '=', orgId)
      .where('parent_id', 'in', ids)
      .execute())
      if (r.parent_id !== null) higher.add(r.parent_id);
  }
  return {
    councils: rows.map((r) => ({
      ...r,
      parentId: parents.get(r.id) ?? null,
      kind: higher.has(r.id) ? ('higher' as const) : ('base' as const),
    })),
    next,
  };
}
