// The domain core's public surface. Everything here is pure: time and ids come in through DecideContext.
export { apply } from './apply.ts';
export { decide } from './decide.ts';
export type { DecideContext } from './kernel/command.ts';
export {
  emptyState,
  type Act,
  type Command,
  type CommandType,
  type Decision,
  type Entry,
  type EntryOf,
  type NewEntry,
  type OrgState,
  type Payloads,
} from './model.ts';
export type * from './organisation/types.ts';
export * from './organisation/membership.ts';
export * from './organisation/search-key.ts';
export type * from './motions/types.ts';
export type * from './votes/types.ts';
export type * from './mandates/types.ts';
export {
  parseConstitution,
  defaultConstitution,
  defaultWitnessPolicy,
  witnessPolicyOf,
  type Constitution,
  type WitnessSetting,
} from './kernel/constitution.ts';
export {
  InvalidCommand,
  rejectionCodes,
  reject,
  type Rejection,
  type RejectionCode,
} from './kernel/errors.ts';
export { reasonText, refusalReasons, type ReasonId, type ReasonParams } from './kernel/reasons.ts';
export { inputProblems, problemText, type ProblemId, type ProblemParams } from './kernel/problems.ts';
export { checkStorable, limits, textProblem } from './kernel/limits.ts';
export { maxEntryBytes, splitJsonText, utf8Length } from './kernel/entry-size.ts';
export {
  allKeys,
  projectRow,
  projectionTables,
  type Cell,
  type ProjectionKey,
  type ProjectionTable,
  type Row,
} from './projections.ts';
export { canonicalEntry, encodeEntry, entryLeafHash } from './kernel/entry-codec.ts';
export {
  ballotProblem,
  isAbstention,
  supports,
  AGAINST,
  type BallotContent,
} from './votes/ballot-content.ts';
export { countBallots, ballotOptions, type VoteResult } from './votes/decide.ts';
export {
  SettledElectorate,
  ballotCount,
  hasVoted,
  settleVotes,
  settlingBallotKeys,
  votersOf,
} from './votes/settled.ts';
export { motionMethods, electionMethods } from './motions/decide.ts';
export { replayEntries, commandOf, type ReplayCheck, type ReplayOptions } from './replay.ts';
export { motionTimeline, type MotionTimeline, type NextStep } from './procedure/timeline.ts';
export { dueLapses, dueLapsesByScan } from './procedure/decide.ts';
export { dueVotes, dueVotesByScan, openVotes } from './schedule/due-index.ts';
export { dueTermEnds, dueTermEndsByScan } from './mandates/decide.ts';
export { dueSealedRecords, dueSealedRecordsByScan } from './sealed/records.ts';
export {
  awaitedTrustees,
  decryptionCallDue,
  decryptionFailure,
  type DecryptionDue,
  type NotDecrypted,
} from './secret/decryption.ts';
export { defaultProcedure, type Procedure } from './kernel/procedure-rules.ts';
export * from './power/index.ts';
export { checkScheme, councilPay, currentScheme, payVisibility, payMinimumGroup } from './pay/decisions.ts';
export type { AdoptedScheme, CouncilPay, PayCommand, WorkforceImport } from './pay/types.ts';
export {
  admissionDue,
  admissionStatus,
  dueAdmissions,
  dueAdmissionsByScan,
  objectionEnds,
  statusOf,
} from './admission/status.ts';
export type { Admission, AdmissionCommand, AdmissionStatus } from './admission/types.ts';
export { defaultAdmissionRules, type AdmissionRules } from './kernel/admission-rules.ts';
export type { BallotCrypto } from '../ballot/index.ts';
export {
  attentionFor,
  attentionByScan,
  attentionKinds,
  attentionDays,
  type AttentionItem,
  type AttentionKind,
} from './attention/inbox.ts';
export { noticeActs, noticesOf, type Notice, type NoticeKind } from './attention/notices.ts';
export {
  endpointsFor,
  webhookActs,
  webhookBody,
  webhookEventOf,
  type WebhookEvent,
} from './webhooks/events.ts';
export { checkWebhookUrl, liveEndpoint, maxWebhookEndpoints } from './webhooks/endpoint.ts';
export {
  webhookEventActs,
  webhookEventTypes,
  type WebhookEndpoint,
  type WebhookEventType,
} from './webhooks/types.ts';
