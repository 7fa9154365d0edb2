// Projection tables of petitions, member keys, privileged requests, approvals, committees and the record's
// settings (docs/POWER.md). projections.ts includes these tables and delegates their rows here. Counts are
// written as text: the store gives every column not named in its first migration the text type.
import canonicalize from 'canonicalize';
import type { OrgState } from '../model.ts';

type Cell = string | number | null;
type Row = Record<string, Cell>;

export const powerTables = {
  petitions: {
    columns: [
      'id',
      'org_id',
      'kind',
      'council_id',
      'target_council_id',
      'mandate_id',
      'title',
      'text',
      'opened_by',
      'opened_at',
      'deadline',
      'required',
      'councils_required',
      'passed_in',
      'signature_count',
      'signed_in',
      'succeeded_at',
      'motion_id',
    ],
    keyColumns: 1,
  },
  petition_signatures: {
    columns: ['petition_id', 'member_id', 'org_id', 'council_id', 'signed_at'],
    keyColumns: 2,
  },
  member_keys: {
    columns: ['key_id', 'org_id', 'member_id', 'public_key', 'registered_at', 'revoked_at'],
    keyColumns: 1,
  },
  privileged_requests: {
    columns: [
      'id',
      'org_id',
      'kind',
      'content',
      'content_hash',
      'council_id',
      'authority',
      'approvers',
      'required',
      'requested_by',
      'requested_at',
      'expires_at',
      'state',
      'done_at',
      'reversed_at',
    ],
    keyColumns: 1,
  },
  approvals: {
    columns: [
      'request_id',
      'id',
      'org_id',
      'member_id',
      'key_id',
      'round',
      'signature',
      'approved_at',
      'expires_at',
      'withdrawn_at',
    ],
    keyColumns: 2,
  },
  committees: {
    columns: ['org_id', 'council_id', 'member_ids', 'elected_at', 'term_ends', 'request_id'],
    keyColumns: 2,
  },
  power_settings: {
    columns: ['org_id', 'log_key', 'witnesses', 'trustees', 'unsealed'],
    keyColumns: 1,
  },
} as const;

export type PowerTable = keyof typeof powerTables;

const json = (v: unknown): string => canonicalize(v)!;

function split(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The settings row exists once a privileged act has set something. */
function hasSettings(s: OrgState): boolean {
  const p = s.power;
  return p.logKey !== null || p.witnesses.length + p.trustees.length + p.unsealed.length > 0;
}

export function projectPowerRow(s: OrgState, table: PowerTable, key: string): Row | null {
  const org = s.org?.id ?? null;
  switch (table) {
    case 'petitions': {
      const p = s.power.petitions.get(key);
      return p
        ? {
            id: p.id,
            org_id: org,
            kind: p.kind,
            council_id: p.councilId,
            target_council_id: p.targetCouncilId,
            mandate_id: p.mandateId,
            title: p.title,
            text: p.text,
            opened_by: p.openedBy,
            opened_at: p.openedAt,
            deadline: p.deadline,
            required: json(p.required),
            councils_required: String(p.councilsRequired),
            passed_in: json(p.passedIn),
            signature_count: String(p.signatures.size),
            // the signatures by signing council (the petition page's counts), so a view reads them, not every
            // signature; canonical JSON, whose keys are sorted
            signed_in: json(Object.fromEntries(p.signedIn)),
            succeeded_at: p.succeededAt,
            motion_id: p.motionId,
          }
        : null;
    }
    case 'petition_signatures': {
      const [petitionId, memberId] = split(key);
      const sig = s.power.petitions.get(petitionId)?.signatures.get(memberId);
      return sig
        ? {
            petition_id: petitionId,
            member_id: memberId,
            org_id: org,
            council_id: sig.councilId,
            signed_at: sig.signedAt,
          }
        : null;
    }
    case 'member_keys': {
      const k = s.power.keys.get(key);
      return k
        ? {
            key_id: k.keyId,
            org_id: org,
            member_id: k.memberId,
            public_key: k.publicKey,
            registered_at: k.registeredAt,
            revoked_at: k.revokedAt,
          }
        : null;
    }
    case 'privileged_requests': {
      const r = s.power.requests.get(key);
      return r
        ? {
            id: r.id,
            org_id: org,
            kind: r.kind,
            content: json(r.content),
            content_hash: r.contentHash,
            council_id: r.councilId,
            authority: json(r.authority),
            approvers: json(r.approvers),
            required: String(r.required),
            requested_by: r.requestedBy,
            requested_at: r.requestedAt,
            expires_at: r.expiresAt,
            state: r.state,
            done_at: r.doneAt,
            reversed_at: r.reversedAt,
          }
        : null;
    }
    case 'approvals': {
      const [requestId, id] = split(key);
      const a = s.power.requests.get(requestId)?.approvals.find((x) => `${x.round}:${x.memberId}` === id);
      return a
        ? {
            request_id: requestId,
            id,
            org_id: org,
            member_id: a.memberId,
            key_id: a.keyId,
            round: String(a.round),
            signature: a.signature,
            approved_at: a.approvedAt,
            expires_at: a.expiresAt,
            withdrawn_at: a.withdrawnAt,
          }
        : null;
    }
    case 'committees': {
      const [orgId, councilId] = split(key);
      const c = s.power.committees.get(councilId);
      return c && orgId === org
        ? {
            org_id: org,
            council_id: councilId,
            member_ids: json(c.memberIds),
            elected_at: c.electedAt,
            term_ends: c.termEnds,
            request_id: c.requestId,
          }
        : null;
    }
    case 'power_settings':
      return s.org && key === org && hasSettings(s)
        ? {
            org_id: org,
            log_key: s.power.logKey,
            witnesses: json(s.power.witnesses),
            trustees: json(s.power.trustees),
            unsealed: json(s.power.unsealed),
          }
        : null;
  }
}

/** Every key of the power tables the state holds. */
export function powerKeys(s: OrgState): { table: PowerTable; key: string }[] {
  const keys: { table: PowerTable; key: string }[] = [];
  const add = (table: PowerTable, key: string) => keys.push({ table, key });
  for (const p of s.power.petitions.values()) {
    add('petitions', p.id);
    for (const m of p.signatures.keys()) add('petition_signatures', `${p.id}/${m}`);
  }
  for (const k of s.power.keys.keys()) add('member_keys', k);
  for (const r of s.power.requests.values()) {
    add('privileged_requests', r.id);
    for (const a of r.approvals) add('approvals', `${r.id}/${a.round}:${a.memberId}`);
  }
  for (const c of s.power.committees.keys()) add('committees', `${s.org!.id}/${c}`);
  if (s.org && hasSettings(s)) add('power_settings', s.org.id);
  return keys;
}
