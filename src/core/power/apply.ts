// apply() handlers of the acts of power from below and collective authority; apply.ts spreads them into its own.
import type { PowerPayloads } from './entries.ts';
import { powerRules, type PrivilegedRequest } from './state.ts';
import { requestApprovers } from './approvals.ts';
import { carryOut, undo } from './privileged-acts.ts';
import { petitionRequired, signingCouncils } from './petitions.ts';
import type { ProjectionKey } from '../projections.ts';
import { addDays } from '../kernel/time.ts';
import type { EntryOf, OrgState } from '../model.ts';

type PowerHandlers = {
  [A in keyof PowerPayloads]: (s: OrgState, e: EntryOf<A>) => ProjectionKey[];
};

function petitionOf(s: OrgState, id: string) {
  const p = s.power.petitions.get(id);
  if (!p) throw new RangeError(`entry names unknown petition ${id}`);
  return p;
}

function requestOf(s: OrgState, id: string): PrivilegedRequest {
  const r = s.power.requests.get(id);
  if (!r) throw new RangeError(`entry names unknown request ${id}`);
  return r;
}

const petitionKey = (id: string): ProjectionKey => ({ table: 'petitions', key: id });
const requestKey = (id: string): ProjectionKey => ({ table: 'privileged_requests', key: id });

export const powerHandlers: PowerHandlers = {
  petition_opened(s, e) {
    const p = e.payload;
    s.power.petitions.set(p.petitionId, {
      id: p.petitionId,
      kind: p.kind,
      councilId: p.councilId,
      targetCouncilId: p.targetCouncilId,
      mandateId: p.mandateId,
      title: p.title,
      text: p.text,
      openedBy: e.actor!,
      openedAt: e.time,
      deadline: p.deadline,
      required:
        p.required ?? petitionRequired(s, p.kind, signingCouncils(s, p.councilId, p.targetCouncilId), e.time),
      councilsRequired: p.councilsRequired,
      signatures: new Map(),
      signedIn: new Map(),
      passedIn: [],
      succeededAt: null,
      motionId: null,
      expiredAt: null,
    });
    return [petitionKey(p.petitionId)];
  },
  petition_signed(s, e) {
    const p = petitionOf(s, e.payload.petitionId);
    p.signatures.set(e.actor!, { councilId: e.payload.councilId, signedAt: e.time });
    p.signedIn.set(e.payload.councilId, (p.signedIn.get(e.payload.councilId) ?? 0) + 1);
    return [petitionKey(p.id), { table: 'petition_signatures', key: `${p.id}/${e.actor}` }];
  },
  petition_passed(s, e) {
    const p = petitionOf(s, e.payload.petitionId);
    p.passedIn.push(e.payload.councilId);
    return [petitionKey(p.id)];
  },
  petition_succeeded(s, e) {
    const p = petitionOf(s, e.payload.petitionId);
    p.succeededAt = e.time;
    p.motionId = e.payload.motionId;
    return [petitionKey(p.id)];
  },
  petition_expired(s, e) {
    const p = petitionOf(s, e.payload.petitionId);
    p.expiredAt = e.time;
    return [petitionKey(p.id)];
  },
  member_key_registered(s, e) {
    const touched: ProjectionKey[] = [];
    for (const k of s.power.keys.values()) {
      if (k.memberId === e.actor && k.revokedAt === null) {
        k.revokedAt = e.time;
        touched.push({ table: 'member_keys', key: k.keyId });
      }
    }
    s.power.keys.set(e.payload.keyId, {
      memberId: e.actor!,
      keyId: e.payload.keyId,
      publicKey: e.payload.publicKey,
      registeredAt: e.time,
      revokedAt: null,
    });
    return [...touched, { table: 'member_keys', key: e.payload.keyId }];
  },
  privileged_act_requested(s, e) {
    const p = e.payload;
    s.power.requests.set(p.requestId, {
      id: p.requestId,
      kind: p.kind,
      content: p.content,
      contentHash: p.contentHash,
      councilId: p.councilId,
      authority: p.authority,
      approvers: p.approvers ?? requestApprovers(s, p.authority, p.councilId, p.excluded ?? [], e.time),
      required: p.required,
      requestedBy: e.actor!,
      requestedAt: e.time,
      expiresAt: p.expiresAt,
      approvals: [],
      state: 'pending',
      doneAt: null,
      reversedAt: null,
      expiredAt: null,
      before: null,
    });
    let same = s.power.pendingByContent.get(p.contentHash);
    if (!same) s.power.pendingByContent.set(p.contentHash, (same = new Set()));
    same.add(p.requestId);
    return [requestKey(p.requestId)];
  },
  approval_given(s, e) {
    const r = requestOf(s, e.payload.requestId);
    r.approvals.push({
      memberId: e.actor!,
      keyId: e.payload.keyId,
      signature: e.payload.signature,
      round: e.payload.round,
      approvedAt: e.time,
      expiresAt: addDays(e.time, powerRules(s).approvalDays),
      withdrawnAt: null,
    });
    return [requestKey(r.id), { table: 'approvals', key: `${r.id}/${e.payload.round}:${e.actor}` }];
  },
  approval_withdrawn(s, e) {
    const r = requestOf(s, e.payload.requestId);
    const a = r.approvals.findLast((x) => x.memberId === e.actor && x.withdrawnAt === null)!;
    a.withdrawnAt = e.time;
    return [requestKey(r.id), { table: 'approvals', key: `${r.id}/${a.round}:${a.memberId}` }];
  },
  privileged_act_done(s, e) {
    const r = requestOf(s, e.payload.requestId);
    r.state = 'done';
    r.doneAt = e.time;
    settled(s, r);
    return [requestKey(r.id), ...carryOut(s, r, e.time)];
  },
  privileged_act_expired(s, e) {
    const r = requestOf(s, e.payload.requestId);
    r.expiredAt = e.time;
    settled(s, r);
    return [requestKey(r.id)];
  },
  privileged_act_reversed(s, e) {
    const r = requestOf(s, e.payload.requestId);
    r.state = 'reversed';
    r.reversedAt = e.time;
    return [requestKey(r.id), ...undo(s, r)];
  },
};

/** A request carried out or recorded expired leaves the index of pending requests by content. */
function settled(s: OrgState, r: PrivilegedRequest): void {
  const same = s.power.pendingByContent.get(r.contentHash);
  same?.delete(r.id);
  if (same?.size === 0) s.power.pendingByContent.delete(r.contentHash);
}
