// Read models of petitions, member keys, privileged requests, approvals, committees and the record's settings,
// from their projection tables (docs/POWER.md). API-shaped objects; row types stay here.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;
type R = Record<string, string | number | null>;

const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null);
const str = (v: unknown): string => String(v);
const opt = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function petitionView(r: R, signatures: R[]) {
  return {
    id: str(r.id),
    kind: str(r.kind),
    councilId: str(r.council_id),
    targetCouncilId: opt(r.target_council_id),
    mandateId: opt(r.mandate_id),
    title: str(r.title),
    text: str(r.text),
    openedBy: str(r.opened_by),
    openedAt: str(r.opened_at),
    deadline: str(r.deadline),
    required: parse(r.required) as Record<string, number>,
    councilsRequired: Number(r.councils_required),
    passedIn: parse(r.passed_in) as string[],
    signatureCount: Number(r.signature_count),
    succeededAt: opt(r.succeeded_at),
    motionId: opt(r.motion_id),
    signatures: signatures.map((s) => ({
      memberId: str(s.member_id),
      councilId: str(s.council_id),
      signedAt: str(s.signed_at),
    })),
  };
}

export async function listPetitions(q: Q, orgId: string, councilId?: string) {
  let query = q.selectFrom('petitions').selectAll().where('org_id', '=', orgId);
  if (councilId !== undefined)
    query = query.where((eb) =>
      eb.or([eb('council_id', '=', councilId), eb('target_council_id', '=', councilId)]),
    );
  const rows = (await query.orderBy('opened_at', 'desc').execute()) as R[];
  return rows.map((r) => petitionView(r, []));
}

export async function getPetition(q: Q, orgId: string, id: string) {
  const r = (await q
    .selectFrom('petitions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst()) as R | undefined;
  if (!r) return undefined;
  const sigs = (await q
    .selectFrom('petition_signatures')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('petition_id', '=', id)
    .orderBy('signed_at')
    .execute()) as R[];
  return petitionView(r, sigs);
}

export async function listMemberKeys(q: Q, orgId: string) {
  const rows = (await q
    .selectFrom('member_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('registered_at')
    .execute()) as R[];
  return rows.map((r) => ({
    keyId: str(r.key_id),
    memberId: str(r.member_id),
    publicKey: str(r.public_key),
    registeredAt: str(r.registered_at),
    revokedAt: opt(r.revoked_at),
  }));
}

function requestView(r: R) {
  return {
    id: str(r.id),
    kind: str(r.kind),
    content: parse(r.content),
    contentHash: str(r.content_hash),
    councilId: str(r.council_id),
    authority: parse(r.authority),
    approvers: parse(r.approvers) as string[],
    required: Number(r.required),
    requestedBy: str(r.requested_by),
    requestedAt: str(r.requested_at),
    expiresAt: str(r.expires_at),
    state: str(r.state),
    doneAt: opt(r.done_at),
    reversedAt: opt(r.reversed_at),
  };
}

/** Requests, newest first, each with its approvals (one query for all of them). */
export async function listRequests(q: Q, orgId: string, state?: string) {
  let query = q.selectFrom('privileged_requests').selectAll().where('org_id', '=', orgId);
  if (state !== undefined) query = query.where('state', '=', state);
  const rows = (await query.orderBy('requested_at', 'desc').execute()) as R[];
  const ids = rows.map((r) => str(r.id));
  const byRequest = new Map<string, R[]>();
  if (ids.length > 0) {
    const approvals = (await q
      .selectFrom('approvals')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('request_id', 'in', ids)
      .orderBy('approved_at')
      .execute()) as R[];
    for (const a of approvals)
      byRequest.set(str(a.request_id), [...(byRequest.get(str(a.request_id)) ?? []), a]);
  }
  return rows.map((r) => ({
    ...requestView(r),
    approvals: (byRequest.get(str(r.id)) ?? []).map(approvalView),
  }));
}

function approvalView(a: R) {
  return {
    memberId: str(a.member_id),
    keyId: str(a.key_id),
    round: Number(a.round),
    signature: str(a.signature),
    approvedAt: str(a.approved_at),
    expiresAt: str(a.expires_at),
    withdrawnAt: opt(a.withdrawn_at),
  };
}

export async function getRequest(q: Q, orgId: string, id: string) {
  const r = (await q
    .selectFrom('privileged_requests')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst()) as R | undefined;
  if (!r) return undefined;
  const approvals = (await q
    .selectFrom('approvals')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('request_id', '=', id)
    .orderBy('approved_at')
    .execute()) as R[];
  return {
    ...requestView(r),
    approvals: approvals.map(approvalView),
  };
}

export async function listCommittees(q: Q, orgId: string) {
  const rows = (await q.selectFrom('committees').selectAll().where('org_id', '=', orgId).execute()) as R[];
  return rows.map((r) => ({
    councilId: str(r.council_id),
    memberIds: parse(r.member_ids) as string[],
    electedAt: str(r.elected_at),
    termEnds: str(r.term_ends),
    requestId: str(r.request_id),
  }));
}

export async function getPowerSettings(q: Q, orgId: string) {
  const r = (await q
    .selectFrom('power_settings')
    .selectAll()
    .where('org_id', '=', orgId)
    .executeTakeFirst()) as R | undefined;
  return {
    logKey: r ? opt(r.log_key) : null,
    witnesses: r ? (parse(r.witnesses) as string[]) : [],
    trustees: r ? (parse(r.trustees) as string[]) : [],
    unsealed: r ? (parse(r.unsealed) as number[]) : [],
  };
}
