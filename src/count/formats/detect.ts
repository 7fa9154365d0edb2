// Choose a reader from the file name's extension, else from the content.
import { BallotFileError } from '../errors.ts';
import type { BallotFile, BallotFileReader, BallotFormat } from './ballot-file.ts';
import { BltReader, readBlt } from './blt.ts';
import { CsvBallotReader, readCsvBallots } from './csv-ballots.ts';
import { CvotesReader, readCvotes } from './cvotes.ts';
import { DebianTallyReader, looksLikeDebianTally, readDebianTally } from './debian-tally.ts';

export function detectFormat(text: string, fileName?: string): BallotFormat {
  const named = fileName === undefined ? undefined : formatFromName(fileName);
  if (named) return named;
  if (looksLikeDebianTally(text)) return 'debian';
  if (/^\s*#\//m.test(text)) return 'cvotes';
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (first && /^\s*\d+\s+\d+\s*$/.test(first)) return 'blt';
  if (first && first.includes(',')) return 'csv';
  if (first && first.includes('>')) return 'cvotes';
  throw new BallotFileError('ballot file', 1, 'cannot tell the format (BLT, CSV, Debian tally or .cvotes)');
}

export function readBallotFile(text: string, fileName?: string, format?: BallotFormat): BallotFile {
  switch (format ?? detectFormat(text, fileName)) {
    case 'blt':
      return readBlt(text);
    case 'csv':
      return readCsvBallots(text);
    case 'debian':
      return readDebianTally(text);
    case 'cvotes':
      return readCvotes(text);
  }
}

/** The format a file name's extension names (.blt .hil .csv .cvotes), if any. */
export function formatFromName(fileName: string): BallotFormat | undefined {
  const ext = fileName.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'blt' || ext === 'hil') return 'blt';
  if (ext === 'csv') return 'csv';
  if (ext === 'cvotes') return 'cvotes';
  return undefined;
}

/** A reader that takes the file in chunks and builds the ballot store as it reads (issue #19). */
export function ballotFileReader(format: BallotFormat): BallotFileReader {
  switch (format) {
    case 'blt':
      return new BltReader();
    case 'csv':
      return new CsvBallotReader();
    case 'debian':
      return new DebianTallyReader();
    case 'cvotes':
      return new CvotesReader();
  }
}
