// The one RFC 4180 CSV reader and writer. Reader: fields separated by commas, records by CRLF (a bare LF or CR is
// accepted too), fields in double quotes may hold commas, line breaks and "" for a quote (RFC 4180 §2.5–2.7); a
// UTF-8 byte-order mark is not data. `trim` (ballot files written by hand) also allows blanks around a field and
// around its quotes, trims every field and skips records whose fields are all blank. Writer: CRLF, quotes only where
// needed (§2.6). Pure, imports nothing (src/lib): the caller turns a problem into its own error.

export interface CsvRecord {
  /** The physical line (1-based) on which the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

export type CsvProblem = 'unclosed-quote' | 'text-after-quote' | 'quote-in-field';

export interface CsvOptions {
  trim?: boolean;
  /** The error thrown for a problem at a line and a field (1-based); a SyntaxError naming them by default. */
  fail?: (line: number, column: number, problem: CsvProblem) => Error;
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;
const isBlank = (c: number) => c === 32 || c === 9;

const defaultFail = (line: number, column: number, problem: CsvProblem): Error =>
  new SyntaxError(`CSV line ${line}, field ${column}: ${problem}`);

/** Parses CSV text into records; a wholly empty line is skipped (with `trim`, a line of blank fields too). */
export function readCsv(text: string, options: CsvOptions = {}): CsvRecord[] {
  const trim = options.trim ?? false;
  const fail = options.fail ?? defaultFail;
  const records: CsvRecord[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const end = text.length;
  while (pos < end) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      let at = pos;
      if (trim) while (at < end && isBlank(text.charCodeAt(at))) at++;
      if (text.charCodeAt(at) === QUOTE) {
        let out = '';
        let from = at + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw fail(start, fields.length + 1, 'unclosed-quote');
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
        if (trim) while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
        const c = text.charCodeAt(pos);
        if (pos < end && c !== COMMA && c !== CR && c !== LF)
          throw fail(line, fields.length + 1, 'text-after-quote');
        field = trim ? out.trim() : out;
      } else {
        let stop = pos;
        while (stop < end) {
          const c = text.charCodeAt(stop);
          if (c === COMMA || c === CR || c === LF) break;
          if (c === QUOTE) throw fail(line, fields.length + 1, 'quote-in-field');
          stop++;
        }
        field = trim ? text.slice(pos, stop).trim() : text.slice(pos, stop);
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
    const empty = trim ? fields.every((f) => f === '') : fields.length === 1 && fields[0] === '';
    if (!empty) records.push({ line: start, fields });
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
