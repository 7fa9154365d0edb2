// What every ballot-file reader returns: the options, the ballots in a compact store, and what the file says
// about seats, withdrawn candidates and how to read unranked options.
import type { BallotStore } from '../ballot-store.ts';

export type BallotFormat = 'blt' | 'csv' | 'debian' | 'cvotes';

export interface BallotFile {
  format: BallotFormat;
  title?: string;
  candidates: string[];
  seats?: number;
  /** Candidates withdrawn before the count (BLT "-n" line); ballots skip them. */
  withdrawn: string[];
  /** True when unranked options count as ranked below every ranked one (Debian, CEF "Implicit Ranking"). */
  implicitRanking: boolean;
  /** Debian: the default option (the last one). */
  defaultOption?: string;
  /** Debian: options marked "[3:1]" / "[needs 3:1]" in their title, with S of S:1. */
  supermajority?: Record<string, string>;
  store: BallotStore;
}

/** Make names unique by suffixing " (2)", " (3)"... so that they can serve as option ids. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

/** Split text into lines, dropping a UTF-8 byte-order mark and accepting \r\n. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}
