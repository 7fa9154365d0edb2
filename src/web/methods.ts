// The counting methods a motion or an election may use (as src/core/motions/decide.ts allows them) and the shape
// of ballot each takes (src/count's ballotShape decides it; imported, so the two cannot drift apart).
import { ballotShape, type BallotShape, type MethodId } from '../count/count-vote.ts';

export const motionMethods = [
  'majority',
  'plurality',
  'approval',
  'score',
  'borda',
  'schulze',
  'ranked-pairs',
  'irv',
];
export const electionMethods = [...motionMethods, 'wigm-stv', 'scottish-stv', 'meek-stv'];

export function shapeOf(method: string): BallotShape {
  return ballotShape(method as MethodId);
}

/** "Against" (the status quo) is on the ballot of every question, and of an election decided by majority. */
export function hasStatusQuo(kind: string, method: string): boolean {
  return kind !== 'election' || method === 'majority';
}
