// Property tests (fast-check) of the procedure on the defaults, with a fake clock: random sequences of commands
// by random members never open a vote before the minimum debate (unless 2/3 of the council carried a closure),
// never make a vote shorter than the minimum or close it early, and never end a motion but by its mover or its
// vote (or, unseconded for too long, by the organisation's lapse); a closure counts only support not withdrawn; a
// changed ballot replaces the earlier and is counted once; one member acting alone can do none of these to another's
// motion; and the replay accepts every log made. Run on the defaults and on a block that lets ballots change and
// motions lapse after three days, so those rules combine with the others.
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

/** The variant block: ballots may be changed, unseconded motions lapse after three days. */
const variant = { ballotsChangeable: true, unsecondedLapseDays: 3 };

function council(procedure?: typeof variant): PureOrg {
  const org = new PureOrg();
  org.must(
    {
      type: 'found_organisation',
      name: 'Works council',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: members('all', 'Ana', 'Ben', 'Cai', 'Dan', 'Eve'),
      ...(procedure ? { constitution: { procedure } } : {}),
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
      { arbitrary: fc.constantFrom('unclosure', 'lapse'), weight: 1 },
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
    case 'unclosure':
      return motion && { type: 'withdraw_closure_support', motionId: motion.id };
    case 'lapse':
      return motion && { type: 'lapse_motion', motionId: motion.id };
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
      const c = commandOf(org, s);
      // A withdrawal of closure support is tried mostly by a supporter (any member's is refused, and tried too).
      const supporters =
        c?.type === 'withdraw_closure_support' ? org.state.motions.get(c.motionId)!.closure : [];
      const who = only ?? supporters[s.who] ?? people[s.who] ?? null;
      if (c) org.run(c, who);
    }
  }
}

/** Every phase change in the log obeys the procedure (`lapseDays`, `changeable`: the block's settings). */
function checkLog(log: Entry[], lapseDays: number, changeable: boolean): void {
  const moved = new Map<
    string,
    { mover: string | null; agenda: string | null; closure: Set<string>; since: string }
  >();
  const votes = new Map<
    string,
    { motion: string; openedAt: string; closesAt: string; voters: Set<string> }
  >();
  for (const e of log) {
    const at = Date.parse(e.time);
    if (e.act === 'motion_moved')
      moved.set(e.payload.motionId, {
        mover: e.actor,
        agenda: e.payload.seconders ? null : e.time,
        closure: new Set(),
        since: e.time,
      });
    if (e.act === 'motion_seconded') {
      const m = moved.get(e.payload.motionId)!;
      assert.notEqual(e.actor, m.mover, 'nobody seconds their own motion');
      if (e.payload.agenda) m.agenda = e.time;
    }
    if (e.act === 'closure_supported') moved.get(e.payload.motionId)!.closure.add(e.actor!);
    if (e.act === 'closure_support_withdrawn') {
      const m = moved.get(e.payload.motionId)!;
      assert.ok(m.closure.has(e.actor!), 'only one’s own support is withdrawn');
      assert.ok(m.closure.size < closureShare, 'never once the closure is carried');
      m.closure.delete(e.actor!);
    }
    if (e.act === 'motion_lapsed') {
      const m = moved.get(e.payload.motionId)!;
      assert.equal(e.actor, null, 'only the organisation lapses a motion');
      assert.equal(m.agenda, null, 'a motion on the agenda never lapses');
      assert.ok(
        lapseDays > 0 && at >= Date.parse(m.since) + lapseDays * 24 * 3_600_000,
        'not before its time',
      );
    }
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
        voters: new Set(),
      });
    }
    if (e.act === 'ballot_cast') {
      const v = votes.get(e.payload.voteId)!;
      const again = v.voters.has(e.actor!);
      assert.equal(e.payload.replaces === true, again, 'a second ballot is marked as replacing the first');
      assert.ok(!again || changeable, 'a ballot is changed only where the block allows it');
      v.voters.add(e.actor!);
    }
    if (e.act === 'vote_closed') {
      const v = votes.get(e.payload.voteId)!;
      assert.ok(
        e.time >= v.closesAt || v.voters.size === people.length,
        'a vote closes on time, or when all voted',
      );
    }
  }
}

describe('properties of the procedure (defaults, fake clock)', () => {
  for (const block of [undefined, variant])
    test(`random members in random order: every phase change obeys the rules, and the replay agrees (${block ? 'changeable ballots, lapse after 3 days' : 'defaults'})`, async () => {
      const logs: Entry[][] = [];
      const lapseDays = block?.unsecondedLapseDays ?? p.unsecondedLapseDays!;
      fc.assert(
        fc.property(fc.array(step, { minLength: 20, maxLength: 80, size: 'max' }), (steps) => {
          const org = council(block);
          const [first] = org.must(
            { type: 'move_motion', councilId: 'all', title: 'First', text: '' },
            'ana',
          );
          if (block && first?.act === 'motion_moved') {
            // the variant starts with the first motion's vote open (a closure carried), so ballots get changed
            const motionId = first.payload.motionId;
            org.must({ type: 'second_motion', motionId }, 'ben');
            for (const who of ['ben', 'cai', 'dan', 'eve'])
              org.must({ type: 'support_closure', motionId }, who);
            org.must({ type: 'open_vote', motionId, minutes: p.votingMinimumMinutes }, 'ana');
          }
          run(org, steps);
          checkLog(org.log, lapseDays, block?.ballotsChangeable ?? false);
          logs.push(org.log);
        }),
        // A fixed seed: the check below that the sequences reach every guarded phase must not depend on luck (with a
        // random seed it failed about one run in eight); fast-check still draws 150 or 300 varied sequences.
        { numRuns: block ? 300 : 150, seed: block ? 1515 : 15 },
      );
      // the sequences do reach the phases the rules guard (else the property would hold vacuously)
      const acts = new Set(logs.flat().map((e) => e.act));
      const reached = ['motion_seconded', 'vote_opened', 'vote_closed', 'motion_withdrawn'];
      // the defaults' sequences withdraw closure support; the variant's, whose first vote opens at once, lapse
      reached.push(block ? 'motion_lapsed' : 'closure_support_withdrawn');
      for (const act of reached) assert.ok(acts.has(act as Entry['act']), `no sequence made a ${act}`);
      if (block)
        assert.ok(
          logs.flat().some((e) => e.act === 'ballot_cast' && e.payload.replaces),
          'no sequence changed a ballot',
        );
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
