// Recall with a right of reply (docs/PROCEDURE.md "Recall"): a recall is debated for the constitution's minimum
// before its vote; logs from before the rule, where a petitioned recall went to the vote at once, still replay, and
// a vote opened early in a log made under the rule is named by the replay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { replayEntries, type Entry } from '../../../src/core/index.ts';
import { electDeputy, motionId, petitionOrg } from '../../support/pure-org.ts';

function recalled(before: boolean) {
  const org = petitionOrg();
  // a constitution from before the rule: the right of reply neither in the procedure block nor in its old place
  if (before)
    for (const c of [
      org.state.org!.constitution,
      (org.log[0] as Extract<Entry, { act: 'org_founded' }>).payload.constitution,
    ]) {
      delete c.recall.debateMinutes;
      if (c.procedure) delete c.procedure.recallDebateMinutes;
    }
  const seat = electDeputy(org, 'north', 'ben', ['ana', 'ben', 'cai', 'dia', 'eli']);
  const opened = org.must(
    { type: 'open_petition', kind: 'recall', mandateId: seat, text: 'Gone quiet' },
    'cai',
  );
  const id = (opened[0] as Extract<Entry, { act: 'petition_opened' }>).payload.petitionId;
  return { org, last: org.must({ type: 'sign_petition', petitionId: id }, 'dia') };
}

const rules = async (log: Entry[]) => (await replayEntries(log)).find((c) => c.id === 'replay_rules')!;

describe('recall with a right of reply', () => {
  test('a log from before the rule, its recall vote opened with the petition, replays', async () => {
    const { org, last } = recalled(true);
    assert.ok(last.some((e) => e.act === 'vote_opened'));
    const r = await rules(org.log);
    assert.equal(r.status, 'pass', r.detail);
  });

  test('under the rule, a recall vote opened with the petition is named by the replay', async () => {
    const { org, last } = recalled(false);
    const moved = last.find((e) => e.act === 'motion_moved')!;
    const forged = {
      seq: org.log.length,
      act: 'vote_opened',
      actor: null,
      time: moved.time,
      payload: {
        voteId: 'vote_forged',
        motionId: motionId(last),
        options: ['recall'],
        statusQuo: true,
        seats: 1,
        closesAt: '2026-02-01T00:00:00.000Z',
      },
    } as Entry;
    const r = await rules([...org.log, forged]);
    assert.equal(r.status, 'fail');
    assert.match(r.detail ?? '', /a vote opened by nobody before a petition made it due/);
  });
});
