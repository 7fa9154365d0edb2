// Invitations and collective admission (docs/PROCEDURE.md "Admission"). Under a constitution with admission rules,
// an invitation a member issues is a proposal to admit: the person may accept (and so get an account), but becomes
// a member of the council (an elector, part of the quorum) only when the council admits them: enough other members
// approve and nobody objects within the objection period, or an admission motion is adopted. One objection sends
// the admission to a vote, so one member can neither add an elector nor keep one out. Invitations issued by the
// founding, and those of constitutions written before these rules, admit on acceptance (founders are admitted by
// the founding).
import type { DecideContext } from '../kernel/command.ts';
import { admissionApprovalsRequired } from '../kernel/admission-rules.ts';
import { accept } from '../kernel/decision.ts';
import { newEntry, type Command, type Decision, type NewEntry, type OrgState } from '../model.ts';
import { checkEntrySize } from '../kernel/entry-size.ts';
import { reject, type Rejection } from '../kernel/errors.ts';
import { checkText, limits } from '../kernel/limits.ts';
import { councilMembers, isBaseCouncil, isCouncilMember } from '../organisation/membership.ts';
import { admissionDue, admissionStatus, dueAdmissions, objectionEnds, pendingAdmissionOf } from './status.ts';
import type { Admission, AdmissionCommand } from './types.ts';

type InvitationCommand = Extract<Command, { type: 'issue_invitation' | 'accept_invitation' }>;

export function decideAdmissionCommand(
  state: OrgState,
  c: InvitationCommand | AdmissionCommand,
  ctx: DecideContext,
): Decision {
  switch (c.type) {
    case 'issue_invitation':
      return issueInvitation(state, c, ctx);
    case 'accept_invitation':
      return acceptInvitation(state, c, ctx);
    case 'approve_admission':
      return approve(state, c.invitationId, ctx);
    case 'object_to_admission':
      return object(state, c.invitationId, c.text, ctx);
    case 'admit_due_members':
      return admitDue(state, ctx);
  }
}

function issueInvitation(
  state: OrgState,
  c: Extract<InvitationCommand, { type: 'issue_invitation' }>,
  ctx: DecideContext,
): Decision {
  const council = state.councils.get(c.councilId);
  if (!council) return reject('not_found', 'no_such_council');
  if (!isBaseCouncil(council)) {
    return reject('not_allowed', 'join_base_councils');
  }
  if (!ctx.actor || !isCouncilMember(state, c.councilId, ctx.actor, ctx.now)) return reject('not_a_member');
  const name = checkText(c.name, 'name', limits.name);
  const invitationId = ctx.newId('invitation');
  const issued = newEntry('invitation_issued', ctx.actor, ctx.now, {
    invitationId,
    councilId: c.councilId,
    name,
  });
  const rules = state.org!.constitution.admission;
  if (rules?.by !== 'motion') return accept(issued);
  // Admission by motion: the invitation and its admission motion are one act of the inviter.
  const others = councilMembers(state, c.councilId, ctx.now).filter((m) => m !== ctx.actor).length;
  const support = 1 + admissionApprovalsRequired(rules, others);
  return accept(issued, admissionMotion(state, invitationId, c.councilId, name, support, ctx.actor, ctx));
}

/** The motion that decides an admission: one proposal, "admit", against the status quo, by the ordinary rules. */
function admissionMotion(
  state: OrgState,
  invitationId: string,
  councilId: string,
  name: string,
  support: number,
  mover: string | null,
  ctx: DecideContext,
): NewEntry {
  const con = state.org!.constitution;
  const council = state.councils.get(councilId)!;
  return newEntry('motion_moved', mover, ctx.now, {
    motionId: ctx.newId('motion'),
    councilId,
    kind: 'admission',
    title: `Admit ${name} to ${council.name}`,
    text: '',
    draft: false,
    alternatives: [{ id: 'admit', title: `Admit ${name}`, text: '' }],
    // As many votes for it as the approvals path needs, the proposer's included: no one admits by voting alone.
    decision: { method: 'majority', rule: con.majority, quorum: con.quorum, support },
    invitationId,
  });
}

function acceptInvitation(
  state: OrgState,
  c: Extract<InvitationCommand, { type: 'accept_invitation' }>,
  ctx: DecideContext,
): Decision {
  const inv = state.invitations.get(c.invitationId);
  if (!inv) return reject('not_found', 'no_such_invitation');
  if (inv.usedBy !== null) return reject('invitation_used');
  if (state.members.has(c.memberId)) return reject('already_exists', 'member_exists');
  const name = c.name === undefined ? inv.name : checkText(c.name, 'name', limits.name);
  const admission = state.admissions.get(inv.id);
  if (!admission)
    return accept(
      newEntry('member_admitted', c.memberId, ctx.now, {
        memberId: c.memberId,
        name,
        councilId: inv.councilId,
        invitationId: inv.id,
      }),
    );
  const accepted = newEntry('invitation_accepted', c.memberId, ctx.now, {
    invitationId: inv.id,
    memberId: c.memberId,
    name,
  });
  // Already admitted by the council while the invitation waited: a member from this moment.
  const admitted = { ...admission, memberId: c.memberId, acceptedAt: ctx.now };
  if (!admissionDue(state, admitted, ctx.now)) return accept(accepted);
  return accept(accepted, admittedEntry(admitted, name, ctx.now));
}

function admittedEntry(a: Admission, name: string, now: string): NewEntry {
  return newEntry('member_admitted', null, now, {
    memberId: a.memberId!,
    name,
    councilId: a.councilId,
    invitationId: a.invitationId,
  });
}

/** The admission a council member may act on, or why not. */
function open(state: OrgState, invitationId: string, ctx: DecideContext) {
  const a = state.admissions.get(invitationId);
  if (!a) return reject('not_found', 'no_admission_for_invitation');
  if (!ctx.actor || !isCouncilMember(state, a.councilId, ctx.actor, ctx.now)) return reject('not_a_member');
  if (a.proposedBy === ctx.actor) return reject('own_proposal');
  const status = admissionStatus(state, a, ctx.now);
  if (status === 'approved' && a.motionId === null)
    return reject('objection_period_over', 'objection_period_ended', { endsAt: String(objectionEnds(a)) });
  if (status === 'admitted' || status === 'approved') return reject('wrong_state', 'already_admitted');
  if (status === 'refused') return reject('wrong_state', 'admission_refused');
  if (a.motionId !== null)
    return a.by === 'motion'
      ? reject('admission_by_motion', 'admission_by_motion', { motionId: a.motionId })
      : reject('admission_objected', 'admission_objected', { motionId: a.motionId });
  return { a, actor: ctx.actor, status };
}

function approve(state: OrgState, invitationId: string, ctx: DecideContext): Decision {
  const o = open(state, invitationId, ctx);
  if ('ok' in o) return o;
  const { a, actor } = o;
  if (a.approvals.some((x) => x.memberId === actor)) return reject('already_approved');
  if (a.approvedAt !== null)
    return reject('wrong_state', 'objection_period_running', { endsAt: String(objectionEnds(a)) });
  const given = newEntry('admission_approved', actor, ctx.now, { invitationId });
  const after: Admission = {
    ...a,
    approvals: [...a.approvals, { memberId: actor, at: ctx.now }],
    approvedAt: a.approvals.length + 1 >= a.required ? ctx.now : null,
  };
  // With no objection period, the last approval needed admits at once (when the person has accepted).
  if (!admissionDue(state, after, ctx.now)) return accept(given);
  return accept(given, admittedEntry(after, state.members.get(a.memberId!)!.name, ctx.now));
}

function object(state: OrgState, invitationId: string, text: string, ctx: DecideContext): Decision {
  const o = open(state, invitationId, ctx);
  if ('ok' in o) return o;
  const { a, actor } = o;
  const reason = checkText(text, 'text', limits.comment);
  // The objection and the motion it sends the admission to are one act; the motion is the organisation's.
  const objected = newEntry('admission_objected', actor, ctx.now, { invitationId, text: reason });
  const motion = admissionMotion(state, invitationId, a.councilId, a.name, a.required + 1, null, ctx);
  return accept(checkEntrySize(objected, 'text', 'entry_too_large_text'), motion);
}

function admitDue(state: OrgState, ctx: DecideContext): Decision {
  if (ctx.actor !== null) return reject('not_allowed', 'admission_falls_due');
  const due = dueAdmissions(state, ctx.now);
  if (due.length === 0) return reject('wrong_state', 'no_admission_due');
  return accept(...due.map((a) => admittedEntry(a, state.members.get(a.memberId!)!.name, ctx.now)));
}

/**
 * The consequence of an adopted admission motion: the person is admitted now if they have accepted. Like every
 * admission by the council it is the organisation's act (actor null), whoever cast the last ballot.
 */
export function admissionAdopted(state: OrgState, motionId: string, now: string): NewEntry[] {
  const a = [...state.admissions.values()].find((x) => x.motionId === motionId);
  if (!a || a.memberId === null || a.admittedAt !== null) return [];
  return [admittedEntry(a, state.members.get(a.memberId)!.name, now)];
}

/**
 * A person who accepted an invitation but whom the council has not admitted is refused as not a member; the
 * refusal names the rule and where their admission stands.
 */
export function notYetAdmitted(state: OrgState, d: Rejection, actor: string | null): Rejection {
  if (actor === null || (d.code !== 'not_a_member' && d.code !== 'not_an_elector')) return d;
  const a = pendingAdmissionOf(state, actor);
  if (!a) return d;
  const council = state.councils.get(a.councilId)?.name ?? a.councilId;
  return reject('not_admitted', 'not_admitted_yet', { council });
}
