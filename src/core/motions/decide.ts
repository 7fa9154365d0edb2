// Motions: moving, debating, alternatives and amendments, withdrawal, minority statements, elections, recalls.
import { methodIds, type MethodId } from '../../count/index.ts';
import { electionMethods, motionMethods } from '../../lib/methods.ts';
import { votedInMinority } from '../votes/settled.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { InvalidCommand, reject } from '../kernel/errors.ts';
import { checkText, limits } from '../kernel/limits.ts';
import { termLimitProblem } from '../power/terms.ts';
import { secretBallotTooLarge, withSecret } from '../secret/decide.ts';
import { checkScheme, payAlternative } from '../pay/decisions.ts';
import { checkEntrySize } from '../kernel/entry-size.ts';
import { type Command, type Decision, newEntry, type OrgState } from '../model.ts';
import type { MajorityChoice, AlternativeSpec, DecisionSpec, Motion } from './types.ts';
import { isCouncilMember, mandateActive, openSeats } from '../organisation/membership.ts';
import { coolingOffRefusal, decideProcedureCommand, procedureOf, secondersFor } from '../procedure/decide.ts';

type MotionCommand = Extract<
  Command,
  {
    type:
      | 'move_motion'
      | 'move_pay_motion'
      | 'call_election'
      | 'move_recall'
      | 'open_debate'
      | 'second_motion'
      | 'support_closure'
      | 'propose_alternative'
      | 'post_comment'
      | 'withdraw_motion'
      | 'attach_minority_statement';
  }
>;

export { electionMethods, motionMethods };

/** A motion is under way from when it is put up until its vote closes; before its vote, it can still change. */
const underWay: readonly string[] = ['seconding', 'debate', 'voting'];
const beforeVote: readonly string[] = ['draft', 'seconding', 'debate'];

/** What a motion put up now records of the procedure: the seconders it needs before its debate, if any. */
function putUp(state: OrgState, councilId: string, draft: boolean, now: string): { seconders?: number } {
  const n = draft ? 0 : secondersFor(state, councilId, now);
  return n > 0 ? { seconders: n } : {};
}

/**
 * An emergency motion's decision (a supermajority of the procedure's emergency share, by majority vote), a
 * refusal when the constitution offers none, or null for an ordinary motion.
 */
function emergencySpec(
  state: OrgState,
  c: Extract<MotionCommand, { type: 'move_motion' }>,
): DecisionSpec | ReturnType<typeof reject> | null {
  if (c.emergency === undefined || c.emergency === false) return null;
  if (c.emergency !== true) throw new InvalidCommand('not_boolean', 'emergency');
  const e = procedureOf(state)?.emergency;
  if (!e) return reject('no_emergency_procedure');
  if ((c.method ?? 'majority') !== 'majority') throw new InvalidCommand('emergency_by_majority', 'method');
  if (c.majority !== undefined && c.majority !== 'supermajority')
    throw new InvalidCommand('emergency_supermajority', 'majority');
  return {
    method: 'majority',
    rule: { kind: 'supermajority', ...e.majority },
    quorum: state.org!.constitution.quorum,
  };
}

function methodSpec(
  state: OrgState,
  method: MethodId | undefined,
  allowed: readonly MethodId[],
  choice: MajorityChoice | undefined,
  maxScore: number | undefined,
): DecisionSpec {
  const m = method ?? 'majority';
  if (!methodIds.includes(m) || !allowed.includes(m)) {
    throw new InvalidCommand('method_one_of', 'method', { methods: allowed.join(', ') });
  }
  if (m === 'majority') return decisionSpec(state, choice);
  if (choice !== undefined && choice !== 'ordinary') {
    throw new InvalidCommand('majority_method_only', 'majority');
  }
  const spec: DecisionSpec = { method: m, quorum: state.org!.constitution.quorum };
  if (m === 'score') {
    const max = maxScore ?? 5;
    if (!Number.isSafeInteger(max) || max < 1 || max > 100)
      throw new InvalidCommand('max_score_range', 'maxScore');
    spec.maxScore = max;
  } else if (maxScore !== undefined) throw new InvalidCommand('max_score_score_only', 'maxScore');
  return spec;
}

function decisionSpec(state: OrgState, choice: MajorityChoice | undefined): DecisionSpec {
  const c = state.org!.constitution;
  switch (choice ?? 'ordinary') {
    case 'ordinary':
      return { method: 'majority', rule: c.majority, quorum: c.quorum };
    case 'absolute':
      return { method: 'majority', rule: { kind: 'absolute' }, quorum: c.quorum };
    case 'supermajority':
      return { method: 'majority', rule: { kind: 'supermajority', ...c.supermajority }, quorum: c.quorum };
    default:
      throw new InvalidCommand('majority_choice', 'majority');
  }
}

export function decideMotionCommand(state: OrgState, c: MotionCommand, ctx: DecideContext): Decision {
  if (!ctx.actor) return reject('not_allowed', 'only_a_member');
  const actor = ctx.actor;
  switch (c.type) {
    case 'move_motion': {
      if (!state.councils.has(c.councilId)) return reject('not_found', 'no_such_council');
      if (!isCouncilMember(state, c.councilId, actor, ctx.now)) return reject('not_a_member');
      const title = checkText(c.title, 'title', limits.title);
      const text = checkText(c.text, 'text', limits.text, true);
      const cooling = coolingOffRefusal(state, { councilId: c.councilId, title }, ctx.now);
      if (cooling) return cooling;
      const given = c.alternatives ?? [];
      if (!Array.isArray(given) || given.length > limits.alternatives) {
        throw new InvalidCommand('alternatives_list', 'alternatives', { max: limits.alternatives });
      }
      // A motion with no alternatives listed is a single proposal, "a1", of its own title and text: the entry
      // leaves them out and apply derives it, so a long text is not written twice.
      const alts: AlternativeSpec[] = given.map((a, i) => ({
        id: `a${i + 1}`,
        title: checkText(a.title, `alternatives[${i}].title`, limits.title),
        text: checkText(a.text, `alternatives[${i}].text`, limits.text, true),
      }));
      const emergency = emergencySpec(state, c);
      if (emergency && !('method' in emergency)) return emergency;
      const decision = withSecret(
        state,
        emergency ?? methodSpec(state, c.method, motionMethods, c.majority, c.maxScore),
        c.secret,
        c.councilId,
        ctx.now,
      );
      // Everything moved at once is one entry: long alternatives are proposed one by one after (each its entry).
      const moved = newEntry('motion_moved', actor, ctx.now, {
        motionId: ctx.newId('motion'),
        councilId: c.councilId,
        kind: 'ordinary',
        title,
        text,
        draft: c.draft === true,
        ...(alts.length > 0 ? { alternatives: alts } : {}),
        decision,
        ...putUp(state, c.councilId, c.draft === true, ctx.now),
        ...(emergency ? { emergency: true as const } : {}),
      });
      const tooLarge = secretBallotTooLarge('ordinary', decision, Math.max(1, alts.length));
      if (tooLarge) throw new InvalidCommand(tooLarge.problem, 'alternatives', tooLarge.params);
      const hint = given.length ? 'entry_too_large_alternatives' : 'entry_too_large_text';
      return accept(checkEntrySize(moved, given.length ? 'alternatives' : 'text', hint));
    }
    case 'move_pay_motion': {
      // A pay motion: one alternative carrying a scheme (more may be proposed); the status quo is the current one.
      if (!state.councils.has(c.councilId)) return reject('not_found', 'no_such_council');
      if (!isCouncilMember(state, c.councilId, actor, ctx.now)) return reject('not_a_member');
      const title = checkText(c.title, 'title', limits.title);
      const text = checkText(c.text, 'text', limits.text, true);
      const cooling = coolingOffRefusal(state, { councilId: c.councilId, title }, ctx.now);
      if (cooling) return cooling;
      const scheme = checkScheme(c.scheme);
      const altTitle = checkText(c.schemeTitle ?? scheme.name, 'schemeTitle', limits.title);
      const entry = newEntry('motion_moved', actor, ctx.now, {
        motionId: ctx.newId('motion'),
        councilId: c.councilId,
        kind: 'pay',
        title,
        text,
        draft: c.draft === true,
        alternatives: [{ id: 'a1', title: altTitle, text: '', scheme }],
        decision: withSecret(
          state,
          methodSpec(state, c.method, motionMethods, c.majority, c.maxScore),
          c.secret,
          c.councilId,
          ctx.now,
        ),
        ...putUp(state, c.councilId, c.draft === true, ctx.now),
      });
      return accept(checkEntrySize(entry, 'scheme', 'entry_too_large_scheme'));
    }
    case 'call_election': {
      const council = state.councils.get(c.councilId);
      if (!council) return reject('not_found', 'no_such_council');
      if (!isCouncilMember(state, c.councilId, actor, ctx.now)) return reject('not_a_member');
      if (council.parentId === null) return reject('not_allowed', 'root_sends_no_deputies');
      if (openSeats(state, c.councilId, ctx.now) < 1) return reject('no_open_seat');
      const parent = state.councils.get(council.parentId)!;
      const open = [...state.motions.values()].some(
        (m) => m.kind === 'election' && m.councilId === c.councilId && underWay.includes(m.state),
      );
      if (open) return reject('already_exists', 'election_under_way');
      const seats = openSeats(state, c.councilId, ctx.now);
      const title = checkText(
        c.title ?? `Election of ${seats === 1 ? 'a deputy' : `${seats} deputies`} to ${parent.name}`,
        'title',
        limits.title,
      );
      return accept(
        newEntry('motion_moved', actor, ctx.now, {
          motionId: ctx.newId('motion'),
          councilId: c.councilId,
          kind: 'election',
          title,
          text: checkText(c.text ?? '', 'text', limits.text, true),
          draft: false,
          alternatives: [],
          decision: withSecret(
            state,
            methodSpec(state, c.method, electionMethods, undefined, undefined),
            c.secret,
            c.councilId,
            ctx.now,
          ),
          seatCouncilId: parent.id,
          ...putUp(state, c.councilId, false, ctx.now),
        }),
      );
    }
    case 'move_recall': {
      const mandate = state.mandates.get(c.mandateId);
      if (!mandate) return reject('not_found', 'no_such_mandate');
      // The electors of a deputy are the members of the council that sent them: any of them may move a recall.
      if (!isCouncilMember(state, mandate.fromCouncilId, actor, ctx.now)) return reject('not_a_member');
      if (!mandateActive(mandate, ctx.now)) return reject('wrong_state', 'mandate_ended');
      const pending = [...state.motions.values()].some(
        (m) => m.kind === 'recall' && m.mandateId === mandate.id && underWay.includes(m.state),
      );
      if (pending) return reject('already_exists', 'recall_under_way');
      const cooling = coolingOffRefusal(
        state,
        { councilId: mandate.fromCouncilId, mandateId: mandate.id },
        ctx.now,
      );
      if (cooling) return cooling;
      const deputy = state.members.get(mandate.memberId)!;
      const parent = state.councils.get(mandate.councilId)!;
      const con = state.org!.constitution;
      return accept(
        newEntry('motion_moved', actor, ctx.now, {
          motionId: ctx.newId('motion'),
          councilId: mandate.fromCouncilId,
          kind: 'recall',
          title: `Recall ${deputy.name} from ${parent.name}`,
          text: checkText(c.text, 'text', limits.text, true),
          draft: false,
          alternatives: [{ id: 'recall', title: `Recall ${deputy.name}`, text: '' }],
          decision: { method: 'majority', rule: con.recall.majority, quorum: con.recall.quorum },
          mandateId: mandate.id,
          ...putUp(state, mandate.fromCouncilId, false, ctx.now),
        }),
      );
    }
    default:
      return onMotion(state, c, ctx, actor);
  }
}

function onMotion(
  state: OrgState,
  c: Extract<MotionCommand, { motionId: string }>,
  ctx: DecideContext,
  actor: string,
): Decision {
  const motion = state.motions.get(c.motionId);
  if (!motion) return reject('not_found', 'no_such_motion');
  if (!isCouncilMember(state, motion.councilId, actor, ctx.now)) return reject('not_a_member');
  switch (c.type) {
    case 'open_debate':
      if (motion.moverId !== actor) return reject('not_allowed', 'mover_opens_debate');
      if (motion.state !== 'draft') return reject('wrong_state', 'only_draft_debated');
      return accept(
        newEntry('debate_opened', actor, ctx.now, {
          motionId: motion.id,
          ...putUp(state, motion.councilId, false, ctx.now),
        }),
      );
    case 'propose_alternative':
      return proposeAlternative(state, motion, c, ctx, actor);
    case 'second_motion':
    case 'support_closure':
      return decideProcedureCommand(state, c, ctx);
    case 'post_comment': {
      if (!['draft', 'seconding', 'debate', 'voting'].includes(motion.state)) {
        return reject('wrong_state', 'debate_ended');
      }
      if (!['for', 'against', 'neutral'].includes(c.stance)) {
        throw new InvalidCommand('stance', 'stance');
      }
      if (c.replyTo !== undefined && !motion.comments.some((x) => x.id === c.replyTo)) {
        return reject('not_found', 'no_such_comment');
      }
      return accept(
        newEntry('comment_posted', actor, ctx.now, {
          motionId: motion.id,
          commentId: ctx.newId('comment'),
          stance: c.stance,
          text: checkText(c.text, 'text', limits.comment),
          ...(c.replyTo !== undefined ? { replyTo: c.replyTo } : {}),
        }),
      );
    }
    case 'withdraw_motion':
      if (motion.moverId !== actor) return reject('not_allowed', 'mover_withdraws');
      if (!beforeVote.includes(motion.state)) {
        return reject('wrong_state', 'withdraw_before_vote');
      }
      return accept(newEntry('motion_withdrawn', actor, ctx.now, { motionId: motion.id }));
    case 'attach_minority_statement':
      return minorityStatement(state, motion, c, ctx, actor);
  }
}

function proposeAlternative(
  state: OrgState,
  motion: Motion,
  c: Extract<MotionCommand, { type: 'propose_alternative' }>,
  ctx: DecideContext,
  actor: string,
): Decision {
  if (!beforeVote.includes(motion.state)) {
    return reject('wrong_state', 'alternatives_before_vote');
  }
  if (motion.kind === 'recall') return reject('not_allowed', 'recall_no_alternatives');
  if (motion.kind === 'admission') return reject('not_allowed', 'admission_no_alternatives');
  if (motion.alternatives.length >= limits.alternatives) {
    return reject('not_allowed', 'alternatives_limit', { max: limits.alternatives });
  }
  const tooLarge = secretBallotTooLarge(motion.kind, motion.decision, motion.alternatives.length + 1);
  if (tooLarge) return reject('not_allowed', tooLarge.problem, tooLarge.params);
  const alt: AlternativeSpec = {
    id: `a${motion.alternatives.length + 1}`,
    title: checkText(c.title, 'title', limits.title),
    text: checkText(c.text, 'text', limits.text, true),
  };
  if (c.amends !== undefined) {
    if (!motion.alternatives.some((a) => a.id === c.amends))
      return reject('not_found', 'no_such_alternative');
    alt.amends = c.amends;
  }
  const withScheme = payAlternative(motion, alt, c.scheme);
  if (withScheme !== alt) {
    const entry = newEntry('alternative_proposed', actor, ctx.now, {
      motionId: motion.id,
      alternative: withScheme,
    });
    return accept(checkEntrySize(entry, 'scheme', 'entry_too_large_scheme'));
  }
  if (motion.kind === 'election') {
    if (c.candidateId === undefined) throw new InvalidCommand('candidate_needed', 'candidateId');
    if (!isCouncilMember(state, motion.councilId, c.candidateId, ctx.now)) {
      return reject('not_allowed', 'candidate_not_member');
    }
    if (motion.alternatives.some((a) => a.candidateId === c.candidateId)) {
      return reject('already_exists', 'already_stands');
    }
    const limit = termLimitProblem(state, c.candidateId, motion.councilId, motion.seatCouncilId!, ctx.now);
    if (limit) return limit;
    alt.candidateId = c.candidateId;
  } else if (c.candidateId !== undefined) {
    throw new InvalidCommand('candidates_election_only', 'candidateId');
  }
  const proposed = newEntry('alternative_proposed', actor, ctx.now, {
    motionId: motion.id,
    alternative: alt,
  });
  return accept(checkEntrySize(proposed, 'text', 'entry_too_large_text'));
}

function minorityStatement(
  state: OrgState,
  motion: Motion,
  c: Extract<MotionCommand, { type: 'attach_minority_statement' }>,
  ctx: DecideContext,
  actor: string,
): Decision {
  if (!['decided', 'failed'].includes(motion.state)) {
    return reject('wrong_state', 'statement_after_decision');
  }
  const vote = motion.voteId ? state.votes.get(motion.voteId) : undefined;
  if (vote?.secret) {
    // Nobody can know how an elector of a secret vote voted: any elector may say, under their name, that they
    // disagree with the result. It reveals that, and only that, by their own choice.
    if (!vote.electorate.has(actor)) return reject('not_in_minority', 'statement_electors_only');
  } else {
    // Who voted against the side that won, kept when the vote's ballots are dropped (votes/settled.ts).
    if (!vote || !votedInMinority(vote, actor)) return reject('not_in_minority');
  }
  if (motion.statements.some((s) => s.authorId === actor)) {
    return reject('already_exists', 'statement_attached');
  }
  const statement = newEntry('minority_statement_attached', actor, ctx.now, {
    motionId: motion.id,
    statementId: ctx.newId('statement'),
    text: checkText(c.text, 'text', limits.text),
  });
  return accept(checkEntrySize(statement, 'text', 'entry_too_large_text'));
}
