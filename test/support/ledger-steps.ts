// Steps of the store tests: run a command through a real ledger and insist that it was accepted, and read a
// payload of the entries it appended.
import assert from 'node:assert/strict';
import type { Command, Entry, Payloads } from '../../src/core/index.ts';
import type { OrgLedger } from '../../src/store/ledger.ts';

/** Runs `command` as `actor`; fails the test with the rejection's code and message unless it was accepted. */
export async function must(ledger: OrgLedger, command: Command, actor: string | null): Promise<Entry[]> {
  const r = await ledger.execute(command, actor);
  assert.ok(r.ok, `${command.type}: ${!r.ok ? `${r.code} ${r.message}` : ''}`);
  return r.entries;
}

/** The payload of the first `act` entry among `entries` (the test fails if there is none). */
export function payloadOf<A extends Entry['act']>(entries: Entry[], act: A): Payloads[A] {
  const e = entries.find((x) => x.act === act);
  assert.ok(e, `expected a ${act} entry`);
  return e.payload as Payloads[A];
}
