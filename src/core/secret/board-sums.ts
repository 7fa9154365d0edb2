// What a secret vote's board sums to, read from its entries in memory: the trustees' joint key and the homomorphic
// aggregate. A leaf (it imports no rule), so that settling an ended vote (settled.ts) can keep both without closing
// a cycle through the votes' rules.
import {
  boardKey,
  selectLast,
  sumBallots,
  BallotFormatError,
  BallotProtocolError,
  type Aggregate,
  type Election,
  type Group,
  type KeyResult,
} from '../../ballot/index.ts';
import type { SecretVote } from './types.ts';

/** The joint key as the board's DKG messages make it. Never throws: malformed messages make it fail. */
export function keyOf(g: Group, sv: SecretVote): KeyResult | null {
  try {
    return boardKey(g, sv.setup, sv.board);
  } catch (e) {
    if (e instanceof BallotFormatError || e instanceof BallotProtocolError) return null;
    throw e;
  }
}

/** The weighted sums of the last ballot per credential, cached once casting is over. */
export function aggregateOf(g: Group, sv: SecretVote, election: Election): Aggregate {
  if (sv.aggregate) return sv.aggregate;
  const { counted, superseded } = selectLast(sv.cast);
  const chosen = new Set(counted);
  const ballots = sv.cast.filter((c) => chosen.has(c.ballot.id)).map((c) => c.ballot);
  sv.aggregate = { counted, superseded, ciphertexts: sumBallots(g, election, ballots) };
  return sv.aggregate;
}
