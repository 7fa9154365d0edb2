// The public surface of power from below and collective authority (docs/POWER.md), re-exported by index.ts.
export {
  approvalMessage,
  contentHash,
  isPublicKeyHex,
  keyIdOf,
  keyProofMessage,
  publicKeyOf,
  signMessage,
  verifySignature,
} from './approval-signature.ts';
export type { PowerCommand } from './commands.ts';
export type { PowerPayloads } from './entries.ts';
export {
  defaultPowerRules,
  parsePowerRules,
  privilegedKinds,
  requiredOf,
  type Authority,
  type PowerRules,
  type PrivilegedKind,
  type Threshold,
} from '../kernel/power-rules.ts';
export {
  activeCommittee,
  activeKey,
  countingApprovals,
  powerRules,
  type Committee,
  type MemberKey,
  type Petition,
  type PetitionKind,
  type PowerState,
  type PrivilegedRequest,
  type RequestKind,
} from './state.ts';
export { duePetitionMotions, duePetitionMotionsByScan } from './petitions.ts';
export { dueExpiries, dueExpiriesByScan, expiriesPerDecision } from './expiry.ts';
export { reversibleKinds, webhookKinds } from './privileged-acts.ts';
export { requestApprovers } from './approvals.ts';
export {
  metricNames,
  TransparencyTally,
  transparencyReport,
  type TransparencyPage,
  type TransparencyReport,
} from './transparency.ts';
