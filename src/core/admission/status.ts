// Where an admission stands, read from the state: the rules (decide), the replay and the read models ask the same
// questions here, so they cannot disagree.
import type { OrgState } from '../model.ts';
import { addMinutes } from '../kernel/time.ts';
import type { Admission, AdmissionStatus } from './types.ts';
import type { MotionState } from '../motions/types.ts';

/** When the objection period ends, once enough members have approved. */
export function objectionEnds(a: Pick<Admission, 'approvedAt' | 'objectionMinutes'>): string | null {
  return a.approvedAt === null ? null : addMinutes(a.approvedAt, a.objectionMinutes);
}

export function admissionStatus(state: OrgState, a: Admission, now: string): AdmissionStatus {
  return statusOf(a, a.motionId === null ? undefined : state.motions.get(a.motionId)?.state, now);
}

/**
 * Where an admission stands, from its own fields and its motion's state: the core's rules and the read models (which
 * have the admission's row and its motion's) use this one function, so what a member reads is what the scheduler
 * does.
 */
export function statusOf(
  a: Pick<Admission, 'admittedAt' | 'motionId' | 'approvedAt' | 'objectionMinutes' | 'endedBy'>,
  motionState: MotionState | undefined,
  now: string,
): AdmissionStatus {
  if (a.admittedAt !== null) return 'admitted';
  // A council dissolved or merged away admits nobody: its admissions not yet made ended with it (removeCouncil),
  // refused for good, even if a council is created later with its id.
  if (a.endedBy !== null) return 'refused';
  if (a.motionId !== null) {
    if (motionState === 'decided') return 'approved';
    if (motionState === 'failed' || motionState === 'withdrawn' || motionState === 'lapsed') return 'refused';
    return 'in_vote';
  }
  if (a.approvedAt === null) return 'awaiting_approvals';
  return objectionEnds(a)! <= now ? 'approved' : 'objection_period';
}

/** The council has admitted this person and they have accepted: a `member_admitted` is due. */
export function admissionDue(state: OrgState, a: Admission, now: string): boolean {
  return a.memberId !== null && admissionStatus(state, a, now) === 'approved';
}

/**
 * The admissions due at `now` (admissionDue), in the order they were proposed: read from the state's index of
 * admissions not yet admitted (src/core/schedule), not by walking every admission ever proposed.
 */
export function dueAdmissions(state: OrgState, now: string): Admission[] {
  return state.due.admissions.due(now).map((id) => state.admissions.get(id)!);
}

/** dueAdmissions by walking every admission: the reference the index is checked against. */
export function dueAdmissionsByScan(state: OrgState, now: string): Admission[] {
  return [...state.admissions.values()].filter((a) => admissionDue(state, a, now));
}

/** The admission a pending person (accepted, not admitted) waits on, if any. */
export function pendingAdmissionOf(state: OrgState, memberId: string): Admission | undefined {
  for (const a of state.admissions.values()) if (a.memberId === memberId && a.admittedAt === null) return a;
  return undefined;
}
