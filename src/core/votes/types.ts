// The votes' part of the model: a motion's vote from its opening to its count, its ballots and its report in the
// record. Types only; src/core/model.ts joins them with the other features'.
import type { IssuerKey } from '../../ballot/index.ts';
import type { SecretRequest, SecretVote } from '../secret/types.ts';
import type { BallotContent } from './ballot-content.ts';

export interface Vote {
  id: string;
  motionId: string;
  councilId: string;
  options: string[];
  statusQuo: boolean;
  seats: number;
  /**
   * Who may vote, with their weights, frozen at the opening: a `Map` while the vote is open, a `SettledElectorate`
   * (sorted ids, votes/settled.ts) once it has closed and been settled.
   */
  electorate: ReadonlyMap<string, bigint>;
  /** The latest ballot of each elector who voted; null once the vote has closed and been settled (`settled`). */
  ballots: Map<string, { ballot: BallotContent; castAt: string }> | null;
  /** What a settled vote keeps of its ballots (docs/SCALE.md "Closing a vote"). */
  settled?: SettledBallots;
  openedAt: string;
  closesAt: string;
  closedAt: string | null;
  result: unknown;
  outcome: string | null;
  winner: string | null;
  winners: string[];
  /** The report's parts received so far (vote_result_part), until the closing entry joins them. */
  resultParts?: string[];
  /** A secret vote's board and derived state (docs/BALLOT-PROTOCOL.md "In Councils"). */
  secret?: SecretVote;
}

/**
 * A closed vote's ballots as later acts need them: positions in its settled electorate's sorted ids, ascending.
 * Every voter is an elector (`cast_ballot` refuses anyone else), so a position names each.
 */
export interface SettledBallots {
  /** The electors who cast a ballot (the attention inbox's and the closing notices' `vote_result`). */
  voters: Uint32Array;
  /** Those whose ballot neither abstained nor supported the side that won: who may attach a minority statement. */
  minority: Uint32Array;
}

export interface VoteResultPart {
  voteId: string;
  /** 0-based; the parts of one vote are consecutive entries, in order. */
  part: number;
  parts: number;
  /** A piece of the report's RFC 8785 canonical JSON text; the pieces in order are the whole text. */
  text: string;
}

/** In a vote_closed entry whose report is in parts: how many, and the SHA-256 (hex) of the joined text's UTF-8. */
export interface ResultDigest {
  parts: number;
  sha256: string;
}

export interface VotePayloads {
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
  /**
   * `replaces`: the elector's earlier ballot in this vote is replaced by this one (procedure.ballotsChangeable);
   * only the latest is counted.
   */
  ballot_cast: { voteId: string; ballot: BallotContent; replaces?: true };
  /** A piece of a large count report, written just before its vote_closed entry (votes/result-parts.ts). */
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
}

export type VoteCommand =
  | {
      type: 'open_vote';
      motionId: string;
      minutes?: number;
      /** A secret vote's credential-issuing keys, one per weight of the electorate (the server makes them). */
      issuers?: IssuerKey[];
      /**
       * A secret motion's trustees, threshold or registration time named anew: only when a vote of the motion has
       * failed (its trustees did not make a key), and checked as a mover's are.
       */
      secret?: SecretRequest;
    }
  | { type: 'cast_ballot'; voteId: string; ballot: BallotContent }
  | { type: 'close_vote'; voteId: string };
