// Petitions from below (docs/POWER.md): any member opens one, members sign, and when the threshold frozen at
// opening is reached the item opens by itself, in the same decision as the last signature, as the
// organisation's own acts (actor null): an agenda motion enters debate; a recall motion is moved and its vote
// opens; an extraordinary election ends the sitting deputies' mandates and calls the election. Nobody can
// withdraw what a petition opened (its mover is nobody), and its vote opens by itself once the constitution's
// longest debate has passed (open_due_petition_votes, run by the scheduler).
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { checkEntrySize } from '../kernel/entry-size.ts';
import { InvalidCommand, reject } from '../kernel/errors.ts';
import { checkText, limits } from '../kernel/limits.ts';
import type { PowerCommand } from './commands.ts';
import { requiredOf } from '../kernel/power-rules.ts';
import { recallReplyMinutes } from '../kernel/procedure-rules.ts';
import { powerRules, type Petition } from './state.ts';
import { addDays, addMinutes } from '../kernel/time.ts';
import { type Decision, newEntry, type NewEntry, type OrgState } from '../model.ts';
import type { Motion } from '../motions/types.ts';
import {
  activeMandates,
  councilMembers,
  isCouncilMember,
  mandateActive,
  openSeats,
} from '../organisation/membership.ts';

type PetitionCommand = Extract<
  PowerCommand,
  { type: 'open_petition' | 'sign_petition' | 'open_due_petition_votes' }
>;

export function decidePetitionCommand(state: OrgState, c: PetitionCommand, ctx: DecideContext): Decision {
  if (c.type === 'open_due_petition_votes') return openDueVotes(state, ctx);
  if (!ctx.actor) return reject('not_allowed', 'only_a_member');
  return c.type === 'open_petition' ? openPetition(state, c, ctx, ctx.actor) : sign(state, c, ctx, ctx.actor);
}

/**
 * Signatures needed per signing council, frozen when the petition opens: the threshold of the council's members
 * at that moment. apply() derives it the same way from the state the log has built; petition_opened entries
 * written before 2026-11-28 list it (`required`), which grew with the number of signing councils.
 */
export function petitionRequired(
  state: OrgState,
  kind: Petition['kind'],
  signing: readonly string[],
  now: string,
): Record<string, number> {
  const rules = powerRules(state).petitions;
  const threshold = kind === 'election' ? rules.electionThreshold : rules.threshold;
  return Object.fromEntries(
    signing.map((id) => [id, requiredOf(threshold, councilMembers(state, id, now).length)]),
  );
}

/** The councils whose members sign: the children of the target for a rising petition, else its own council. */
export function signingCouncils(
  state: OrgState,
  councilId: string,
  targetCouncilId: string | null,
): string[] {
  return targetCouncilId === null ? [councilId] : [...(state.councils.get(targetCouncilId)?.childIds ?? [])];
}

function openPetition(
  state: OrgState,
  c: Extract<PetitionCommand, { type: 'open_petition' }>,
  ctx: DecideContext,
  actor: string,
): Decision {
  const rules = powerRules(state).petitions;
  const text = checkText(c.text, 'text', limits.text, true);
  let councilId: string;
  let target: string | null = null;
  let mandateId: string | null = null;
  let title: string;
  let signing: string[];
  let councilsRequired = 1;
  if (c.kind === 'recall') {
    if (typeof c.mandateId !== 'string') throw new InvalidCommand('recall_names_mandate', 'mandateId');
    const m = state.mandates.get(c.mandateId);
    if (!m) return reject('not_found', 'no_such_mandate');
    if (!mandateActive(m, ctx.now)) return reject('wrong_state', 'mandate_ended');
    councilId = m.fromCouncilId;
    mandateId = m.id;
    title = `Recall ${state.members.get(m.memberId)?.name ?? m.memberId}`;
    signing = [councilId];
    const pending = [...state.power.petitions.values()].some(
      (p) => p.mandateId === m.id && p.succeededAt === null && p.deadline > ctx.now,
    );
    if (pending) return reject('already_exists', 'recall_petition_open');
    const moved = [...state.motions.values()].some(
      (x) =>
        x.kind === 'recall' && x.mandateId === m.id && ['seconding', 'debate', 'voting'].includes(x.state),
    );
    if (moved) return reject('already_exists', 'recall_under_way');
  } else if (c.kind === 'agenda' || c.kind === 'election') {
    if (typeof c.councilId !== 'string') throw new InvalidCommand('required', 'councilId');
    const council = state.councils.get(c.councilId);
    if (!council) return reject('not_found', 'no_such_council');
    councilId = council.id;
    title = checkText(
      c.title ?? (c.kind === 'election' ? `Extraordinary election in ${council.name}` : ''),
      'title',
      limits.title,
    );
    signing = [councilId];
    if (c.kind === 'election' && council.parentId === null)
      return reject('not_allowed', 'root_sends_no_deputies');
    if (c.targetCouncilId !== undefined) {
      if (c.kind !== 'agenda') throw new InvalidCommand('agenda_petition_rises', 'targetCouncilId');
      if (c.targetCouncilId !== council.parentId) return reject('not_allowed', 'petition_rises_one_level');
      target = c.targetCouncilId;
      signing = [...state.councils.get(target)!.childIds];
      councilsRequired = requiredOf(rules.risingShare, signing.length);
    }
  } else throw new InvalidCommand('petition_kind', 'kind');
  if (!isCouncilMember(state, councilId, actor, ctx.now)) return reject('not_a_member');
  const required = petitionRequired(state, c.kind, signing, ctx.now);
  const petitionId = ctx.newId('petition');
  const opened = newEntry('petition_opened', actor, ctx.now, {
    petitionId,
    kind: c.kind,
    councilId,
    targetCouncilId: target,
    mandateId,
    title,
    text,
    deadline: addDays(ctx.now, rules.deadlineDays),
    councilsRequired,
  });
  const petition: Petition = {
    id: petitionId,
    kind: c.kind,
    councilId,
    targetCouncilId: target,
    mandateId,
    title,
    text,
    openedBy: actor,
    openedAt: ctx.now,
    deadline: addDays(ctx.now, rules.deadlineDays),
    required,
    councilsRequired,
    signatures: new Map(),
    signedIn: new Map(),
    passedIn: [],
    succeededAt: null,
    motionId: null,
    expiredAt: null,
  };
  // Opening is the opener's signature.
  checkEntrySize(opened, 'text', 'entry_too_large_text');
  return accept(opened, ...signature(state, petition, councilId, actor, ctx));
}

function sign(
  state: OrgState,
  c: Extract<PetitionCommand, { type: 'sign_petition' }>,
  ctx: DecideContext,
  actor: string,
): Decision {
  const p = state.power.petitions.get(c.petitionId);
  if (!p) return reject('not_found', 'no_such_petition');
  const council = Object.keys(p.required).find((id) => isCouncilMember(state, id, actor, ctx.now));
  if (!council) return reject('not_a_member');
  if (p.signatures.has(actor)) return reject('already_signed');
  if (p.succeededAt !== null) return reject('wrong_state', 'petition_succeeded');
  // Once recorded expired it stays so, whatever the clock of the process deciding says (two processes' clocks
  // differ; a forged log may date a signature before an expiry entered ahead of it).
  if (p.expiredAt !== null || p.deadline <= ctx.now) return reject('petition_lapsed');
  if (p.mandateId !== null && !mandateActive(state.mandates.get(p.mandateId)!, ctx.now))
    return reject('wrong_state', 'mandate_ended');
  return accept(...signature(state, p, council, actor, ctx));
}

/** The signature and, when it completes the threshold, every consequence. */
function signature(
  state: OrgState,
  p: Petition,
  councilId: string,
  actor: string,
  ctx: DecideContext,
): NewEntry[] {
  const out: NewEntry[] = [newEntry('petition_signed', actor, ctx.now, { petitionId: p.id, councilId })];
  const inCouncil = (p.signedIn.get(councilId) ?? 0) + 1;
  if (inCouncil !== p.required[councilId]) return out;
  if (p.targetCouncilId !== null) {
    out.push(newEntry('petition_passed', null, ctx.now, { petitionId: p.id, councilId }));
    if (p.passedIn.length + 1 < p.councilsRequired) return out;
  }
  return [...out, ...openItem(state, p, ctx)];
}

function openItem(state: OrgState, p: Petition, ctx: DecideContext): NewEntry[] {
  const con = state.org!.constitution;
  const motionId = ctx.newId('motion');
  const out: NewEntry[] = [newEntry('petition_succeeded', null, ctx.now, { petitionId: p.id, motionId })];
  if (p.kind === 'agenda') {
    out.push(
      newEntry('motion_moved', null, ctx.now, {
        motionId,
        councilId: p.targetCouncilId ?? p.councilId,
        kind: 'ordinary',
        title: p.title,
        text: p.text,
        draft: false,
        alternatives: [{ id: 'a1', title: p.title, text: p.text }],
        decision: { method: 'majority', rule: con.majority, quorum: con.quorum },
      }),
    );
  } else if (p.kind === 'recall') {
    const m = state.mandates.get(p.mandateId!)!;
    const name = state.members.get(m.memberId)?.name ?? m.memberId;
    out.push(
      newEntry('motion_moved', null, ctx.now, {
        motionId,
        councilId: p.councilId,
        kind: 'recall',
        title: `Recall ${name} from ${state.councils.get(m.councilId)?.name ?? m.councilId}`,
        text: p.text,
        draft: false,
        alternatives: [{ id: 'recall', title: `Recall ${name}`, text: '' }],
        decision: { method: 'majority', rule: con.recall.majority, quorum: con.recall.quorum },
        mandateId: m.id,
      }),
    );
    // The right of reply: under a constitution that sets it, the recall is debated first and the scheduler opens
    // its vote when the debate's minimum is over (duePetitionMotions); before, the vote opened at once.
    if (recallReplyMinutes(con) === undefined)
      out.push(voteOpened(state, motionId, p.councilId, ['recall'], ctx));
  } else {
    const council = state.councils.get(p.councilId)!;
    for (const m of activeMandates(state, council.parentId!, ctx.now).filter(
      (x) => x.fromCouncilId === council.id,
    )) {
      out.push(newEntry('mandate_ended', null, ctx.now, { mandateId: m.id, reason: 'recalled', motionId }));
    }
    out.push(
      newEntry('motion_moved', null, ctx.now, {
        motionId,
        councilId: council.id,
        kind: 'election',
        title: p.title,
        text: p.text,
        draft: false,
        alternatives: [],
        decision: { method: 'majority', rule: con.majority, quorum: con.quorum },
        seatCouncilId: council.parentId!,
      }),
    );
  }
  return out;
}

/** The opening of a vote by the organisation itself: the electorate is the council's members now. */
function voteOpened(
  state: OrgState,
  motionId: string,
  councilId: string,
  options: string[],
  ctx: DecideContext,
): NewEntry {
  const election = state.motions.get(motionId)?.kind === 'election';
  return newEntry('vote_opened', null, ctx.now, {
    voteId: ctx.newId('vote'),
    motionId,
    options,
    statusQuo: true,
    seats: election ? openSeats(state, councilId, ctx.now) : 1,
    closesAt: addMinutes(ctx.now, state.org!.constitution.votingMinutes),
  });
}

/**
 * Petitioned motions in debate for the longest time the constitution allows: their votes open now. Read from the
 * state's index of the motions petitions opened that are in debate (src/core/schedule), in the order they were
 * moved, not by walking every motion and petition.
 */
export function duePetitionMotions(state: OrgState, now: string): string[] {
  const due = petitionMotionDue(state, now);
  return state.due.petitionMotions.timed((id) => due(state.motions.get(id)!));
}

/** duePetitionMotions by walking every motion: the reference the index is checked against. */
export function duePetitionMotionsByScan(state: OrgState, now: string): string[] {
  const due = petitionMotionDue(state, now);
  const born = new Set([...state.power.petitions.values()].map((p) => p.motionId));
  return [...state.motions.values()].filter((m) => born.has(m.id) && due(m)).map((m) => m.id);
}

/** Whether a motion a petition opened has its vote due at `now`. */
function petitionMotionDue(state: OrgState, now: string): (m: Motion) => boolean {
  const max = powerRules(state).petitions.debateMaxMinutes;
  const reply = recallReplyMinutes(state.org!.constitution);
  return (m) =>
    m.state === 'debate' &&
    m.alternatives.length > 0 &&
    (m.kind !== 'election' || openSeats(state, m.councilId, now) > 0) &&
    addMinutes(m.debateOpenedAt!, m.kind === 'recall' && reply !== undefined ? reply : max) <= now;
}

function openDueVotes(state: OrgState, ctx: DecideContext): Decision {
  const due = duePetitionMotions(state, ctx.now);
  if (due.length === 0) return reject('too_early', 'no_petitioned_vote_due');
  return accept(
    ...due.map((id) => {
      const m = state.motions.get(id)!;
      return voteOpened(
        state,
        id,
        m.councilId,
        m.alternatives.map((a) => a.id),
        ctx,
      );
    }),
  );
}
