// The procedure's later settings (docs/PROCEDURE.md): changing an open ballot, unseconded motions that lapse,
// closure support that can be withdrawn, and the recall's right of reply inside the block. Each keeps the old
// behaviour for a block written before it existed, and the replay decides each again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConstitution, replayEntries, type Command, type Entry } from '../../../src/core/index.ts';
import { recallReplyMinutes } from '../../../src/core/kernel/procedure-rules.ts';
import { motionTimeline } from '../../../src/core/procedure/timeline.ts';
import { members } from '../../support/factory.ts';
import { motionId, PureOrg, voteId } from '../../support/pure-org.ts';

const five = members('all', 'Ana', 'Ben', 'Cai', 'Dan', 'Eve');
const day = 24 * 60;

function council(procedure: Record<string, unknown> = {}): PureOrg {
  const org = new PureOrg();
  org.must(
    {
      type: 'found_organisation',
      name: 'Works council',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: five,
      constitution: { procedure },
    },
    null,
  );
  return org;
}

/** A block written before these settings existed: the founding entry's block without them. */
function olderBlock(org: PureOrg): void {
  for (const c of [
    org.state.org!.constitution,
    (org.log[0] as Extract<Entry, { act: 'org_founded' }>).payload.constitution,
  ]) {
    delete c.procedure!.ballotsChangeable;
    delete c.procedure!.unsecondedLapseDays;
  }
}

const move: Command = { type: 'move_motion', councilId: 'all', title: 'Strike on Monday', text: '' };

/** Runs a command the rules must refuse with `code`; nothing is appended (PureOrg.refuses). */
const refused = (org: PureOrg, command: Command, actor: string | null, code: string): string =>
  org.refuses(command, actor, code);

const rules = async (log: Entry[]) => (await replayEntries(log)).find((c) => c.id === 'replay_rules')!;
const recount = async (log: Entry[]) => (await replayEntries(log)).find((c) => c.id === 'replay_recount')!;

/** A motion of ana's, seconded by ben, its vote open for two days. */
function voting(org: PureOrg): { m: string; v: string } {
  const m = motionId(org.must(move, 'ana'));
  org.must({ type: 'second_motion', motionId: m }, 'ben');
  org.advanceMinutes(3 * day);
  return { m, v: voteId(org.must({ type: 'open_vote', motionId: m, minutes: 2 * day }, 'ana')) };
}

const cast = (v: string, choice: string): Command => ({ type: 'cast_ballot', voteId: v, ballot: { choice } });

describe('changing an open ballot', () => {
  test('by default a ballot once cast is final', () => {
    const org = council();
    const { v } = voting(org);
    org.must(cast(v, 'a1'), 'ben');
    assert.match(refused(org, cast(v, 'against'), 'ben', 'already_voted'), /once cast final/);
  });

  test('where the constitution allows it, a later ballot replaces the earlier, counted once, marked in the record', async () => {
    const org = council({ ballotsChangeable: true });
    const { m, v } = voting(org);
    for (const who of ['ana', 'ben', 'cai']) org.must(cast(v, 'a1'), who);
    org.advanceMinutes(60);
    const [changed] = org.must(cast(v, 'against'), 'ben');
    assert.ok(changed?.act === 'ballot_cast');
    assert.equal(changed.payload.replaces, true);
    org.must(cast(v, 'against'), 'cai');
    const vote = org.state.votes.get(v)!;
    assert.equal(vote.ballots!.size, 3, 'one ballot per elector');
    assert.equal(vote.ballots!.get('ben')!.castAt, org.now());
    // the vote runs to its time, however many have voted: the last elector's ballot does not close it, nor may a
    // member close it early, or one member's act would end everyone's right to change their ballot
    for (const who of ['dan', 'eve']) org.must(cast(v, 'against'), who);
    assert.equal(org.state.votes.get(v)!.closedAt, null, 'everyone voted, and the vote is still open');
    refused(org, { type: 'close_vote', voteId: v }, 'dan', 'too_early');
    org.must(cast(v, 'a1'), 'eve');
    org.must(cast(v, 'against'), 'eve');
    org.advanceMinutes(2 * day);
    org.must({ type: 'close_vote', voteId: v }, null);
    assert.notEqual(org.state.votes.get(v)!.closedAt, null, 'closed on time');
    assert.equal(
      org.state.motions.get(m)!.state,
      'failed',
      'ben and cai changed to against: 1 for, 4 against',
    );
    refused(org, cast(v, 'a1'), 'ben', 'vote_closed');
    assert.equal((await rules(org.log)).status, 'pass');
    assert.equal((await recount(org.log)).status, 'pass');
    assert.equal(
      org.log.filter((e) => e.act === 'ballot_cast').length,
      9,
      'every ballot stays in the record',
    );
  });

  test('a change before the others have all voted does not close the vote', () => {
    const org = council({ ballotsChangeable: true });
    const { v } = voting(org);
    for (const who of ['ana', 'ben', 'cai', 'dan']) org.must(cast(v, 'a1'), who);
    org.must(cast(v, 'against'), 'dan');
    assert.equal(org.state.votes.get(v)!.closedAt, null);
  });

  test('a replacement forged into a log whose rules make ballots final is named; so is a hidden replacement', async () => {
    const org = council({ ballotsChangeable: true });
    const { v } = voting(org);
    org.must(cast(v, 'a1'), 'ben');
    org.must(cast(v, 'against'), 'ben');
    const unmarked = org.log.map((e) =>
      e.act === 'ballot_cast' && e.payload.replaces
        ? ({ ...e, payload: { voteId: v, ballot: e.payload.ballot } } as Entry)
        : e,
    );
    assert.match(
      (await rules(unmarked)).detail!,
      /ballot_cast by ben: its replaces null is not what the rules decide \(true\)/,
    );
    const final = council();
    const f = voting(final);
    final.must(cast(f.v, 'a1'), 'ben');
    const second = {
      ...final.log.at(-1)!,
      seq: final.log.length,
      payload: { voteId: f.v, ballot: { choice: 'against' }, replaces: true },
    } as Entry;
    assert.match(
      (await rules([...final.log, second])).detail!,
      /ballot_cast by ben: the rules refuse it \(already_voted/,
    );
  });

  test('a block written before the setting keeps ballots final', () => {
    const org = council({ ballotsChangeable: true });
    olderBlock(org);
    const { v } = voting(org);
    org.must(cast(v, 'a1'), 'ben');
    refused(org, cast(v, 'against'), 'ben', 'already_voted');
    assert.throws(
      () => parseConstitution({ procedure: { ballotsChangeable: 'yes' } }),
      /ballotsChangeable must be true or false/,
    );
  });
});

describe('deadlines counted in days are bounded', () => {
  test('a number of days past ten years is refused, so a date the scheduler adds it to stays in range', () => {
    for (const setting of ['unsecondedLapseDays', 'decryptionDays']) {
      for (const days of [3_651, 100_000_000])
        assert.throws(
          () => parseConstitution({ procedure: { [setting]: days } }),
          new RegExp(`${setting} must be an integer from 0 to 3650`),
        );
      assert.equal(
        parseConstitution({ procedure: { [setting]: 3_650 } }).procedure?.[setting as 'decryptionDays'],
        3_650,
      );
    }
  });
});

describe('unseconded motions lapse', () => {
  test('after the constitution’s days, by the organisation only, on time; the timeline says when', async () => {
    const org = council({ unsecondedLapseDays: 3 });
    const m = motionId(org.must(move, 'ana'));
    const at = new Date(org.t + 3 * day * 60_000).toISOString();
    assert.deepEqual(
      motionTimeline(org.state, m, 'ben', org.now())!.next.find((s) => s.act === 'lapses'),
      { act: 'lapses', by: 'organisation', at },
    );
    org.advanceMinutes(3 * day - 1);
    refused(org, { type: 'lapse_motion', motionId: m }, null, 'too_early');
    org.advanceMinutes(1);
    // no member lapses another's motion, not even on time
    refused(org, { type: 'lapse_motion', motionId: m }, 'ben', 'not_allowed');
    org.must({ type: 'lapse_motion', motionId: m }, null);
    const motion = org.state.motions.get(m)!;
    assert.equal(motion.state, 'lapsed');
    assert.equal(motion.endedAt, at);
    refused(org, { type: 'second_motion', motionId: m }, 'ben', 'wrong_state');
    refused(org, { type: 'lapse_motion', motionId: m }, null, 'wrong_state');
    assert.equal(motionTimeline(org.state, m, 'ben', org.now())!.events.at(-1)!.event, 'ended');
    // it was never voted down: moved again at once, without cooling-off
    org.must(move, 'ana');
    assert.equal((await rules(org.log)).status, 'pass');
  });

  test('a seconded motion, a draft, or a block with 0 days never lapses; a draft put up waits from then', () => {
    const org = council({ unsecondedLapseDays: 2 });
    const seconded = motionId(org.must(move, 'ana'));
    org.must({ type: 'second_motion', motionId: seconded }, 'ben');
    const draft = motionId(org.must({ ...move, title: 'A draft', draft: true } as Command, 'cai'));
    org.advanceMinutes(5 * day);
    refused(org, { type: 'lapse_motion', motionId: seconded }, null, 'wrong_state');
    refused(org, { type: 'lapse_motion', motionId: draft }, null, 'wrong_state');
    org.must({ type: 'open_debate', motionId: draft }, 'cai');
    org.advanceMinutes(2 * day - 1);
    refused(org, { type: 'lapse_motion', motionId: draft }, null, 'too_early');
    org.advanceMinutes(1);
    org.must({ type: 'lapse_motion', motionId: draft }, null);
    const never = council({ unsecondedLapseDays: 0 });
    const n = motionId(never.must(move, 'ana'));
    never.advanceMinutes(365 * day);
    refused(never, { type: 'lapse_motion', motionId: n }, null, 'wrong_state');
    const older = council();
    olderBlock(older);
    const o = motionId(older.must(move, 'ana'));
    older.advanceMinutes(365 * day);
    refused(older, { type: 'lapse_motion', motionId: o }, null, 'wrong_state');
  });

  test('a lapse forged before its time is named by the replay', async () => {
    const org = council({ unsecondedLapseDays: 3 });
    const m = motionId(org.must(move, 'ana'));
    org.advanceMinutes(3 * day);
    org.must({ type: 'lapse_motion', motionId: m }, null);
    assert.equal((await rules(org.log)).status, 'pass');
    const early = org.log.map((e) =>
      e.act === 'motion_lapsed' ? ({ ...e, time: org.log.at(-2)!.time } as Entry) : e,
    );
    assert.match((await rules(early)).detail!, /motion_lapsed by null: the rules refuse it \(too_early/);
    const byMember = org.log.map((e) => (e.act === 'motion_lapsed' ? ({ ...e, actor: 'ben' } as Entry) : e));
    assert.match((await rules(byMember)).detail!, /motion_lapsed by ben: the rules refuse it \(not_allowed/);
  });
});

describe('withdrawing support for closure', () => {
  test('each member withdraws only their own support, until the closure is carried', async () => {
    const org = council();
    const m = motionId(org.must(move, 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    const withdraw: Command = { type: 'withdraw_closure_support', motionId: m };
    const support: Command = { type: 'support_closure', motionId: m };
    for (const who of ['ben', 'cai', 'dan']) org.must(support, who);
    refused(org, withdraw, 'eve', 'not_found');
    assert.equal(motionTimeline(org.state, m, 'cai', org.now())!.may.withdrawClosure, true);
    org.must(withdraw, 'cai');
    assert.deepEqual(org.state.motions.get(m)!.closure, ['ben', 'dan']);
    assert.equal(motionTimeline(org.state, m, 'cai', org.now())!.may.withdrawClosure, false);
    refused(org, withdraw, 'cai', 'not_found');
    // eve's support is the fourth no longer: not carried
    const [e] = org.must(support, 'eve');
    assert.ok(e?.act === 'closure_supported' && !e.payload.carried);
    refused(org, { type: 'open_vote', motionId: m }, 'dan', 'mover_opens_vote');
    // cai supports again: carried; then nobody withdraws
    const [c] = org.must(support, 'cai');
    assert.ok(c?.act === 'closure_supported' && c.payload.carried);
    refused(org, withdraw, 'ben', 'wrong_state');
    assert.equal((await rules(org.log)).status, 'pass');
  });

  test('a withdrawal forged by a member who never supported is named', async () => {
    const org = council();
    const m = motionId(org.must(move, 'ana'));
    org.must({ type: 'second_motion', motionId: m }, 'ben');
    org.must({ type: 'support_closure', motionId: m }, 'ben');
    org.must({ type: 'withdraw_closure_support', motionId: m }, 'ben');
    const forged = org.log.map((e) =>
      e.act === 'closure_support_withdrawn' ? ({ ...e, actor: 'cai' } as Entry) : e,
    );
    assert.match(
      (await rules(forged)).detail!,
      /closure_support_withdrawn by cai: the rules refuse it \(not_found/,
    );
  });
});

describe('the right of reply in the procedure block', () => {
  test('a new constitution keeps it in the block; one without the block keeps its old place', () => {
    const c = parseConstitution(undefined, true);
    assert.equal(c.procedure!.recallDebateMinutes, 3 * day);
    assert.equal(c.recall.debateMinutes, undefined);
    const old = parseConstitution({});
    assert.equal(old.procedure, undefined);
    assert.equal(old.recall.debateMinutes, 3 * day);
    assert.equal(recallReplyMinutes(old), 3 * day);
  });

  test('a constitution that kept it beside the block keeps its length when amended; the old place is refused if it disagrees', () => {
    // as written between the two changes: the block without it, and recall.debateMinutes beside it
    const before = {
      recall: { majority: { kind: 'simple' }, quorum: { kind: 'none' }, debateMinutes: 60 },
      procedure: { coolingOffDays: 5 },
    };
    const amended = parseConstitution(before);
    assert.equal(amended.procedure!.recallDebateMinutes, 60);
    assert.equal(amended.recall.debateMinutes, undefined);
    assert.equal(recallReplyMinutes(amended), 60);
    // read as stored before the amendment: the old place still counts
    assert.equal(
      recallReplyMinutes({
        recall: { debateMinutes: 60 },
        procedure: { ...amended.procedure!, recallDebateMinutes: undefined },
      } as never),
      60,
    );
    assert.throws(
      () => parseConstitution({ ...before, procedure: { recallDebateMinutes: 120 } }),
      /constitution.recall.debateMinutes is now constitution.procedure.recallDebateMinutes/,
    );
    assert.equal(
      parseConstitution({ procedure: { recallDebateMinutes: 120 } }).procedure!.recallDebateMinutes,
      120,
    );
  });
});
