// The per-ballot part of the verifier (checks 5.1–5.7 and 10), stateless so that the caller can split the board's
// ballots into chunks and run them on worker threads. Inputs and outputs are plain JSON.
import type { Group } from './group.ts';
import type { Election } from './election.ts';
import type { BallotBody } from './ballot.ts';
import { verifyBallotsBatched, type BatchOptions } from './check-ballot.ts';
import { verifySpoiled, type SpoiledBody } from './challenge.ts';

export type BallotItem =
  | { index: number; kind: 'ballot'; at: number; body: BallotBody }
  | { index: number; kind: 'spoiled'; at: number; body: SpoiledBody };

export interface BallotFailure {
  index: number;
  ballotId: string;
  check: string;
  reason: string;
}

export function verifyBallotChunk(
  g: Group,
  election: Election,
  items: readonly BallotItem[],
  options: BatchOptions = {},
): BallotFailure[] {
  const failures: BallotFailure[] = [];
  // Checks 5.1–5.7 with the group equations of many ballots in one multi-scalar multiplication; the verdicts are
  // verifyBallotBody's, ballot by ballot.
  const ballots = items.map((it) => ({
    ballot: it.kind === 'ballot' ? it.body : it.body?.ballot,
    at: it.at,
  }));
  const verdicts = verifyBallotsBatched(g, election, ballots, options);
  for (const [n, it] of items.entries()) {
    const ballot = ballots[n]!.ballot;
    const ballotId = typeof ballot?.id === 'string' ? ballot.id : '?';
    const v = verdicts[n]!;
    if (!v.ok)
      failures.push({
        index: it.index,
        ballotId,
        check: it.kind === 'ballot' ? v.check : '10',
        reason: v.reason,
      });
    else if (it.kind === 'spoiled') {
      const why = verifySpoiled(g, election, it.body);
      if (why !== null) failures.push({ index: it.index, ballotId, check: '10', reason: why });
    }
  }
  return failures;
}
