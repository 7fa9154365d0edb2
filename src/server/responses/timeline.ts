// Response schema of a motion's timeline (GET /orgs/:org/motions/:motion/timeline; src/core/procedure/timeline.ts).
import { Type, type Static } from '@sinclair/typebox';
import { Count, Nullable, Obj, Time } from './common.ts';

const Share = Obj({ num: Count, den: Count });

export const NextStep = Type.Union([
  Obj({ act: Type.Literal('second'), by: Type.Literal('others'), needed: Count, have: Count }),
  Obj({ act: Type.Literal('lapses'), by: Type.Literal('organisation'), at: Time }),
  Obj({
    act: Type.Literal('open_vote'),
    by: Type.Union([Type.Literal('mover'), Type.Literal('members')]),
    from: Time,
  }),
  Obj({
    act: Type.Literal('closure'),
    by: Type.Literal('members'),
    share: Share,
    needed: Count,
    have: Count,
  }),
  Obj({ act: Type.Literal('vote_opens'), by: Type.Literal('organisation'), at: Time }),
  Obj({ act: Type.Literal('withdraw'), by: Type.Literal('mover') }),
  Obj({ act: Type.Literal('close_vote'), by: Type.Literal('organisation'), at: Time }),
  Obj({
    act: Type.Literal('revote'),
    by: Type.Union([Type.Literal('mover'), Type.Literal('members')]),
    left: Count,
  }),
]);
export type NextStep = Static<typeof NextStep>;

export const MotionTimeline = Obj({
  motionId: Type.String(),
  phase: Type.String(),
  procedure: Type.Boolean({
    description: 'false: the rules before the procedure block, for older organisations',
  }),
  emergency: Type.Boolean(),
  events: Type.Array(
    Obj({
      event: Type.Union(
        ['moved', 'agenda', 'vote_opened', 'vote_closed', 'ended'].map((e) => Type.Literal(e)),
      ),
      at: Time,
    }),
  ),
  debateMinimumMinutes: Count,
  votingMinimumMinutes: Nullable(Count),
  votingMaximumMinutes: Count,
  seconders: Obj({ needed: Count, by: Type.Array(Type.String()) }),
  closure: Nullable(
    Obj({ share: Share, needed: Count, by: Type.Array(Type.String()), carriedAt: Nullable(Time) }),
  ),
  next: Type.Array(NextStep),
  ballotsChangeable: Type.Boolean({
    description: 'whether an open ballot may be cast again until the vote closes, replacing the earlier',
  }),
  may: Obj({
    second: Type.Boolean(),
    closure: Type.Boolean(),
    withdrawClosure: Type.Boolean({ description: 'withdraw your support for closure, until it is carried' }),
    openVote: Type.Boolean(),
    withdraw: Type.Boolean(),
    statement: Type.Boolean({ description: 'attach a minority statement to the decision' }),
  }),
});
export type MotionTimeline = Static<typeof MotionTimeline>;
