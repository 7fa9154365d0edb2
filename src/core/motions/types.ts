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

export type MotionState = 'draft' | 'debate' | 'voting' | 'decided' | 'failed' | 'withdrawn';

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
  };
  debate_opened: { motionId: string };
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
    }
  | { type: 'call_election'; councilId: string; title?: string; text?: string; method?: MethodId }
  | { type: 'move_recall'; mandateId: string; text: string }
  | { type: 'open_debate'; motionId: string }
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
