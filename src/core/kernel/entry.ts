// An entry is one act in an organisation's log. Its RFC 8785 canonical JSON is the leaf of the record's Merkle
// tree; the tables of the store are projections of the entries, rebuilt from them at will.
import type { Constitution } from './constitution.ts';
import type { MethodId } from '../../count/index.ts';
import type { MajorityRule, QuorumRule } from '../../count/majority.ts';
import type { BallotContent } from '../votes/ballot-content.ts';
import type { PowerPayloads } from '../power/entries.ts';
import type { PayPayloads } from '../pay/decisions.ts';
import type { SchemeDocument } from '../pay/index.ts';
import type { SealedPayloads } from '../sealed/records.ts';
import type { BoardPosted, SecretSpec } from '../secret/vote.ts';
import type { ResultDigest, VoteResultPart } from '../votes/result-parts.ts';

export type MotionKind = 'ordinary' | 'election' | 'recall' | 'pay';
export type Stance = 'for' | 'against' | 'neutral';
export type MandateEnd = 'recalled' | 'resigned' | 'expired';

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
}

export interface CouncilSpec {
  id: string;
  name: string;
  parentId: string | null;
  /** How many deputies this council sends to its parent (0 for the root). */
  seatsInParent: number;
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

export interface Payloads extends PowerPayloads, SealedPayloads, PayPayloads {
  /** The first councils (the root among them); a tree too large for one entry continues in councils_founded. */
  org_founded: { orgId: string; name: string; constitution: Constitution; councils: CouncilSpec[] };
  /** More councils of the founding, right after org_founded, each after its parent (decide.ts `found`). */
  councils_founded: { councils: CouncilSpec[] };
  member_admitted: { memberId: string; name: string; councilId: string; invitationId: string | null };
  invitation_issued: { invitationId: string; councilId: string; name: string };
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
  };
  debate_opened: { motionId: string };
  alternative_proposed: { motionId: string; alternative: AlternativeSpec };
  comment_posted: { motionId: string; commentId: string; stance: Stance; text: string; replyTo?: string };
  motion_withdrawn: { motionId: string };
  vote_opened: {
    voteId: string;
    motionId: string;
    options: string[];
    /** Whether the status quo (AGAINST) is on the ballot beside the options. */
    statusQuo: boolean;
    /** Seats to fill (elections); 1 otherwise. */
    seats: number;
    /**
     * Present in logs written before 2026-11-28 only. The electorate is the council's members at the entry's time,
     * one vote each, so `apply` derives it from the state the log has built; listing it made the entry of a council
     * of some 1,500 members exceed the 65,535 bytes an entry may have (C2SP tlog-tiles).
     */
    electorate?: { memberId: string; weight: string }[];
    closesAt: string;
    /** A secret vote held again with trustees named anew (open_vote's `secret`); absent otherwise. */
    secret?: { trustees?: string[]; threshold?: number; registrationMinutes?: number };
  };
  ballot_cast: { voteId: string; ballot: BallotContent };
  /** A piece of a large count report, written just before its vote_closed entry (vote-result-parts.ts). */
  vote_result_part: VoteResultPart;
  vote_closed: {
    voteId: string;
    /** The count report, when it fits here (at most 32,000 bytes); else `resultParts`. */
    result?: unknown;
    /** The report is in the `vote_result_part` entries just before this one: their number and SHA-256. */
    resultParts?: ResultDigest;
    outcome: string;
    winner: string | null;
    winners: string[];
  };
  motion_decided: { motionId: string; alternativeId: string | null; adopted: boolean };
  mandate_started: {
    mandateId: string;
    memberId: string;
    councilId: string;
    fromCouncilId: string;
    termEnds: string;
    motionId: string | null;
  };
  mandate_ended: { mandateId: string; reason: MandateEnd; motionId: string | null };
  minority_statement_attached: { motionId: string; statementId: string; text: string };
  board_posted: BoardPosted;
  /** A secret vote that could not reach a result (secret-abort.ts); its motion returns to debate. */
  vote_failed: { voteId: string; reason: string };
}

export type Act = keyof Payloads;

export interface EntryOf<A extends Act> {
  seq: number;
  act: A;
  /** The member who acted, or null for the organisation's own acts (founding, a vote closing on time). */
  actor: string | null;
  /** ISO 8601 UTC time of the act. */
  time: string;
  payload: Payloads[A];
}

export type Entry = { [A in Act]: EntryOf<A> }[Act];

/** An entry before the store gives it its sequence number. */
export type NewEntry = { [A in Act]: Omit<EntryOf<A>, 'seq'> }[Act];

export function newEntry<A extends Act>(
  act: A,
  actor: string | null,
  time: string,
  payload: Payloads[A],
): NewEntry {
  return { act, actor, time, payload } as NewEntry;
}
