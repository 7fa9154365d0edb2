// Votes: opening (the electorate is frozen), casting (one ballot per elector, only while they still sit),
// closing (on time, or as soon as every elector has voted) and the consequences of the result.
import { AGAINST, decideMajority } from '../count/majority.ts';
import type { Command, DecideContext } from './command.ts';
import { accept, type Decision } from './decision.ts';
import { newEntry, type NewEntry } from './entry.ts';
import { InvalidCommand, reject } from './errors.ts';
import { addMinutes, addDays } from './time.ts';
import {
  councilMembers,
  isCouncilMember,
  mandateActive,
  openSeats,
  type OrgState,
  type Vote,
} from './state.ts';

type VoteCommand = Extract<Command, { type: 'open_vote' | 'cast_ballot' | 'close_vote' }>;

export function decideVoteCommand(state: OrgState, c: VoteCommand, ctx: DecideContext): Decision {
  switch (c.type) {
    case 'open_vote':
      return openVote(state, c, ctx);
    case 'cast_ballot':
      return castBallot(state, c, ctx);
    case 'close_vote': {
      const vote = state.votes.get(c.voteId);
      if (!vote) return reject('not_found', 'no such vote');
      if (vote.closedAt !== null) return reject('vote_closed', 'this vote is already closed');
      if (ctx.actor !== null && !isCouncilMember(state, vote.councilId, ctx.actor, ctx.now)) {
        return reject('not_a_member');
      }
      if (ctx.now < vote.closesAt && vote.ballots.size < vote.electorate.size) {
        return reject('too_early', `voting is open until ${vote.closesAt}`);
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
  if (!motion) return reject('not_found', 'no such motion');
  if (!ctx.actor || !isCouncilMember(state, motion.councilId, ctx.actor, ctx.now))
    return reject('not_a_member');
  if (motion.state !== 'debate') return reject('wrong_state', 'voting opens on a motion in debate');
  const con = state.org!.constitution;
  if (addMinutes(motion.debateOpenedAt!, con.debateMinimumMinutes) > ctx.now) {
    return reject('too_early', `debate lasts at least ${con.debateMinimumMinutes} minutes`);
  }
  if (motion.alternatives.length === 0) return reject('wrong_state', 'there is nothing to vote on yet');
  if (motion.kind === 'recall' && !mandateActive(state.mandates.get(motion.mandateId!)!, ctx.now)) {
    return reject('wrong_state', 'this mandate has already ended');
  }
  const minutes = c.minutes ?? con.votingMinutes;
  if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > con.votingMinutes) {
    throw new InvalidCommand(`minutes must be an integer from 1 to ${con.votingMinutes}`, 'minutes');
  }
  const electorate = councilMembers(state, motion.councilId, ctx.now).map((memberId) => ({
    memberId,
    weight: '1',
  }));
  return accept(
    newEntry('vote_opened', ctx.actor, ctx.now, {
      voteId: ctx.newId('vote'),
      motionId: motion.id,
      options: motion.alternatives.map((a) => a.id),
      electorate,
      closesAt: addMinutes(ctx.now, minutes),
    }),
  );
}

function castBallot(
  state: OrgState,
  c: Extract<VoteCommand, { type: 'cast_ballot' }>,
  ctx: DecideContext,
): Decision {
  const vote = state.votes.get(c.voteId);
  if (!vote) return reject('not_found', 'no such vote');
  const actor = ctx.actor;
  if (!actor || !vote.electorate.has(actor)) return reject('not_an_elector');
  // The electorate is frozen, but a deputy recalled since then has lost every right in the council at once.
  if (!isCouncilMember(state, vote.councilId, actor, ctx.now)) return reject('not_a_member');
  if (vote.closedAt !== null || ctx.now >= vote.closesAt) return reject('vote_closed');
  if (vote.ballots.has(actor)) return reject('already_voted');
  if (c.choice !== null && c.choice !== AGAINST && !vote.options.includes(c.choice)) {
    return reject('invalid_choice', `choose one of ${[...vote.options, AGAINST].join(', ')}, or abstain`);
  }
  const cast = newEntry('ballot_cast', actor, ctx.now, { voteId: vote.id, choice: c.choice });
  if (vote.ballots.size + 1 < vote.electorate.size) return accept(cast);
  // The last elector has voted: the vote closes now, with the ballot included.
  const ballots = new Map(vote.ballots).set(actor, { choice: c.choice, castAt: ctx.now });
  return accept(cast, ...closeVote(state, { ...vote, ballots }, ctx));
}

/** Counts a vote and produces the closing entry and every consequence of the result. */
export function closeVote(state: OrgState, vote: Vote, ctx: DecideContext): NewEntry[] {
  const motion = state.motions.get(vote.motionId)!;
  const electorate = [...vote.electorate.values()].reduce((a, b) => a + b, 0n);
  const report = decideMajority({
    alternatives: vote.options,
    ballots: [...vote.ballots].map(([memberId, b]) => ({
      choice: b.choice,
      weight: vote.electorate.get(memberId)!,
    })),
    electorate,
    rule: motion.decision.rule,
    quorum: motion.decision.quorum,
  });
  const actor = ctx.actor;
  const entries: NewEntry[] = [
    newEntry('vote_closed', actor, ctx.now, {
      voteId: vote.id,
      result: report,
      outcome: report.outcome,
      winner: report.winner,
    }),
    newEntry('motion_decided', actor, ctx.now, {
      motionId: motion.id,
      alternativeId: report.winner,
      adopted: report.winner !== null,
    }),
  ];
  if (report.winner === null) return entries;
  if (motion.kind === 'recall') {
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
  } else if (motion.kind === 'election' && openSeats(state, motion.councilId, ctx.now) > 0) {
    const alt = motion.alternatives.find((a) => a.id === report.winner)!;
    entries.push(
      newEntry('mandate_started', actor, ctx.now, {
        mandateId: ctx.newId('mandate'),
        memberId: alt.candidateId!,
        councilId: motion.seatCouncilId!,
        fromCouncilId: motion.councilId,
        termEnds: addDays(ctx.now, state.org!.constitution.deputyTermDays),
        motionId: motion.id,
      }),
    );
  }
  return entries;
}
