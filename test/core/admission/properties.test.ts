// Property test (fast-check) of collective admission: random sequences of commands, by one member acting alone with
// the people they invite (who accept and then try everything a member could), the organisation's scheduler and a
// moving clock, never add an elector to a council of two or more, under either admission rule. The other members
// do nothing, so whatever gets through got through by one member alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { councilMembers, type Command } from '../../../src/core/index.ts';
import { PureOrg } from '../../support/pure-org.ts';
import { council, members, organisation } from '../../support/factory.ts';

type Step =
  | { kind: 'invite' }
  | { kind: 'accept'; pick: number }
  | { kind: 'approve' | 'object'; pick: number; who: number }
  | { kind: 'move'; who: number }
  | { kind: 'open' | 'close'; pick: number; who: number }
  | { kind: 'cast'; pick: number; who: number; admit: boolean }
  | { kind: 'due' }
  | { kind: 'wait'; minutes: number };

// Small picks, so the few invitations, motions and votes there are get chosen again and again.
const small = fc.nat({ max: 3 });
// Ana (0) half the time: she is the one trying; her invitees the rest.
const who = fc.oneof(fc.constant(0), small);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'invite' as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('accept' as const), pick: small }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('approve' as const, 'object' as const),
      pick: small,
      who,
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('move' as const), who }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('open' as const, 'close' as const),
      pick: small,
      who,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('cast' as const),
      pick: small,
      who,
      admit: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.constant({ kind: 'due' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      minutes: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 20_000 })),
    }),
    weight: 2,
  },
);

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);

describe('no single member alone can add an elector', () => {
  test('random commands by one member and their invitees, with a fake clock, under either rule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom('approvals', 'motion'),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        (size, by, steps) => {
          const org = new PureOrg();
          const founders = members('all', ...['Ana', 'Ben', 'Cai', 'Dan', 'Eve'].slice(0, size));
          org.must(
            organisation({
              name: 'X',
              councils: [council('all', 'All')],
              founders,
              constitution: { admission: { by } },
            }),
            null,
          );
          const before = councilMembers(org.state, 'all', org.now()).sort();
          // Ana acts; so do the people she brought in (her accounts, as far as the rules can tell).
          const actors = () => [
            'ana',
            ...[...org.state.admissions.values()].flatMap((a) => a.memberId ?? []),
          ];
          let n = 0;
          for (const s of steps) {
            const invitations = [...org.state.admissions.keys()];
            const motions = [...org.state.motions.keys()];
            const votes = [...org.state.votes.keys()];
            const who = 'who' in s ? pick(actors(), s.who)! : 'ana';
            let command: Command | undefined;
            let actor: string | null = who;
            switch (s.kind) {
              case 'invite':
                command = { type: 'issue_invitation', councilId: 'all', name: `P${n}` };
                break;
              case 'accept': {
                const inv = pick(invitations, s.pick);
                actor = `p${++n}`;
                if (inv) command = { type: 'accept_invitation', invitationId: inv, memberId: actor };
                break;
              }
              case 'approve':
              case 'object': {
                const inv = pick(invitations, s.pick);
                if (inv)
                  command =
                    s.kind === 'approve'
                      ? { type: 'approve_admission', invitationId: inv }
                      : { type: 'object_to_admission', invitationId: inv, text: 'no' };
                break;
              }
              case 'move':
                command = { type: 'move_motion', councilId: 'all', title: 'T', text: '' };
                break;
              case 'open': {
                const m = pick(motions, s.pick);
                if (m) command = { type: 'open_vote', motionId: m, minutes: 1 };
                break;
              }
              case 'close':
              case 'cast': {
                const v = pick(votes, s.pick);
                if (v)
                  command =
                    s.kind === 'close'
                      ? { type: 'close_vote', voteId: v }
                      : {
                          type: 'cast_ballot',
                          voteId: v,
                          ballot: {
                            choice:
                              s.kind === 'cast' && s.admit ? org.state.votes.get(v)!.options[0]! : 'against',
                          },
                        };
                break;
              }
              case 'due':
                command = { type: 'admit_due_members' };
                actor = null;
                break;
              case 'wait':
                org.advanceMinutes(s.minutes);
                break;
            }
            if (command) org.run(command, actor);
            // The scheduler closes votes on time, as the server's does.
            for (const v of org.state.votes.values())
              if (v.closedAt === null && v.closesAt <= org.now())
                org.run({ type: 'close_vote', voteId: v.id }, null);
            assert.deepEqual(councilMembers(org.state, 'all', org.now()).sort(), before);
          }
        },
      ),
      {
        numRuns: 1000,
        examples: [
          [
            2,
            'motion',
            [
              { kind: 'invite' },
              { kind: 'accept', pick: 0 },
              { kind: 'open', pick: 0, who: 0 },
              { kind: 'cast', pick: 0, who: 0, admit: true },
              { kind: 'wait', minutes: 2 },
            ],
          ],
        ],
      },
    );
  });
});
