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

/**
 * Lines of a file read in chunks, as `splitLines` gives them from the whole text: UTF-8 decoded as it comes (a
 * byte-order mark dropped, bad bytes as U+FFFD), split at "\n" with a "\r" before it dropped, numbered from 1; the
 * text after the last "\n" is the last line. Only the unfinished line is kept between chunks.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder();
  #carry = '';
  #no = 0;
  #started = false;

  constructor(private readonly onLine: (line: string, no: number) => void) {}

  push(chunk: Uint8Array): void {
    this.pushText(this.#decoder.decode(chunk, { stream: true }));
  }

  /** Text already decoded (a whole file given as a string). */
  pushText(text: string): void {
    if (!this.#started && text !== '') {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const s = this.#carry + text;
    let start = 0;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', start)) {
      this.#emit(s.slice(start, i));
      start = i + 1;
    }
    this.#carry = s.slice(start);
  }

  end(): void {
    this.pushText(this.#decoder.decode());
    this.#emit(this.#carry);
    this.#carry = '';
  }

  #emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, ++this.#no);
  }
}

/** A ballot file read chunk by chunk: push every chunk of its bytes in order, then end(). */
export interface BallotFileReader {
  push(chunk: Uint8Array): void;
  end(): BallotFile;
}

/** A reader of a line-based format: its lines come to `line` as LineSplitter gives them; end() ends them first. */
export abstract class LineBallotReader implements BallotFileReader {
  protected readonly lines = new LineSplitter((raw, no) => this.line(raw, no));

  push(chunk: Uint8Array): void {
    this.lines.push(chunk);
  }

  /** Text already decoded (the whole file as a string). */
  pushText(text: string): void {
    this.lines.pushText(text);
  }

  protected abstract line(raw: string, no: number): void;

  abstract end(): BallotFile;
}
