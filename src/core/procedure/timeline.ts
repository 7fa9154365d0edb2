// A motion's timeline (docs/PROCEDURE.md "The timeline"): the phase it is in, what it went through, what may happen
// next, who may do it and from when, and what the member looking at it may do now. Derived from the state and a
// time given by the caller; the web app words it.
import type { Fraction } from '../../count/majority.ts';
import { closureNeeded, type Procedure } from '../kernel/procedure-rules.ts';
import { addMinutes } from '../kernel/time.ts';
import type { OrgState } from '../model.ts';
import type { MotionState } from '../motions/types.ts';
import { councilMembers, isCouncilMember } from '../organisation/membership.ts';
import { powerRules } from '../power/state.ts';
import { openingCheck } from '../votes/decide.ts';
import { decideMotionCommand } from '../motions/decide.ts';
import {
  debateMinimum,
  decideProcedureCommand,
  lapsesAt,
  noQuorumVotes,
  procedureOf,
  revoteOpen,
  voteOpensFrom,
  votingMinimum,
} from './decide.ts';

/** Who may take a step: its mover, any member, members other than the mover, or the organisation (on time). */
export type StepBy = 'mover' | 'members' | 'others' | 'organisation';

export type NextStep =
  | { act: 'second'; by: 'others'; needed: number; have: number }
  | { act: 'lapses'; by: 'organisation'; at: string }
  | { act: 'open_vote'; by: 'mover' | 'members'; from: string }
  | { act: 'closure'; by: 'members'; share: Fraction; needed: number; have: number }
  | { act: 'vote_opens'; by: 'organisation'; at: string }
  | { act: 'withdraw'; by: 'mover' }
  | { act: 'close_vote'; by: 'organisation'; at: string }
  | { act: 'revote'; by: 'mover' | 'members'; left: number };

export interface MotionTimeline {
  motionId: string;
  phase: MotionState;
  /** Whether the constitution's procedure block governs (false: the rules before it, for older organisations). */
  procedure: boolean;
  emergency: boolean;
  /** What happened, in order: moved, on the agenda (debate), each vote opened and closed, ended. */
  events: { event: 'moved' | 'agenda' | 'vote_opened' | 'vote_closed' | 'ended'; at: string }[];
  /** The minimums that apply to this motion now (null: none under the old rules). */
  debateMinimumMinutes: number;
  votingMinimumMinutes: number | null;
  votingMaximumMinutes: number;
  seconders: { needed: number; by: string[] };
  closure: { share: Fraction; needed: number; by: string[]; carriedAt: string | null } | null;
  next: NextStep[];
  /** Whether an open ballot may be cast again until the vote closes, replacing the earlier. */
  ballotsChangeable: boolean;
  /** What the member asking may do now. */
  may: {
    second: boolean;
    closure: boolean;
    /** Withdraw their own support for closure (until the closure is carried). */
    withdrawClosure: boolean;
    openVote: boolean;
    withdraw: boolean;
    /** Attach a minority statement to the decision (the core's rule: docs/PROCEDURE.md "Minority statements"). */
    statement: boolean;
  };
}

const beforeVote: readonly MotionState[] = ['draft', 'seconding', 'debate'];

/** The timeline of a motion seen by `viewer` (a member id, or null) at `now`; undefined for no such motion. */
export function motionTimeline(
  state: OrgState,
  motionId: string,
  viewer: string | null,
  now: string,
): MotionTimeline | undefined {
  const m = state.motions.get(motionId);
  if (!m || !state.org) return undefined;
  const p = procedureOf(state);
  const con = state.org.constitution;
  const members = councilMembers(state, m.councilId, now);
  const votes = [...state.votes.values()].filter((v) => v.motionId === m.id);
  const events: MotionTimeline['events'] = [{ event: 'moved', at: m.movedAt }];
  if (m.debateOpenedAt !== null) events.push({ event: 'agenda', at: m.debateOpenedAt });
  for (const v of votes) {
    events.push({ event: 'vote_opened', at: v.openedAt });
    if (v.closedAt !== null) events.push({ event: 'vote_closed', at: v.closedAt });
  }
  if (m.endedAt !== null) events.push({ event: 'ended', at: m.endedAt });
  const next: NextStep[] = [];
  if (m.state === 'seconding')
    next.push({ act: 'second', by: 'others', needed: m.secondersNeeded, have: m.seconders.length });
  const lapse = lapsesAt(state, m);
  if (lapse !== null) next.push({ act: 'lapses', by: 'organisation', at: lapse });
  if (m.state === 'debate') next.push(...debateSteps(state, m.id, p, members.length));
  if (beforeVote.includes(m.state) && m.moverId !== null) next.push({ act: 'withdraw', by: 'mover' });
  const open = m.voteId !== null ? state.votes.get(m.voteId) : undefined;
  if (m.state === 'voting' && open && open.closedAt === null && !open.secret)
    next.push({ act: 'close_vote', by: 'organisation', at: open.closesAt });
  if (p && revoteOpen(state, p, m))
    next.push({
      act: 'revote',
      by: m.moverId === null ? 'members' : 'mover',
      left: p.quorumRevotes - noQuorumVotes(state, m.id) + 1,
    });
  const ctx = { actor: viewer, now, newId: (k: string) => k };
  const ok = (c: { type: 'second_motion' | 'support_closure' | 'withdraw_closure_support' }) =>
    viewer !== null && decideProcedureCommand(state, { ...c, motionId: m.id }, ctx).ok;
  const sitting = viewer !== null && isCouncilMember(state, m.councilId, viewer, now);
  return {
    motionId: m.id,
    phase: m.state,
    procedure: p !== undefined,
    emergency: m.emergency,
    events,
    debateMinimumMinutes: p ? debateMinimum(p, m) : con.debateMinimumMinutes,
    votingMinimumMinutes: p ? votingMinimum(p, m) : null,
    votingMaximumMinutes: con.votingMinutes,
    seconders: { needed: m.secondersNeeded, by: [...m.seconders] },
    closure: p
      ? {
          share: p.closure,
          needed: closureNeeded(p, members.length),
          by: m.closure.filter((x) => members.includes(x)),
          carriedAt: m.closureCarriedAt,
        }
      : null,
    next,
    ballotsChangeable: p?.ballotsChangeable === true,
    may: {
      second: ok({ type: 'second_motion' }),
      closure: p !== undefined && ok({ type: 'support_closure' }),
      withdrawClosure: p !== undefined && ok({ type: 'withdraw_closure_support' }),
      openVote: openingCheck(state, m, viewer, p ? votingMinimum(p, m) : con.votingMinutes, now) === null,
      withdraw: sitting && m.moverId === viewer && beforeVote.includes(m.state),
      statement:
        viewer !== null &&
        decideMotionCommand(state, { type: 'attach_minority_statement', motionId: m.id, text: '.' }, ctx).ok,
    },
  };
}

const petitioned = (state: OrgState, motionId: string): boolean =>
  [...state.power.petitions.values()].some((p) => p.motionId === motionId);

function debateSteps(
  state: OrgState,
  motionId: string,
  p: Procedure | undefined,
  members: number,
): NextStep[] {
  const m = state.motions.get(motionId)!;
  const con = state.org!.constitution;
  const steps: NextStep[] = [];
  if (!p) {
    steps.push({
      act: 'open_vote',
      by: 'members',
      from: addMinutes(m.debateOpenedAt!, con.debateMinimumMinutes),
    });
    return steps;
  }
  if (m.closureCarriedAt !== null) {
    steps.push({ act: 'open_vote', by: 'members', from: m.closureCarriedAt });
    return steps;
  }
  steps.push({ act: 'open_vote', by: m.moverId !== null ? 'mover' : 'members', from: voteOpensFrom(p, m)! });
  if (m.moverId === null && petitioned(state, m.id)) {
    const max = powerRules(state).petitions.debateMaxMinutes;
    steps.push({ act: 'vote_opens', by: 'organisation', at: addMinutes(m.debateOpenedAt!, max) });
  }
  steps.push({
    act: 'closure',
    by: 'members',
    share: p.closure,
    needed: closureNeeded(p, members),
    have: m.closure.length,
  });
  return steps;
}
