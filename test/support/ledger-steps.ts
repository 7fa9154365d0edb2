// Steps of the store tests: run a command through a real ledger and insist that it was accepted, and read a
// payload of the entries it appended; found an organisation, move a motion and open its vote.
import assert from 'node:assert/strict';
import type { Command, Entry, Payloads } from '../../src/core/index.ts';
import type { Db } from '../../src/store/database.ts';
import { foundOrganisation, type Clock, type OrgLedger } from '../../src/store/ledger.ts';

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

/** Founds `founding` in `db`; fails the test unless the founding was accepted. */
export async function founded(
  db: Db,
  founding: Extract<Command, { type: 'found_organisation' }>,
  clock: Clock,
): Promise<OrgLedger> {
  const { ledger, outcome } = await foundOrganisation(db, founding, clock);
  assert.ok(outcome.ok, !outcome.ok ? `${outcome.code} ${outcome.message}` : '');
  return ledger;
}

/** `actor` moves a motion in `councilId` with alternatives of these titles (none: a yes/no motion); its id. */
export async function movedMotion(
  ledger: OrgLedger,
  actor: string,
  councilId: string,
  title: string,
  alternatives: string[] = [],
): Promise<string> {
  const command: Command = { type: 'move_motion', councilId, title, text: '' };
  if (alternatives.length > 0) command.alternatives = alternatives.map((t) => ({ title: t, text: '' }));
  return payloadOf(await must(ledger, command, actor), 'motion_moved').motionId;
}

/** `actor` opens the vote of `motionId`; its id. */
export async function openedVote(ledger: OrgLedger, motionId: string, actor: string): Promise<string> {
  return payloadOf(await must(ledger, { type: 'open_vote', motionId }, actor), 'vote_opened').voteId;
}
