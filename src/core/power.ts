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
export type { PowerCommand } from './power-commands.ts';
export type { PowerPayloads } from './power-entries.ts';
export {
  defaultPowerRules,
  parsePowerRules,
  privilegedKinds,
  requiredOf,
  type Authority,
  type PowerRules,
  type PrivilegedKind,
  type Threshold,
} from './power-rules.ts';
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
} from './power-state.ts';
export { duePetitionMotions } from './decide-petitions.ts';
export { reversibleKinds } from './privileged-acts.ts';
export { TransparencyTally, transparencyReport, type TransparencyReport } from './transparency.ts';
