// A vote in a large council: the electorate is frozen when voting opens but derived from the log's membership,
// not listed in the entry, whose size (at most 65,535 bytes, C2SP tlog-tiles) must not grow with the council.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apply, encodeEntry, type Entry } from '../../../src/core/index.ts';
import { motionId, PureOrg, voteId } from '../../support/pure-org.ts';
import { organisation } from '../../support/factory.ts';

function bigCouncil(members: number): PureOrg {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'A large union',
      councils: [{ id: 'all', name: 'General assembly', parentId: null, seatsInParent: 0 }],
      founders: Array.from({ length: members }, (_, i) => ({
        memberId: `member_${i}`,
        name: `Member ${i}`,
        councilId: 'all',
      })),
    }),
    null,
  );
  return org;
}

const move = (org: PureOrg): string =>
  motionId(
    org.must(
      { type: 'move_motion', councilId: 'all', title: 'Strike', text: 'Do we strike?', alternatives: [] },
      'member_0',
    ),
  );

test('a vote opens in a council of 5,000 members with a small entry, and all of them are its electors', () => {
  const org = bigCouncil(5000);
  const entries = org.must({ type: 'open_vote', motionId: move(org) }, 'member_0');
  const opened = entries.find((e) => e.act === 'vote_opened')!;
  assert.ok(encodeEntry(opened).length < 1000, `vote_opened is ${encodeEntry(opened).length} bytes`);
  const vote = org.state.votes.get(voteId(entries))!;
  assert.equal(vote.electorate.size, 5000);
  assert.equal(vote.electorate.get('member_4999'), 1n);
  // One of them votes; the others are still electors, and an outsider is not.
  org.must({ type: 'cast_ballot', voteId: vote.id, ballot: { choice: vote.options[0]! } }, 'member_42');
  const outsider = org.run({ type: 'cast_ballot', voteId: vote.id, ballot: { choice: 'against' } }, 'nobody');
  assert.ok(!outsider.ok && outsider.code === 'not_an_elector');
});

test('an older vote_opened entry that lists its electorate is applied with exactly that list', () => {
  const org = bigCouncil(3);
  const m = move(org);
  const e = {
    seq: org.state.size,
    act: 'vote_opened',
    actor: 'member_0',
    time: org.now(),
    payload: {
      voteId: 'vote_old',
      motionId: m,
      options: org.state.motions.get(m)!.alternatives.map((a) => a.id),
      statusQuo: true,
      seats: 1,
      electorate: [
        { memberId: 'member_0', weight: '1' },
        { memberId: 'member_2', weight: '3' },
      ],
      closesAt: '2026-01-06T09:00:00.000Z',
    },
  } as Entry;
  apply(org.state, e);
  const vote = org.state.votes.get('vote_old')!;
  assert.deepEqual(
    [...vote.electorate],
    [
      ['member_0', 1n],
      ['member_2', 3n],
    ],
  );
});
