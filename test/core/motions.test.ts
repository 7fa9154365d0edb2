import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  allKeys,
  apply,
  emptyState,
  projectRow,
  settleVotes,
  settlingBallotKeys,
  type Entry,
} from '../../src/core/index.ts';
import { electDeputy, foundFederation, motionId, voteId, type PureOrg } from '../support/pure-org.ts';

function twoAlternatives(org: PureOrg): string {
  return motionId(
    org.must(
      {
        type: 'move_motion',
        councilId: 'north',
        title: 'Working hours',
        text: 'How long is the working week?',
        alternatives: [
          { title: 'Forty hours', text: 'Keep the forty-hour week.' },
          { title: 'Thirty-five hours', text: 'Cut it to thirty-five.' },
        ],
      },
      'ana',
    ),
  );
}

describe('motions', () => {
  test('a motion with two alternatives is debated, amended and decided; the minority keeps its statement', () => {
    const org = foundFederation();
    const m = twoAlternatives(org);
    org.must({ type: 'post_comment', motionId: m, stance: 'for', text: 'Shorter weeks, same pay.' }, 'ben');
    org.must({ type: 'post_comment', motionId: m, stance: 'against', text: 'Orders are behind.' }, 'cai');
    org.must(
      {
        type: 'propose_alternative',
        motionId: m,
        title: '35 hours from June',
        text: 'Phased in.',
        amends: 'a2',
      },
      'ben',
    );
    const motion = org.state.motions.get(m)!;
    assert.equal(motion.alternatives.length, 3);
    assert.equal(motion.alternatives[2]!.amends, 'a2');
    const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'ana'));
    const late = org.run({ type: 'propose_alternative', motionId: m, title: 'x', text: '' }, 'ana');
    assert.ok(!late.ok && late.code === 'wrong_state');
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a3' } }, 'ana');
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a3' } }, 'ben');
    const last = org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'cai');
    const closed = last.find((e) => e.act === 'vote_closed');
    assert.ok(closed?.act === 'vote_closed');
    assert.equal(closed.payload.winner, 'a3');
    assert.equal(org.state.motions.get(m)!.state, 'decided');
    const winner = org.run({ type: 'attach_minority_statement', motionId: m, text: 'We won' }, 'ana');
    assert.ok(!winner.ok && winner.code === 'not_in_minority');
    org.must({ type: 'attach_minority_statement', motionId: m, text: 'Orders will suffer.' }, 'cai');
    assert.equal(org.state.motions.get(m)!.statements[0]!.text, 'Orders will suffer.');
  });

  test('one ballot per elector; abstentions count for quorum only; a tie fails', () => {
    const org = foundFederation();
    const m = twoAlternatives(org);
    const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'ana'));
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'ana');
    const twice = org.run({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a2' } }, 'ana');
    assert.ok(!twice.ok && twice.code === 'already_voted');
    const outsider = org.run({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a2' } }, 'dan');
    assert.ok(!outsider.ok && outsider.code === 'not_an_elector');
    const bad = org.run({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a9' } }, 'ben');
    assert.ok(!bad.ok && bad.code === 'invalid_choice');
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a2' } }, 'ben');
    const last = org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: null } }, 'cai');
    const closed = last.find((e) => e.act === 'vote_closed');
    assert.ok(closed?.act === 'vote_closed');
    assert.equal(closed.payload.outcome, 'tie');
    assert.equal(org.state.motions.get(m)!.state, 'failed');
  });

  test('a vote closes on time with the ballots cast, and not before', () => {
    const org = foundFederation();
    const m = twoAlternatives(org);
    const v = voteId(org.must({ type: 'open_vote', motionId: m, minutes: 60 }, 'ana'));
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a2' } }, 'ana');
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a2' } }, 'ben');
    const early = org.run({ type: 'close_vote', voteId: v }, null);
    assert.ok(!early.ok && early.code === 'too_early');
    org.advanceMinutes(61);
    const tooLate = org.run({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'cai');
    assert.ok(!tooLate.ok && tooLate.code === 'vote_closed');
    org.must({ type: 'close_vote', voteId: v }, null);
    assert.equal(org.state.votes.get(v)!.winner, 'a2');
  });

  test('withdrawal by the mover only, before voting', () => {
    const org = foundFederation();
    const m = twoAlternatives(org);
    const other = org.run({ type: 'withdraw_motion', motionId: m }, 'ben');
    assert.ok(!other.ok && other.code === 'not_allowed');
    org.must({ type: 'withdraw_motion', motionId: m }, 'ana');
    assert.equal(org.state.motions.get(m)!.state, 'withdrawn');
  });
});

describe('properties', () => {
  test("a vote's result does not depend on the order of the ballots", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a1', 'a2', 'against', null), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        (choices, seed) => {
          const results = [0, 1].map((round) => {
            const org = foundFederation();
            const m = twoAlternatives(org);
            const v = voteId(org.must({ type: 'open_vote', motionId: m, minutes: 10 }, 'ana'));
            const voters = ['ana', 'ben', 'cai'].slice(0, choices.length);
            const order = voters.map((_, i) => i);
            if (round === 1) order.sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
            for (const i of order)
              org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: choices[i]! } }, voters[i]!);
            if (org.state.votes.get(v)!.closedAt === null) {
              org.advanceMinutes(11);
              org.must({ type: 'close_vote', voteId: v }, null);
            }
            const vote = org.state.votes.get(v)!;
            return { outcome: vote.outcome, winner: vote.winner };
          });
          assert.deepEqual(results[0], results[1]);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('replaying the log gives the same projections as the live state (rebuild equals live)', () => {
    const org = foundFederation();
    const mandate = electDeputy(org, 'north', 'ben', ['ana', 'ben', 'cai']);
    const m = twoAlternatives(org);
    org.must({ type: 'post_comment', motionId: m, stance: 'neutral', text: 'Question' }, 'cai');
    const r = motionId(org.must({ type: 'move_recall', mandateId: mandate, text: '' }, 'ana'));
    org.advanceMinutes(3 * 24 * 60); // the right of reply
    const v = voteId(org.must({ type: 'open_vote', motionId: r }, 'ana'));
    for (const who of ['ana', 'ben', 'cai'])
      org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'recall' } }, who);
    // As `councils rebuild` does: a closing vote's ballot rows are projected before it is settled, the rest at the end.
    const replayed = emptyState();
    const settledRows: unknown[] = [];
    for (const e of JSON.parse(JSON.stringify(org.log)) as Entry[]) {
      apply(replayed, e);
      for (const key of settlingBallotKeys(replayed)) settledRows.push(projectRow(replayed, 'ballots', key));
      settleVotes(replayed);
    }
    const rows = (s: typeof replayed) => allKeys(s).map((k) => projectRow(s, k.table, k.key));
    assert.deepEqual(rows(replayed), rows(org.state));
    assert.equal(settledRows.length, 6, 'both votes closed: their six ballots were projected as they closed');
    assert.deepEqual(
      settledRows.map((r) => (r as { member_id: string }).member_id),
      ['ana', 'ben', 'cai', 'ana', 'ben', 'cai'],
    );
  });
});
