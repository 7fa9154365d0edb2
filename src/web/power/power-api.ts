// The shapes and paths of the power routes (docs/POWER.md, "HTTP API"): petitions, member keys, privileged
// requests and approvals, committees, the record's settings. The pages read nothing else of them.
import type {
  Committee,
  MemberKey,
  Petition,
  PowerSettings,
  PrivilegedRequest,
  RequestDetail,
  Signatures,
} from '../../server/responses/power.ts';
import type { KeyHistory } from '../../server/responses/record.ts';
import { api } from '../api.ts';
import type { PageOf } from '../components/pages.tsx';

type NamedSignature = Signatures['signatures'][number];

export type {
  Approval,
  Authority,
  Committee,
  MemberKey,
  Petition,
  PowerSettings,
  PrivilegedRequest,
  RequestDetail,
} from '../../server/responses/power.ts';
export type { KeyHistory } from '../../server/responses/record.ts';

const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

const requestsPage = async (orgId: string, query: URLSearchParams): Promise<PageOf<PrivilegedRequest>> => {
  const page = await api.get<{ requests: PrivilegedRequest[]; next: string | null }>(
    `${org(orgId)}/requests?${query}`,
  );
  return { items: page.requests, next: page.next };
};

export const powerApi = {
  petition: (orgId: string, id: string) =>
    api.get<Petition>(`${org(orgId)}/petitions/${encodeURIComponent(id)}`),
  /** A page of a petition's signatures in the order they were made, with the signers' names. */
  signatures: async (orgId: string, id: string, after: string | null): Promise<PageOf<NamedSignature>> => {
    const query = after === null ? '' : `?after=${encodeURIComponent(after)}`;
    const page = await api.get<Signatures>(
      `${org(orgId)}/petitions/${encodeURIComponent(id)}/signatures${query}`,
    );
    return { items: page.signatures, next: page.next };
  },
  sign: (orgId: string, id: string) =>
    api.post<{ acts: string[] }>(`${org(orgId)}/petitions/${encodeURIComponent(id)}/signatures`),
  /** A member's own keys (the organisation's every key is not loaded: it grows with its members). */
  keys: (orgId: string, memberId: string) =>
    api.get<{ keys: MemberKey[] }>(`${org(orgId)}/keys?member=${encodeURIComponent(memberId)}`),
  registerKey: (orgId: string, publicKey: string, proof: string) =>
    api.post(`${org(orgId)}/keys`, { publicKey, proof }),
  /** A page of the requests of one state, newest first (`after`: the cursor the page before returned). */
  requests: (orgId: string, state: string, after: string | null = null) =>
    requestsPage(orgId, new URLSearchParams({ state, ...(after === null ? {} : { after }) })),
  /** A page of the acts committees carried out (done or reversed), newest first. */
  committeeActs: (orgId: string, after: string | null = null) =>
    requestsPage(orgId, new URLSearchParams({ by: 'committee', ...(after === null ? {} : { after }) })),
  request: (orgId: string, id: string) =>
    api.get<RequestDetail>(`${org(orgId)}/requests/${encodeURIComponent(id)}`),
  requestAct: (orgId: string, kind: string, content: Record<string, unknown>) =>
    api.post<{ requestId: string; acts: string[] }>(`${org(orgId)}/requests`, { kind, content }),
  approve: (orgId: string, id: string, signature: string) =>
    api.post<{ acts: string[]; resetLink?: string }>(
      `${org(orgId)}/requests/${encodeURIComponent(id)}/approvals`,
      {
        signature,
      },
    ),
  withdraw: (orgId: string, id: string) =>
    api.post(`${org(orgId)}/requests/${encodeURIComponent(id)}/withdraw`),
  appeal: (orgId: string, id: string) => api.post(`${org(orgId)}/requests/${encodeURIComponent(id)}/appeal`),
  /** A page of the councils' committees, in the order of their councils' ids. */
  committees: async (orgId: string, after: string | null): Promise<PageOf<Committee>> => {
    const query = after === null ? '' : `?after=${encodeURIComponent(after)}`;
    const page = await api.get<{ committees: Committee[]; next: string | null }>(
      `${org(orgId)}/committees${query}`,
    );
    return { items: page.committees, next: page.next };
  },
  settings: (orgId: string) => api.get<PowerSettings>(`${org(orgId)}/power`),
  nextLogKey: (orgId: string) => api.post<{ verifierKey: string }>(`${org(orgId)}/record/next-key`),
  /** The log key history, or null from a server that does not publish one. */
  keyHistory: async (orgId: string): Promise<KeyHistory | null> => {
    const r = await fetch(`/api/v1${org(orgId)}/record/keys.json`, { credentials: 'same-origin' });
    return r.ok ? ((await r.json()) as KeyHistory) : null;
  },
  /** The verifier key the record is signed with now (text), or null when the server publishes none. */
  currentLogKey: async (orgId: string): Promise<string | null> => {
    const r = await fetch(`/api/v1${org(orgId)}/record/vkey`, { credentials: 'same-origin' });
    return r.ok ? (await r.text()).trim() : null;
  },
};
