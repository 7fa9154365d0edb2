// A small RFC 4180 CSV reader and writer. Reader: fields separated by commas, records by CRLF (a bare LF is
// accepted too), fields in double quotes may hold commas, line breaks and "" for a quote (RFC 4180 §2.5–2.7).
// Writer: CRLF, quotes only where needed (§2.6).
import { CsvError } from './errors.ts';

export interface CsvRecord {
  /** The physical line (1-based) on which the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Parses CSV text into records; wholly empty lines are skipped. Throws CsvError(line, column) on bad quoting. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte-order mark is not data
  let line = 1;
  const end = text.length;
  while (pos < end) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(pos) === QUOTE) {
        let out = '';
        let from = pos + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new CsvError(start, fields.length + 1, undefined, 'quoted field is not closed');
          out += text.slice(from, q);
          line += countLines(text, from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            out += '"';
            from = q + 2;
          } else {
            pos = q + 1;
            break;
          }
        }
        const c = text.charCodeAt(pos);
        if (pos < end && c !== COMMA && c !== CR && c !== LF) {
          throw new CsvError(
            line,
            fields.length + 1,
            undefined,
            'text after the closing quote (write "" for a quote)',
          );
        }
        field = out;
      } else {
        let stop = pos;
        while (stop < end) {
          const c = text.charCodeAt(stop);
          if (c === COMMA || c === CR || c === LF) break;
          if (c === QUOTE) {
            throw new CsvError(
              line,
              fields.length + 1,
              undefined,
              'a quote inside an unquoted field (quote the field)',
            );
          }
          stop++;
        }
        field = text.slice(pos, stop);
        pos = stop;
      }
      fields.push(field);
      if (text.charCodeAt(pos) === COMMA) {
        pos++;
        continue;
      }
      if (text.charCodeAt(pos) === CR) pos++;
      if (text.charCodeAt(pos) === LF) pos++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
}

function countLines(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) k++;
  return k;
}

/** One field, quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | bigint): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows → CSV text with CRLF line ends and a final CRLF. */
export function writeCsv(rows: Iterable<readonly (string | number | bigint)[]>): string {
  let out = '';
  for (const row of rows) out += `${row.map(csvField).join(',')}\r\n`;
  return out;
}
