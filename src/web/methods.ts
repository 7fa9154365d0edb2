// The counting methods a motion or an election may use (the one list, src/lib/methods.ts) and the shape
// of ballot each takes (src/count's ballotShape decides it; imported, so the two cannot drift apart).
import { ballotShape, type BallotShape, type MethodId } from '../count/count-vote.ts';

export { electionMethods, motionMethods } from '../lib/methods.ts';

export function shapeOf(method: string): BallotShape {
  return ballotShape(method as MethodId);
}

/** "Against" (the status quo) is on the ballot of every question, and of an election decided by majority. */
export function hasStatusQuo(kind: string, method: string): boolean {
  return kind !== 'election' || method === 'majority';
}
