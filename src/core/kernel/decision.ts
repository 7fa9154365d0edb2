import type { NewEntry } from './entry.ts';
import type { Rejection } from './errors.ts';

/** What decide() returns: the entries to append, or the rule that refused the command. */
export type Decision = { ok: true; entries: NewEntry[] } | Rejection;

export function accept(...entries: NewEntry[]): Decision {
  return { ok: true, entries };
}
