// Petitions from below (docs/POWER.md): the item opens by itself at the threshold; nobody can stop it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  duePetitionMotions,
  InvalidCommand,
  replayEntries,
  transparencyReport,
  type Entry,
} from '../../../src/core/index.ts';
import { electDeputy, motionId, petitionOrg, PureOrg, voteId } from '../../support/pure-org.ts';
import { organisation } from '../../support/factory.ts';
import { CountingMap } from '../../support/counting-map.ts';

/** Federation ← North (ana, ben, cai, dia, eli), South (dan, eve). Petitions need 2/5 of a council. */

function petitionId(entries: Entry[]): string {
  const e = entries.find((x) => x.act === 'petition_opened');
  assert.ok(e?.act === 'petition_opened');
  return e.payload.petitionId;
}

describe('petitions', () => {
  test('an agenda petition at its threshold opens the motion with nobody acting, and nobody can withdraw it', async () => {
    const org = petitionOrg();
    const opened = org.must(
      {
        type: 'open_petition',
        kind: 'agenda',
        councilId: 'north',
        title: 'Shorter week',
        text: 'Four days.',
      },
      'ana',
    );
    const id = petitionId(opened);
    assert.equal(org.state.power.petitions.get(id)!.required.north, 2);
    assert.equal(org.state.motions.size, 0, 'one signature of two opens nothing');
    const last = org.must({ type: 'sign_petition', petitionId: id }, 'ben');
    assert.deepEqual(
      last.map((e) => [e.act, e.actor]),
      [
        ['petition_signed', 'ben'],
        ['petition_succeeded', null],
        ['motion_moved', null],
      ],
    );
    const motion = [...org.state.motions.values()][0]!;
    assert.equal(motion.state, 'debate');
    assert.equal(motion.moverId, null);
    assert.equal(motion.title, 'Shorter week');
    for (const who of ['ana', 'ben', 'cai']) {
      const r = org.run({ type: 'withdraw_motion', motionId: motion.id }, who);
      assert.ok(!r.ok && r.code === 'not_allowed', `${who} cannot withdraw a petitioned motion`);
    }
    // Once the constitution's longest debate has passed, the vote opens by itself.
    assert.ok(!org.run({ type: 'open_due_petition_votes' }, null).ok);
    org.advanceMinutes(61);
    const due = org.must({ type: 'open_due_petition_votes' }, null);
    assert.equal(due[0]!.act, 'vote_opened');
    assert.equal(due[0]!.actor, null);
    assert.equal(org.state.motions.get(motion.id)!.state, 'voting');
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks),
    );
  });

  test('signatures: members only, once each, before the deadline', () => {
    const org = petitionOrg();
    const id = petitionId(
      org.must({ type: 'open_petition', kind: 'agenda', councilId: 'north', title: 'T', text: '' }, 'ana'),
    );
    const again = org.run({ type: 'sign_petition', petitionId: id }, 'ana');
    assert.ok(!again.ok && again.code === 'already_signed');
    const outsider = org.run({ type: 'sign_petition', petitionId: id }, 'dan');
    assert.ok(!outsider.ok && outsider.code === 'not_a_member');
    org.advanceMinutes(31 * 24 * 60);
    const late = org.run({ type: 'sign_petition', petitionId: id }, 'ben');
    assert.ok(!late.ok && late.code === 'petition_lapsed');
    assert.throws(() => org.run({ type: 'open_petition', kind: 'agenda', text: '' }, 'ana'), InvalidCommand);
  });

  test('a recall petition opens a debate with a right of reply, then the vote; when it passes the deputy is removed', async () => {
    const org = petitionOrg();
    const seat = electDeputy(org, 'north', 'ben', ['ana', 'ben', 'cai', 'dia', 'eli']);
    const id = petitionId(
      org.must(
        { type: 'open_petition', kind: 'recall', mandateId: seat, text: 'Ignored the mandate' },
        'cai',
      ),
    );
    const last = org.must({ type: 'sign_petition', petitionId: id }, 'dia');
    assert.deepEqual(
      last.map((e) => e.act),
      ['petition_signed', 'petition_succeeded', 'motion_moved'],
    );
    // The debate comes first: nobody can open the vote before its minimum, and the deputy answers.
    const recall = motionId(last);
    const early = org.run({ type: 'open_vote', motionId: recall }, 'cai');
    assert.ok(!early.ok && early.code === 'right_of_reply', JSON.stringify(early));
    assert.ok(!org.run({ type: 'open_due_petition_votes' }, null).ok);
    org.must({ type: 'post_comment', motionId: recall, stance: 'against', text: 'I can explain' }, 'ben');
    org.advanceMinutes(3 * 24 * 60);
    // Then the scheduler opens the vote, on time.
    const vote = voteId(org.must({ type: 'open_due_petition_votes' }, null));
    for (const who of ['ana', 'cai', 'dia', 'eli'])
      org.must({ type: 'cast_ballot', voteId: vote, ballot: { choice: 'recall' } }, who);
    const closing = org.must({ type: 'cast_ballot', voteId: vote, ballot: { choice: 'against' } }, 'ben');
    const ended = closing.find((e) => e.act === 'mandate_ended');
    assert.ok(ended?.act === 'mandate_ended' && ended.payload.reason === 'recalled');
    assert.notEqual(org.state.mandates.get(seat)!.endedAt, null);
    const report = transparencyReport(org.log);
    assert.deepEqual(
      [
        report.totals.petitionsOpened,
        report.totals.petitionsSucceeded,
        report.totals.recallsMoved,
        report.totals.recallsPassed,
      ],
      [1, 1, 1, 1],
    );
    assert.equal(report.councils.find((c) => c.councilId === 'north')!.totals.recallsPassed, 1);
    assert.equal(report.byMonth[0]!.month, org.now().slice(0, 7));
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks),
    );
  });

  test('an extraordinary election petition ends the sitting mandates and calls the election', () => {
    const org = petitionOrg({ petitions: { electionThreshold: { kind: 'absolute', count: 2 } } });
    const seat = electDeputy(org, 'south', 'dan', ['dan', 'eve']);
    const id = petitionId(
      org.must({ type: 'open_petition', kind: 'election', councilId: 'south', text: 'New start' }, 'eve'),
    );
    const last = org.must({ type: 'sign_petition', petitionId: id }, 'dan');
    assert.deepEqual(
      last.map((e) => e.act),
      ['petition_signed', 'petition_succeeded', 'mandate_ended', 'motion_moved'],
    );
    assert.notEqual(org.state.mandates.get(seat)!.endedAt, null);
    assert.equal([...org.state.motions.values()].at(-1)!.kind, 'election');
  });

  // An election petition's motion is moved with no candidates; it falls due only once one is proposed, and
  // `alternative_proposed` touches only `alternatives`: the index must file the motion from that table
  // (src/core/schedule/due-index.ts), or the petitioned election's vote never opens (review A, finding 3).
  test("an election petition's motion, given a candidate after it was moved, has its vote opened when due", () => {
    const org = petitionOrg({ petitions: { electionThreshold: { kind: 'absolute', count: 2 } } });
    electDeputy(org, 'south', 'dan', ['dan', 'eve']);
    const id = petitionId(
      org.must({ type: 'open_petition', kind: 'election', councilId: 'south', text: 'New start' }, 'eve'),
    );
    const moved = org
      .must({ type: 'sign_petition', petitionId: id }, 'dan')
      .find((e) => e.act === 'motion_moved')!;
    const motion = (moved.payload as { motionId: string }).motionId;
    org.must(
      { type: 'propose_alternative', motionId: motion, title: 'eve', text: '', candidateId: 'eve' },
      'eve',
    );
    org.advanceMinutes(60 * 24 * 60);
    assert.deepEqual(duePetitionMotions(org.state, org.now()), [motion]);
    const opened = org.must({ type: 'open_due_petition_votes' }, null);
    assert.deepEqual(
      opened.map((e) => e.act),
      ['vote_opened'],
    );
  });

  test('a rising petition reaches the higher council when enough councils below pass it', async () => {
    const org = petitionOrg({
      petitions: { threshold: { kind: 'absolute', count: 1 }, risingShare: { num: 1, den: 1 } },
    });
    electDeputy(org, 'north', 'ana', ['ana', 'ben', 'cai', 'dia', 'eli']);
    electDeputy(org, 'south', 'dan', ['dan', 'eve']);
    const opened = org.must(
      {
        type: 'open_petition',
        kind: 'agenda',
        councilId: 'north',
        targetCouncilId: 'fed',
        title: 'Federation-wide strike fund',
        text: '',
      },
      'ben',
    );
    assert.deepEqual(
      opened.map((e) => e.act),
      ['petition_opened', 'petition_signed', 'petition_passed'],
    );
    assert.equal(org.state.motions.size, 2, 'only the two elections so far');
    const last = org.must({ type: 'sign_petition', petitionId: petitionId(opened) }, 'eve');
    assert.deepEqual(
      last.map((e) => e.act),
      ['petition_signed', 'petition_passed', 'petition_succeeded', 'motion_moved'],
    );
    const m = [...org.state.motions.values()].at(-1)!;
    assert.equal(m.councilId, 'fed');
    const wrong = org.run(
      {
        type: 'open_petition',
        kind: 'agenda',
        councilId: 'north',
        targetCouncilId: 'north',
        title: 'x',
        text: '',
      },
      'ben',
    );
    assert.ok(!wrong.ok && wrong.code === 'not_allowed');
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks),
    );
  });

  test('verify catches a motion nobody moved that no petition opened', async () => {
    const org = petitionOrg();
    const forged = {
      seq: org.state.size,
      act: 'motion_moved',
      actor: null,
      time: org.now(),
      payload: {
        motionId: 'motion_forged',
        councilId: 'north',
        kind: 'ordinary',
        title: 'Forged',
        text: '',
        draft: false,
        alternatives: [{ id: 'a1', title: 'Forged', text: '' }],
        decision: { method: 'majority', rule: { kind: 'simple' }, quorum: { kind: 'none' } },
      },
    } as Entry;
    const checks = await replayEntries([...org.log, forged]);
    const rules = checks.find((c) => c.id === 'replay_rules')!;
    assert.equal(rules.status, 'fail');
    assert.match(rules.detail!, /no petition opened/);
  });

  test('term limits: no more consecutive terms for a seat than the constitution allows', () => {
    const org = new PureOrg();
    org.must(
      organisation({
        name: 'F',
        constitution: { deputyTermDays: 1, power: { terms: { maxConsecutive: 1 } } },
        councils: [
          { id: 'fed', name: 'Fed', parentId: null, seatsInParent: 0 },
          { id: 'north', name: 'North', parentId: 'fed', seatsInParent: 1 },
        ],
        founders: [
          { memberId: 'ana', name: 'Ana', councilId: 'north' },
          { memberId: 'ben', name: 'Ben', councilId: 'north' },
        ],
      }),
      null,
    );
    electDeputy(org, 'north', 'ben', ['ana', 'ben']);
    org.advanceMinutes(24 * 60 + 1);
    const m = org.must({ type: 'call_election', councilId: 'north' }, 'ana')[0]!.payload as {
      motionId: string;
    };
    const again = org.run(
      { type: 'propose_alternative', motionId: m.motionId, title: 'Ben', text: '', candidateId: 'ben' },
      'ana',
    );
    assert.ok(!again.ok && again.code === 'term_limit');
    org.must(
      { type: 'propose_alternative', motionId: m.motionId, title: 'Ana', text: '', candidateId: 'ana' },
      'ana',
    );
  });

  test('staggered terms: the seats a council fills end a term / seats apart', () => {
    const org = new PureOrg();
    org.must(
      organisation({
        name: 'F',
        constitution: { deputyTermDays: 10, power: { terms: { staggered: true } } },
        councils: [
          { id: 'fed', name: 'Fed', parentId: null, seatsInParent: 0 },
          { id: 'north', name: 'North', parentId: 'fed', seatsInParent: 2 },
        ],
        founders: ['ana', 'ben', 'cai'].map((id) => ({ memberId: id, name: id, councilId: 'north' })),
      }),
      null,
    );
    const founded = Date.parse(org.now());
    org.advanceMinutes(60);
    const first = electDeputy(org, 'north', 'ana', ['ana', 'ben', 'cai']);
    const second = electDeputy(org, 'north', 'ben', ['ana', 'ben', 'cai']);
    const ends = [first, second].map((id) => Date.parse(org.state.mandates.get(id)!.termEnds) - founded);
    assert.deepEqual(ends, [10 * 86_400_000, 5 * 86_400_000]);
  });
});

test("a signature reads the petition's count of its council, not every signature (review1 s13)", () => {
  // Sixty members of one council; nine tenths of them (54) are needed, so forty-five signatures leave it open.
  const org = new PureOrg();
  const ids = Array.from({ length: 60 }, (_, i) => `m${i}`);
  org.must(
    organisation({
      name: 'Big',
      constitution: { power: { petitions: { threshold: { kind: 'fraction', num: 9, den: 10 } } } },
      founders: ids.map((id) => ({ memberId: id, name: id, councilId: 'all' })),
    }),
    null,
  );
  const id = petitionId(
    org.must({ type: 'open_petition', kind: 'agenda', councilId: 'all', title: 'T', text: '' }, 'm0'),
  );
  const p = org.state.power.petitions.get(id)!;
  assert.equal(p.required.all, 54);
  for (const who of ids.slice(1, 45)) org.must({ type: 'sign_petition', petitionId: id }, who);
  assert.equal(p.signatures.size, 45);
  /** The signatures the sign reads: one for each read of one, and all of them for a walk. */
  const counted = new CountingMap(p.signatures);
  // counted while the sign is decided and applied; the checks after it read a plain copy
  const checks = org.checkSchedulerIndex.bind(org);
  let last = -1;
  org.checkSchedulerIndex = () => {
    last = counted.reads;
    p.signatures = new Map(counted);
    checks();
  };
  p.signatures = counted;
  org.must({ type: 'sign_petition', petitionId: id }, 'm45');
  assert.equal(p.signatures.size, 46);
  assert.ok(last <= 3, `the signature read ${last} of 45 signatures`);
});
