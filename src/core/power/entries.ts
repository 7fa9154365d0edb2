// Payloads of the acts of power from below and collective authority (docs/POWER.md). entry.ts's Payloads
// extends this interface.
import type { Authority } from '../kernel/power-rules.ts';
import type { PetitionKind, RequestKind } from './state.ts';

export interface PowerPayloads {
  petition_opened: {
    petitionId: string;
    kind: PetitionKind;
    councilId: string;
    targetCouncilId: string | null;
    mandateId: string | null;
    title: string;
    text: string;
    deadline: string;
    /**
     * Present in logs written before 2026-11-28 only: signatures needed per signing council, frozen now. apply
     * derives it from the state at the entry's time (decide-petitions.ts `petitionRequired`); listed, it grew
     * with the signing councils (a rising petition under a council of 1,000 councils).
     */
    required?: Record<string, number>;
    councilsRequired: number;
  };
  petition_signed: { petitionId: string; councilId: string };
  /** A signing council reached its threshold (rising petitions). The organisation's own act. */
  petition_passed: { petitionId: string; councilId: string };
  /** The threshold is reached: the item opens by itself (the entries after this one). */
  petition_succeeded: { petitionId: string; motionId: string };
  /** The deadline passed without the signatures (expiry.ts). The organisation's own act. */
  petition_expired: { petitionId: string };
  member_key_registered: { keyId: string; publicKey: string; proof: string };
  privileged_act_requested: {
    requestId: string;
    kind: RequestKind;
    content: Record<string, unknown>;
    contentHash: string;
    councilId: string;
    authority: Authority;
    /** Present in logs written before 2026-11-28 only; apply derives them (power-state.ts `requestApprovers`). */
    approvers?: string[];
    /** Members the act excludes from approving (the member to be expelled); absent in older entries. */
    excluded?: string[];
    required: number;
    expiresAt: string;
  };
  approval_given: { requestId: string; keyId: string; round: number; signature: string };
  approval_withdrawn: { requestId: string };
  /** k approvals arrived: the act is carried out. The organisation's own act. */
  privileged_act_done: { requestId: string };
  /** The request expired before k approvals (expiry.ts). The organisation's own act. */
  privileged_act_expired: { requestId: string };
  /** A committee act undone by its council's vote (the request `byRequestId`). */
  privileged_act_reversed: { requestId: string; byRequestId: string };
}
