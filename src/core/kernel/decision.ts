import type { Rejection } from './errors.ts';

/** What decide() returns: the entries to append, or the rule that refused the command (model.ts `Decision`). */
export type Decision<E> = { ok: true; entries: E[] } | Rejection;

export function accept<E>(...entries: E[]): Decision<E> {
  return { ok: true, entries };
}
