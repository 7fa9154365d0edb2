// The motions' part of the model: a motion from its moving through debate to its decision, its alternatives,
// comments and minority statements. Types only; src/core/model.ts joins them with the other features'.
import type { MethodId } from '../../count/index.ts';
import type { MajorityRule, QuorumRule } from '../../count/majority.ts';
import type { SchemeDocument } from '../pay/index.ts';
import type { SecretRequest, SecretSpec } from '../secret/types.ts';

export type MotionKind = 'ordinary' | 'election' | 'recall' | 'pay' | 'admission';
export type Stance = 'for' | 'against' | 'neutral';
export type MajorityChoice = 'ordinary' | 'absolute' | 'supermajority';

/** How a motion's vote is decided; fixed when the motion is moved. */
export interface DecisionSpec {
  /** Any method of src/count; open votes take every ballot shape. */
  method: MethodId;
  /** For 'majority': simple, absolute or a supermajority. */
  rule?: MajorityRule;
  quorum: QuorumRule;
  /** For 'score': the highest score. */
  maxScore?: number;
  /** Decided by secret ballot (docs/BALLOT-PROTOCOL.md "In Councils"). */
  secret?: SecretSpec;
  /**
   * An admission motion: the fewest ballots for the proposal that carry it, whatever the quorum (the proposer and
   * as many as the approvals path needs), so one member cannot admit an elector by voting alone.
   */
  support?: number;
}

export interface AlternativeSpec {
  id: string;
  title: string;
  text: string;
  /** For an amendment: the alternative it amends. */
  amends?: string;
  /** For an election: the member standing. */
  candidateId?: string;
  /** For a pay motion: the scheme this alternative would adopt (docs/PAY.md "Decisions"). */
  scheme?: SchemeDocument;
}

/**
 * 'seconding': put up, waiting for the seconders the procedure asks for before it is on the agenda. 'lapsed': it
 * waited for them longer than the procedure's `unsecondedLapseDays`, and ended.
 */
export type MotionState =
  'draft' | 'seconding' | 'debate' | 'voting' | 'decided' | 'failed' | 'withdrawn' | 'lapsed';

export interface Alternative extends AlternativeSpec {
  proposedBy: string | null;
  proposedAt: string;
}

export interface Comment {
  id: string;
  authorId: string;
  stance: Stance;
  text: string;
  replyTo: string | null;
  postedAt: string;
}

export interface MinorityStatement {
  id: string;
  authorId: string;
  text: string;
  attachedAt: string;
}

export interface Motion {
  id: string;
  councilId: string;
  kind: MotionKind;
  title: string;
  text: string;
  moverId: string | null;
  movedAt: string;
  debateOpenedAt: string | null;
  state: MotionState;
  decision: DecisionSpec;
  alternatives: Alternative[];
  comments: Comment[];
  statements: MinorityStatement[];
  seatCouncilId: string | null;
  mandateId: string | null;
  voteId: string | null;
  adoptedAlternativeId: string | null;
  /** Seconders it needed to reach the agenda, fixed when it was put up (0: none, or moved under the old rules). */
  secondersNeeded: number;
  /** Members who seconded it, in order. */
  seconders: string[];
  /** When it began to wait for seconders (moved, or a draft put up); null if it never did. */
  secondingSince: string | null;
  /** Members who support closing its debate (the vote opens early when the procedure's share is reached). */
  closure: string[];
  /** When the closure was carried; null until then. */
  closureCarriedAt: string | null;
  /** Moved under the emergency procedure (docs/PROCEDURE.md "Emergency"). */
  emergency: boolean;
  /** When it was decided, failed or withdrawn; null while it is open (or open again for a re-vote). */
  endedAt: string | null;
}

export interface MotionPayloads {
  motion_moved: {
    motionId: string;
    councilId: string;
    kind: MotionKind;
    title: string;
    text: string;
    draft: boolean;
    /**
     * Absent for an ordinary motion moved without alternatives: it is a single proposal, alternative "a1" with
     * the motion's own title and text (apply derives it; older entries list it, so the text was there twice).
     */
    alternatives?: AlternativeSpec[];
    decision: DecisionSpec;
    /** Election: the council the seat is in (the parent). Recall: the mandate recalled. */
    seatCouncilId?: string;
    mandateId?: string;
    /** Admission: the invitation (the proposal to admit) the motion decides. */
    invitationId?: string;
    /**
     * Seconders it needs before it is on the agenda (docs/PROCEDURE.md); absent when none (and in entries written
     * before the procedure existed): the motion is in debate at once.
     */
    seconders?: number;
    /** Moved under the emergency procedure: a supermajority decides it, on shorter minimums. */
    emergency?: true;
  };
  /** A draft put up by its mover: in debate at once, or first seconded when `seconders` is given. */
  debate_opened: { motionId: string; seconders?: number };
  /** A member seconds a motion; `agenda`: the last seconder needed, so its debate begins now. */
  motion_seconded: { motionId: string; agenda: boolean };
  /** A member supports closing the debate; `carried`: the share is reached, so the vote may open now. */
  closure_supported: { motionId: string; carried: boolean };
  /** A member withdraws their support for closing the debate, before the closure is carried. */
  closure_support_withdrawn: { motionId: string };
  /** The organisation ends a motion that waited for its seconders longer than the procedure allows. */
  motion_lapsed: { motionId: string };
  alternative_proposed: { motionId: string; alternative: AlternativeSpec };
  comment_posted: { motionId: string; commentId: string; stance: Stance; text: string; replyTo?: string };
  motion_withdrawn: { motionId: string };
  motion_decided: { motionId: string; alternativeId: string | null; adopted: boolean };
  minority_statement_attached: { motionId: string; statementId: string; text: string };
}

export type MotionCommand =
  | {
      type: 'move_motion';
      councilId: string;
      title: string;
      text: string;
      alternatives?: { title: string; text: string }[];
      majority?: MajorityChoice;
      /** The counting method (default 'majority'); ranked and other methods put the status quo on the ballot. */
      method?: MethodId;
      maxScore?: number;
      draft?: boolean;
      /** Decide by secret ballot: the trustees and k (docs/BALLOT-PROTOCOL.md "In Councils"). */
      secret?: SecretRequest;
      /** Move it under the constitution's emergency procedure (docs/PROCEDURE.md "Emergency"). */
      emergency?: boolean;
    }
  | {
      type: 'call_election';
      councilId: string;
      title?: string;
      text?: string;
      method?: MethodId;
      /** Elect by secret ballot (a ranked method: through the mix-net, docs/MIXNET.md §16). */
      secret?: SecretRequest;
    }
  | { type: 'move_recall'; mandateId: string; text: string }
  | { type: 'open_debate'; motionId: string }
  | { type: 'second_motion'; motionId: string }
  | { type: 'support_closure'; motionId: string }
  | { type: 'withdraw_closure_support'; motionId: string }
  /** The organisation's own act (actor null), on time: a motion unseconded for too long lapses. */
  | { type: 'lapse_motion'; motionId: string }
  | {
      type: 'propose_alternative';
      motionId: string;
      title: string;
      text: string;
      amends?: string;
      candidateId?: string;
      /** For a pay motion: the scheme this alternative would adopt. */
      scheme?: unknown;
    }
  | { type: 'post_comment'; motionId: string; stance: Stance; text: string; replyTo?: string }
  | { type: 'withdraw_motion'; motionId: string }
  | { type: 'attach_minority_statement'; motionId: string; text: string };
