// What the ballot verifier pool's threads share (verifier-pool.ts, verifier-worker.ts): a ballot's board line
// turned into the item to check, and a chunk checked with the sums of its valid ballots.
import { randomBytes } from 'node:crypto';
import {
  sumBallots,
  verifyBallotChunk,
  type Aggregate,
  type BallotFailure,
  type BallotItem,
  type BoardEntry,
  type Group,
} from '../../ballot/index.ts';
import type { Election } from '../../ballot/election.ts';

/** A ballot or challenge as its board line, for the worker to parse (RawItem → BallotItem, `itemOf`). */
export interface RawItem {
  index: number;
  line: string;
}

/** The item of a ballot or challenge from its board line, as StreamedBoard.add makes it from the parsed entry. */
export const itemOf = (it: RawItem | BallotItem): BallotItem => {
  if (!('line' in it)) return it;
  const e = JSON.parse(it.line) as BoardEntry;
  return { index: it.index, kind: e.kind, at: e.at, body: e.body } as BallotItem;
};

/** Checks 5.1–5.7 and 10 of a chunk, and the sums of its valid ballots (those that may count). */
export function checkAndSum(
  g: Group,
  election: Election,
  items: readonly BallotItem[],
): { failures: BallotFailure[]; sums: Aggregate['ciphertexts']; count: number } {
  const failures = verifyBallotChunk(g, election, items, { randomBytes });
  const bad = new Set(failures.map((f) => f.index));
  const bodies = items.flatMap((it) => (it.kind === 'ballot' && !bad.has(it.index) ? [it.body] : []));
  return { failures, sums: sumBallots(g, election, bodies), count: bodies.length };
}
