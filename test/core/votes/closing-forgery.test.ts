// The closing of a vote names its winner twice more than the count does: `vote_closed.winner` (which the state
// keeps, and from which it tells who was in the minority and may attach a statement) and `motion_decided`
// (`alternativeId`, `adopted`). Both are the organisation's own entries, so no command's rules check them: the
// replay must, against the recount. Before, a log naming another winner there passed replayEntries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replayEntries, type Entry } from '../../../src/core/index.ts';
import { votedMotion } from '../../support/pure-org.ts';

/** Ana, Ben and Cai choose a1, Dia a2: the motion adopts a1, and the last ballot closes the vote. */
function decided(): Entry[] {
  return votedMotion(
    ['Ana', 'Ben', 'Cai', 'Dia'],
    [
      ['ana', 'a1'],
      ['ben', 'a1'],
      ['cai', 'a1'],
      ['dia', 'a2'],
    ],
  ).org.log;
}

const failures = async (entries: Entry[]) =>
  (await replayEntries(entries)).filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.detail}`);

const forge = (entries: Entry[], act: string, payload: Record<string, unknown>) =>
  entries.map((e) => (e.act === act ? ({ ...e, payload: { ...e.payload, ...payload } } as Entry) : e));

test('the honest closing replays', async () => {
  const log = decided();
  assert.ok(log.some((e) => e.act === 'motion_decided'));
  assert.deepEqual(await failures(log), []);
});

test("a closing that names another winner than the count's is named by the recount", async () => {
  const found = await failures(forge(decided(), 'vote_closed', { winner: 'a2' }));
  assert.match(found.join('\n'), /recount gives the winner a1, the record says a2/);
});

test('a motion decided for another alternative, or adopted when nothing won, is named', async () => {
  const other = await failures(forge(decided(), 'motion_decided', { alternativeId: 'a2' }));
  assert.match(other.join('\n'), /decided for a2 \(adopted: true\), its vote closed with a1/);
  const rejected = await failures(
    forge(decided(), 'motion_decided', { alternativeId: null, adopted: false }),
  );
  assert.match(rejected.join('\n'), /decided for nothing \(adopted: false\), its vote closed with a1/);
});

test('a motion decided without its vote closing just before is named', async () => {
  const log = decided();
  const at = log.findIndex((e) => e.act === 'motion_decided');
  const moved = [...log.slice(0, at - 1), log[at]!, log[at - 1]!, ...log.slice(at + 1)].map(
    (e, i) => ({ ...e, seq: i }) as Entry,
  );
  assert.match((await failures(moved)).join('\n'), /decided without its vote closing just before/);
});
