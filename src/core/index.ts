// The domain core's public surface. Everything here is pure: time and ids come in through DecideContext.
export { apply } from './apply.ts';
export { decide } from './decide.ts';
export type { Decision } from './decision.ts';
export type { Command, CommandType, DecideContext, MajorityChoice } from './command.ts';
export { parseConstitution, defaultConstitution, type Constitution } from './constitution.ts';
export type {
  Entry,
  NewEntry,
  Act,
  Payloads,
  CouncilSpec,
  DecisionSpec,
  MotionKind,
  Stance,
} from './entry.ts';
export { InvalidCommand, rejectionCodes, reject, type Rejection, type RejectionCode } from './errors.ts';
export { limits } from './limits.ts';
export { maxEntryBytes, splitJsonText, utf8Length } from './entry-size.ts';
export {
  allKeys,
  projectRow,
  projectionTables,
  type Cell,
  type ProjectionKey,
  type ProjectionTable,
  type Row,
} from './projections.ts';
export * from './state.ts';
export { canonicalEntry, encodeEntry, entryLeafHash } from './entry-codec.ts';
export { ballotProblem, isAbstention, supports, AGAINST, type BallotContent } from './ballot-content.ts';
export { countBallots, ballotOptions, type VoteResult } from './decide-votes.ts';
export { motionMethods, electionMethods } from './decide-motions.ts';
export { replayEntries, commandOf, type ReplayCheck, type ReplayOptions } from './replay.ts';
export * from './power.ts';
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
} from './pay-decisions.ts';
