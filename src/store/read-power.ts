// Read models of petitions, member keys, privileged requests, approvals, committees and the record's settings,
// from their projection tables (docs/POWER.md). API-shaped objects; row types stay here.
import { sql, type Kysely } from 'kysely';
import type { Authority } from '../core/index.ts';
import { defaultPageSize, pageOf, timeAndIdRange, type TimeAndId } from './paging.ts';
import { memberNamesOf } from './read-councils.ts';
import { parseJson } from './read-repository.ts';
import type {
  ApprovalRow,
  Database,
  PetitionRow,
  PetitionSignatureRow,
  PrivilegedRequestRow,
} from './schema.ts';

type Q = Kysely<Database>;

function petitionView(r: PetitionRow, signatures: PetitionSignatureRow[]) {
  return {
    id: r.id,
    kind: r.kind,
    councilId: r.council_id,
    targetCouncilId: r.target_council_id,
    mandateId: r.mandate_id,
    title: r.title,
    text: r.text,
    openedBy: r.opened_by,
    openedAt: r.opened_at,
    deadline: r.deadline,
    required: parseJson<Record<string, number>>(r.required),
    councilsRequired: Number(r.councils_required),
    passedIn: parseJson<string[]>(r.passed_in),
    signatureCount: Number(r.signature_count),
    succeededAt: r.succeeded_at,
    motionId: r.motion_id,
    signatures: signatures.map((s) => ({
      memberId: s.member_id,
      councilId: s.council_id,
      signedAt: s.signed_at,
    })),
  };
}

/** The petition a page's cursor names (its id), as a position newest first, if it is in the list asked for. */
export async function petitionCursor(
  q: Q,
  orgId: string,
  id: string,
  councilId: string | undefined,
): Promise<TimeAndId | undefined> {
  const r = await q
    .selectFrom('petitions')
    .select(['id', 'opened_at', 'council_id', 'target_council_id'])
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r || (councilId !== undefined && r.council_id !== councilId && r.target_council_id !== councilId))
    return undefined;
  return { at: r.opened_at, id: r.id };
}

/**
 * A page of petitions, newest first (by `opened_at`, then id, both descending): the organisation's (one range of
 * `petitions_time_idx`), or one council's, those its members sign and those for its agenda (a range of each of
 * `petitions_council_idx` and `petitions_target_idx`, `limit + 1` rows each, merged).
 */
export async function listPetitions(
  q: Q,
  orgId: string,
  councilId: string | undefined,
  page: { after?: TimeAndId | undefined; limit: number },
) {
  const range = (column?: 'council_id' | 'target_council_id') => {
    let query = q.selectFrom('petitions').selectAll().where('org_id', '=', orgId);
    if (column !== undefined && councilId !== undefined) query = query.where(column, '=', councilId);
    return timeAndIdRange(query, ['opened_at', 'id'], 'desc', page).execute();
  };
  const rows =
    councilId === undefined
      ? await range()
      : newestPetitionsFirst([...(await range('council_id')), ...(await range('target_council_id'))]);
  const { items, next } = pageOf(rows.slice(0, page.limit + 1), page.limit, (r) => r.id);
  return { petitions: items.map((r) => petitionView(r, [])), next };
}

/** Petitions newest first, each once (a petition both signed in and for a council is read by both ranges). */
function newestPetitionsFirst(rows: PetitionRow[]): PetitionRow[] {
  const key = (r: PetitionRow) => [r.opened_at, r.id] as const;
  const once = [...new Map(rows.map((r) => [r.id, r])).values()];
  return once.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] !== y[0] ? (x[0] < y[0] ? 1 : -1) : x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0;
  });
}

/**
 * A petition with the first page of its signatures (`signaturesNext` for the rest, GET …/signatures) and its
 * signatures counted by council (the index of its signatures read, not its rows sent).
 */
export async function getPetition(q: Q, orgId: string, id: string) {
  const r = await q
    .selectFrom('petitions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const { items, next } = await signatureRows(q, orgId, id, { limit: defaultPageSize });
  return {
    ...petitionView(r, items),
    signaturesNext: next,
    signatureCounts: keptCounts(r) ?? (await countedSignatures(q, orgId, id)),
  };
}

/**
 * The row's signatures by signing council, if it holds them and they add up to its count: a row written before the
 * column, or since by an older version (which moves `signature_count` on, not `signed_in`), does not
 * (migration 2026-12-07T2130-petition-signed-in).
 */
function keptCounts(r: PetitionRow): Record<string, number> | undefined {
  if (r.signed_in === null) return undefined;
  const counts = JSON.parse(r.signed_in) as Record<string, number>;
  const sum = Object.values(counts).reduce((a, b) => a + b, 0);
  return sum === Number(r.signature_count) ? counts : undefined;
}

/** The signatures by signing council counted from their rows: O(signatures), for a row without `signed_in`. */
async function countedSignatures(q: Q, orgId: string, id: string): Promise<Record<string, number>> {
  const counts = await q
    .selectFrom('petition_signatures')
    .select((eb) => ['council_id', eb.fn.countAll<number | string>().as('n')])
    .where('org_id', '=', orgId)
    .where('petition_id', '=', id)
    .groupBy('council_id')
    .execute();
  return Object.fromEntries(counts.map((c) => [c.council_id, Number(c.n)]));
}

/** Up to `limit` signatures of a petition in the order they were made (signed_at, then member id), after `after`. */
async function signatureRows(
  q: Q,
  orgId: string,
  petitionId: string,
  page: { after?: TimeAndId | undefined; limit: number },
) {
  const query = q
    .selectFrom('petition_signatures')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('petition_id', '=', petitionId);
  const rows = await timeAndIdRange(query, ['signed_at', 'member_id'], 'asc', page).execute();
  return pageOf(rows, page.limit, (s) => s.member_id);
}

/** The signature a page's cursor names (the signer's member id), as a position, if they signed this petition. */
export async function signatureCursor(
  q: Q,
  orgId: string,
  petitionId: string,
  memberId: string,
): Promise<TimeAndId | undefined> {
  const r = await q
    .selectFrom('petition_signatures')
    .select(['member_id', 'signed_at'])
    .where('org_id', '=', orgId)
    .where('petition_id', '=', petitionId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return r && { at: r.signed_at, id: r.member_id };
}

/** A page of a petition's signatures in the order they were made, with the names of the page's signers only. */
export async function listSignatures(
  q: Q,
  orgId: string,
  petitionId: string,
  page: { after?: TimeAndId | undefined; limit: number },
) {
  const { items, next } = await signatureRows(q, orgId, petitionId, page);
  const names = await memberNamesOf(
    q,
    orgId,
    items.map((s) => s.member_id),
  );
  return {
    signatures: items.map((s) => ({
      memberId: s.member_id,
      name: names.get(s.member_id) ?? '',
      councilId: s.council_id,
      signedAt: s.signed_at,
    })),
    next,
  };
}

/** Whether the organisation has this petition. */
export async function petitionExists(q: Q, orgId: string, id: string): Promise<boolean> {
  const r = await q
    .selectFrom('petitions')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r !== undefined;
}

/** The council a page of committees' cursor names (it has a committee), or undefined. */
export async function committeeCursor(q: Q, orgId: string, councilId: string): Promise<string | undefined> {
  const r = await q
    .selectFrom('committees')
    .select('council_id')
    .where('org_id', '=', orgId)
    .where('council_id', '=', councilId)
    .executeTakeFirst();
  return r?.council_id;
}

/** Every member's registered keys, or one member's (through the index on member_id). */
export async function listMemberKeys(q: Q, orgId: string, memberId?: string) {
  let query = q.selectFrom('member_keys').selectAll().where('org_id', '=', orgId);
  if (memberId !== undefined) query = query.where('member_id', '=', memberId);
  const rows = await query.orderBy('registered_at').execute();
  return rows.map((r) => ({
    keyId: r.key_id,
    memberId: r.member_id,
    publicKey: r.public_key,
    registeredAt: r.registered_at,
    revokedAt: r.revoked_at,
  }));
}

function requestView(r: PrivilegedRequestRow) {
  return {
    id: r.id,
    kind: r.kind,
    content: parseJson<Record<string, unknown>>(r.content),
    contentHash: r.content_hash,
    councilId: r.council_id,
    authority: parseJson<Authority>(r.authority),
    approvers: parseJson<string[]>(r.approvers),
    required: Number(r.required),
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    expiresAt: r.expires_at,
    state: r.state,
    doneAt: r.done_at,
    reversedAt: r.reversed_at,
  };
}

/**
 * The acts committees carried out (done or reversed, approved by k of a committee): the partial index
 * `privileged_requests_committee_acts_idx` holds just these rows, and a query names them by these same words (the
 * databases use a partial index only for a query whose WHERE holds its predicate). `authority` is canonical JSON
 * (RFC 8785: keys sorted), so `by` is its first key.
 */
export const committeeActsPredicate = `authority like '{"by":"committee"%' and state <> 'pending'`;

/** Which requests a list holds: of one state, or the acts committees carried out, or all of them. */
export type RequestFilter = { state?: string | undefined; byCommittee?: boolean | undefined };

/** The request a page's cursor names (its id), as a position newest first; undefined if it is not in the list. */
export async function requestCursor(
  q: Q,
  orgId: string,
  id: string,
  filter: RequestFilter,
): Promise<TimeAndId | undefined> {
  let query = q
    .selectFrom('privileged_requests')
    .select(['id', 'requested_at'])
    .where('org_id', '=', orgId)
    .where('id', '=', id);
  if (filter.byCommittee) query = query.where(sql<boolean>`${sql.raw(committeeActsPredicate)}`);
  const r = await query.executeTakeFirst();
  return r && { at: r.requested_at, id: r.id };
}

/**
 * A page of requests, newest first (by `requested_at`, then id, both descending), each with its approvals (one
 * query for the page's). A page is one index range read backwards from just before the cursor's request:
 * `(org_id, state, requested_at, id)` for one state, the committee acts' partial index, or `(org_id, requested_at,
 * id)`. A request made while the list is read comes before its first page (it is newer), so a reader going on
 * never sees a row twice; one whose state changes between two pages may be missed by a list of one state.
 */
export async function listRequests(
  q: Q,
  orgId: string,
  filter: RequestFilter,
  page: { after?: TimeAndId | undefined; limit: number },
) {
  let query = q.selectFrom('privileged_requests').selectAll().where('org_id', '=', orgId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.byCommittee) query = query.where(sql<boolean>`${sql.raw(committeeActsPredicate)}`);
  const rows = await timeAndIdRange(query, ['requested_at', 'id'], 'desc', page).execute();
  const { items, next } = pageOf(rows, page.limit, (r) => r.id);
  const ids = items.map((r) => r.id);
  const byRequest = new Map<string, ApprovalRow[]>();
  if (ids.length > 0) {
    const approvals = await q
      .selectFrom('approvals')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('request_id', 'in', ids)
      .orderBy('approved_at')
      .execute();
    for (const a of approvals) byRequest.set(a.request_id, [...(byRequest.get(a.request_id) ?? []), a]);
  }
  const requests = items.map((r) => ({
    ...requestView(r),
    approvals: (byRequest.get(r.id) ?? []).map(approvalView),
  }));
  return { requests, next };
}

function approvalView(a: ApprovalRow) {
  return {
    memberId: a.member_id,
    keyId: a.key_id,
    round: Number(a.round),
    signature: a.signature,
    approvedAt: a.approved_at,
    expiresAt: a.expires_at,
    withdrawnAt: a.withdrawn_at,
  };
}

export async function getRequest(q: Q, orgId: string, id: string) {
  const r = await q
    .selectFrom('privileged_requests')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const approvals = await q
    .selectFrom('approvals')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('request_id', '=', id)
    .orderBy('approved_at')
    .execute();
  return {
    ...requestView(r),
    approvals: approvals.map(approvalView),
  };
}

/** A page of the councils' committees, in the order of their councils' ids (the table's key: an index range). */
export async function listCommittees(
  q: Q,
  orgId: string,
  page: { after?: string | undefined; limit: number },
) {
  let query = q.selectFrom('committees').selectAll().where('org_id', '=', orgId);
  if (page.after !== undefined) query = query.where('council_id', '>', page.after);
  const rows = await query
    .orderBy('council_id')
    .limit(page.limit + 1)
    .execute();
  const { items, next } = pageOf(rows, page.limit, (r) => r.council_id);
  const committees = items.map((r) => ({
    councilId: r.council_id,
    memberIds: parseJson<string[]>(r.member_ids),
    electedAt: r.elected_at,
    termEnds: r.term_ends,
    requestId: r.request_id,
  }));
  return { committees, next };
}

export async function getPowerSettings(q: Q, orgId: string) {
  const r = await q.selectFrom('power_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  return {
    logKey: r ? r.log_key : null,
    witnesses: r ? parseJson<string[]>(r.witnesses) : [],
    trustees: r ? parseJson<string[]>(r.trustees) : [],
    unsealed: r ? parseJson<number[]>(r.unsealed) : [],
  };
}

/** The petitions among `ids` that `memberId` has signed (the council page's list says so instead of "Sign"). */
export async function petitionsSignedBy(
  q: Q,
  orgId: string,
  memberId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await q
    .selectFrom('petition_signatures')
    .select('petition_id')
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('petition_id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.petition_id));
}

/**
 * The petition a motion was born of: the mover of a motion nobody moved alone (docs/PROCEDURE.md "Recall"), with
 * its exact number of signatures (kept on its row) and the first page of its signatories as its own signatures
 * route gives it (`listSignatures`: signing order, names of the page's signers only), the rest from that route
 * after `signatoriesNext`. One key lookup of `petitions_motion_idx` and one range of `petition_signatures_time_idx`,
 * whatever the petition's size. Undefined for a motion a member moved.
 */
export async function petitionOfMotion(q: Q, orgId: string, motionId: string) {
  const r = await q
    .selectFrom('petitions')
    .select(['id', 'kind', 'signature_count'])
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .executeTakeFirst();
  if (!r) return undefined;
  const first = await listSignatures(q, orgId, r.id, { limit: defaultPageSize });
  return {
    id: r.id,
    kind: r.kind,
    signatureCount: Number(r.signature_count),
    signatories: first.signatures,
    signatoriesNext: first.next,
  };
}

/** A recall's deputy: the member whose mandate it is. */
export async function mandateHolder(q: Q, orgId: string, mandateId: string) {
  const r = await q
    .selectFrom('mandates')
    .select('member_id')
    .where('org_id', '=', orgId)
    .where('id', '=', mandateId)
    .executeTakeFirst();
  return r?.member_id;
}

/**
 * Recalls under way (in debate or voting) of a member's mandates: what their own pages must show. Read from the
 * member's mandates (an index range) to their motions, never through the organisation's motions.
 */
export async function recallsAgainst(q: Q, orgId: string, memberId: string) {
  return q
    .selectFrom('motions as r')
    .select([
      'r.id as motionId',
      'r.title as title',
      'r.state as state',
      'r.debate_opened_at as debateOpenedAt',
    ])
    .where('r.org_id', '=', orgId)
    .where('r.mandate_id', 'in', (eb) =>
      eb
        .selectFrom('mandates as m')
        .select('m.id')
        .where('m.org_id', '=', orgId)
        .where('m.member_id', '=', memberId),
    )
    .where('r.kind', '=', 'recall')
    .where('r.state', 'in', ['debate', 'voting'])
    .orderBy('r.moved_at')
    .execute();
}
