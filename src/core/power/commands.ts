// Commands of power from below (petitions) and of collective authority (keys, requests, approvals, appeals).
import type { PetitionKind, RequestKind } from './state.ts';

export type PowerCommand =
  | {
      type: 'open_petition';
      kind: PetitionKind;
      /** Agenda and election petitions: the council petitioned (for a rising petition, the signer's own). */
      councilId?: string;
      /** A rising petition: the parent council whose agenda it is for. */
      targetCouncilId?: string;
      /** Recall petitions: the mandate recalled. */
      mandateId?: string;
      title?: string;
      text: string;
    }
  | { type: 'sign_petition'; petitionId: string }
  /** Opens the vote of every petitioned motion that has been in debate as long as the constitution allows. */
  | { type: 'open_due_petition_votes' }
  /** Records the expiry of every petition and privileged request whose time ran out (the scheduler's). */
  | { type: 'expire_petitions_and_requests' }
  | { type: 'register_key'; publicKey: string; proof: string }
  | { type: 'request_act'; kind: Exclude<RequestKind, 'reinstate_member'>; content: unknown }
  | { type: 'approve_request'; requestId: string; signature: string }
  | { type: 'withdraw_approval'; requestId: string }
  /** The expelled member appeals to the council above; it reinstates them by approvals. */
  | { type: 'appeal_expulsion'; requestId: string };
