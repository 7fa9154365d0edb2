// Two kinds of failure (STYLE.md): a malformed command throws InvalidCommand (the edge maps it to 400); a
// well-formed command that the rules refuse is a returned Rejection with a stable snake_case code.

import { problemText, type ProblemId, type ProblemParams } from './problems.ts';
import { reasonText, type ReasonId, type ReasonParams } from './reasons.ts';

/**
 * A malformed command: a stable problem id (src/core/kernel/problems.ts, nothing else is accepted), the field at
 * fault as the API names it, and the parameters the sentence needs. `params.field` is that field unless given.
 */
export class InvalidCommand extends Error {
  override name = 'InvalidCommand';
  readonly params: ProblemParams;
  constructor(
    readonly problem: ProblemId,
    readonly field?: string,
    params: ProblemParams = {},
  ) {
    const all = field === undefined || 'field' in params ? params : { field, ...params };
    super(problemText(problem, all));
    this.params = all;
  }
}

/** Every reason the rules can refuse a command. Stable ids: clients and tests depend on them. */
export const rejectionCodes = {
  not_found: 'the thing named does not exist in this organisation',
  not_a_member: 'only members of this council may do this',
  not_allowed: 'the rules do not allow this actor to do this',
  wrong_state: 'this cannot be done in the current state',
  already_voted: 'this member has already voted in this vote',
  already_exists: 'this already exists',
  not_an_elector: 'this member is not in the electorate frozen when voting opened',
  vote_closed: 'voting has closed',
  too_early: 'this cannot be done yet',
  no_open_seat: 'the council has no open seat to fill',
  invalid_choice: 'the ballot does not name a valid option',
  invitation_used: 'the invitation was already used or has expired',
  already_signed: 'this member has already signed this petition',
  petition_lapsed: 'the petition reached its deadline without enough signatures',
  no_authority: 'nobody, or too few, can authorise this act under the constitution',
  not_an_approver: 'this member is not one of those who authorise this act',
  no_key: 'register your approval key first',
  already_approved: 'this member has already approved this request',
  bad_signature: 'the signature does not verify with the key registered in the log',
  request_expired: 'the request has expired without enough approvals',
  too_late: 'the period for this has ended',
  term_limit: 'this member has served the most consecutive terms the constitution allows',
  ballot_rejected: 'the encrypted ballot does not verify (the message names the check)',
  invalid_proof: 'the proof does not verify',
  not_admitted: 'the council has not admitted this person yet: they are not a member until it does',
  own_proposal: 'the member who proposed an admission cannot also approve or object to it',
  admission_objected: 'a member objected to this admission: the council decides it by an admission motion',
  admission_by_motion: 'this admission is decided by an admission motion, not by approvals',
  objection_period_over: 'the objection period of this admission has ended',
  // The procedure (docs/PROCEDURE.md): each id names the rule that refused.
  seconders_required: 'the motion is not on the agenda until enough members have seconded it',
  own_motion: 'a mover cannot second their own motion',
  already_seconded: 'this member has already seconded this motion',
  already_supported: 'this member already supports closing this debate',
  mover_opens_vote: 'only the mover opens the vote, unless a closure has been carried',
  debate_minimum: 'the debate has not yet lasted the minimum the constitution sets',
  voting_minimum: 'a vote lasts at least the minimum the constitution sets',
  revotes_exhausted: 'this motion has been put to the vote again as often as the constitution allows',
  cooling_off: 'the same motion failed recently; it may be moved again after the cooling-off period',
  no_emergency_procedure: 'the constitution offers no emergency procedure',
  not_in_minority:
    'a minority statement is attached by those who voted against the outcome (open vote) or by an elector (secret vote)',
  right_of_reply:
    'a recall is debated for the constitution’s minimum before its vote, so the deputy can answer',
} as const;

export type RejectionCode = keyof typeof rejectionCodes;

export interface Rejection {
  ok: false;
  code: RejectionCode;
  message: string;
  /** Why, when the code alone does not say it: a stable id of src/core/kernel/reasons.ts and its parameters. */
  reason?: ReasonId;
  params?: ReasonParams;
}

/** A refusal with the code's own sentence, or with a reason (its English is the message) and its parameters. */
export function reject(code: RejectionCode, reason?: ReasonId, params?: ReasonParams): Rejection {
  if (reason === undefined) return { ok: false, code, message: rejectionCodes[code] };
  return {
    ok: false,
    code,
    message: reasonText(reason, params),
    reason,
    ...(params === undefined ? {} : { params }),
  };
}
