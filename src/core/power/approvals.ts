// Collective authority (docs/POWER.md): members register their own Ed25519 keys in the log; any member may
// request a privileged act; it waits, pending, until k of the n members of the body the constitution names have
// approved it with signatures of their own keys; the k-th approval carries it out in the same decision, as the
// organisation's own act. Approvals expire and can be withdrawn. There is no other way to do these acts.
import {
  approvalMessage,
  contentHash,
  isPublicKeyHex,
  keyIdOf,
  keyProofMessage,
  verifySignature,
} from './approval-signature.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { checkEntrySize } from '../kernel/entry-size.ts';
import { InvalidCommand, reject, type Rejection } from '../kernel/errors.ts';
import type { PowerCommand } from './commands.ts';
import { privilegedKinds, requiredOf, type Authority, type PrivilegedKind } from '../kernel/power-rules.ts';
import {
  activeCommittee,
  activeKey,
  countingApprovals,
  powerRules,
  type PrivilegedRequest,
  type RequestKind,
} from './state.ts';
import { checkAct, reversibleKinds, webhookKinds, type CheckedAct } from './privileged-acts.ts';
import { addDays } from '../kernel/time.ts';
import { type Decision, newEntry, type NewEntry, type OrgState } from '../model.ts';
import { councilMembers, isCouncilMember, mandateActive } from '../organisation/membership.ts';

type ApprovalCommand = Extract<
  PowerCommand,
  { type: 'register_key' | 'request_act' | 'approve_request' | 'withdraw_approval' | 'appeal_expulsion' }
>;

const requestable: readonly string[] = [...privilegedKinds, 'elect_committee', 'reverse_act'];

/** A person who still belongs to the organisation: in a council, or sitting as a deputy. */
function belongs(state: OrgState, memberId: string, now: string): boolean {
  return (
    [...state.councils.values()].some((c) => c.memberIds.has(memberId)) ||
    [...state.mandates.values()].some((m) => m.memberId === memberId && mandateActive(m, now))
  );
}

export function decideApprovalCommand(state: OrgState, c: ApprovalCommand, ctx: DecideContext): Decision {
  const actor = ctx.actor;
  if (!actor) return reject('not_allowed', 'only_a_member');
  switch (c.type) {
    case 'register_key':
      return registerKey(state, c, ctx, actor);
    case 'request_act': {
      if (!belongs(state, actor, ctx.now)) return reject('not_a_member');
      if (!requestable.includes(c.kind))
        throw new InvalidCommand('request_kind', 'kind', { kinds: requestable.join(', ') });
      return request(state, c.kind, c.content, ctx, actor);
    }
    case 'appeal_expulsion':
      return appeal(state, c.requestId, ctx, actor);
    case 'approve_request':
      return approve(state, c, ctx, actor);
    case 'withdraw_approval': {
      const r = state.power.requests.get(c.requestId);
      if (!r) return reject('not_found', 'no_such_request');
      if (r.state !== 'pending') return reject('wrong_state', 'request_not_pending');
      if (r.expiredAt !== null) return reject('request_expired');
      if (!countingApprovals(r, ctx.now).some((a) => a.memberId === actor))
        return reject('not_found', 'no_approval_to_withdraw');
      return accept(newEntry('approval_withdrawn', actor, ctx.now, { requestId: r.id }));
    }
  }
}

function registerKey(
  state: OrgState,
  c: Extract<ApprovalCommand, { type: 'register_key' }>,
  ctx: DecideContext,
  actor: string,
): Decision {
  if (!isPublicKeyHex(c.publicKey)) throw new InvalidCommand('public_key_hex', 'publicKey');
  if (!belongs(state, actor, ctx.now)) return reject('not_a_member');
  const keyId = keyIdOf(c.publicKey);
  if (state.power.keys.has(keyId)) return reject('already_exists', 'key_registered');
  if (!verifySignature(c.proof, keyProofMessage(state.org!.id, actor, c.publicKey), c.publicKey))
    return reject('bad_signature', 'key_proof_invalid');
  return accept(
    newEntry('member_key_registered', actor, ctx.now, { keyId, publicKey: c.publicKey, proof: c.proof }),
  );
}

/**
 * Who may approve a request, fixed when it is made: the subject council's committee, or its members, less those
 * the act excludes (the member to be expelled). decide and apply both call this; privileged_act_requested
 * entries written before 2026-11-28 list the approvers instead, which grew with the council (docs/RECORD.md).
 */
export function requestApprovers(
  state: OrgState,
  authority: Authority,
  councilId: string,
  excluded: readonly string[],
  now: string,
): string[] {
  const all =
    authority.by === 'committee'
      ? (activeCommittee(state, councilId, now)?.memberIds ?? [])
      : councilMembers(state, councilId, now);
  return all.filter((m) => !excluded.includes(m));
}

function authorityFor(state: OrgState, kind: RequestKind): Authority {
  const rules = powerRules(state);
  if (kind === 'elect_committee' || kind === 'reverse_act')
    return { by: 'council', council: 'subject', threshold: rules.committees.threshold };
  if (kind === 'reinstate_member')
    return { by: 'council', council: 'subject', threshold: rules.appeals.threshold };
  return rules.acts[kind as PrivilegedKind];
}

/**
 * A password reset hands an account over, and a webhook sends the record elsewhere (or gives whoever holds its new
 * secret the power to speak for the organisation to its receiver): never on one person's word, whatever the
 * constitution says.
 */
function minimumApprovals(kind: RequestKind): number {
  return kind === 'reset_password' || webhookKinds.includes(kind) ? 2 : 1;
}

/** Extra rules some kinds have beyond their content's shape. */
function kindProblem(state: OrgState, kind: RequestKind, act: CheckedAct, now: string): Rejection | null {
  const rules = powerRules(state);
  if (kind === 'reverse_act') {
    const t = state.power.requests.get(act.content.requestId as string)!;
    if (t.state !== 'done') return reject('wrong_state', 'reverse_carried_only');
    if (t.authority.by !== 'committee' || !reversibleKinds.includes(t.kind))
      return reject('not_allowed', 'council_reverses_committee');
    if (addDays(t.doneAt!, rules.committees.reversalDays) < now)
      return reject('too_late', 'reversal_period', { days: rules.committees.reversalDays });
    if (t.kind === 'create_council') {
      const created = state.councils.get((t.content as { id: string }).id);
      if (created && (created.memberIds.size > 0 || created.childIds.length > 0))
        return reject('wrong_state', 'created_council_has_members');
    }
  }
  if (kind === 'elect_committee') {
    const councilId = act.content.councilId as string;
    const ids = act.content.memberIds as string[];
    if (!ids.every((m) => councilMembers(state, councilId, now).includes(m)))
      return reject('not_allowed', 'committee_from_council');
    const limit = rules.terms.maxConsecutive;
    const history = state.power.committeeHistory.filter((c) => c.councilId === councilId);
    for (const m of ids) {
      let run = 0;
      for (let i = history.length - 1; i >= 0 && history[i]!.memberIds.includes(m); i--) run++;
      if (limit > 0 && run >= limit) return reject('term_limit', 'term_limit_member', { member: m, run });
    }
  }
  return null;
}

function request(
  state: OrgState,
  kind: RequestKind,
  content: unknown,
  ctx: DecideContext,
  actor: string,
): Decision {
  const rules = powerRules(state);
  const act = checkAct(state, kind, content, rules.committees.maxSize);
  if ('ok' in act) return act;
  const problem = kindProblem(state, kind, act, ctx.now);
  if (problem) return problem;
  const authority = authorityFor(state, kind);
  const councilId = authority.council === 'root' ? state.org!.rootCouncilId : act.subject;
  const approvers = requestApprovers(state, authority, councilId, act.excluded, ctx.now);
  const required = Math.max(
    minimumApprovals(kind),
    authority.by === 'committee' ? authority.k : requiredOf(authority.threshold, approvers.length),
  );
  if (approvers.length === 0 || required > approvers.length)
    return reject('no_authority', 'too_few_approvers', { required, approvers: approvers.length });
  // The same act already awaiting approval: from the index of pending requests by content (apply keeps it), not a
  // walk of every request the organisation made, hashing each one's content again.
  const hash = contentHash(kind, act.content);
  const pendingSame = [...(state.power.pendingByContent.get(hash) ?? [])].some((id) => {
    const r = state.power.requests.get(id)!;
    return r.state === 'pending' && r.expiresAt > ctx.now && r.kind === kind;
  });
  if (pendingSame) return reject('already_exists', 'request_pending');
  const requested = newEntry('privileged_act_requested', actor, ctx.now, {
    requestId: ctx.newId('request'),
    kind,
    content: act.content,
    contentHash: hash,
    councilId,
    authority,
    excluded: act.excluded,
    required,
    expiresAt: addDays(ctx.now, rules.approvalDays),
  });
  return accept(checkEntrySize(requested, 'content', 'entry_too_large_content'));
}

function appeal(state: OrgState, requestId: string, ctx: DecideContext, actor: string): Decision {
  const expulsion = state.power.requests.get(requestId);
  if (!expulsion || expulsion.kind !== 'expel_member') return reject('not_found', 'no_such_expulsion');
  if (expulsion.content.memberId !== actor) return reject('not_allowed', 'expelled_appeals');
  if (expulsion.state !== 'done') return reject('wrong_state', 'expulsion_not_carried');
  const days = powerRules(state).appeals.days;
  if (addDays(expulsion.doneAt!, days) < ctx.now) return reject('too_late', 'appeal_period', { days });
  const from = (expulsion.before as string[])[0];
  const above = from === undefined ? null : (state.councils.get(from)?.parentId ?? null);
  if (above === null) return reject('not_allowed', 'no_council_above');
  // An appeal that expired (recorded or not) no longer stands in the way of a new one.
  const pending = [...state.power.requests.values()].some(
    (r) =>
      r.kind === 'reinstate_member' &&
      r.state === 'pending' &&
      r.expiredAt === null &&
      r.expiresAt > ctx.now &&
      r.content.requestId === requestId,
  );
  if (pending) return reject('already_exists', 'appeal_pending');
  // The appeal is heard by the council above the one the member was expelled from.
  const rules = powerRules(state);
  const authority = authorityFor(state, 'reinstate_member');
  const approvers = requestApprovers(state, authority, above, [], ctx.now);
  const required = requiredOf(rules.appeals.threshold, approvers.length);
  if (approvers.length === 0) return reject('no_authority', 'council_above_empty');
  const content = { requestId };
  return accept(
    newEntry('privileged_act_requested', actor, ctx.now, {
      requestId: ctx.newId('request'),
      kind: 'reinstate_member',
      content,
      contentHash: contentHash('reinstate_member', content),
      councilId: above,
      authority,
      excluded: [],
      required,
      expiresAt: addDays(ctx.now, rules.approvalDays),
    }),
  );
}

function approve(
  state: OrgState,
  c: Extract<ApprovalCommand, { type: 'approve_request' }>,
  ctx: DecideContext,
  actor: string,
): Decision {
  const r = state.power.requests.get(c.requestId);
  if (!r) return reject('not_found', 'no_such_request');
  if (r.state !== 'pending') return reject('wrong_state', 'request_not_pending');
  // Once recorded expired it stays so, whatever the clock of the process deciding says.
  if (r.expiredAt !== null || r.expiresAt <= ctx.now) return reject('request_expired');
  if (!r.approvers.includes(actor)) return reject('not_an_approver');
  // Like a ballot, an approval needs a seat in the body now: a recalled deputy or a past committee has none.
  const seated =
    r.authority.by === 'committee'
      ? (activeCommittee(state, r.councilId, ctx.now)?.memberIds.includes(actor) ?? false)
      : isCouncilMember(state, r.councilId, actor, ctx.now);
  if (!seated) return reject('not_an_approver', 'no_longer_approver');
  const key = activeKey(state, actor);
  if (!key) return reject('no_key');
  const counting = countingApprovals(r, ctx.now);
  if (counting.some((a) => a.memberId === actor)) return reject('already_approved');
  const round = r.approvals.filter((a) => a.memberId === actor).length;
  const message = approvalMessage(state.org!.id, r.id, r.contentHash, round);
  if (!verifySignature(c.signature, message, key.publicKey)) return reject('bad_signature');
  const given = newEntry('approval_given', actor, ctx.now, {
    requestId: r.id,
    keyId: key.keyId,
    round,
    signature: c.signature,
  });
  if (counting.length + 1 < r.required) return accept(given);
  const done = carryOutEntries(state, r, ctx);
  return Array.isArray(done) ? accept(given, ...done) : done;
}

/** The entries that carry out a request whose last approval arrives now, or why it can no longer be done. */
function carryOutEntries(state: OrgState, r: PrivilegedRequest, ctx: DecideContext): NewEntry[] | Rejection {
  const act = checkAct(state, r.kind, r.content, powerRules(state).committees.maxSize);
  if ('ok' in act) return act;
  const problem = r.kind === 'reverse_act' ? kindProblem(state, r.kind, act, ctx.now) : null;
  if (problem) return problem;
  if (r.kind === 'reinstate_member') {
    const expulsion = state.power.requests.get(r.content.requestId as string)!;
    if (expulsion.state !== 'done') return reject('wrong_state', 'expulsion_undone');
  }
  const out: NewEntry[] = [newEntry('privileged_act_done', null, ctx.now, { requestId: r.id })];
  if (r.kind === 'expel_member') {
    const memberId = r.content.memberId as string;
    for (const m of [...state.mandates.values()].filter(
      (x) => x.memberId === memberId && mandateActive(x, ctx.now),
    ))
      out.push(
        newEntry('mandate_ended', null, ctx.now, { mandateId: m.id, reason: 'recalled', motionId: null }),
      );
  }
  if (r.kind === 'reverse_act')
    out.push(
      newEntry('privileged_act_reversed', null, ctx.now, {
        requestId: r.content.requestId as string,
        byRequestId: r.id,
      }),
    );
  return out;
}
