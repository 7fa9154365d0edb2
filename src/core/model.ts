// The organisation's model: the features' entries, commands and state joined into one of each. The kernel is
// generic and names no feature; each feature folder declares its own part in its types file; this module, which
// imports only those types files (and power's state, the attention index and the scheduler's index, for their empty
// values), puts them together. The features' rules read the whole state (a motion's rules read mandates and pay, a
// vote's the secret board), so they import it from here; nothing here imports a rule, so every arrow runs one way
// (docs/ARCHITECTURE.md "The core").
import { portableCrypto, type BallotCrypto } from '../ballot/index.ts';
import type { Admission, AdmissionCommand, AdmissionPayloads } from './admission/types.ts';
import { emptyAttentionIndex, type AttentionIndex } from './attention/index-state.ts';
import { emptyDueIndex, type DueIndex } from './schedule/due-state.ts';
import type { Decision as KernelDecision } from './kernel/decision.ts';
import type { LogEntry, LogEntryOf, NewLogEntry } from './kernel/entry.ts';
import type { MandateCommand, MandatePayloads, Mandate } from './mandates/types.ts';
import type { Motion, MotionCommand, MotionPayloads } from './motions/types.ts';
import type {
  Council,
  Invitation,
  Member,
  Organisation,
  OrganisationCommand,
  OrganisationPayloads,
} from './organisation/types.ts';
import type { CouncilPay, PayCommand, PayPayloads } from './pay/types.ts';
import type { PowerCommand } from './power/commands.ts';
import type { PowerPayloads } from './power/entries.ts';
import { emptyPowerState, type PowerState } from './power/state.ts';
import type { SealedCommand, SealedPayloads, SealedRecord } from './sealed/types.ts';
import type { SecretCommand, SecretPayloads } from './secret/types.ts';
import type { DecryptionCommand } from './secret/decryption-types.ts';
import type { Vote, VoteCommand, VotePayloads } from './votes/types.ts';

/** The payload of every act, by its name. */
export interface Payloads
  extends
    OrganisationPayloads,
    MotionPayloads,
    VotePayloads,
    MandatePayloads,
    SecretPayloads,
    PowerPayloads,
    SealedPayloads,
    PayPayloads,
    AdmissionPayloads {}

export type Act = keyof Payloads;
export type EntryOf<A extends Act> = LogEntryOf<Payloads, A>;
export type Entry = LogEntry<Payloads>;
export type NewEntry = NewLogEntry<Payloads>;

export function newEntry<A extends Act>(
  act: A,
  actor: string | null,
  time: string,
  payload: Payloads[A],
): NewEntry {
  return { act, actor, time, payload } as NewEntry;
}

export type Command =
  | OrganisationCommand
  | AdmissionCommand
  | MotionCommand
  | VoteCommand
  | MandateCommand
  | SecretCommand
  | DecryptionCommand
  | PowerCommand
  | SealedCommand
  | PayCommand;

export type CommandType = Command['type'];

export type Decision = KernelDecision<NewEntry>;

// The state of one organisation, as the entries of its log make it. Built only by `apply`; read by `decide`,
// by the projections, and by queries that need rules (who may act where).
export interface OrgState {
  /**
   * The backends secret ballots are checked with, given to emptyState (pure code unless the caller passes faster
   * ones with identical results: libsodium's group, node:crypto's RSA verification).
   */
  readonly crypto: BallotCrypto;
  org: Organisation | null;
  /** How many entries have been applied: the next entry's seq. */
  size: number;
  councils: Map<string, Council>;
  members: Map<string, Member>;
  invitations: Map<string, Invitation>;
  /** Invitations issued by members under admission rules, by invitation id (docs/PROCEDURE.md "Admission"). */
  admissions: Map<string, Admission>;
  /**
   * The admissions neither made nor ended, by council, their invitation ids in the order issued: what the removal of
   * a council ends (privileged-acts.ts `removeCouncil`), found without walking every admission the organisation had.
   */
  openAdmissions: Map<string, Set<string>>;
  mandates: Map<string, Mandate>;
  motions: Map<string, Motion>;
  votes: Map<string, Vote>;
  /** Votes closed since their per-elector maps were last dropped (votes/settled.ts `settleVotes`). */
  settling: string[];
  /** Petitions, member keys, privileged requests and approvals, committees (docs/POWER.md). */
  power: PowerState;
  /** Sealed records by the seq of their entry. */
  sealed: Map<number, SealedRecord>;
  /** Each council's adopted pay schemes and workforce imports (docs/PAY.md "Decisions"). */
  pay: Map<string, CouncilPay>;
  /** What may concern each member, kept as entries arrive (docs/NOTIFICATIONS.md "Cost"). */
  attention: AttentionIndex;
  /** The open items the scheduler acts on, by their deadline, kept as entries arrive (docs/SCALE.md). */
  due: DueIndex;
}

export function emptyState(crypto: BallotCrypto = portableCrypto): OrgState {
  return {
    crypto,
    org: null,
    size: 0,
    councils: new Map(),
    members: new Map(),
    invitations: new Map(),
    admissions: new Map(),
    openAdmissions: new Map(),
    mandates: new Map(),
    motions: new Map(),
    votes: new Map(),
    settling: [],
    power: emptyPowerState(),
    sealed: new Map(),
    pay: new Map(),
    attention: emptyAttentionIndex(),
    due: emptyDueIndex(),
  };
}
