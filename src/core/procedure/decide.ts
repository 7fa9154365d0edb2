// The procedure's rules (docs/PROCEDURE.md): seconding, closure, who opens a vote and from when, the shortest
// vote, re-votes after no quorum, cooling-off, emergencies. Every refusal names its rule. Under a constitution
// without a procedure block (written before it existed) none of this applies and the old rules stand.
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { type Command, type Decision, newEntry, type OrgState } from '../model.ts';
import type { Motion } from '../motions/types.ts';
import { councilMembers, isCouncilMember } from '../organisation/membership.ts';
import { reject, type Rejection } from '../kernel/errors.ts';
import { closureNeeded, secondersNeeded, type Procedure } from '../kernel/procedure-rules.ts';
import { addDays, addMinutes } from '../kernel/time.ts';

type ProcedureCommand = Extract<
  Command,
  { type: 'second_motion' | 'support_closure' | 'withdraw_closure_support' | 'lapse_motion' }
>;

/** The procedure in force, or undefined under the old rules. */
export function procedureOf(state: Pick<OrgState, 'org'>): Procedure | undefined {
  return state.org?.constitution.procedure;
}

const share = (p: Procedure) => `${p.closure.num}/${p.closure.den}`;

/** Seconders a motion put up now in this council needs (0: none, or no procedure). */
export function secondersFor(state: OrgState, councilId: string, now: string): number {
  const p = procedureOf(state);
  return p ? secondersNeeded(p, councilMembers(state, councilId, now).length) : 0;
}

/** The shortest debate of this motion under the procedure: the emergency one for an emergency motion. */
export function debateMinimum(p: Procedure, motion: Pick<Motion, 'emergency'>): number {
  return motion.emergency && p.emergency ? p.emergency.debateMinimumMinutes : p.debateMinimumMinutes;
}

/** The shortest vote of this motion under the procedure. */
export function votingMinimum(p: Procedure, motion: Pick<Motion, 'emergency'>): number {
  return motion.emergency && p.emergency ? p.emergency.votingMinimumMinutes : p.votingMinimumMinutes;
}

/** When the mover may open the vote of a motion in debate; null while it is not in debate. */
export function voteOpensFrom(p: Procedure, motion: Motion): string | null {
  if (motion.debateOpenedAt === null) return null;
  return addMinutes(motion.debateOpenedAt, debateMinimum(p, motion));
}

/** How many of the motion's votes failed for lack of quorum. */
export function noQuorumVotes(state: OrgState, motionId: string): number {
  let n = 0;
  for (const v of state.votes.values()) if (v.motionId === motionId && v.outcome === 'no_quorum') n++;
  return n;
}

/**
 * A failed motion that may be put to the vote again (by its mover; by any member of the council when the rules moved
 * it): its last vote had no quorum and re-votes are left.
 */
export function revoteOpen(state: OrgState, p: Procedure, motion: Motion): boolean {
  if (motion.state !== 'failed' || motion.voteId === null) return false;
  if (state.votes.get(motion.voteId)?.outcome !== 'no_quorum') return false;
  return noQuorumVotes(state, motion.id) <= p.quorumRevotes;
}

/**
 * Why the procedure refuses this opening of a vote, or null when it allows it (or when there is no procedure:
 * the caller applies the old rules). `minutes` is the vote's length, already checked to be within the
 * constitution's longest.
 */
export function openingRefusal(
  state: OrgState,
  motion: Motion,
  actor: string,
  minutes: number,
  now: string,
): Rejection | null {
  const p = procedureOf(state);
  if (!p) return null;
  if (motion.state === 'seconding') {
    return reject('seconders_required', 'seconders_needed', {
      needed: motion.secondersNeeded,
      seconded: motion.seconders.length,
    });
  }
  if (motion.state === 'failed' && motion.voteId !== null) {
    if (state.votes.get(motion.voteId)?.outcome !== 'no_quorum')
      return reject('wrong_state', 'revote_after_no_quorum');
    if (!revoteOpen(state, p, motion))
      return reject('revotes_exhausted', 'revotes_limit', { max: p.quorumRevotes });
    // A motion the rules moved (a petition's, an admission's) has no mover: any member of the council asks, as for
    // its first vote.
    if (motion.moverId !== null && motion.moverId !== actor)
      return reject('mover_opens_vote', 'mover_revotes');
  } else if (motion.state === 'debate' && motion.closureCarriedAt === null) {
    const from = voteOpensFrom(p, motion)!;
    const closure = share(p);
    // A motion the rules moved (a petition's, an admission's) has no mover: any member of the council asks.
    if (motion.moverId !== null && motion.moverId !== actor)
      return reject('mover_opens_vote', 'mover_opens_vote_from', { from, closure });
    if (now < from) {
      const params = { minutes: debateMinimum(p, motion), from, closure };
      return motion.moverId === null
        ? reject('debate_minimum', 'debate_minimum_member', params)
        : reject('debate_minimum', 'debate_minimum_mover', params);
    }
  } else if (motion.state !== 'debate') return null;
  const min = votingMinimum(p, motion);
  if (minutes < min) return reject('voting_minimum', 'voting_minimum', { minutes: min });
  return null;
}

const normalTitle = (t: string) => t.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The cooling-off rule: a motion voted down (or failed for lack of quorum) in a council cannot be moved there
 * again, under the same title (a recall: of the same mandate), until `coolingOffDays` after it ended.
 */
export function coolingOffRefusal(
  state: OrgState,
  same: { councilId: string; title?: string; mandateId?: string },
  now: string,
): Rejection | null {
  const p = procedureOf(state);
  if (!p || p.coolingOffDays === 0) return null;
  const title = same.title === undefined ? undefined : normalTitle(same.title);
  for (const m of state.motions.values()) {
    if (m.state !== 'failed' || m.endedAt === null || m.councilId !== same.councilId) continue;
    const match =
      same.mandateId !== undefined
        ? m.kind === 'recall' && m.mandateId === same.mandateId
        : m.kind !== 'recall' && m.kind !== 'election' && normalTitle(m.title) === title;
    const until = addDays(m.endedAt, p.coolingOffDays);
    if (match && now < until) {
      return reject('cooling_off', 'cooling_off', { endedAt: m.endedAt, until, days: p.coolingOffDays });
    }
  }
  return null;
}

/** When a motion waiting for seconders lapses, or null when it never does (or is not waiting). */
export function lapsesAt(state: Pick<OrgState, 'org'>, motion: Motion): string | null {
  const days = procedureOf(state)?.unsecondedLapseDays ?? 0;
  if (motion.state !== 'seconding' || days === 0 || motion.secondingSince === null) return null;
  return addDays(motion.secondingSince, days);
}

/**
 * Motions whose wait for seconders is over at `now`: the organisation lapses them (the scheduler, every tick). It
 * reads the state's index of motions waiting for seconders by when they began to wait (src/core/schedule): those
 * that began `unsecondedLapseDays` or more before `now`, and one more, not every motion waiting.
 */
export function dueLapses(state: OrgState, now: string): string[] {
  const days = procedureOf(state)?.unsecondedLapseDays ?? 0;
  if (days === 0) return [];
  // lapsesAt(m) = since + days <= now exactly when since <= now − days (both times in the clock's form)
  return state.due.lapses.due(addDays(now, -days));
}

/** dueLapses by walking every motion: the reference the index is checked against (test/support/pure-org.ts). */
export function dueLapsesByScan(state: OrgState, now: string): string[] {
  return [...state.motions.values()]
    .filter((m) => {
      const at = lapsesAt(state, m);
      return at !== null && at <= now;
    })
    .map((m) => m.id);
}

export function decideProcedureCommand(state: OrgState, c: ProcedureCommand, ctx: DecideContext): Decision {
  const motion = state.motions.get(c.motionId);
  if (!motion) return reject('not_found', 'no_such_motion');
  if (c.type === 'lapse_motion') {
    if (ctx.actor !== null) return reject('not_allowed', 'lapse_by_rules');
    const at = lapsesAt(state, motion);
    if (at === null) return reject('wrong_state', 'no_lapse_due');
    if (ctx.now < at) return reject('too_early', 'seconders_wait_until', { until: at });
    return accept(newEntry('motion_lapsed', null, ctx.now, { motionId: motion.id }));
  }
  const actor = ctx.actor;
  if (!actor || !isCouncilMember(state, motion.councilId, actor, ctx.now)) return reject('not_a_member');
  const p = procedureOf(state);
  if (c.type === 'second_motion') {
    if (motion.state !== 'seconding') return reject('wrong_state', 'not_seconding');
    if (motion.moverId === actor) return reject('own_motion', 'own_motion');
    if (motion.seconders.includes(actor)) return reject('already_seconded');
    const agenda = motion.seconders.length + 1 >= motion.secondersNeeded;
    return accept(newEntry('motion_seconded', actor, ctx.now, { motionId: motion.id, agenda }));
  }
  if (!p) return reject('not_allowed', 'no_closure_rule');
  if (motion.state !== 'debate') return reject('wrong_state', 'closure_in_debate');
  if (motion.closureCarriedAt !== null) return reject('wrong_state', 'closure_carried');
  if (c.type === 'withdraw_closure_support') {
    // Each member withdraws only their own support, and only until the closure is carried (checked above).
    if (!motion.closure.includes(actor)) return reject('not_found', 'no_closure_support');
    return accept(newEntry('closure_support_withdrawn', actor, ctx.now, { motionId: motion.id }));
  }
  if (motion.closure.includes(actor)) return reject('already_supported');
  const members = councilMembers(state, motion.councilId, ctx.now);
  const sitting = motion.closure.filter((m) => members.includes(m)).length;
  const carried = sitting + 1 >= closureNeeded(p, members.length);
  return accept(newEntry('closure_supported', actor, ctx.now, { motionId: motion.id, carried }));
}
