// Votes: opening (the electorate is frozen), casting (one ballot per elector, only while they still sit; cast again,
// it replaces the earlier where the procedure allows), closing (on time, or as soon as every elector has voted) and
// the consequences of the result.
import { countVote, quorumRequired, type CountBallot, type CountReport } from '../../count/index.ts';
import { AGAINST, ballotProblem, isAbstention, supports, type BallotContent } from './ballot-content.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { InvalidCommand, reject, type Rejection } from '../kernel/errors.ts';
import { addMinutes } from '../kernel/time.ts';
import { recallReplyMinutes } from '../kernel/procedure-rules.ts';
import { termEndFor } from '../power/terms.ts';
import { payAdoption } from '../pay/decisions.ts';
import { recordResult } from './result-parts.ts';
import { admissionAdopted } from '../admission/decide.ts';
import { openingRefusal, revoteOpen } from '../procedure/decide.ts';
import {
  type Command,
  type Decision,
  newEntry,
  type NewEntry,
  type Payloads,
  type OrgState,
} from '../model.ts';
import type { DecisionSpec, Motion } from '../motions/types.ts';
import { councilMembers, isCouncilMember, mandateActive, openSeats } from '../organisation/membership.ts';
import type { Vote } from './types.ts';
import { ballotCount, hasVoted } from './settled.ts';

type VoteCommand = Extract<Command, { type: 'open_vote' | 'cast_ballot' | 'close_vote' }>;

export function decideVoteCommand(state: OrgState, c: VoteCommand, ctx: DecideContext): Decision {
  switch (c.type) {
    case 'open_vote':
      return openVote(state, c, ctx);
    case 'cast_ballot':
      return castBallot(state, c, ctx);
    case 'close_vote': {
      const vote = state.votes.get(c.voteId);
      if (!vote) return reject('not_found', 'no_such_vote');
      if (vote.closedAt !== null) return reject('vote_closed', 'vote_already_closed');
      if (ctx.actor !== null && !isCouncilMember(state, vote.councilId, ctx.actor, ctx.now)) {
        return reject('not_a_member');
      }
      if (ctx.now < vote.closesAt && (ballotsChangeable(state) || ballotCount(vote) < vote.electorate.size)) {
        return reject('too_early', 'voting_open_until', { closesAt: vote.closesAt });
      }
      return accept(...closeVote(state, vote, ctx));
    }
  }
}

function openVote(
  state: OrgState,
  c: Extract<VoteCommand, { type: 'open_vote' }>,
  ctx: DecideContext,
): Decision {
  const motion = state.motions.get(c.motionId);
  if (!motion) return reject('not_found', 'no_such_motion');
  const con = state.org!.constitution;
  const reply = recallReplyMinutes(con);
  if (
    motion.kind === 'recall' &&
    reply !== undefined &&
    motion.debateOpenedAt !== null &&
    addMinutes(motion.debateOpenedAt, reply) > ctx.now
  )
    return reject('right_of_reply', 'right_of_reply', {
      minutes: reply,
      from: addMinutes(motion.debateOpenedAt, reply),
    });
  const minutes = c.minutes ?? con.votingMinutes;
  if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > con.votingMinutes) {
    throw new InvalidCommand('voting_minutes_range', 'minutes', { max: con.votingMinutes });
  }
  const refused = openingCheck(state, motion, ctx.actor, minutes, ctx.now);
  if (refused) return refused;
  return accept(
    newEntry('vote_opened', ctx.actor, ctx.now, {
      voteId: ctx.newId('vote'),
      motionId: motion.id,
      options: motion.alternatives.map((a) => a.id),
      statusQuo: hasStatusQuo(motion.kind, motion.decision.method),
      seats: motion.kind === 'election' ? openSeats(state, motion.councilId, ctx.now) : 1,
      closesAt: addMinutes(ctx.now, minutes),
    }),
  );
}

/**
 * Why `actor` may not open a vote of `minutes` on the motion now, or null when they may (the motion's timeline
 * asks the same question for its buttons).
 */
export function openingCheck(
  state: OrgState,
  motion: Motion,
  actor: string | null,
  minutes: number,
  now: string,
): Rejection | null {
  if (!actor || !isCouncilMember(state, motion.councilId, actor, now)) return reject('not_a_member');
  const con = state.org!.constitution;
  if (con.procedure) {
    // The procedure's rules (docs/PROCEDURE.md): seconding, the mover or a closure, minimum debate and vote.
    const refused = openingRefusal(state, motion, actor, minutes, now);
    if (refused) return refused;
    if (motion.state !== 'debate' && !revoteOpen(state, con.procedure, motion))
      return reject('wrong_state', 'vote_opens_in_debate');
  } else {
    // The rules before the procedure block, for constitutions written then: any member, after the minimum.
    if (motion.state !== 'debate') return reject('wrong_state', 'vote_opens_in_debate');
    if (addMinutes(motion.debateOpenedAt!, con.debateMinimumMinutes) > now) {
      return reject('too_early', 'debate_minimum', { minutes: con.debateMinimumMinutes });
    }
  }
  if (motion.alternatives.length === 0) return reject('wrong_state', 'nothing_to_vote_on');
  if (motion.kind === 'recall' && !mandateActive(state.mandates.get(motion.mandateId!)!, now)) {
    return reject('wrong_state', 'mandate_ended');
  }
  if (motion.kind === 'election' && openSeats(state, motion.councilId, now) < 1)
    return reject('no_open_seat');
  return null;
}

/** "Against" (the status quo) is always a choice for a question; an election's ballot lists candidates. */
export const hasStatusQuo = (kind: Motion['kind'], method: string): boolean =>
  kind !== 'election' || method === 'majority';

/** The electorate a vote opened now in this council would freeze: its members, one vote each. */
export function electorateAt(
  state: OrgState,
  councilId: string,
  now: string,
): { memberId: string; weight: string }[] {
  return councilMembers(state, councilId, now).map((memberId) => ({ memberId, weight: '1' }));
}

/**
 * For the replay: an older `vote_opened` entry lists its electorate, and that list must be what the rules froze,
 * the council's members at the entry's time, each of weight 1 (`electorateAt`). Otherwise whoever can write the
 * log could add electors or weights (and so turn a result) and the recount would agree with the forged list.
 */
export function listedElectorateProblem(
  state: OrgState,
  p: { motionId: string; electorate?: { memberId: string; weight: string }[] },
  time: string,
): string | null {
  if (p.electorate === undefined) return null;
  const motion = state.motions.get(p.motionId);
  if (!motion) return null; // apply refuses the entry
  const key = (list: readonly { memberId: string; weight: string }[]) =>
    list.map((x) => `${x.memberId} ${x.weight}`).sort();
  const listed = key(p.electorate);
  const frozen = key(electorateAt(state, motion.councilId, time));
  if (listed.length === frozen.length && listed.every((x, i) => x === frozen[i])) return null;
  const extra = listed.find((x) => !frozen.includes(x));
  const missing = frozen.find((x) => !listed.includes(x));
  return (
    `the electorate it lists is not the council's members at that moment, each of weight 1 (` +
    (extra !== undefined ? `listed: ${extra}` : `not listed: ${missing}`) +
    ')'
  );
}

/**
 * For the replay: a member's `vote_opened` must open the vote the rules open when its command is decided again
 * (the same options, status quo, seats and closing time); the vote id is the log's own.
 */
export function openingProblem(logged: Payloads['vote_opened'], decided: readonly NewEntry[]): string | null {
  const d = decided.find((x) => x.act === 'vote_opened');
  if (d?.act !== 'vote_opened') return 'the rules open no vote';
  for (const k of ['options', 'statusQuo', 'seats', 'closesAt'] as const) {
    const [a, b] = [JSON.stringify(logged[k]), JSON.stringify(d.payload[k])];
    if (a !== b) return `its ${k} ${a} is not what the rules decide (${b})`;
  }
  return null;
}

/** Whether an open ballot may be replaced until the vote closes (procedure.ballotsChangeable; final by default). */
const ballotsChangeable = (state: OrgState): boolean =>
  state.org!.constitution.procedure?.ballotsChangeable === true;

export function ballotOptions(vote: Vote): string[] {
  return vote.statusQuo ? [...vote.options, AGAINST] : [...vote.options];
}

function castBallot(
  state: OrgState,
  c: Extract<VoteCommand, { type: 'cast_ballot' }>,
  ctx: DecideContext,
): Decision {
  const vote = state.votes.get(c.voteId);
  if (!vote) return reject('not_found', 'no_such_vote');
  const actor = ctx.actor;
  if (!actor || !vote.electorate.has(actor)) return reject('not_an_elector');
  // The electorate is frozen, but a deputy recalled since then has lost every right in the council at once.
  if (!isCouncilMember(state, vote.councilId, actor, ctx.now)) return reject('not_a_member');
  if (vote.closedAt !== null || ctx.now >= vote.closesAt) return reject('vote_closed');
  const replaces = hasVoted(vote, actor);
  const changeable = ballotsChangeable(state);
  if (replaces && !changeable) return reject('already_voted', 'ballot_final');
  const decision = state.motions.get(vote.motionId)!.decision;
  const problem = ballotProblem(c.ballot, {
    method: decision.method,
    options: ballotOptions(vote),
    ...(decision.maxScore !== undefined ? { maxScore: decision.maxScore } : {}),
  });
  if (problem) return reject('invalid_choice', problem.reason, problem.params);
  // A replacement is marked in the record; the earlier ballot stays there, and only the latest is counted.
  const cast = newEntry('ballot_cast', actor, ctx.now, {
    voteId: vote.id,
    ballot: c.ballot,
    ...(replaces ? { replaces: true as const } : {}),
  });
  // Where ballots can be changed, the vote runs to its time: closing it when the last elector votes would end
  // everyone's right to change theirs by one member's act.
  if (replaces || changeable || ballotCount(vote) + 1 < vote.electorate.size) return accept(cast);
  // The last elector has voted: the vote closes now, with the ballot included.
  const ballots = new Map(vote.ballots ?? []).set(actor, { ballot: c.ballot, castAt: ctx.now });
  return accept(cast, ...closeVote(state, { ...vote, ballots }, ctx));
}

export interface VoteResult {
  report: CountReport;
  outcome: 'adopted' | 'rejected' | 'no_quorum' | 'tie' | 'elected' | 'none_elected';
  winners: string[];
}

/** Counts a vote's ballots by its motion's method. Pure and total: every vote can be counted and closed. */
export function countBallots(vote: Vote, decision: DecisionSpec, isElection: boolean): VoteResult {
  if (!vote.ballots)
    throw new RangeError(`vote ${vote.id} is settled: its ballots are in the record, not the state`);
  const electorate = [...vote.electorate.values()].reduce((a, b) => a + b, 0n);
  const weighted = [...vote.ballots].map(([memberId, b]) => ({
    ...b.ballot,
    weight: vote.electorate.get(memberId)!,
  }));
  if (decision.method === 'majority') {
    const report = countVote(
      {
        method: 'majority',
        options: vote.options,
        majority: decision.rule ?? { kind: 'simple' },
        quorum: decision.quorum,
        electorate: electorate.toString(),
      },
      weighted as CountBallot[],
    );
    const m = (report.details as { majority: { outcome: VoteResult['outcome'] } }).majority;
    const outcome = isElection && m.outcome === 'adopted' ? 'elected' : m.outcome;
    const short = supportShort(vote, decision, weighted as BallotContent[]);
    if (outcome === 'adopted' && short) {
      report.explanation.push(short);
      report.winners = [];
      return { report, outcome: 'rejected', winners: [] };
    }
    return { report, outcome, winners: report.winners };
  }
  const present = weighted.reduce((a, b) => a + b.weight, 0n);
  const required = quorumRequired(decision.quorum, electorate);
  const options = ballotOptions(vote);
  const counted = weighted.filter((b) => !isAbstention(b as BallotContent));
  const base = {
    method: decision.method,
    winners: [],
    rounds: [],
    details: { present: `${present}`, required: `${required}` },
  };
  if (present < required) {
    return {
      report: {
        ...base,
        explanation: [`present ${present} of electorate ${electorate}; quorum requires ${required}`],
      },
      outcome: 'no_quorum',
      winners: [],
    };
  }
  if (counted.length === 0) {
    return {
      report: { ...base, explanation: ['no ballot expressed a preference'] },
      outcome: isElection ? 'none_elected' : 'rejected',
      winners: [],
    };
  }
  const report = countVote(
    {
      method: decision.method,
      options,
      seats: vote.seats,
      // Ties look back through earlier rounds, then fall to a lot seeded by the vote's id, fixed before any ballot.
      tieBreak: { kind: 'backwards', seed: vote.id },
      ...(decision.maxScore !== undefined ? { maxScore: decision.maxScore } : {}),
    },
    counted as CountBallot[],
  );
  report.explanation.unshift(`present ${present} of electorate ${electorate}; quorum requires ${required}`);
  const winners = report.winners.filter((w) => w !== AGAINST);
  if (isElection) return { report, outcome: winners.length ? 'elected' : 'none_elected', winners };
  const adopted = report.winners[0] !== undefined && report.winners[0] !== AGAINST;
  return { report, outcome: adopted ? 'adopted' : 'rejected', winners: adopted ? [report.winners[0]!] : [] };
}

/** Why an admission motion's ballots for the proposal are too few to carry it (DecisionSpec.support), or null. */
function supportShort(vote: Vote, decision: DecisionSpec, ballots: readonly BallotContent[]): string | null {
  if (decision.support === undefined) return null;
  const option = vote.options[0]!;
  const votes = ballots.filter((b) => !isAbstention(b) && supports(b, option)).length;
  return votes >= decision.support
    ? null
    : `an admission needs at least ${decision.support} votes for it; it has ${votes}, so it is not carried`;
}

/** Counts a vote and produces the closing entry and every consequence of the result. */
export function closeVote(state: OrgState, vote: Vote, ctx: DecideContext, counted?: VoteResult): NewEntry[] {
  const motion = state.motions.get(vote.motionId)!;
  const { report, outcome, winners } =
    counted ?? countBallots(vote, motion.decision, motion.kind === 'election');
  const actor = ctx.actor;
  const winner = winners[0] ?? null;
  // A report too large for one entry goes into parts written just before the closing (vote-result-parts.ts).
  const recorded = recordResult(vote.id, report, actor, ctx.now);
  const entries: NewEntry[] = [
    ...recorded.parts,
    newEntry('vote_closed', actor, ctx.now, {
      voteId: vote.id,
      ...recorded.fields,
      outcome,
      winner,
      winners,
    }),
    newEntry('motion_decided', actor, ctx.now, {
      motionId: motion.id,
      alternativeId: winner,
      adopted: winner !== null,
    }),
  ];
  if (winner === null) return entries;
  if (motion.kind === 'pay') {
    entries.push(...payAdoption(state, motion, winner, ctx));
  } else if (motion.kind === 'admission') {
    entries.push(...admissionAdopted(state, motion.id, ctx.now));
  } else if (motion.kind === 'recall') {
    const mandate = state.mandates.get(motion.mandateId!)!;
    if (mandateActive(mandate, ctx.now)) {
      entries.push(
        newEntry('mandate_ended', actor, ctx.now, {
          mandateId: mandate.id,
          reason: 'recalled',
          motionId: motion.id,
        }),
      );
    }
  } else if (motion.kind === 'election') {
    const open = openSeats(state, motion.councilId, ctx.now);
    for (const w of winners.slice(0, open)) {
      const alt = motion.alternatives.find((a) => a.id === w)!;
      entries.push(
        newEntry('mandate_started', actor, ctx.now, {
          mandateId: ctx.newId('mandate'),
          memberId: alt.candidateId!,
          councilId: motion.seatCouncilId!,
          fromCouncilId: motion.councilId,
          termEnds: termEndFor(state, motion.councilId, ctx.now, entries),
          motionId: motion.id,
        }),
      );
    }
  }
  return entries;
}
