// The voter's check (docs/BALLOT-PROTOCOL.md §8): is my confirmation code on the board, valid and counted?
import type { Group } from './group.ts';
import type { Board } from './board.ts';
import { verifyBallotBody } from './check-ballot.ts';
import { electionFromBoard } from './verifier.ts';

export type VoterCheck =
  | { status: 'counted'; ballotId: string; index: number }
  | { status: 'superseded'; ballotId: string; index: number; by: string }
  | { status: 'invalid'; ballotId: string; index: number; reason: string }
  | { status: 'spoiled'; ballotId: string; index: number }
  | { status: 'not-found' };

export function voterCheck(g: Group, board: Board, code: string): VoterCheck {
  const index = board.findIndex((e) => e.kind === 'ballot' && e.body.code === code);
  if (index < 0) {
    const s = board.findIndex((e) => e.kind === 'spoiled' && e.body.ballot.code === code);
    if (s >= 0 && board[s]!.kind === 'spoiled')
      return { status: 'spoiled', ballotId: board[s]!.body.ballot.id, index: s };
    return { status: 'not-found' };
  }
  const entry = board[index]!;
  if (entry.kind !== 'ballot') return { status: 'not-found' };
  const ballotId = entry.body.id;
  const election = electionFromBoard(g, board);
  if (!election) return { status: 'invalid', ballotId, index, reason: 'the election setup does not verify' };
  const v = verifyBallotBody(g, election, entry.body, entry.at);
  if (!v.ok) return { status: 'invalid', ballotId, index, reason: `${v.check} ${v.reason}` };
  for (let i = board.length - 1; i > index; i--) {
    const later = board[i]!;
    if (later.kind === 'ballot' && later.body.credential === entry.body.credential) {
      if (verifyBallotBody(g, election, later.body, later.at).ok) {
        return { status: 'superseded', ballotId, index, by: later.body.id };
      }
    }
  }
  return { status: 'counted', ballotId, index };
}
