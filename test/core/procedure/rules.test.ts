// The procedure (docs/PROCEDURE.md): seconding, minimum debate, the mover or a closure opens the vote, minimum
// vote, re-votes after no quorum, cooling-off, emergencies; old logs keep their rules, an amendment adopts the
// new ones, and the replay decides every phase change again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConstitution, replayEntries, type Command, type Entry } from '../../../src/core/index.ts';
import { defaultProcedure } from '../../../src/core/kernel/procedure-rules.ts';
import { motionTimeline } from '../../../src/core/procedure/timeline.ts';
import { members } from '../../support/factory.ts';
import { amendConstitution, motionId, PureOrg, registerKeys, voteId } from '../../support/pure-org.ts';

const five = members('all', 'Ana', 'Ben', 'Cai', 'Dan', 'Eve');
const day = 24 * 60;

/** A council of five, founded as a new organisation is: with `constitution`, or the defaults when none. */
function council(constitution?: Record<string, unknown>): PureOrg {
  const org = new PureOrg();
  org.must(
    {
      type: 'found_organisation',
      name: 'Works council',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: five,
      ...(constitution ? { constitution } : {}),
    },
    null,
  );
  return org;
}

const move = (title = 'Strike on Monday'): Command => ({
  type: 'move_motion',
  councilId: 'all',
  title,
  text: '',
});
const open = (motion: string, minutes?: number): Command => ({
  type: 'open_vote',
  motionId: motion,
  ...(minutes !== undefined ? { minutes } : {}),
});

/** Runs a command the rules must refuse with `code`; nothing is appended (PureOrg.refuses). */
const refused = (org: PureOrg, command: Command, actor: string | null, code: string): string =>
  org.refuses(command, actor, code);

const rules = async (log: Entry[]) => (await replayEntries(log)).find((c) => c.id === 'replay_rules')!;

describe('the procedure on the defaults', () => {
  test('a new organisation is founded with the default procedure; an amendment keeps what a constitution has', () => {
    const org = council();
    assert.deepEqual(org.state.org!.constitution.procedure, defaultProcedure);
    // parsing a constitution again (an amendment) does not add the block to one written without it
    assert.equal(parseConstitution({ quorum: { kind: 'none' } }).procedure, undefined);
    assert.deepEqual(parseConstitution({ procedure: {} }).procedure, defaultProcedure);
  });

  test('the settings are validated, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ closure: { num: 1, den: 2 } }, /constitution.procedure.closure must be a fraction .* above 1\/2/],
      [{ votingMinimumMinutes: 8 * day }, /votingMinimumMinutes must be at most constitution.votingMinutes/],
      [{ seconders: { kind: 'absolute', count: -1 } }, /constitution.procedure.seconders.count/],
      [{ emergency: { debateMinimumMinutes: 4 * day } }, /emergency.debateMinimumMinutes must be at most/],
      [{ quorumRevotes: 1.5 }, /constitution.procedure.quorumRevotes/],
      [{ recess: 1 }, /constitution.procedure.recess is not a known setting/],
    ];
    for (const [procedure, message] of bad) assert.throws(() => parseConstitution({ procedure }), message);
  });

  test('a motion is on the agenda once seconded, by someone other than its mover', () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    const motion = () => org.state.motions.get(m)!;
    assert.equal(motion().state, 'seconding');
    assert.equal(motion().secondersNeeded, 1);
    refused(org, { type: 'second_motion', motionId: m }, 'ana', 'own_motion');
    refused(org, open(m), 'ana', 'seconders_required');
    // comments and amendments are welcome before it is on the agenda
    org.must({ type: 'post_comment', motionId: m, stance: 'for', text: 'Yes' }, 'cai');
    org.advanceMinutes(60);
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    assert.equal(motion().state, 'debate');
    assert.equal(motion().debateOpenedAt, org.now(), 'the debate is counted from the seconding');
    refused(org, { type: 'second_motion', motionId: m }, 'cai', 'wrong_state');
  });

  test('two seconders: a second seconding by the same member is refused', () => {
    const org = council({ procedure: { seconders: { kind: 'fraction', num: 1, den: 2 } } });
    const m = motionId(org.must(move(), 'ana'));
    assert.equal(org.state.motions.get(m)!.secondersNeeded, 2, 'half of the four others');
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    refused(org, { type: 'second_motion', motionId: m }, 'ben', 'already_seconded');
    org.must({ type: 'second_motion', motionId: m }, 'cai');
    assert.equal(org.state.motions.get(m)!.state, 'debate');
  });

  test('another member cannot open the vote; the mover only after the minimum debate, for the minimum vote', () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    const from = new Date(org.t + 3 * day * 60_000).toISOString();
    const other = refused(org, open(m, 1), 'cai', 'mover_opens_vote');
    assert.match(other, new RegExp(`from ${from}, or earlier by a closure carried by 2/3 of the council`));
    const early = refused(org, open(m, 2 * day), 'ana', 'debate_minimum');
    assert.match(early, new RegExp(`voting can open from ${from} when the mover asks`));
    org.advanceMinutes(3 * day - 1);
    refused(org, open(m, 2 * day), 'ana', 'debate_minimum');
    org.advanceMinutes(1);
    assert.match(refused(org, open(m, 60), 'ana', 'voting_minimum'), /at least 2880 minutes/);
    refused(org, open(m, 2 * day), 'ben', 'mover_opens_vote');
    const v = voteId(org.must(open(m, 2 * day), 'ana'));
    assert.equal(org.state.votes.get(v)!.closesAt, new Date(org.t + 2 * day * 60_000).toISOString());
    // and nobody closes it early while electors have still to vote
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'ana');
    refused(org, { type: 'close_vote', voteId: v }, 'ana', 'too_early');
    refused(org, { type: 'withdraw_motion', motionId: m }, 'ana', 'wrong_state');
  });

  test('only the mover withdraws, until the vote opens', () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    refused(org, { type: 'withdraw_motion', motionId: m }, 'ben', 'not_allowed');
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    refused(org, { type: 'withdraw_motion', motionId: m }, 'cai', 'not_allowed');
    org.must({ type: 'withdraw_motion', motionId: m }, 'ana');
    assert.equal(org.state.motions.get(m)!.state, 'withdrawn');
    // a withdrawn motion was never voted on: it may be moved again at once
    org.must(move(), 'ana');
  });

  test('a closure carried by 2/3 of the council lets the vote open before the minimum debate', () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    refused(org, { type: 'support_closure', motionId: m }, 'ben', 'wrong_state');
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    for (const who of ['ben', 'cai', 'dan']) {
      const [e] = org.must({ type: 'support_closure', motionId: m }, who);
      assert.ok(e?.act === 'closure_supported' && !e.payload.carried, 'three of five are not 2/3');
    }
    refused(org, { type: 'support_closure', motionId: m }, 'cai', 'already_supported');
    refused(org, open(m), 'ben', 'mover_opens_vote');
    const [carried] = org.must({ type: 'support_closure', motionId: m }, 'eve');
    assert.ok(carried?.act === 'closure_supported' && carried.payload.carried);
    // the vote may now be opened by any member, still for at least the minimum vote
    refused(org, open(m, 60), 'dan', 'voting_minimum');
    org.must(open(m), 'dan');
    assert.equal(org.state.motions.get(m)!.state, 'voting');
  });

  test('a motion that failed for lack of quorum is put to the vote again once, by its mover', () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    org.advanceMinutes(3 * day);
    const noQuorum = () => {
      const v = voteId(org.must(open(m, 2 * day), 'ana'));
      org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'ana');
      org.advanceMinutes(2 * day);
      org.must({ type: 'close_vote', voteId: v }, null);
      assert.equal(org.state.votes.get(v)!.outcome, 'no_quorum');
      assert.equal(org.state.motions.get(m)!.state, 'failed');
    };
    noQuorum();
    refused(org, open(m, 2 * day), 'ben', 'mover_opens_vote');
    noQuorum();
    assert.match(refused(org, open(m, 2 * day), 'ana', 'revotes_exhausted'), /at most 1 time/);
  });

  test("a petition's motion (no mover) that failed for lack of quorum is put to the vote again by any member", () => {
    const org = council({ power: { petitions: { threshold: { kind: 'absolute', count: 2 } } } });
    assert.ok(org.state.org!.constitution.procedure, 'founded under the procedure block');
    const [petition] = org.must(
      { type: 'open_petition', kind: 'agenda', councilId: 'all', title: 'Lockers', text: '' },
      'ana',
    );
    assert.ok(petition?.act === 'petition_opened');
    org.must({ type: 'sign_petition', petitionId: petition.payload.petitionId }, 'ben');
    const m = [...org.state.motions.values()][0]!;
    assert.equal(m.moverId, null);
    org.advanceMinutes(3 * day);
    const v = voteId(org.must(open(m.id, 2 * day), 'cai'));
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'cai');
    org.advanceMinutes(2 * day);
    org.must({ type: 'close_vote', voteId: v }, null);
    assert.equal(org.state.motions.get(m.id)!.state, 'failed');
    // Before, only "the mover" could, and there is none: the motion was stuck until a new petition.
    org.must(open(m.id, 2 * day), 'dan');
    assert.equal(org.state.motions.get(m.id)!.state, 'voting');
  });

  test('a motion voted down may be moved again only after the cooling-off period', () => {
    const org = council();
    const m = motionId(org.must(move('Strike on Monday'), 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    org.advanceMinutes(3 * day);
    const v = voteId(org.must(open(m, 2 * day), 'ana'));
    for (const who of ['ben', 'cai', 'dan'])
      org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'against' } }, who);
    org.advanceMinutes(2 * day);
    org.must({ type: 'close_vote', voteId: v }, null);
    assert.equal(org.state.motions.get(m)!.state, 'failed');
    refused(org, open(m, 2 * day), 'ana', 'wrong_state');
    assert.match(refused(org, move('  strike ON monday '), 'cai', 'cooling_off'), /cooling-off of 30 days/);
    org.must(move('Strike on Tuesday'), 'cai');
    org.advanceMinutes(30 * day);
    org.must(move('Strike on Monday'), 'cai');
  });

  test('an emergency motion is marked in the record, needs 3/4, and has shorter minimums', () => {
    const org = council();
    const [moved] = org.must({ ...move('Answer the lockout'), emergency: true } as Command, 'ana');
    assert.ok(moved?.act === 'motion_moved');
    assert.equal(moved.payload.emergency, true);
    assert.deepEqual(moved.payload.decision.rule, { kind: 'supermajority', num: 3, den: 4 });
    const m = moved.payload.motionId;
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    org.advanceMinutes(119);
    refused(org, open(m, 12 * 60), 'ana', 'debate_minimum');
    org.advanceMinutes(1);
    refused(org, open(m, 12 * 60 - 1), 'ana', 'voting_minimum');
    org.must(open(m, 12 * 60), 'ana');
    const none = council({ procedure: { emergency: null } });
    refused(none, { ...move(), emergency: true } as Command, 'ana', 'no_emergency_procedure');
  });
});

describe('the timeline of a motion', () => {
  test('says the phase, what may happen next, who may do it and from when, and what the viewer may do now', () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    const seen = (who: string) => motionTimeline(org.state, m, who, org.now())!;
    assert.equal(seen('ben').phase, 'seconding');
    const lapses = new Date(org.t + 14 * day * 60_000).toISOString();
    assert.deepEqual(seen('ben').next, [
      { act: 'second', by: 'others', needed: 1, have: 0 },
      { act: 'lapses', by: 'organisation', at: lapses },
      { act: 'withdraw', by: 'mover' },
    ]);
    const none = { second: false, closure: false, withdrawClosure: false, openVote: false, withdraw: false };
    assert.deepEqual(seen('ben').may, { ...none, second: true, statement: false });
    assert.deepEqual(seen('ana').may, { ...none, withdraw: true, statement: false });
    org.advanceMinutes(10);
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    const from = new Date(org.t + 3 * day * 60_000).toISOString();
    const t = seen('cai');
    assert.equal(t.phase, 'debate');
    assert.deepEqual(t.next, [
      { act: 'open_vote', by: 'mover', from },
      { act: 'closure', by: 'members', share: { num: 2, den: 3 }, needed: 4, have: 0 },
      { act: 'withdraw', by: 'mover' },
    ]);
    assert.deepEqual(t.may, { ...none, closure: true, statement: false });
    assert.equal(seen('ana').may.openVote, false, 'not before the minimum debate');
    org.advanceMinutes(3 * day);
    assert.equal(seen('ana').may.openVote, true);
    assert.equal(seen('cai').may.openVote, false);
    const v = voteId(org.must(open(m), 'ana'));
    const voting = seen('cai');
    assert.equal(voting.phase, 'voting');
    assert.deepEqual(voting.next, [
      { act: 'close_vote', by: 'organisation', at: org.state.votes.get(v)!.closesAt },
    ]);
    assert.deepEqual(
      voting.events.map((e) => e.event),
      ['moved', 'agenda', 'vote_opened'],
    );
  });
});

describe('old logs and the replay', () => {
  /** An organisation whose constitution predates the procedure block (its founding entry has none). */
  function oldCouncil(): PureOrg {
    const org = council({ procedure: {} });
    const founded = org.log[0]!;
    assert.ok(founded.act === 'org_founded');
    const { procedure, ...before } = founded.payload.constitution;
    assert.ok(procedure);
    org.log[0] = { ...founded, payload: { ...founded.payload, constitution: before } };
    org.state.org!.constitution = before;
    return org;
  }

  test('entries made under the old rules replay: any member opened a vote at once, for a minute', async () => {
    const org = oldCouncil();
    const m = motionId(org.must(move(), 'ana'));
    assert.equal(org.state.motions.get(m)!.state, 'debate');
    refused(org, { type: 'support_closure', motionId: m }, 'ben', 'not_allowed');
    org.must(open(m, 1), 'ben');
    assert.equal((await rules(org.log)).status, 'pass');
  });

  test('an amendment adopts the procedure, which governs the entries after it', async () => {
    const org = oldCouncil();
    const all = ['ana', 'ben', 'cai', 'dan'];
    registerKeys(org, ...all);
    const before = motionId(org.must(move('Moved before'), 'ana'));
    amendConstitution(org, { procedure: {} }, 'ana', all);
    assert.deepEqual(org.state.org!.constitution.procedure, defaultProcedure);
    // the motion moved before is in debate already; its vote now opens by the new rules
    refused(org, open(before, 1), 'ben', 'mover_opens_vote');
    const after = motionId(org.must(move('Moved after'), 'ana'));
    assert.equal(org.state.motions.get(after)!.state, 'seconding');
    assert.equal((await rules(org.log)).status, 'pass');
  });

  test('a forged early vote opening is named by the replay, with the rule', async () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    org.advanceMinutes(3 * day);
    org.must(open(m, 2 * day), 'ana');
    assert.equal((await rules(org.log)).status, 'pass');
    // the operator moves the opening back to a minute after the seconding
    const opened = org.log.findIndex((e) => e.act === 'vote_opened');
    const seconded = org.log.find((e) => e.act === 'motion_seconded')!;
    const early = new Date(Date.parse(seconded.time) + 60_000).toISOString();
    const forged = org.log.map((e, i) =>
      i === opened && e.act === 'vote_opened'
        ? ({
            ...e,
            time: early,
            payload: { ...e.payload, closesAt: new Date(Date.parse(early) + 2 * day * 60_000).toISOString() },
          } as Entry)
        : e,
    );
    const r = await rules(forged);
    assert.equal(r.status, 'fail');
    assert.equal(r.where?.entry, org.log[opened]!.seq);
    assert.match(
      r.detail!,
      /vote_opened by ana: the rules refuse it \(debate_minimum: debate lasts at least 4320 minutes/,
    );
  });

  test('a forged early closing of a vote is named', async () => {
    const org = council();
    const m = motionId(org.must(move(), 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    org.advanceMinutes(3 * day);
    const v = voteId(org.must(open(m, 2 * day), 'ana'));
    for (const who of ['ana', 'ben', 'cai'])
      org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, who);
    org.advanceMinutes(2 * day);
    org.must({ type: 'close_vote', voteId: v }, null);
    assert.equal((await rules(org.log)).status, 'pass');
    const closed = org.log.findIndex((e) => e.act === 'vote_closed');
    const early = new Date(Date.parse(org.log[closed]!.time) - 60_000).toISOString();
    const forged = org.log.map((e, i) => (i >= closed ? ({ ...e, time: early } as Entry) : e));
    const r = await rules(forged);
    assert.equal(r.status, 'fail');
    assert.equal(r.where?.entry, org.log[closed]!.seq);
    assert.match(
      r.detail!,
      /vote_closed: vote .* closes at .*, before its closing time .*, with 3 of 5 electors voted/,
    );
  });

  test('a forged phase (a second that did not complete the agenda, a closure not carried) is named', async () => {
    const org = council({ procedure: { seconders: { kind: 'absolute', count: 2 } } });
    const m = motionId(org.must(move(), 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    const i = org.log.findIndex((e) => e.act === 'motion_seconded');
    const forged = org.log.map((e, j) =>
      j === i && e.act === 'motion_seconded'
        ? ({ ...e, payload: { ...e.payload, agenda: true } } as Entry)
        : e,
    );
    const r = await rules(forged);
    assert.equal(r.status, 'fail');
    assert.match(r.detail!, /motion_seconded by ben: its agenda true is not what the rules decide \(false\)/);
    const moved = org.log.map((e) =>
      e.act === 'motion_moved' ? ({ ...e, payload: { ...e.payload, seconders: 0 } } as Entry) : e,
    );
    assert.match(
      (await rules(moved)).detail!,
      /motion_moved by ana: its seconders 0 is not what the rules decide \(2\)/,
    );
  });
});
