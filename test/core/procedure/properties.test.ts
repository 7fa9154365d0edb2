// Property tests (fast-check) of the procedure on the defaults, with a fake clock: random sequences of commands
// by random members never open a vote before the minimum debate (unless 2/3 of the council carried a closure),
// never make a vote shorter than the minimum or close it early, and never end a motion but by its mover or its
// vote; one member acting alone can do none of these to another's motion; and the replay accepts every log made.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { replayEntries, type Command, type Entry } from '../../../src/core/index.ts';
import { defaultProcedure } from '../../../src/core/kernel/procedure-rules.ts';
import { members } from '../../support/factory.ts';
import { PureOrg } from '../../support/pure-org.ts';

const people = ['ana', 'ben', 'cai', 'dan', 'eve'];
const p = defaultProcedure;
const closureShare = Math.ceil((p.closure.num * people.length) / p.closure.den);

function council(): PureOrg {
  const org = new PureOrg();
  org.must(
    {
      type: 'found_organisation',
      name: 'Works council',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: members('all', 'Ana', 'Ben', 'Cai', 'Dan', 'Eve'),
    },
    null,
  );
  return org;
}

/** One step: a member (or the organisation, for closing) does something, or time passes. */
type Step =
  | { kind: 'wait'; minutes: number }
  | { kind: 'act'; who: number; what: string; motion: number; minutes: number; choice: string };

const minutes = fc.oneof(
  fc.integer({ min: 1, max: 120 }),
  fc.integer({ min: p.votingMinimumMinutes - 5, max: p.votingMinimumMinutes + 5 }),
  fc.constant(7 * 24 * 60),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('wait' as const),
    minutes: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 4 * 24 * 60 })),
  }),
  fc.record({
    kind: fc.constant('act' as const),
    who: fc.integer({ min: 0, max: people.length }), // people.length: the organisation itself (null)
    what: fc.oneof(
      { arbitrary: fc.constantFrom('move', 'withdraw', 'comment'), weight: 2 },
      { arbitrary: fc.constantFrom('second', 'closure', 'close'), weight: 3 },
      { arbitrary: fc.constantFrom('open', 'ballot'), weight: 6 },
    ),
    motion: fc.nat({ max: 1 }),
    minutes,
    choice: fc.constantFrom('a1', 'against', 'abstain'),
  }),
);

/** The command a step stands for, on the org's motions and votes as they are now. */
function commandOf(org: PureOrg, s: Extract<Step, { kind: 'act' }>): Command | undefined {
  const motions = [...org.state.motions.values()];
  const motion = motions[s.motion % Math.max(1, motions.length)];
  const vote = motion?.voteId ?? undefined;
  switch (s.what) {
    case 'move':
      return { type: 'move_motion', councilId: 'all', title: `Motion ${motions.length % 3}`, text: '' };
    case 'second':
      return motion && { type: 'second_motion', motionId: motion.id };
    case 'closure':
      return motion && { type: 'support_closure', motionId: motion.id };
    case 'open':
      return motion && { type: 'open_vote', motionId: motion.id, minutes: s.minutes };
    case 'withdraw':
      return motion && { type: 'withdraw_motion', motionId: motion.id };
    case 'ballot':
      return vote ? { type: 'cast_ballot', voteId: vote, ballot: { choice: s.choice } } : undefined;
    case 'close':
      return vote ? { type: 'close_vote', voteId: vote } : undefined;
    default:
      return motion && { type: 'post_comment', motionId: motion.id, stance: 'neutral', text: 'hm' };
  }
}

function run(org: PureOrg, steps: Step[], only?: string): void {
  for (const s of steps) {
    if (s.kind === 'wait') org.advanceMinutes(s.minutes);
    else {
      const who = only ?? people[s.who] ?? null;
      const c = commandOf(org, s);
      if (c) org.run(c, who);
    }
  }
}

/** Every phase change in the log obeys the procedure. */
function checkLog(log: Entry[]): void {
  const moved = new Map<string, { mover: string | null; agenda: string | null; closure: Set<string> }>();
  const votes = new Map<string, { motion: string; openedAt: string; closesAt: string; ballots: number }>();
  for (const e of log) {
    const at = Date.parse(e.time);
    if (e.act === 'motion_moved')
      moved.set(e.payload.motionId, {
        mover: e.actor,
        agenda: e.payload.seconders ? null : e.time,
        closure: new Set(),
      });
    if (e.act === 'motion_seconded') {
      const m = moved.get(e.payload.motionId)!;
      assert.notEqual(e.actor, m.mover, 'nobody seconds their own motion');
      if (e.payload.agenda) m.agenda = e.time;
    }
    if (e.act === 'closure_supported') moved.get(e.payload.motionId)!.closure.add(e.actor!);
    if (e.act === 'motion_withdrawn')
      assert.equal(e.actor, moved.get(e.payload.motionId)!.mover, 'only the mover withdraws');
    if (e.act === 'vote_opened') {
      const m = moved.get(e.payload.motionId)!;
      assert.ok(m.agenda !== null, 'a vote opens only on the agenda');
      const carried = m.closure.size >= closureShare;
      const afterMinimum = at >= Date.parse(m.agenda) + p.debateMinimumMinutes * 60_000;
      assert.ok(
        carried || (e.actor === m.mover && afterMinimum),
        'the mover after the minimum, or a closure',
      );
      assert.ok(Date.parse(e.payload.closesAt) - at >= p.votingMinimumMinutes * 60_000, 'the minimum vote');
      votes.set(e.payload.voteId, {
        motion: e.payload.motionId,
        openedAt: e.time,
        closesAt: e.payload.closesAt,
        ballots: 0,
      });
    }
    if (e.act === 'ballot_cast') votes.get(e.payload.voteId)!.ballots++;
    if (e.act === 'vote_closed') {
      const v = votes.get(e.payload.voteId)!;
      assert.ok(
        e.time >= v.closesAt || v.ballots === people.length,
        'a vote closes on time, or when all voted',
      );
    }
  }
}

describe('properties of the procedure (defaults, fake clock)', () => {
  test('random members in random order: every phase change obeys the rules, and the replay agrees', async () => {
    const logs: Entry[][] = [];
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 80, size: 'max' }), (steps) => {
        const org = council();
        org.must({ type: 'move_motion', councilId: 'all', title: 'First', text: '' }, 'ana');
        run(org, steps);
        checkLog(org.log);
        logs.push(org.log);
      }),
      { numRuns: 150 },
    );
    // the sequences do reach the phases the rules guard (else the property would hold vacuously)
    const acts = new Set(logs.flat().map((e) => e.act));
    for (const act of ['motion_seconded', 'vote_opened', 'vote_closed', 'motion_withdrawn'])
      assert.ok(acts.has(act as Entry['act']), `no sequence made a ${act}`);
    for (const log of logs.slice(0, 40)) {
      const checks = await replayEntries(log);
      assert.deepEqual(
        checks.filter((c) => c.status !== 'pass'),
        [],
      );
    }
  });

  test('one member alone cannot open, shorten, close or end another member’s motion', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ben', 'cai', 'dan', 'eve'),
        fc.boolean(),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        (attacker, seconded, steps) => {
          const org = council();
          const [moved] = org.must({ type: 'move_motion', councilId: 'all', title: 'Ours', text: '' }, 'ana');
          assert.ok(moved?.act === 'motion_moved');
          const id = moved.payload.motionId;
          if (seconded) org.must({ type: 'second_motion', motionId: id }, attacker);
          // the attacker alone, for as long as they like; every motion they name is ana's (motion 0)
          run(
            org,
            steps.map((s) => (s.kind === 'act' ? { ...s, motion: 0 } : s)),
            attacker,
          );
          const m = org.state.motions.get(id)!;
          assert.ok(['seconding', 'debate'].includes(m.state), `ana's motion is ${m.state}`);
          assert.equal(m.voteId, null);
        },
      ),
      { numRuns: 200 },
    );
  });
});
