// A vote_opened entry must be what the rules decide. Older ones also list their electorate (before 2026-11-28; apply still takes the list). The replay
// checks the list against what the rules froze, the council's members at that moment with weight 1: otherwise a
// log writer could add electors or weights, turn a result, and the recount would agree with the forged list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replayEntries, type Entry } from '../../src/core/index.ts';
import { foundFederation, motionId, voteId } from '../support/pure-org.ts';

/** North (ana, ben, cai) votes on a motion: ana and cai against, ben for, so it is rejected. */
function rejectedVote(): Entry[] {
  const org = foundFederation();
  const m = motionId(
    org.must({ type: 'move_motion', councilId: 'north', title: 'Strike', text: '', alternatives: [] }, 'ana'),
  );
  const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'ana'));
  org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'against' } }, 'ana');
  org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'ben');
  org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'against' } }, 'cai');
  const closed = org.log.find((e) => e.act === 'vote_closed');
  assert.ok(closed?.act === 'vote_closed' && closed.payload.outcome === 'rejected');
  return org.log;
}

/** The log as an older version wrote it: vote_opened lists `electorate`; the vote's result as `outcome` says. */
function withListedElectorate(
  log: Entry[],
  electorate: { memberId: string; weight: string }[],
  adopted = false,
): Entry[] {
  return log.map((e) => {
    if (e.act === 'vote_opened') return { ...e, payload: { ...e.payload, electorate } } as Entry;
    if (e.act === 'vote_closed' && adopted)
      return { ...e, payload: { ...e.payload, outcome: 'adopted', winner: 'a1', winners: ['a1'] } } as Entry;
    return e;
  });
}

const rules = async (log: Entry[]) => (await replayEntries(log)).find((c) => c.id === 'replay_rules')!;
const one = (memberId: string, weight = '1') => ({ memberId, weight });

test('an older entry listing the council’s members, each of weight 1, replays as before', async () => {
  const log = withListedElectorate(rejectedVote(), [one('cai'), one('ana'), one('ben')]);
  const checks = await replayEntries(log);
  assert.deepEqual(
    checks.map((c) => [c.id, c.status]),
    [
      ['replay_apply', 'pass'],
      ['replay_rules', 'pass'],
      ['replay_recount', 'pass'],
    ],
  );
});

test('a forged weight that turns the result is caught, naming the entry and the elector', async () => {
  const log = withListedElectorate(rejectedVote(), [one('ana'), one('ben', '5'), one('cai')], true);
  // the recount agrees with the forged list (ben's 5 outweigh ana and cai): only the rules check can see it
  const checks = await replayEntries(log);
  assert.equal(checks.find((c) => c.id === 'replay_recount')!.status, 'pass');
  const r = await rules(log);
  const opened = log.find((e) => e.act === 'vote_opened')!;
  assert.equal(r.status, 'fail');
  assert.deepEqual(r.where, { entry: opened.seq });
  assert.match(
    r.detail!,
    /vote_opened: the electorate it lists is not the council's members .*\(listed: ben 5\)/,
  );
});

test('an elector added or left out is caught', async () => {
  const added = await rules(
    withListedElectorate(rejectedVote(), [one('ana'), one('ben'), one('cai'), one('dan')]),
  );
  assert.equal(added.status, 'fail');
  assert.match(added.detail!, /listed: dan 1/);
  const left = await rules(withListedElectorate(rejectedVote(), [one('ana'), one('ben')]));
  assert.equal(left.status, 'fail');
  assert.match(left.detail!, /not listed: cai 1/);
});

test('a member’s vote_opened must open the vote the rules open: an alternative left out is caught', async () => {
  const org = foundFederation();
  const m = motionId(
    org.must(
      {
        type: 'move_motion',
        councilId: 'north',
        title: 'Which day',
        text: '',
        method: 'plurality',
        alternatives: [
          { title: 'Monday', text: '' },
          { title: 'Friday', text: '' },
        ],
      },
      'ana',
    ),
  );
  voteId(org.must({ type: 'open_vote', motionId: m }, 'ana'));
  assert.equal((await rules(org.log)).status, 'pass');
  const forge = (change: Record<string, unknown>) =>
    org.log.map((e) =>
      e.act === 'vote_opened' ? ({ ...e, payload: { ...e.payload, ...change } } as Entry) : e,
    );
  const dropped = await rules(forge({ options: ['a1'] }));
  assert.equal(dropped.status, 'fail');
  assert.match(
    dropped.detail!,
    /vote_opened by ana: its options \["a1"\] is not what the rules decide \(\["a1","a2"\]\)/,
  );
  const noStatusQuo = await rules(forge({ statusQuo: false }));
  assert.match(noStatusQuo.detail!, /its statusQuo false is not what the rules decide \(true\)/);
});
