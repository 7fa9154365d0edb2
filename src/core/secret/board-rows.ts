// A secret vote's board entries as the store indexes them (src/store/secret-board.ts, docs/SCALE.md "Closing a
// vote"): which vote, which list (the board, a mixed vote's mix board, or Councils' own issuances), and what a
// receipt check looks up (a ballot's confirmation code, id and credential). Public board data only: a ballot's row
// names no member.
import type { Entry } from '../model.ts';
import type { BoardPosted } from './types.ts';

export interface BoardRow {
  voteId: string;
  /** `board`: what `GET …/secret` shows; `mix`: a mixed vote's ranked ballots, shuffles and decryptions; `issued`. */
  part: 'board' | 'mix' | 'issued';
  kind: string;
  /** A cast or challenged ballot's confirmation code and id; a cast ballot's credential (revoting supersedes). */
  code: string | null;
  ballotId: string | null;
  credential: string | null;
}

/** The board kinds of a mixed vote's own board (docs/MIXNET.md §16.6). */
export const MIX_KINDS: readonly string[] = [
  'ranked-ballot',
  'ranked-spoiled',
  'shuffle',
  'mixer-skipped',
  'mix-decryption',
  'mix-result',
];
const MIX = new Set(MIX_KINDS);
const CAST = new Set(['ballot', 'ranked-ballot']);
const SPOILED = new Set(['spoiled', 'ranked-spoiled']);

const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/** The row of a `board_posted` entry, or null for any other entry. Never throws (a forged body gives nulls). */
export function boardRowOf(e: Pick<Entry, 'act' | 'payload'>): BoardRow | null {
  if (e.act !== 'board_posted') return null;
  const p = e.payload as BoardPosted;
  const body = (typeof p.body === 'object' && p.body !== null ? p.body : {}) as Record<string, unknown>;
  const ballot = CAST.has(p.kind)
    ? body
    : SPOILED.has(p.kind) && typeof body.ballot === 'object' && body.ballot !== null
      ? (body.ballot as Record<string, unknown>)
      : null;
  return {
    voteId: String(p.voteId),
    part: p.kind === 'credential-issued' ? 'issued' : MIX.has(p.kind) ? 'mix' : 'board',
    kind: String(p.kind),
    code: text(ballot?.code),
    ballotId: text(ballot?.id),
    credential: CAST.has(p.kind) ? text(body.credential) : null,
  };
}
