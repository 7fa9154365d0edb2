// Response schemas of power from below and collective authority (src/server/routes/power.ts, docs/POWER.md).
import { Type, type Static } from '@sinclair/typebox';
import { metricNames } from '../../core/index.ts';
import { Count, Next, Nullable, Obj, Open, Time, Written } from './common.ts';

export const PetitionSignature = Obj({ memberId: Type.String(), councilId: Type.String(), signedAt: Time });

export const Petition = Obj({
  id: Type.String(),
  kind: Type.String(),
  councilId: Type.String(),
  targetCouncilId: Nullable(Type.String()),
  mandateId: Nullable(Type.String()),
  title: Type.String(),
  text: Type.String(),
  openedBy: Type.String(),
  openedAt: Time,
  deadline: Time,
  required: Type.Record(Type.String(), Count, { description: 'signatures needed, by council' }),
  councilsRequired: Count,
  passedIn: Type.Array(Type.String()),
  signatureCount: Count,
  succeededAt: Nullable(Time),
  motionId: Nullable(Type.String()),
  /** One petition: the first page of its signatures (a list's is empty). */
  signatures: Type.Array(PetitionSignature),
  /** One petition: the next page of its signatures (GET …/signatures?after=), or null. */
  signaturesNext: Type.Optional(Next),
  /** One petition: its signatures counted by council, all of them. */
  signatureCounts: Type.Optional(Type.Record(Type.String(), Count)),
  /** Whether the reader has signed. */
  signedByMe: Type.Optional(Type.Boolean()),
});
export type Petition = Static<typeof Petition>;
export const Petitions = Obj({ petitions: Type.Array(Petition), next: Next });

export const NamedSignature = Obj({
  memberId: Type.String(),
  name: Type.String(),
  councilId: Type.String(),
  signedAt: Time,
});
export const Signatures = Obj({ signatures: Type.Array(NamedSignature), next: Next });
export type Signatures = Static<typeof Signatures>;

export const PetitionOpened = Obj({ petitionId: Type.String(), ...Written.properties });

export const MemberKey = Obj({
  keyId: Type.String(),
  memberId: Type.String(),
  publicKey: Type.String(),
  registeredAt: Time,
  revokedAt: Nullable(Time),
});
export type MemberKey = Static<typeof MemberKey>;
export const MemberKeys = Obj({ keys: Type.Array(MemberKey) });

export const Approval = Obj({
  memberId: Type.String(),
  keyId: Type.String(),
  round: Count,
  signature: Type.String(),
  approvedAt: Time,
  expiresAt: Time,
  withdrawnAt: Nullable(Time),
});
export type Approval = Static<typeof Approval>;

const Fraction = Obj({ num: Type.Integer(), den: Type.Integer() });
const AuthorityCouncil = Type.Union([Type.Literal('root'), Type.Literal('subject')]);
/** Who approves a privileged act (src/core/kernel/power-rules.ts): k of a committee or a share of a council. */
export const Authority = Type.Union([
  Obj({ by: Type.Literal('committee'), council: AuthorityCouncil, k: Count }),
  Obj({ by: Type.Literal('council'), council: AuthorityCouncil, threshold: Fraction }),
]);
export type Authority = Static<typeof Authority>;

export const PrivilegedRequest = Obj({
  id: Type.String(),
  kind: Type.String(),
  content: Open("the act's content (docs/POWER.md)"),
  contentHash: Type.String(),
  councilId: Type.String(),
  authority: Authority,
  approvers: Type.Array(Type.String()),
  required: Count,
  requestedBy: Type.String(),
  requestedAt: Time,
  expiresAt: Time,
  state: Type.String(),
  doneAt: Nullable(Time),
  reversedAt: Nullable(Time),
  approvals: Type.Array(Approval),
});
export type PrivilegedRequest = Static<typeof PrivilegedRequest>;
export const PrivilegedRequests = Obj({ requests: Type.Array(PrivilegedRequest), next: Next });

/** What I would sign to approve a request (src/core/approval-signature.ts). */
export const Signing = Obj({
  orgId: Type.String(),
  requestId: Type.String(),
  contentHash: Type.String(),
  round: Count,
  message: Type.String(),
});
export const RequestDetail = Obj({ ...PrivilegedRequest.properties, signing: Signing });
export type RequestDetail = Static<typeof RequestDetail>;

export const RequestMade = Obj({ requestId: Type.String(), ...Written.properties });

export const Committee = Obj({
  councilId: Type.String(),
  memberIds: Type.Array(Type.String()),
  electedAt: Time,
  termEnds: Time,
  requestId: Type.String(),
});
export type Committee = Static<typeof Committee>;
export const Committees = Obj({ committees: Type.Array(Committee), next: Next });

export const PowerSettings = Obj({
  logKey: Nullable(Type.String()),
  witnesses: Type.Array(Type.String()),
  trustees: Type.Array(Type.String()),
  unsealed: Type.Array(Count),
});
export type PowerSettings = Static<typeof PowerSettings>;

export const NextKey = Obj({ verifierKey: Type.String() });

const metrics = Object.fromEntries(metricNames.map((m) => [m, Count])) as Record<
  (typeof metricNames)[number],
  typeof Count
>;
export const Metrics = Obj(metrics);
const Month = Obj({ month: Type.String(), ...metrics });
export const TransparencyReport = Obj({
  totals: Metrics,
  byMonth: Type.Array(Month),
  councils: Type.Array(Obj({ councilId: Type.String(), totals: Metrics, byMonth: Type.Array(Month) }), {
    description:
      'a page of the councils with figures, in id order: 100 unless ?limit= (until 2026-12-07 every one); ?council= only that one',
  }),
  councilCount: Count,
  next: Nullable(
    Type.String({ description: 'pass as ?after= for the next page of councils; null at the end' }),
  ),
});
export type TransparencyReport = Static<typeof TransparencyReport>;
