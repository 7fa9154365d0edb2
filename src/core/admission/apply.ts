// How the entries of invitations and admission change the state (docs/PROCEDURE.md "Admission").
import { admissionApprovalsRequired } from '../kernel/admission-rules.ts';
import type { EntryOf, OrgState } from '../model.ts';
import { councilMembers } from '../organisation/membership.ts';
import type { ProjectionKey } from '../projections.ts';

type Acts =
  | 'invitation_issued'
  | 'invitation_accepted'
  | 'member_admitted'
  | 'admission_approved'
  | 'admission_objected';
type Handlers = { [A in Acts]: (s: OrgState, e: EntryOf<A>) => ProjectionKey[] };

function admissionOf(s: OrgState, invitationId: string) {
  const a = s.admissions.get(invitationId);
  if (!a) throw new RangeError(`entry names no admission of invitation ${invitationId}`);
  return a;
}

const row = (invitationId: string): ProjectionKey => ({ table: 'admissions', key: invitationId });

export const admissionHandlers: Handlers = {
  invitation_issued(s, e) {
    const p = e.payload;
    s.invitations.set(p.invitationId, {
      id: p.invitationId,
      councilId: p.councilId,
      name: p.name,
      invitedBy: e.actor,
      issuedAt: e.time,
      usedBy: null,
    });
    const rules = s.org!.constitution.admission;
    // The founding's own invitations, and any under a constitution without admission rules, admit on acceptance.
    if (!rules || e.actor === null) return [{ table: 'invitations', key: p.invitationId }];
    const others = councilMembers(s, p.councilId, e.time).filter((m) => m !== e.actor).length;
    const required = admissionApprovalsRequired(rules, others);
    s.admissions.set(p.invitationId, {
      invitationId: p.invitationId,
      councilId: p.councilId,
      name: p.name,
      by: rules.by,
      proposedBy: e.actor,
      proposedAt: e.time,
      required,
      objectionMinutes: rules.objectionMinutes,
      approvals: [],
      // Nobody else to approve (a council of one): the objection period runs from the proposal.
      approvedAt: required === 0 && rules.by === 'approvals' ? e.time : null,
      objections: [],
      motionId: null,
      memberId: null,
      acceptedAt: null,
      admittedAt: null,
      endedBy: null,
    });
    let open = s.openAdmissions.get(p.councilId);
    if (!open) s.openAdmissions.set(p.councilId, (open = new Set()));
    open.add(p.invitationId);
    return [{ table: 'invitations', key: p.invitationId }, row(p.invitationId)];
  },
  invitation_accepted(s, e) {
    const p = e.payload;
    const a = admissionOf(s, p.invitationId);
    if (s.members.has(p.memberId)) throw new RangeError(`member ${p.memberId} exists already`);
    // A person with an account, not yet a member of any council.
    s.members.set(p.memberId, { id: p.memberId, name: p.name, joinedAt: e.time });
    s.invitations.get(p.invitationId)!.usedBy = p.memberId;
    a.memberId = p.memberId;
    a.acceptedAt = e.time;
    return [
      { table: 'members', key: p.memberId },
      { table: 'invitations', key: p.invitationId },
      row(p.invitationId),
    ];
  },
  member_admitted(s, e) {
    const p = e.payload;
    const member = s.members.get(p.memberId);
    if (!member) s.members.set(p.memberId, { id: p.memberId, name: p.name, joinedAt: e.time });
    else if (e.actor === null && p.invitationId !== null) member.joinedAt = e.time; // admitted by the council now
    s.councils.get(p.councilId)!.memberIds.add(p.memberId);
    const touched: ProjectionKey[] = [
      { table: 'members', key: p.memberId },
      { table: 'memberships', key: `${p.councilId}/${p.memberId}` },
    ];
    if (p.invitationId) {
      s.invitations.get(p.invitationId)!.usedBy = p.memberId;
      touched.push({ table: 'invitations', key: p.invitationId });
      const a = s.admissions.get(p.invitationId);
      if (a) {
        a.admittedAt = e.time;
        const open = s.openAdmissions.get(a.councilId);
        open?.delete(a.invitationId);
        if (open?.size === 0) s.openAdmissions.delete(a.councilId);
        touched.push(row(p.invitationId));
      }
    }
    return touched;
  },
  admission_approved(s, e) {
    const a = admissionOf(s, e.payload.invitationId);
    a.approvals.push({ memberId: e.actor!, at: e.time });
    if (a.approvedAt === null && a.approvals.length >= a.required) a.approvedAt = e.time;
    return [row(a.invitationId)];
  },
  admission_objected(s, e) {
    const a = admissionOf(s, e.payload.invitationId);
    a.objections.push({ memberId: e.actor!, at: e.time, text: e.payload.text });
    return [row(a.invitationId)];
  },
};

/** motion_moved of an admission motion: the admission is decided by it from now on. */
export function linkAdmissionMotion(s: OrgState, invitationId: string, motionId: string): ProjectionKey[] {
  const a = admissionOf(s, invitationId);
  if (a.motionId !== null) throw new RangeError(`admission ${invitationId} has a motion already`);
  a.motionId = motionId;
  return [row(invitationId)];
}
