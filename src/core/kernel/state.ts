// The state of one organisation, as the entries of its log make it. Built only by `apply`; read by `decide`,
// by the projections, and by queries that need rules (who may act where).
import { portableCrypto, type BallotCrypto } from '../../ballot/index.ts';
import type { Constitution } from './constitution.ts';
import type { BallotContent } from '../votes/ballot-content.ts';
import type { AlternativeSpec, DecisionSpec, MandateEnd, MotionKind, Stance } from './entry.ts';
import { emptyPowerState, type PowerState } from '../power/state.ts';
import type { SealedRecord } from '../sealed/records.ts';
import type { CouncilPay } from '../pay/decisions.ts';
import type { SecretVote } from '../secret/vote.ts';

export interface Council {
  id: string;
  name: string;
  parentId: string | null;
  seatsInParent: number;
  childIds: string[];
  /** Base councils (no children) have people as members; higher councils have the deputies sent up. */
  memberIds: Set<string>;
}

export interface Member {
  id: string;
  name: string;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  councilId: string;
  name: string;
  invitedBy: string | null;
  issuedAt: string;
  usedBy: string | null;
}

export interface Mandate {
  id: string;
  memberId: string;
  councilId: string;
  fromCouncilId: string;
  startedAt: string;
  termEnds: string;
  motionId: string | null;
  endedAt: string | null;
  endReason: MandateEnd | null;
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

export interface Vote {
  id: string;
  motionId: string;
  councilId: string;
  options: string[];
  statusQuo: boolean;
  seats: number;
  electorate: Map<string, bigint>;
  ballots: Map<string, { ballot: BallotContent; castAt: string }>;
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

export interface Organisation {
  id: string;
  name: string;
  constitution: Constitution;
  rootCouncilId: string;
  foundedAt: string;
}

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
  mandates: Map<string, Mandate>;
  motions: Map<string, Motion>;
  votes: Map<string, Vote>;
  /** Petitions, member keys, privileged requests and approvals, committees (docs/POWER.md). */
  power: PowerState;
  /** Sealed records by the seq of their entry. */
  sealed: Map<number, SealedRecord>;
  /** Each council's adopted pay schemes and workforce imports (docs/PAY.md "Decisions"). */
  pay: Map<string, CouncilPay>;
}

export function emptyState(crypto: BallotCrypto = portableCrypto): OrgState {
  return {
    crypto,
    org: null,
    size: 0,
    councils: new Map(),
    members: new Map(),
    invitations: new Map(),
    mandates: new Map(),
    motions: new Map(),
    votes: new Map(),
    power: emptyPowerState(),
    sealed: new Map(),
    pay: new Map(),
  };
}

export function isBaseCouncil(c: Council): boolean {
  return c.childIds.length === 0;
}

/** A mandate confers rights only while it has not ended and its term has not run out. */
export function mandateActive(m: Mandate, now: string): boolean {
  return m.endedAt === null && m.termEnds > now;
}

export function activeMandates(state: OrgState, councilId: string, now: string): Mandate[] {
  return [...state.mandates.values()].filter((m) => m.councilId === councilId && mandateActive(m, now));
}

/** Members who may act in a council now: its people (base) or its sitting deputies (higher). */
export function councilMembers(state: OrgState, councilId: string, now: string): string[] {
  const c = state.councils.get(councilId);
  if (!c) return [];
  if (isBaseCouncil(c)) return [...c.memberIds];
  return [...new Set(activeMandates(state, councilId, now).map((m) => m.memberId))];
}

export function isCouncilMember(state: OrgState, councilId: string, memberId: string, now: string): boolean {
  const c = state.councils.get(councilId);
  if (!c) return false;
  if (isBaseCouncil(c)) return c.memberIds.has(memberId);
  return activeMandates(state, councilId, now).some((m) => m.memberId === memberId);
}

/** Seats of a child council in its parent not currently filled. */
export function openSeats(state: OrgState, childId: string, now: string): number {
  const child = state.councils.get(childId);
  if (!child || child.parentId === null) return 0;
  const filled = activeMandates(state, child.parentId, now).filter((m) => m.fromCouncilId === childId).length;
  return Math.max(0, child.seatsInParent - filled);
}
