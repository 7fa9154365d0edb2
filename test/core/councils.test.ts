import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attentionFor, councilMembers, InvalidCommand } from '../../src/core/index.ts';
import { electDeputy, foundFederation, motionId, PureOrg, voteId } from '../support/pure-org.ts';
import { organisation } from '../support/factory.ts';

describe('founding', () => {
  test('founds three councils on two levels with their founders', () => {
    const org = foundFederation();
    assert.equal(org.state.councils.size, 3);
    assert.deepEqual(org.state.councils.get('fed')!.childIds, ['north', 'south']);
    assert.deepEqual(councilMembers(org.state, 'north', org.now()).sort(), ['ana', 'ben', 'cai']);
    assert.deepEqual(councilMembers(org.state, 'fed', org.now()), []);
  });

  test('rejects a tree with two roots, a cycle, or founders in a higher council', () => {
    const base = organisation({ name: 'X', founders: [] });
    assert.throws(
      () =>
        new PureOrg().run(
          {
            ...base,
            councils: [
              { id: 'a', name: 'A', parentId: null, seatsInParent: 0 },
              { id: 'b', name: 'B', parentId: null, seatsInParent: 0 },
            ],
          },
          null,
        ),
      InvalidCommand,
    );
    assert.throws(
      () =>
        new PureOrg().run(
          {
            ...base,
            councils: [
              { id: 'r', name: 'R', parentId: null, seatsInParent: 0 },
              { id: 'a', name: 'A', parentId: 'b', seatsInParent: 1 },
              { id: 'b', name: 'B', parentId: 'a', seatsInParent: 1 },
            ],
          },
          null,
        ),
      /cycle/,
    );
    assert.throws(
      () =>
        new PureOrg().run(
          {
            ...base,
            councils: [
              { id: 'r', name: 'R', parentId: null, seatsInParent: 0 },
              { id: 'a', name: 'A', parentId: 'r', seatsInParent: 1 },
            ],
            founders: [{ memberId: 'x', name: 'X', councilId: 'r' }],
          },
          null,
        ),
      /higher councils/,
    );
  });

  test('rejects an unknown constitution setting, naming it', () => {
    assert.throws(
      () =>
        new PureOrg().run(
          organisation({
            name: 'X',
            constitution: { quorom: 3 },
            councils: [{ id: 'r', name: 'R', parentId: null, seatsInParent: 0 }],
            founders: [],
          }),
          null,
        ),
      (e: unknown) => e instanceof InvalidCommand && e.field === 'constitution.quorom',
    );
  });
});

describe('invitations', () => {
  test('a member invites, the invitee accepts once and joins when the council admits them', () => {
    const org = foundFederation();
    const [issued] = org.must({ type: 'issue_invitation', councilId: 'north', name: 'Fay' }, 'ana');
    assert.ok(issued?.act === 'invitation_issued');
    const id = issued.payload.invitationId;
    org.must({ type: 'accept_invitation', invitationId: id, memberId: 'fay' }, null);
    assert.ok(!org.state.councils.get('north')!.memberIds.has('fay'));
    org.must({ type: 'approve_admission', invitationId: id }, 'ben');
    org.advanceMinutes(7 * 24 * 60);
    org.must({ type: 'admit_due_members' }, null);
    assert.ok(org.state.councils.get('north')!.memberIds.has('fay'));
    const again = org.run({ type: 'accept_invitation', invitationId: id, memberId: 'gus' }, null);
    assert.ok(!again.ok && again.code === 'invitation_used');
  });

  test('an outsider cannot invite, nor can anyone invite into a higher council', () => {
    const org = foundFederation();
    const r1 = org.run({ type: 'issue_invitation', councilId: 'north', name: 'X' }, 'dan');
    assert.ok(!r1.ok && r1.code === 'not_a_member');
    const r2 = org.run({ type: 'issue_invitation', councilId: 'fed', name: 'X' }, 'ana');
    assert.ok(!r2.ok && r2.code === 'not_allowed');
  });
});

describe('mandates', () => {
  test('a base council elects a deputy, who then sits in the parent council', () => {
    const org = foundFederation();
    const mandate = electDeputy(org, 'north', 'ben', ['ana', 'ben', 'cai']);
    assert.deepEqual(councilMembers(org.state, 'fed', org.now()), ['ben']);
    assert.equal(org.state.mandates.get(mandate)!.fromCouncilId, 'north');
    const again = org.run({ type: 'call_election', councilId: 'north' }, 'ana');
    assert.ok(!again.ok && again.code === 'no_open_seat');
  });

  test('any member of the electing council can move a recall; when it passes the deputy loses every right', () => {
    const org = foundFederation();
    const mandate = electDeputy(org, 'north', 'ben', ['ana', 'ben', 'cai']);
    electDeputy(org, 'south', 'dan', ['dan', 'eve']);
    // Ben moves a motion in the Federation Council and a vote opens there.
    const fedMotion = motionId(
      org.must({ type: 'move_motion', councilId: 'fed', title: 'Budget', text: '' }, 'ben'),
    );
    const fedVote = voteId(org.must({ type: 'open_vote', motionId: fedMotion }, 'ben'));
    // An outsider cannot move the recall; Cai, a member of North, can.
    const outsider = org.run({ type: 'move_recall', mandateId: mandate, text: 'x' }, 'eve');
    assert.ok(!outsider.ok && outsider.code === 'not_a_member');
    const recall = motionId(
      org.must({ type: 'move_recall', mandateId: mandate, text: 'He ignored us' }, 'cai'),
    );
    // The right of reply: the recall is debated for the constitution's minimum (three days) before its vote.
    const early = org.run({ type: 'open_vote', motionId: recall }, 'cai');
    assert.ok(!early.ok && early.code === 'right_of_reply');
    org.must(
      { type: 'post_comment', motionId: recall, stance: 'against', text: 'I reported every week' },
      'ben',
    );
    org.advanceMinutes(3 * 24 * 60);
    const rv = voteId(org.must({ type: 'open_vote', motionId: recall }, 'cai'));
    org.must({ type: 'cast_ballot', voteId: rv, ballot: { choice: 'recall' } }, 'ana');
    org.must({ type: 'cast_ballot', voteId: rv, ballot: { choice: 'recall' } }, 'cai');
    const last = org.must({ type: 'cast_ballot', voteId: rv, ballot: { choice: 'against' } }, 'ben');
    assert.ok(last.some((e) => e.act === 'mandate_ended' && e.payload.reason === 'recalled'));
    // At once: Ben is not a member of the Federation Council and can do nothing there.
    assert.deepEqual(councilMembers(org.state, 'fed', org.now()), ['dan']);
    const cast = org.run({ type: 'cast_ballot', voteId: fedVote, ballot: { choice: 'a1' } }, 'ben');
    assert.ok(
      !cast.ok && cast.code === 'not_a_member',
      'a recalled deputy cannot vote in a vote opened before',
    );
    // So that vote is no longer in his inbox, though he is in its frozen electorate (the attention index files an
    // open vote under its council, and only those who still sit there may vote: docs/SCALE.md "Opening a vote").
    assert.ok(org.state.votes.get(fedVote)!.electorate.has('ben'));
    assert.deepEqual(
      attentionFor(org.state, 'ben', org.now()).filter((i) => i.id === `vote_open:${fedVote}`),
      [],
    );
    assert.equal(
      attentionFor(org.state, 'dan', org.now()).filter((i) => i.id === `vote_open:${fedVote}`).length,
      1,
    );
    const comment = org.run({ type: 'post_comment', motionId: fedMotion, stance: 'for', text: 'hi' }, 'ben');
    assert.ok(!comment.ok && comment.code === 'not_a_member');
    const motion = org.run({ type: 'move_motion', councilId: 'fed', title: 'X', text: '' }, 'ben');
    assert.ok(!motion.ok && motion.code === 'not_a_member');
    // The seat is open again.
    org.must({ type: 'call_election', councilId: 'north' }, 'ana');
  });

  test('a deputy can resign; a term expires by itself', () => {
    const org = foundFederation();
    const m = electDeputy(org, 'north', 'ben', ['ana', 'ben', 'cai']);
    const notBen = org.run({ type: 'resign_mandate', mandateId: m }, 'ana');
    assert.ok(!notBen.ok && notBen.code === 'not_allowed');
    org.must({ type: 'resign_mandate', mandateId: m }, 'ben');
    assert.deepEqual(councilMembers(org.state, 'fed', org.now()), []);
    electDeputy(org, 'north', 'cai', ['ana', 'ben', 'cai']);
    org.advanceMinutes(366 * 24 * 60);
    assert.deepEqual(councilMembers(org.state, 'fed', org.now()), [], 'rights end with the term');
    const expired = org.must({ type: 'expire_mandates' }, null);
    assert.equal(expired.length, 1);
  });
});
