// Pages of a list (docs/API.md "Paging"): up to `limit` rows after the row a cursor names, read as one index range,
// and the cursor of the next page (null on the last). The one place for the page sizes and for cutting a page out
// of the `limit + 1` rows a query read (the extra row says whether there is a next page).
import { sql, type SelectQueryBuilder, type StringReference } from 'kysely';

/** The largest page of a paged list. */
export const maxPageSize = 500;
/** A page's size when the request does not say. */
export const defaultPageSize = 100;

export interface Page {
  /** The cursor the previous page returned (today, a list's last row's id). */
  after?: string | undefined;
  limit?: number | undefined;
}

/** A page's size: the one asked for, else the default, never more than the largest. */
export const limitOf = (page: Page) => Math.min(page.limit ?? defaultPageSize, maxPageSize);

/** The page in up to `limit + 1` rows read in the list's order, and the next page's cursor (`id` of its last row). */
export function pageOf<T>(rows: readonly T[], limit: number, id: (row: T) => string) {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? id(items[items.length - 1]!) : null };
}

/** Where a list ordered newest first by a time, then id, goes on: just before this row. */
export interface TimeAndId {
  at: string;
  id: string;
}

/**
 * A page's range of a list ordered by a time, then an id (`desc`: newest first; `asc`: oldest first): the rows just
 * past `after`'s position in that order, at most `limit + 1` (for `pageOf`). With an index on the list's key and
 * `(time, id)`, one range of it read in order, however deep the page; the comparison follows the order, so the two
 * cannot disagree. `time` and `id` are the tables' columns (as a WHERE clause reads them), not the query's output
 * keys: an alias selected (`signed_at as at`) is refused by the compiler, as PostgreSQL refuses it in WHERE
 * (SQLite accepts it, so a list would pass its SQLite tests and fail on PostgreSQL).
 */
export function timeAndIdRange<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  [time, id]: readonly [StringReference<DB, TB>, StringReference<DB, TB>],
  order: 'asc' | 'desc',
  page: { after?: TimeAndId | undefined; limit: number },
): SelectQueryBuilder<DB, TB, O> {
  const after = page.after;
  const past = order === 'asc' ? sql.raw('>') : sql.raw('<');
  const from =
    after === undefined
      ? query
      : query.where(sql<boolean>`(${sql.ref(time)}, ${sql.ref(id)}) ${past} (${after.at}, ${after.id})`);
  return from
    .orderBy(sql.ref(time), order)
    .orderBy(sql.ref(id), order)
    .limit(page.limit + 1);
}
