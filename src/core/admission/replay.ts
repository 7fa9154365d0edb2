// The admission part of `councils verify` (docs/PROCEDURE.md "Admission"): the commands members' admission
// entries record, decided again by the replay, and the checks of what the organisation did by itself (a member
// admitted, an admission motion moved), which no command records.
import type { Command, Entry, OrgState } from '../model.ts';
import { admissionDue, admissionStatus } from './status.ts';

/** The command an invitation or admission entry records; undefined for the organisation's own acts. */
export function admissionCommandOf(e: Entry): Command | undefined {
  switch (e.act) {
    case 'invitation_issued':
      return e.actor === null
        ? undefined
        : { type: 'issue_invitation', councilId: e.payload.councilId, name: e.payload.name };
    case 'member_admitted':
      // Admitted by their own acceptance (the founding's invitations, or logs from before admission rules);
      // admitted by the council, the organisation's act, is checked by admissionProblem.
      return e.payload.invitationId === null || e.actor === null
        ? undefined
        : {
            type: 'accept_invitation',
            invitationId: e.payload.invitationId,
            memberId: e.payload.memberId,
            name: e.payload.name,
          };
    case 'invitation_accepted':
      return {
        type: 'accept_invitation',
        invitationId: e.payload.invitationId,
        memberId: e.payload.memberId,
        name: e.payload.name,
      };
    case 'admission_approved':
      return { type: 'approve_admission', invitationId: e.payload.invitationId };
    case 'admission_objected':
      return { type: 'object_to_admission', invitationId: e.payload.invitationId, text: e.payload.text };
    default:
      return undefined;
  }
}

/** What is wrong with an admission the organisation made, or a member admitted outside the rules; null if nothing. */
export function admissionProblem(state: OrgState, e: Entry): string | null {
  if (e.act === 'member_admitted' && e.payload.invitationId !== null) {
    const p = e.payload;
    const a = state.admissions.get(p.invitationId!);
    if (e.actor !== null)
      return a
        ? `${p.memberId} admitted themself, but invitation ${a.invitationId} was a proposal the council must admit`
        : null;
    if (!a) return `invitation ${p.invitationId} admits on acceptance; the organisation admits nobody by it`;
    if (a.memberId !== p.memberId || a.councilId !== p.councilId)
      return `${p.memberId} is not who accepted invitation ${a.invitationId}, into ${a.councilId}`;
    if (!admissionDue(state, a, e.time))
      return `the council had not admitted ${p.memberId} (${admissionStatus(state, a, e.time)})`;
    return null;
  }
  if (e.act === 'motion_moved' && (e.payload.kind === 'admission' || e.payload.invitationId !== undefined)) {
    const id = e.payload.invitationId;
    const a = id === undefined ? undefined : state.admissions.get(id);
    if (e.payload.kind !== 'admission' || !a)
      return 'an admission motion names an admission, and only it does';
    if (a.motionId !== null) return `admission ${a.invitationId} has its motion already`;
    const d = e.payload.decision;
    const con = state.org!.constitution;
    if (
      d.method !== 'majority' ||
      d.support !== a.required + 1 ||
      d.secret !== undefined ||
      JSON.stringify([d.rule, d.quorum]) !== JSON.stringify([con.majority, con.quorum])
    )
      return 'an admission motion is decided by the ordinary majority and quorum, with the support the rules set';
    if (a.by === 'motion')
      return e.actor === a.proposedBy && e.time === a.proposedAt
        ? null
        : 'an admission motion is moved by the invitation that proposes it';
    return e.actor === null && a.objections.length > 0
      ? null
      : 'an admission by approvals goes to a motion only when a member objects';
  }
  return null;
}
