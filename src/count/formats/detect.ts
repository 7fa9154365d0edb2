// Choose a reader from the file name's extension, else from the content.
import { BallotFileError } from '../errors.ts';
import type { BallotFile, BallotFormat } from './ballot-file.ts';
import { readBlt } from './blt.ts';
import { readCsvBallots } from './csv-ballots.ts';
import { readCvotes } from './cvotes.ts';
import { looksLikeDebianTally, readDebianTally } from './debian-tally.ts';

export function detectFormat(text: string, fileName?: string): BallotFormat {
  const ext = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'blt' || ext === 'hil') return 'blt';
  if (ext === 'csv') return 'csv';
  if (ext === 'cvotes') return 'cvotes';
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
