// The secret-ballot routes of the API (src/server/routes/secret.ts), in one place. The board view and credential
// issuance (a blinded message) go with the member's session; listing the signed credential, casting and
// challenging are anonymous — sent without the session cookie (credentials: 'omit'), so the server cannot tie a
// credential or a ballot to the member who sent it: the signatures are their only authority.
import { api, ApiFailure, send } from '../api.ts';
import type { BallotBody } from '../../ballot/ballot.ts';
import type { BoardEntry } from '../../ballot/board.ts';
import type { SpoiledBody } from '../../ballot/challenge.ts';
import type { SignedCredential } from '../../ballot/credential-token.ts';
import type { RankedBallotBody, ShuffleBody, SpoiledRankedBody } from '../../ballot/mixnet/index.ts';
import type { Cast, Issued, Listed, MixView, SecretView, Spoiled } from '../../server/responses/secret.ts';
import type { MixBoardView } from './mix-ops.ts';

const secretPath = (orgId: string, voteId: string) =>
  `/orgs/${encodeURIComponent(orgId)}/votes/${encodeURIComponent(voteId)}/secret`;

export type SecretPhase = SecretView['phase'];
export type { MixView };

/** The server's view of a secret vote, with its board entries as src/ballot reads them ({ kind, at, body }). */
export type BoardView = Omit<SecretView, 'board'> & { board: BoardEntry[] };

async function anonymousPost<T>(path: string, body: unknown): Promise<T> {
  // No cookie: the Idempotency-Key send() adds is random and its stored answer names no member.
  const res = await send(path, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data as { error?: string; message?: string } | null;
    throw new ApiFailure(res.status, e?.error ?? 'internal_error', e?.message ?? res.statusText);
  }
  return data as T;
}

export const secretApi = {
  /**
   * The vote and its board: `key` (setup and key generation: with `credentialList`, what the booth encrypts for,
   * whatever the size of the electorate), `election` (up to the frozen credential list) or `all` (with every
   * ballot, for checking a receipt).
   */
  async board(orgId: string, voteId: string, which: 'key' | 'election' | 'all' = 'key'): Promise<BoardView> {
    const v = await api.get<SecretView>(`${secretPath(orgId, voteId)}?board=${which}`);
    // the board comes in pages by seq (docs/API.md): the rest read in turn, to the last
    const entries = [...v.board];
    for (let next = v.boardNext; next !== null;) {
      const page = await api.get<SecretView>(`${secretPath(orgId, voteId)}?board=${which}&after=${next}`);
      entries.push(...page.board);
      next = page.boardNext;
    }
    // Board entries carry their log seq beside { kind, at, body }; src/ballot reads the three, and checks each
    // message (the setup's proofs, every ballot's) before the booth relies on it.
    const board = entries.map(({ kind, at, body }) => ({ kind, at, body }) as unknown as BoardEntry);
    return { ...v, board };
  },
  issue: (orgId: string, voteId: string, blindedMessage: string) =>
    api.post<Issued>(`${secretPath(orgId, voteId)}/issuance`, {
      blindedMessage,
    }),
  list: (orgId: string, voteId: string, signed: SignedCredential) =>
    anonymousPost<Listed>(`${secretPath(orgId, voteId)}/credentials`, signed),
  cast: (orgId: string, voteId: string, ballot: BallotBody) =>
    anonymousPost<Cast>(`${secretPath(orgId, voteId)}/ballots`, { ballot }),
  spoil: (orgId: string, voteId: string, spoiled: SpoiledBody | SpoiledRankedBody) =>
    anonymousPost<Spoiled>(`${secretPath(orgId, voteId)}/spoiled`, { spoiled }),
  castRanked: (orgId: string, voteId: string, ballot: RankedBallotBody) =>
    anonymousPost<Cast>(`${secretPath(orgId, voteId)}/ballots`, { ballot }),
  // A secret ranked vote's mix (docs/MIXNET.md §16): its state, everything its verifier takes, a mixer's shuffle.
  mix: (orgId: string, voteId: string) => api.get<MixView>(`${secretPath(orgId, voteId)}/mix`),
  mixBoard: (orgId: string, voteId: string) =>
    api.get<MixBoardView>(`${secretPath(orgId, voteId)}/mix/board`),
  /** What a mixer, a decrypting trustee and a verifier all check first: the election's board and the whole mix. */
  async mixWithElection(orgId: string, voteId: string): Promise<{ election: BoardView; mix: MixBoardView }> {
    const [election, mix] = await Promise.all([
      secretApi.board(orgId, voteId, 'election'),
      secretApi.mixBoard(orgId, voteId),
    ]);
    return { election, mix };
  },
  shuffle: (orgId: string, voteId: string, shuffle: ShuffleBody) =>
    api.post<{ mixer: number; slot: number; seqs: number[] }>(`${secretPath(orgId, voteId)}/shuffles`, {
      shuffle,
    }),
};
