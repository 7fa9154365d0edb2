// Pay's CSV (workforce files, exports): the one RFC 4180 reader and writer of src/lib/csv.ts, strict, with pay's
// errors (CsvError names the line and the column).
import { readCsv, type CsvProblem as ReaderProblem, type CsvRecord } from '../../lib/csv.ts';
import { CsvError, type CsvProblem } from './errors.ts';

export { csvField, writeCsv, type CsvRecord } from '../../lib/csv.ts';

const problems: Record<ReaderProblem, CsvProblem> = {
  'unclosed-quote': 'csv_unclosed_quote',
  'text-after-quote': 'csv_text_after_quote',
  'quote-in-field': 'csv_quote_in_field',
};

/** Parses CSV text into records; wholly empty lines are skipped. Throws CsvError(line, column) on bad quoting. */
export function parseCsv(text: string): CsvRecord[] {
  return readCsv(text, {
    fail: (line, column, problem) => new CsvError(line, column, undefined, problems[problem]),
  });
}
