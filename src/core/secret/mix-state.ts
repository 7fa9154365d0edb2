// A mixed vote's board state when empty: at its opening (mixed.ts) and once the vote has ended and its board was
// dropped (settled.ts). A leaf of its own, so that settling imports no rule (mixed.ts reaches the votes' rules).
import type { MixState } from './types.ts';

export function newMixState(candidates: string[], mixMinutes: number): MixState {
  return {
    candidates,
    mixMinutes,
    cast: [],
    spoiled: [],
    shuffles: [],
    skipped: [],
    partials: [],
    result: null,
    pending: null,
    named: [],
  };
}
