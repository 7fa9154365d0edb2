// The core's part of `councils verify`: replay every entry of a record through the domain. Three checks:
//  1. every entry applies, in order, to the state the entries before it made;
//  2. every act a member did was allowed by the rules at that moment (the command is rebuilt from the entry
//     and decided again), so an operator who writes an entry into the database by hand is caught;
//  3. every vote's result is recounted from its ballots and must equal the logged one.
import type { ReplayCheck } from './kernel/replay-check.ts';
import type { BallotCrypto } from '../ballot/index.ts';
import { apply } from './apply.ts';
import { decide } from './decide.ts';
import { countBallots, listedElectorateProblem, openingProblem } from './votes/decide.ts';
import {
  lateBoardProblem,
  recountSecret,
  secretBoardCheck,
  secretBoardChecks,
  secretCommandOf,
  setupProblem,
  type BoardVerifier,
} from './secret/replay.ts';
import { consequenceProblem, isPowerEntry, powerCommandOf } from './power/replay.ts';
import { payConsequenceProblem } from './pay/decisions.ts';
import { type Command, type Entry, type OrgState, emptyState } from './model.ts';
import { admissionCommandOf, admissionProblem } from './admission/replay.ts';
import { closingProblem, phaseProblem } from './procedure/replay.ts';
import { settleVotes } from './votes/settled.ts';

export type { ReplayCheck } from './kernel/replay-check.ts';

/** The command a member's entry records, or undefined for the organisation's own acts and consequences. */
export function commandOf(e: Entry): Command | undefined {
  if (isPowerEntry(e)) return powerCommandOf(e);
  const admission = admissionCommandOf(e);
  if (admission) return admission;
  switch (e.act) {
    case 'motion_moved': {
      const p = e.payload;
      if (p.kind === 'admission') return undefined; // a consequence: admissionProblem checks it
      if (p.kind === 'election')
        return {
          type: 'call_election',
          councilId: p.councilId,
          title: p.title,
          text: p.text,
          method: p.decision.method,
        };
      if (p.kind === 'recall') return { type: 'move_recall', mandateId: p.mandateId!, text: p.text };
      const majority =
        p.decision.rule?.kind === 'absolute'
          ? 'absolute'
          : p.decision.rule?.kind === 'supermajority'
            ? 'supermajority'
            : undefined;
      if (p.kind === 'pay')
        return {
          type: 'move_pay_motion',
          councilId: p.councilId,
          title: p.title,
          text: p.text,
          scheme: p.alternatives?.[0]?.scheme,
          schemeTitle: p.alternatives?.[0]?.title ?? '',
          method: p.decision.method,
          draft: p.draft,
          ...(majority ? { majority } : {}),
          ...(p.decision.maxScore !== undefined ? { maxScore: p.decision.maxScore } : {}),
          ...(p.decision.secret !== undefined ? { secret: p.decision.secret } : {}),
        };
      return {
        type: 'move_motion',
        councilId: p.councilId,
        title: p.title,
        text: p.text,
        alternatives: (p.alternatives ?? []).map((a) => ({ title: a.title, text: a.text })),
        method: p.decision.method,
        draft: p.draft,
        ...(majority ? { majority } : {}),
        ...(p.decision.maxScore !== undefined ? { maxScore: p.decision.maxScore } : {}),
        ...(p.decision.secret !== undefined ? { secret: p.decision.secret } : {}),
        ...(p.emergency ? { emergency: true } : {}),
      };
    }
    case 'debate_opened':
      return { type: 'open_debate', motionId: e.payload.motionId };
    case 'motion_seconded':
      return { type: 'second_motion', motionId: e.payload.motionId };
    case 'closure_supported':
      return { type: 'support_closure', motionId: e.payload.motionId };
    case 'closure_support_withdrawn':
      return { type: 'withdraw_closure_support', motionId: e.payload.motionId };
    case 'motion_lapsed':
      // The organisation's act: decided again (actor null), so a lapse before its time, or by a member, is named.
      return { type: 'lapse_motion', motionId: e.payload.motionId };
    case 'alternative_proposed': {
      const a = e.payload.alternative;
      return {
        type: 'propose_alternative',
        motionId: e.payload.motionId,
        title: a.title,
        text: a.text,
        ...(a.amends !== undefined ? { amends: a.amends } : {}),
        ...(a.candidateId !== undefined ? { candidateId: a.candidateId } : {}),
        ...(a.scheme !== undefined ? { scheme: a.scheme } : {}),
      };
    }
    case 'workforce_imported':
      return { type: 'record_workforce', ...e.payload };
    case 'comment_posted':
      return {
        type: 'post_comment',
        motionId: e.payload.motionId,
        stance: e.payload.stance,
        text: e.payload.text,
        ...(e.payload.replyTo !== undefined ? { replyTo: e.payload.replyTo } : {}),
      };
    case 'motion_withdrawn':
      return { type: 'withdraw_motion', motionId: e.payload.motionId };
    case 'vote_opened':
      return {
        type: 'open_vote',
        motionId: e.payload.motionId,
        minutes: Math.round((Date.parse(e.payload.closesAt) - Date.parse(e.time)) / 60_000),
        ...(e.payload.secret !== undefined ? { secret: e.payload.secret } : {}),
      };
    case 'ballot_cast':
      return { type: 'cast_ballot', voteId: e.payload.voteId, ballot: e.payload.ballot };
    case 'minority_statement_attached':
      return { type: 'attach_minority_statement', motionId: e.payload.motionId, text: e.payload.text };
    case 'board_posted':
      return secretCommandOf(e);
    case 'vote_failed':
      return { type: 'abort_secret_vote', voteId: e.payload.voteId, reason: e.payload.reason };
    case 'decryption_due':
      // The organisation's act: decided again (actor null), so a duty recorded early, twice or with another
      // deadline or other trustees is named (procedure/replay.ts compares decryptBy and awaited).
      return { type: 'call_for_decryption', voteId: e.payload.voteId };
    case 'record_sealed': {
      const { councilId, label, commitment, release, keyKeptBy } = e.payload;
      return {
        type: 'seal_record',
        councilId,
        label,
        commitment,
        release,
        // whenever the entry holds it, whatever it holds: decided again, a value seal_record refuses fails the
        // replay (an empty one dropped here would be replayed as an older entry's and pass)
        ...(keyKeptBy !== undefined ? { keyKeptBy } : {}),
      };
    }
    case 'record_revealed':
      return { type: 'reveal_record', ...e.payload };
    case 'mandate_ended':
      return e.payload.reason === 'resigned'
        ? { type: 'resign_mandate', mandateId: e.payload.mandateId }
        : undefined;
    default:
      return undefined;
  }
}

export interface ReplayOptions {
  /** Verifies each secret vote's board (default: in this thread); see secret-replay.ts. */
  verifyBoard?: BoardVerifier;
  /** The backends secret ballots are checked with while the state is rebuilt (default: the portable ones). */
  crypto?: BallotCrypto;
}

export async function replayEntries(
  entries: AsyncIterable<unknown> | Iterable<unknown>,
  options: ReplayOptions = {},
): Promise<ReplayCheck[]> {
  const state = emptyState(options.crypto);
  const failures: Record<
    'apply' | 'rules' | 'recount',
    (ReplayCheck['where'] & { detail: string }) | undefined
  > = {
    apply: undefined,
    rules: undefined,
    recount: undefined,
  };
  let votes = 0;
  let acts = 0;
  /** The board checks of the secret votes that have ended, made before their boards were settled. */
  const boards = new Map<string, ReplayCheck>();
  /** The entry before this one: a motion's decision is written right after its vote's closing (votes/decide.ts). */
  let previous: Entry | undefined;
  for await (const raw of entries as AsyncIterable<unknown>) {
    const e = raw as Entry;
    const before = previous;
    previous = e;
    const command = commandOf(e);
    if (command && !failures.rules) {
      acts++;
      try {
        const d = decide(state, command, { actor: e.actor, now: e.time, newId: (k) => `${k}_replay` });
        if (!d.ok)
          failures.rules = {
            entry: e.seq,
            detail: `${e.act} by ${e.actor}: the rules refuse it (${d.code}: ${d.message})`,
          };
        else {
          const problem =
            e.act === 'vote_opened' ? openingProblem(e.payload, d.entries) : phaseProblem(e, d.entries);
          if (problem) failures.rules = { entry: e.seq, detail: `${e.act} by ${e.actor}: ${problem}` };
        }
      } catch (err) {
        failures.rules = {
          entry: e.seq,
          detail: `${e.act} by ${e.actor} is not a valid command: ${(err as Error).message}`,
        };
      }
    }
    const consequence = failures.rules
      ? null
      : (consequenceProblem(state, e) ??
        payConsequenceProblem(state, e) ??
        admissionProblem(state, e) ??
        (e.act === 'vote_opened' ? listedElectorateProblem(state, e.payload, e.time) : null) ??
        closingProblem(state, e) ??
        decisionProblem(state, e, before) ??
        lateBoardProblem(state, e) ??
        setupProblem(state, e));
    if (consequence) failures.rules = { entry: e.seq, detail: `${e.act}: ${consequence}` };
    if (e.act === 'vote_closed' && !failures.recount) {
      votes++;
      const vote = state.votes.get(e.payload.voteId);
      const motion = vote && state.motions.get(vote.motionId);
      if (!vote || !motion)
        failures.recount = { entry: e.seq, detail: `vote ${e.payload.voteId} closes but never opened` };
      else if (vote.closedAt !== null)
        // its ballots were dropped when it closed (votes/settled.ts); a vote closes once (votes/decide.ts)
        failures.recount = {
          entry: e.seq,
          detail: `vote ${vote.id} closes again (closed at ${vote.closedAt})`,
        };
      else {
        const r = vote.secret
          ? recountSecret(state, vote)
          : countBallots(vote, motion.decision, motion.kind === 'election');
        if (typeof r === 'string') failures.recount = { entry: e.seq, detail: `vote ${vote.id}: ${r}` };
        else if (
          r.outcome !== e.payload.outcome ||
          JSON.stringify(r.winners) !== JSON.stringify(e.payload.winners)
        ) {
          failures.recount = {
            entry: e.seq,
            detail: `vote ${vote.id}: recount gives ${r.outcome} [${r.winners.join(', ')}], the record says ${e.payload.outcome} [${e.payload.winners.join(', ')}]`,
          };
        } else if ((e.payload.winner ?? null) !== (r.winners[0] ?? null)) {
          // the winner the state keeps (who may then make a minority statement) is the count's first
          failures.recount = {
            entry: e.seq,
            detail: `vote ${vote.id}: recount gives the winner ${r.winners[0] ?? 'none'}, the record says ${e.payload.winner ?? 'none'}`,
          };
        }
      }
    }
    try {
      apply(state, e);
    } catch (err) {
      failures.apply = { entry: e.seq, detail: `${e.act}: ${(err as Error).message}` };
      break;
    }
    // a secret vote that has ended has its board checked now: settling drops it (secret/settled.ts)
    for (const id of state.settling) {
      const vote = state.votes.get(id);
      if (vote?.secret && !vote.secret.settled && !boards.has(id))
        boards.set(id, await secretBoardCheck(state, vote, options.verifyBoard));
    }
    settleVotes(state); // as the live process had it for the next act
  }
  const check = (id: string, title: string, f: (typeof failures)['apply'], ok: string): ReplayCheck =>
    f
      ? { id, title, status: 'fail', detail: f.detail, where: { entry: f.entry } }
      : { id, title, status: 'pass', detail: ok };
  return [
    check(
      'replay_apply',
      'every entry applies through the core, in order',
      failures.apply,
      `${state.size} entries`,
    ),
    check(
      'replay_rules',
      "every member's act was allowed by the rules when it was done",
      failures.rules,
      `${acts} acts decided again`,
    ),
    check(
      'replay_recount',
      "every vote's result equals a recount of its ballots",
      failures.recount,
      `${votes} votes recounted`,
    ),
    ...(failures.apply ? [] : await secretBoardChecks(state, options.verifyBoard, boards)),
  ];
}

/**
 * Why a `motion_decided` does not follow from the closing just before it, if so: the closing of a vote of that
 * motion is the entry before it, and it adopts what that vote's recounted winner is (nothing when none won). It
 * is the organisation's own entry, so no command's rules check it.
 */
function decisionProblem(state: OrgState, e: Entry, before: Entry | undefined): string | null {
  if (e.act !== 'motion_decided') return null;
  const closing = before?.act === 'vote_closed' ? before : undefined;
  const vote = closing && state.votes.get(closing.payload.voteId);
  if (!closing || !vote || vote.motionId !== e.payload.motionId)
    return `motion ${e.payload.motionId} is decided without its vote closing just before`;
  const winner = closing.payload.winner ?? null;
  if ((e.payload.alternativeId ?? null) !== winner || e.payload.adopted !== (winner !== null))
    return `motion ${e.payload.motionId} is decided for ${e.payload.alternativeId ?? 'nothing'} (adopted: ${String(e.payload.adopted)}), its vote closed with ${winner ?? 'nothing'}`;
  return null;
}
