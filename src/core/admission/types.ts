// Collective admission (docs/PROCEDURE.md "Admission"): the entries, commands and state of an invitation that is a
// proposal to admit. Types only.

export interface AdmissionPayloads {
  /** The invited person accepts (their account is made beside the log); they are not yet a member. */
  invitation_accepted: { invitationId: string; memberId: string; name: string };
  /** A member of the council, not the proposer, approves the admission. */
  admission_approved: { invitationId: string };
  /** A member of the council objects; the admission goes to an admission motion moved in the same decision. */
  admission_objected: { invitationId: string; text: string };
}

export type AdmissionCommand =
  | { type: 'approve_admission'; invitationId: string }
  | { type: 'object_to_admission'; invitationId: string; text: string }
  /** The organisation's own act (the scheduler's): admits everyone whose objection period has passed. */
  | { type: 'admit_due_members' };

export interface AdmissionAct {
  memberId: string;
  at: string;
}

/** An invitation a member issued under admission rules, keyed by the invitation's id. */
export interface Admission {
  invitationId: string;
  councilId: string;
  name: string;
  by: 'approvals' | 'motion';
  proposedBy: string;
  proposedAt: string;
  /** Approvals needed besides the proposer's, fixed when the admission is proposed. */
  required: number;
  /** The objection period, fixed when the admission is proposed. */
  objectionMinutes: number;
  approvals: AdmissionAct[];
  /** When the last approval needed was given: the objection period runs from then. */
  approvedAt: string | null;
  objections: (AdmissionAct & { text: string })[];
  /** The admission motion (by 'motion', or after an objection). */
  motionId: string | null;
  /** Who accepted the invitation, and when. */
  memberId: string | null;
  acceptedAt: string | null;
  admittedAt: string | null;
  /**
   * Why it ended unmade, if it did: its council was dissolved, merged away or its creation reversed (privileged
   * acts' removeCouncil, in `apply`). It stays refused thereafter, even under a council created later with the id.
   */
  endedBy: 'council_removed' | null;
}

export type AdmissionStatus =
  'awaiting_approvals' | 'objection_period' | 'in_vote' | 'approved' | 'admitted' | 'refused';
