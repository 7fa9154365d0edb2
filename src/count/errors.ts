// The named errors of the counting layer. Misuse of an API throws TypeError/RangeError; a ballot file that cannot
// be read throws BallotFileError naming the line, so a returning officer can find and fix the paper.

/** A ballot file (BLT, CSV, Debian tally, .cvotes) that cannot be read; `line` is 1-based (0 when unknown). */
export class BallotFileError extends Error {
  override name = 'BallotFileError';
  readonly line: number;
  readonly format: string;

  constructor(format: string, line: number, problem: string) {
    super(line > 0 ? `${format} line ${line}: ${problem}` : `${format}: ${problem}`);
    this.line = line;
    this.format = format;
  }
}

/** A count that the rules of its method cannot finish (e.g. a tie with no tie-break rule allowed). */
export class CountError extends Error {
  override name = 'CountError';
}
