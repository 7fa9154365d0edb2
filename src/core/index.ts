// The domain core's public surface. Everything here is pure: time and ids come in through DecideContext.
export { apply } from './apply.ts';
export { decide } from './decide.ts';
export type { Decision } from './kernel/decision.ts';
export type { Command, CommandType, DecideContext, MajorityChoice } from './kernel/command.ts';
export {
  parseConstitution,
  defaultConstitution,
  defaultWitnessPolicy,
  witnessPolicyOf,
  type Constitution,
  type WitnessSetting,
} from './kernel/constitution.ts';
export type {
  Entry,
  NewEntry,
  Act,
  Payloads,
  CouncilSpec,
  DecisionSpec,
  MotionKind,
  Stance,
} from './kernel/entry.ts';
export {
  InvalidCommand,
  rejectionCodes,
  reject,
  type Rejection,
  type RejectionCode,
} from './kernel/errors.ts';
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
export * from './kernel/state.ts';
export { canonicalEntry, encodeEntry, entryLeafHash } from './kernel/entry-codec.ts';
export {
  ballotProblem,
  isAbstention,
  supports,
  AGAINST,
  type BallotContent,
} from './votes/ballot-content.ts';
export { countBallots, ballotOptions, type VoteResult } from './votes/decide.ts';
export { motionMethods, electionMethods } from './motions/decide.ts';
export { replayEntries, commandOf, type ReplayCheck, type ReplayOptions } from './replay.ts';
export * from './power/index.ts';
export {
  checkScheme,
  councilPay,
  currentScheme,
  payVisibility,
  payMinimumGroup,
  type AdoptedScheme,
  type CouncilPay,
  type PayCommand,
  type WorkforceImport,
} from './pay/decisions.ts';
export type { BallotCrypto } from '../ballot/index.ts';
export {
  attentionFor,
  attentionKinds,
  attentionDays,
  type AttentionItem,
  type AttentionKind,
} from './attention/inbox.ts';
