// Shared machinery of the STV counts: walking a paper to its next preference for a continuing candidate.
import { OVERVOTE, TIED, type BallotStore } from './ballot-store.ts';

/**
 * Offset (into store.rawData) of the first preference at or after `from` for a continuing candidate, or -1 when
 * the paper is exhausted there: no further continuing preference, an overvote, or several continuing candidates
 * ranked equal (which, like an overvote, cannot be given to one of them).
 */
export function nextPreference(store: BallotStore, b: number, from: number, continuing: Uint8Array): number {
  const data = store.rawData;
  const end = store.end(b);
  for (let k = from; k < end; k++) {
    const code = data[k]!;
    if (code === OVERVOTE) return -1;
    const tiedNext = k + 1 < end && data[k + 1]! & TIED && data[k + 1] !== OVERVOTE;
    if (!tiedNext) {
      if (continuing[code & ~TIED]) return k;
      continue;
    }
    // A group of equal ranks: skip it if none of its members continues, else the paper stops here.
    let j = k;
    let any = false;
    do {
      if (continuing[data[j]! & ~TIED]) any = true;
      j++;
    } while (j < end && data[j]! & TIED && data[j] !== OVERVOTE);
    if (any) return -1;
    k = j - 1;
  }
  return -1;
}

/** The candidate at an offset returned by nextPreference. */
export function candidateAt(store: BallotStore, offset: number): number {
  return store.rawData[offset]! & ~TIED;
}
