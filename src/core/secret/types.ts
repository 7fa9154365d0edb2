// The secret vote's part of the model (docs/BALLOT-PROTOCOL.md "In Councils"): what a motion asks for, the state a
// vote's board makes, its entries and its commands. Types only; src/core/model.ts joins them with the other features'.
import type {
  Aggregate,
  BoardEntry,
  CastBallot,
  CredentialEntry,
  BallotBody,
  DkgAccusationBody,
  DkgCommitBody,
  DkgSharesBody,
  Election,
  PartialDecryptionBody,
  ResultBody,
  SetupBody,
  SpoiledBody,
  MixDecryptionBody,
  MixResultBody,
  RankedBallotBody,
  ShuffleBody,
  SpoiledRankedBody,
} from '../../ballot/index.ts';
import type { DecryptionDue, DecryptionDuty, NotDecrypted } from './decryption-types.ts';

export interface SecretSpec {
  /** Trustees in order: trustee i (1-based, as in the protocol) is trustees[i - 1]. */
  trustees: string[];
  /** Any `threshold` of them decrypt (k). */
  threshold: number;
  /** Minutes after voting opens when credential registration ends (default: half the voting time). */
  registrationMinutes?: number;
  /** The trustees are the organisation's appointed ones (privileged act appoint_trustees), not picked by the mover. */
  appointed?: boolean;
  /** A mixed (ranked) vote: each mixer's time in minutes (docs/MIXNET.md §16.4; default MIX_MINUTES). */
  mixMinutes?: number;
}

/** What a mover asks for: trustees default to the appointed ones, k to a majority of the trustees. */
export interface SecretRequest {
  trustees?: string[];
  threshold?: number;
  registrationMinutes?: number;
  mixMinutes?: number;
}

/**
 * A mixed secret vote's board beyond the election (docs/MIXNET.md §16.6): ranked ballots, shuffles (joined from
 * their parts), skipped mixers, the trustees' decryptions of the final list and the result.
 */
export interface MixState {
  candidates: string[];
  mixMinutes: number;
  cast: { ballot: RankedBallotBody; at: number; seq: number }[];
  spoiled: { spoiled: SpoiledRankedBody; at: number; seq: number }[];
  shuffles: { slot: number; shuffle: ShuffleBody; seqs: number[]; actor: string | null; time: string }[];
  skipped: { slot: number; reason: string; seq: number; time: string }[];
  partials: { decryption: MixDecryptionBody; seqs: number[]; actor: string | null; time: string }[];
  result: { result: MixResultBody; seq: number } | null;
  /** Parts of a shuffle or decryption received so far (all parts come from one decision). */
  pending: { kind: string; who: number; texts: string[]; seqs: number[]; actor: string | null } | null;
  /** Entries posted under the wrong authority (an anonymous kind naming a member, or the reverse), for verify. */
  named: { seq: number; kind: string }[];
}

/** One part of a shuffle's or a trustee's decryption's canonical JSON text (transport only). */
export interface MixPart {
  slot?: number;
  trustee?: number;
  part: number;
  parts: number;
  text: string;
}

export interface SecretVote {
  setup: SetupBody;
  trustees: string[];
  registrationEnds: string;
  /** The trustees' decryption duty, once recorded when voting ended (decryption.ts). */
  decryption?: DecryptionDuty;
  /** The board, in log order; `seqs[i]` is the log seq of board[i]. */
  board: BoardEntry[];
  seqs: number[];
  /** Who posted each board entry (null: the organisation, and always for ballots). */
  actors: (string | null)[];
  election: Election | null;
  /** Credentials issued (docs/BALLOT-PROTOCOL.md §4.1): who and with which weight, from `credential-issued` entries. */
  issued: { member: string; weight: number; seq: number }[];
  usedIds: Set<string>;
  cast: CastBallot[];
  partials: PartialDecryptionBody[];
  result: ResultBody | null;
  /** Cached once casting is over (no ballot can follow the first partial decryption). */
  aggregate: Aggregate | null;
  /** A mixed (ranked) vote's mix board; null for homomorphic votes. */
  mix: MixState | null;
  /** Where its `board_posted` entries are in the log (credential issuances included): all between `from` and `to`. */
  span: { from: number; to: number; entries: number };
  /** Set once the vote is final and its board dropped from memory (settled.ts): the board is read from the log. */
  settled?: SettledBoard;
}

/**
 * What a final secret vote keeps of its board (docs/BALLOT-PROTOCOL.md "In Councils", settled.ts): besides the
 * setup, trustees, issuances, decryption duty and tally kept in `SecretVote`, what every page of the ended vote shows
 * of it, in O(trustees + options) whatever the number of ballots: the frozen list's summary, where the board's
 * prefix is (setup, key generation, the list's parts: `board=key` and `board=election` read only these rows, by
 * seq), the homomorphic aggregate's sums, which trustees decrypted or were disqualified, and a mixed vote's turns
 * and counts. The board itself (ballots, proofs, credentials, shuffles) is read from the log, by index.
 */
export interface SettledBoard {
  /** The frozen credential list's H_C, length and weight (§4.3), or null when it was never frozen. */
  credentialList: { credentialHash: string; count: number; totalWeight: number } | null;
  /** The board's entries up to the list (PHASE ≤ credentials), in board order: their seqs and kinds. */
  prefix: { seq: number; kind: BoardEntry['kind'] }[];
  /**
   * A homomorphic vote's aggregate once decided (null: mixed, failed, or never frozen), without the ballots' ids;
   * undefined when settled by a restart's replay, until the first view that shows it sums it (secret-votes.ts).
   */
  aggregate: AggregateSums | null | undefined;
  /** The trustees whose decryption is on the board (a mixed vote's: of the mixed list). */
  decrypted: number[];
  /** The trustees disqualified in key generation. */
  disqualified: number[];
  /** A mixed vote's mix, without its lists. */
  mix: SettledMix | null;
}

/** The homomorphic aggregate as a page shows it: the encrypted sums, and how many ballots counted and were superseded. */
export interface AggregateSums {
  counted: number;
  superseded: number;
  ciphertexts: Aggregate['ciphertexts'];
}

/** What an ended mixed vote's mix page shows (secret-votes.ts `mixView`), its lists left in the log. */
export interface SettledMix {
  shuffles: { slot: number; seqs: number[]; time: string }[];
  skipped: { slot: number; time: string }[];
  /** Ranked ballots cast, and how many went into the mix (the last per credential). */
  cast: number;
  mixed: number;
  /** The decrypted list's length, once the mix result is in. */
  decrypted: number | null;
}

/** The payload of a `board_posted` entry: one board entry of a secret vote; the setup also names the trustees. */
export interface BoardPosted {
  voteId: string;
  /** A board kind, or `credential-issued` (Councils' own: kept beside the board, not on it). */
  kind: BoardEntry['kind'] | 'credential-issued' | MixKind;
  body: unknown;
  /** Setup only: when credential registration ends, and the trustees in order. */
  registrationEnds?: string;
  trustees?: string[];
  /** Setup of a mixed vote only: each mixer's time in minutes (docs/MIXNET.md §16.4). */
  mixMinutes?: number;
}

/** The board kinds of a mixed vote (docs/MIXNET.md §16.6). */
export type MixKind =
  'ranked-ballot' | 'ranked-spoiled' | 'shuffle' | 'mixer-skipped' | 'mix-decryption' | 'mix-result';

export type TrusteeMessage =
  | { kind: 'mix-decryption'; body: MixDecryptionBody }
  | { kind: 'dkg-commit'; body: DkgCommitBody }
  | { kind: 'dkg-shares'; body: DkgSharesBody }
  | { kind: 'dkg-accusation'; body: DkgAccusationBody }
  | { kind: 'partial-decryption'; body: PartialDecryptionBody };

export type SecretCommand =
  | { type: 'post_trustee_message'; voteId: string; message: TrusteeMessage }
  | { type: 'issue_credential'; voteId: string }
  | { type: 'freeze_credentials'; voteId: string; credentials: CredentialEntry[] }
  | { type: 'cast_secret_ballot'; voteId: string; ballot: BallotBody | RankedBallotBody }
  | { type: 'spoil_secret_ballot'; voteId: string; spoiled: SpoiledBody | SpoiledRankedBody }
  | { type: 'post_shuffle'; voteId: string; shuffle: ShuffleBody }
  | { type: 'skip_mixer'; voteId: string; slot: number }
  | { type: 'abort_secret_vote'; voteId: string; reason: string };

export interface SecretPayloads {
  board_posted: BoardPosted;
  /** A secret vote that could not reach a result (secret/abort.ts); its motion returns to debate. */
  vote_failed: { voteId: string; reason: string; notDecrypted?: NotDecrypted };
  /** Voting is over: the trustees named are called to decrypt, by the deadline if any (decryption.ts). */
  decryption_due: DecryptionDue;
}
