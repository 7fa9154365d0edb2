// The scheduler's index (due-index.ts): the open items of each kind the scheduler acts on, by their deadline, kept
// in the state by `apply` as entries arrive, so that a pass reads what is due instead of every vote, petition,
// request, mandate, admission, motion waiting for seconders and sealed record the organisation ever had (docs/SCALE.md "The scheduler's scans").
// It is derived state like the rest of OrgState: a replayed log builds the same index.
import { Deadlines } from '../kernel/deadlines.ts';

export interface DueIndex {
  /** Open votes, by when they close. */
  votes: Deadlines;
  /** Petitions neither succeeded nor expired, by their deadline. */
  petitions: Deadlines;
  /** Privileged requests pending and not expired, by when they expire. */
  requests: Deadlines;
  /** Mandates not ended, by when their term ends. */
  mandates: Deadlines;
  /**
   * Admissions not yet admitted, by invitation id: due when the objection period ends, at '' (at once) when their
   * motion was adopted, not by time (null) before the person accepted or while approvals or the vote are awaited.
   */
  admissions: Deadlines;
  /** The admission each filed admission's motion decides (a motion's change moves its admission). */
  admissionMotions: Map<string, string>;
  /**
   * Motions a petition opened (every one, in the order they were moved), filed by when their debate opened while
   * they are in debate with alternatives: their vote opens once the longest debate has passed.
   */
  petitionMotions: Deadlines;
  /**
   * Motions waiting for their seconders, by when they began to wait: a motion lapses `unsecondedLapseDays` after
   * that, a number an amendment of the procedure may change, so they are not filed by the lapse itself.
   */
  lapses: Deadlines;
  /**
   * Sealed records not revealed whose key the service keeps, by seq: filed at their release date (null: a condition
   * only). Those whose sealer keeps the key (`keyKeptBy`) are not the scheduler's to reveal and are never filed.
   */
  sealed: Deadlines<number>;
}

export function emptyDueIndex(): DueIndex {
  return {
    votes: new Deadlines(),
    petitions: new Deadlines(),
    requests: new Deadlines(),
    mandates: new Deadlines(),
    admissions: new Deadlines(),
    admissionMotions: new Map(),
    petitionMotions: new Deadlines(),
    lapses: new Deadlines(),
    sealed: new Deadlines<number>(),
  };
}
