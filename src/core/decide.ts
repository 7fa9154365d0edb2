// decide(state, command, ctx) → entries | rejection. Pure: everything it needs is in its arguments.
import type { DecideContext } from './kernel/command.ts';
import { reject } from './kernel/errors.ts';
import { checkStorable } from './kernel/limits.ts';
import { decideFounding } from './organisation/founding.ts';
import { decideMotionCommand } from './motions/decide.ts';
import { decideProcedureCommand } from './procedure/decide.ts';
import { decideAdmissionCommand, notYetAdmitted } from './admission/decide.ts';
import { decideVoteCommand } from './votes/decide.ts';
import { decideMandateCommand } from './mandates/decide.ts';
import { decidePetitionCommand } from './power/petitions.ts';
import { decideApprovalCommand } from './power/approvals.ts';
import { decideExpiry } from './power/expiry.ts';
import { decideSealedCommand } from './sealed/records.ts';
import { decideSecretCommand, secretOverride } from './secret/decide.ts';
import { decidePayCommand } from './pay/decisions.ts';
import { callForDecryption } from './secret/decryption.ts';
import type { Command, Decision, OrgState } from './model.ts';

export function decide(state: OrgState, command: Command, ctx: DecideContext): Decision {
  const d = decideCommand(state, command, ctx);
  return d.ok ? d : notYetAdmitted(state, d, ctx.actor);
}

function decideCommand(state: OrgState, command: Command, ctx: DecideContext): Decision {
  checkStorable(command);
  if (command.type === 'found_organisation') return decideFounding(state, command, ctx);
  if (!state.org) return reject('not_found', 'no_organisation');
  const secret = secretOverride(state, command, ctx);
  if (secret) return secret;
  switch (command.type) {
    case 'issue_invitation':
    case 'accept_invitation':
    case 'approve_admission':
    case 'object_to_admission':
    case 'admit_due_members':
      return decideAdmissionCommand(state, command, ctx);
    case 'move_motion':
    case 'move_pay_motion':
    case 'call_election':
    case 'move_recall':
    case 'open_debate':
    case 'second_motion':
    case 'support_closure':
    case 'propose_alternative':
    case 'post_comment':
    case 'withdraw_motion':
    case 'attach_minority_statement':
      return decideMotionCommand(state, command, ctx);
    case 'withdraw_closure_support':
    case 'lapse_motion':
      return decideProcedureCommand(state, command, ctx);
    case 'call_for_decryption':
      return callForDecryption(state, command, ctx);
    case 'open_vote':
    case 'cast_ballot':
    case 'close_vote':
      return decideVoteCommand(state, command, ctx);
    case 'resign_mandate':
    case 'expire_mandates':
      return decideMandateCommand(state, command, ctx);
    case 'open_petition':
    case 'sign_petition':
    case 'open_due_petition_votes':
      return decidePetitionCommand(state, command, ctx);
    case 'expire_petitions_and_requests':
      return decideExpiry(state, ctx);
    case 'record_workforce':
      return decidePayCommand(state, command, ctx);
    case 'seal_record':
    case 'reveal_record':
      return decideSealedCommand(state, command, ctx);
    case 'register_key':
    case 'request_act':
    case 'approve_request':
    case 'withdraw_approval':
    case 'appeal_expulsion':
      return decideApprovalCommand(state, command, ctx);
    case 'post_trustee_message':
    case 'issue_credential':
    case 'freeze_credentials':
    case 'cast_secret_ballot':
    case 'spoil_secret_ballot':
    case 'abort_secret_vote':
    case 'post_shuffle':
    case 'skip_mixer':
      return decideSecretCommand(state, command, ctx);
  }
}
