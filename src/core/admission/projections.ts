// The projection of admissions (docs/PROCEDURE.md "Admission"): one row per invitation issued under admission
// rules, with who proposed it, who approved and who objected, so members can see how each member came in. Counts
// are text, as in every table made after the first migration. Where an admission stands now (its objection period
// may have run out since) is read from the row and the time (`admissionStatus`).
import canonicalize from 'canonicalize';
import type { OrgState } from '../model.ts';

type Cell = string | number | null;

export const admissionTables = {
  admissions: {
    columns: [
      'invitation_id',
      'org_id',
      'council_id',
      'name',
      'by',
      'proposed_by',
      'proposed_at',
      'required',
      'objection_minutes',
      'approvals',
      'approved_at',
      'objections',
      'motion_id',
      'member_id',
      'accepted_at',
      'admitted_at',
      'ended_by',
    ],
    keyColumns: 1,
  },
} as const;

export function projectAdmissionRow(s: OrgState, key: string): Record<string, Cell> | null {
  const a = s.admissions.get(key);
  if (!a) return null;
  return {
    invitation_id: a.invitationId,
    org_id: s.org?.id ?? null,
    council_id: a.councilId,
    name: a.name,
    by: a.by,
    proposed_by: a.proposedBy,
    proposed_at: a.proposedAt,
    required: String(a.required),
    objection_minutes: String(a.objectionMinutes),
    approvals: canonicalize(a.approvals)!,
    approved_at: a.approvedAt,
    objections: canonicalize(a.objections)!,
    motion_id: a.motionId,
    member_id: a.memberId,
    accepted_at: a.acceptedAt,
    admitted_at: a.admittedAt,
    ended_by: a.endedBy,
  };
}

export function admissionKeys(s: OrgState): { table: 'admissions'; key: string }[] {
  return [...s.admissions.keys()].map((key) => ({ table: 'admissions', key }));
}
