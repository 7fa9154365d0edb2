// Pay's CSV (workforce files, exports): the one RFC 4180 reader and writer of src/lib/csv.ts, strict, with pay's
// errors (CsvError names the line and the column).
import { readCsv, type CsvProblem, type CsvRecord } from '../../lib/csv.ts';
import { CsvError } from './errors.ts';

export { csvField, writeCsv, type CsvRecord } from '../../lib/csv.ts';

const messages: Record<CsvProblem, string> = {
  'unclosed-quote': 'quoted field is not closed',
  'text-after-quote': 'text after the closing quote (write "" for a quote)',
  'quote-in-field': 'a quote inside an unquoted field (quote the field)',
};

/** Parses CSV text into records; wholly empty lines are skipped. Throws CsvError(line, column) on bad quoting. */
export function parseCsv(text: string): CsvRecord[] {
  return readCsv(text, {
    fail: (line, column, problem) => new CsvError(line, column, undefined, messages[problem]),
  });
}
