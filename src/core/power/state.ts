// The part of an organisation's state that petitions, member keys, privileged requests, approvals and committees
// make (docs/POWER.md). Built only by apply; it lives in OrgState.power.
import type { Authority, PowerRules, PrivilegedKind } from '../kernel/power-rules.ts';
import { defaultPowerRules } from '../kernel/power-rules.ts';
import type { WebhookEndpoint } from '../webhooks/types.ts';

export type PetitionKind = 'agenda' | 'recall' | 'election';

export interface Petition {
  id: string;
  kind: PetitionKind;
  /** The council whose members sign (for a rising petition: the first council; any child of the target may sign). */
  councilId: string;
  /** A rising petition: the higher council whose agenda it is for. */
  targetCouncilId: string | null;
  mandateId: string | null;
  title: string;
  text: string;
  openedBy: string;
  openedAt: string;
  deadline: string;
  /** Signatures needed, per signing council (frozen when the petition opens). */
  required: Record<string, number>;
  /** For a rising petition: how many child councils must pass it. */
  councilsRequired: number;
  signatures: Map<string, { councilId: string; signedAt: string }>;
  /**
   * How many of `signatures` each signing council gave (derived in apply from `petition_signed`, so a replay builds
   * it the same): what deciding a signature reads, in O(1), instead of walking every signature.
   */
  signedIn: Map<string, number>;
  /** Signing councils that passed it (reached their own threshold). */
  passedIn: string[];
  succeededAt: string | null;
  motionId: string | null;
  /** When its expiry was recorded (petition_expired); the deadline alone already ends signing. */
  expiredAt: string | null;
}

export interface MemberKey {
  memberId: string;
  keyId: string;
  publicKey: string;
  registeredAt: string;
  revokedAt: string | null;
}

export interface Approval {
  memberId: string;
  keyId: string;
  signature: string;
  round: number;
  approvedAt: string;
  expiresAt: string;
  withdrawnAt: string | null;
}

export type RequestKind = PrivilegedKind | 'elect_committee' | 'reinstate_member' | 'reverse_act';
export type RequestState = 'pending' | 'done' | 'reversed';

export interface PrivilegedRequest {
  id: string;
  kind: RequestKind;
  content: Record<string, unknown>;
  contentHash: string;
  /** The council whose members (or committee) authorise it. */
  councilId: string;
  authority: Authority;
  approvers: string[];
  required: number;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  approvals: Approval[];
  state: RequestState;
  doneAt: string | null;
  reversedAt: string | null;
  /** When its expiry was recorded (privileged_act_expired); `expiresAt` alone already ends approving. */
  expiredAt: string | null;
  /** What the act changed, kept when it was carried out, so a reversal can restore it. */
  before: unknown;
}

export interface Committee {
  councilId: string;
  memberIds: string[];
  electedAt: string;
  termEnds: string;
  requestId: string;
}

export interface PowerState {
  petitions: Map<string, Petition>;
  keys: Map<string, MemberKey>;
  requests: Map<string, PrivilegedRequest>;
  /**
   * The requests not yet carried out nor recorded expired, by their content's hash (`contentHash`, which includes
   * the kind): what a new request of the same act is refused against (approvals.ts `request`), found without
   * walking every request the organisation ever made.
   */
  pendingByContent: Map<string, Set<string>>;
  committees: Map<string, Committee>;
  /** Committee terms served, per council, in order (for term limits). */
  committeeHistory: Committee[];
  witnesses: string[];
  trustees: string[];
  logKey: string | null;
  /** Sealed entries (by seq) whose early opening was authorised. */
  unsealed: number[];
  /** Webhook endpoints, by id, as their privileged acts made them (removed ones kept, marked). */
  webhooks: Map<string, WebhookEndpoint>;
}

export function emptyPowerState(): PowerState {
  return {
    petitions: new Map(),
    keys: new Map(),
    requests: new Map(),
    pendingByContent: new Map(),
    committees: new Map(),
    committeeHistory: [],
    witnesses: [],
    trustees: [],
    logKey: null,
    unsealed: [],
    webhooks: new Map(),
  };
}

/** The rules in force (a constitution written before these rules existed reads the defaults). */
export function powerRules(state: { readonly org: { readonly constitution: unknown } | null }): PowerRules {
  return (state.org?.constitution as { power?: PowerRules } | undefined)?.power ?? defaultPowerRules;
}

/** A member's registered key that is still in force. */
export function activeKey(state: { readonly power: PowerState }, memberId: string): MemberKey | undefined {
  return [...state.power.keys.values()].find((k) => k.memberId === memberId && k.revokedAt === null);
}

/** A council's committee while its term runs. */
export function activeCommittee(
  state: { readonly power: PowerState },
  councilId: string,
  now: string,
): Committee | undefined {
  const c = state.power.committees.get(councilId);
  return c && c.termEnds > now ? c : undefined;
}

/** Approvals that count now: not withdrawn, not expired, and only the latest of each member. */
export function countingApprovals(r: PrivilegedRequest, now: string): Approval[] {
  return r.approvals.filter(
    (a) => a.withdrawnAt === null && a.expiresAt > now && r.approvers.includes(a.memberId),
  );
}
