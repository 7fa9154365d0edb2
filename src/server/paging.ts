// A page's query read at the edge (docs/API.md "Paging"): its size, and its cursor read back into the row it names,
// or `invalid_request` naming `querystring.after`. Every paged route says the same thing the same way.
import { limitOf } from '../store/paging.ts';
import { ApiError } from './errors.ts';

export const badCursor = () =>
  new ApiError('invalid_request', 'after must be a cursor a previous page returned', 'querystring.after');

/** A page's size: `limit` if given (the schema bounds it), else the default; never more than the largest. */
export const pageSize = (limit: number | undefined) => limitOf({ limit });

/**
 * The position a page's `after` names, read by `find` (one indexed lookup of the row, in the organisation and the
 * list asked for), or undefined for the first page; a cursor that names nothing there is `invalid_request`.
 */
export async function cursorAt<T>(
  after: string | undefined,
  find: (after: string) => T | undefined | Promise<T | undefined>,
): Promise<T | undefined> {
  if (after === undefined) return undefined;
  const found = await find(after);
  if (found === undefined) throw badCursor();
  return found;
}
