// Commands: what an actor asks for. decide() turns a command into entries or a rejection. Ids of new things come
// from ctx.newId, so the core stays deterministic given its inputs.
import type { MethodId } from '../../count/index.ts';
import type { BallotContent } from '../votes/ballot-content.ts';
import type { CouncilSpec, Stance } from './entry.ts';
import type { PowerCommand } from '../power/commands.ts';
import type { PayCommand } from '../pay/decisions.ts';
import type { SealedCommand } from '../sealed/records.ts';
import type { SecretCommand } from '../secret/decide.ts';
import type { IssuerKey } from '../../ballot/index.ts';
import type { SecretRequest } from '../secret/vote.ts';

export type MajorityChoice = 'ordinary' | 'absolute' | 'supermajority';

export type Command =
  | {
      type: 'found_organisation';
      name: string;
      constitution?: unknown;
      councils: CouncilSpec[];
      /** Members admitted at once (their accounts are made outside the log, or not at all). */
      founders: { memberId: string; name: string; councilId: string }[];
      /** Invitations issued by the founding itself: the usual way for founders to get accounts. */
      invitations?: { name: string; councilId: string }[];
    }
  | { type: 'issue_invitation'; councilId: string; name: string }
  | { type: 'accept_invitation'; invitationId: string; memberId: string; name?: string }
  | {
      type: 'move_motion';
      councilId: string;
      title: string;
      text: string;
      alternatives?: { title: string; text: string }[];
      majority?: MajorityChoice;
      /** The counting method (default 'majority'); ranked and other methods put the status quo on the ballot. */
      method?: MethodId;
      maxScore?: number;
      draft?: boolean;
      /** Decide by secret ballot: the trustees and k (docs/BALLOT-PROTOCOL.md "In Councils"). */
      secret?: SecretRequest;
    }
  | { type: 'call_election'; councilId: string; title?: string; text?: string; method?: MethodId }
  | { type: 'move_recall'; mandateId: string; text: string }
  | { type: 'open_debate'; motionId: string }
  | {
      type: 'propose_alternative';
      motionId: string;
      title: string;
      text: string;
      amends?: string;
      candidateId?: string;
      /** For a pay motion: the scheme this alternative would adopt. */
      scheme?: unknown;
    }
  | { type: 'post_comment'; motionId: string; stance: Stance; text: string; replyTo?: string }
  | { type: 'withdraw_motion'; motionId: string }
  | {
      type: 'open_vote';
      motionId: string;
      minutes?: number;
      /** A secret vote's credential-issuing keys, one per weight of the electorate (the server makes them). */
      issuers?: IssuerKey[];
      /**
       * A secret motion's trustees, threshold or registration time named anew: only when a vote of the motion has
       * failed (its trustees did not make a key), and checked as a mover's are.
       */
      secret?: SecretRequest;
    }
  | { type: 'cast_ballot'; voteId: string; ballot: BallotContent }
  | { type: 'close_vote'; voteId: string }
  | { type: 'attach_minority_statement'; motionId: string; text: string }
  | { type: 'resign_mandate'; mandateId: string }
  | { type: 'expire_mandates' }
  | SecretCommand
  | PowerCommand
  | SealedCommand
  | PayCommand;

export type CommandType = Command['type'];

export interface DecideContext {
  /** The member acting, or null for the organisation itself (founding, scheduled closing) and newcomers. */
  actor: string | null;
  /** ISO 8601 UTC. */
  now: string;
  /** A fresh, unique id; `kind` is a short prefix such as "motion". */
  newId: (kind: string) => string;
}
