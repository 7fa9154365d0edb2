// The secret-ballot routes of the API (src/server/routes/secret.ts), in one place. The board view and credential
// issuance (a blinded message) go with the member's session; listing the signed credential, casting and
// challenging are anonymous — sent without the session cookie (credentials: 'omit'), so the server cannot tie a
// credential or a ballot to the member who sent it: the signatures are their only authority.
import { api, ApiFailure, send } from '../api.ts';
import type { BallotBody } from '../../ballot/ballot.ts';
import type { BoardEntry } from '../../ballot/board.ts';
import type { SpoiledBody } from '../../ballot/challenge.ts';
import type { SignedCredential } from '../../ballot/credential-token.ts';
import type { CredentialListSummary } from '../../ballot/election.ts';

const secretPath = (orgId: string, voteId: string) =>
  `/orgs/${encodeURIComponent(orgId)}/votes/${encodeURIComponent(voteId)}/secret`;

export type SecretPhase = 'key-generation' | 'registration' | 'voting' | 'decryption' | 'decided' | 'failed';

export interface BoardView {
  phase: SecretPhase;
  threshold: number;
  trustees: { trustee: number; memberId: string }[];
  registrationEnds: string;
  closesAt: string;
  electors: number;
  /** Each elector's weight: which issuing key signs for them. */
  weights: Record<string, number>;
  issued: number;
  registered: number;
  options: string[];
  board: BoardEntry[];
  /** Once the list is frozen: its hash H_C, length and weight (docs/BALLOT-PROTOCOL.md §4.3). */
  credentialList?: CredentialListSummary;
  /** Phase 'failed': why the vote ended without a result (key generation failed). */
  failure?: string;
}

async function anonymousPost(path: string, body: unknown): Promise<unknown> {
  // No cookie: the Idempotency-Key send() adds is random and its stored answer names no member.
  const res = await send(path, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await res.json().catch(() => null)) as { error?: string; message?: string } | null;
  if (!res.ok)
    throw new ApiFailure(res.status, data?.error ?? 'internal_error', data?.message ?? res.statusText);
  return data;
}

export const secretApi = {
  /**
   * The vote and its board: `key` (setup and key generation: with `credentialList`, what the booth encrypts for,
   * whatever the size of the electorate), `election` (up to the frozen credential list) or `all` (with every
   * ballot, for checking a receipt).
   */
  async board(orgId: string, voteId: string, which: 'key' | 'election' | 'all' = 'key'): Promise<BoardView> {
    const v = await api.get<BoardView & { board: (BoardEntry & { seq?: number })[] }>(
      `${secretPath(orgId, voteId)}?board=${which}`,
    );
    // Board entries carry their log seq beside { kind, at, body }; src/ballot reads the three.
    return { ...v, board: v.board.map((e) => ({ kind: e.kind, at: e.at, body: e.body }) as BoardEntry) };
  },
  issue: (orgId: string, voteId: string, blindedMessage: string) =>
    api.post<{ blindSignature: string; weight: number }>(`${secretPath(orgId, voteId)}/issuance`, {
      blindedMessage,
    }),
  list: (orgId: string, voteId: string, signed: SignedCredential) =>
    anonymousPost(`${secretPath(orgId, voteId)}/credentials`, signed) as Promise<{
      registered: number;
      electors: number;
      frozen: boolean;
    }>,
  cast: (orgId: string, voteId: string, ballot: BallotBody) =>
    anonymousPost(`${secretPath(orgId, voteId)}/ballots`, { ballot }),
  spoil: (orgId: string, voteId: string, spoiled: SpoiledBody) =>
    anonymousPost(`${secretPath(orgId, voteId)}/spoiled`, { spoiled }),
};
