// Workers from CSV (docs/PAY.md §"Workers CSV"): header `id,grade,hours[,output]` in any order, names matched
// without case; errors name the line, the column (1-based field number) and the header.
import { CsvError } from './errors.ts';
import { IdColumnBuilder } from './id-column.ts';
import { parseCsv } from './rfc4180.ts';
import { FRACTION_SCALE } from './scheme.ts';
import { internGrade, parseHours, parseOutput, type WorkerTable } from './worker-table.ts';

const REQUIRED = ['id', 'grade', 'hours'] as const;
const OPTIONAL = ['output'] as const;
const KNOWN: readonly string[] = [...REQUIRED, ...OPTIONAL];

export interface WorkersCsvOptions {
  /** When given, a grade outside this list is an error at its line and column. */
  readonly grades?: Iterable<string>;
}

export function readWorkersCsv(text: string, options: WorkersCsvOptions = {}): WorkerTable {
  const records = parseCsv(text);
  const header = records[0];
  if (header === undefined)
    throw new CsvError(1, 1, undefined, 'empty file: expected a header id,grade,hours[,output]');
  const col = new Map<string, number>();
  header.fields.forEach((raw, k) => {
    const name = raw.trim().toLowerCase();
    if (!KNOWN.includes(name)) {
      throw new CsvError(header.line, k + 1, raw, `unknown column (expected ${KNOWN.join(', ')})`);
    }
    if (col.has(name)) throw new CsvError(header.line, k + 1, raw, 'duplicate column');
    col.set(name, k);
  });
  for (const name of REQUIRED) {
    if (!col.has(name))
      throw new CsvError(header.line, header.fields.length + 1, name, 'missing required column');
  }
  const allowed = options.grades === undefined ? null : new Set(options.grades);
  const n = records.length - 1;
  const ids = new IdColumnBuilder();
  const grades: string[] = [];
  const gradeIndex = new Map<string, number>();
  const grade = new Uint16Array(n);
  const hours = new Uint32Array(n);
  const output = new Uint32Array(n);
  const seen = new Map<string, number>();
  const [ci, cg, ch] = REQUIRED.map((k) => col.get(k) as number) as [number, number, number];
  const co = col.get('output');
  for (let r = 0; r < n; r++) {
    const { line, fields } = records[r + 1]!;
    if (fields.length !== header.fields.length) {
      throw new CsvError(
        line,
        Math.min(fields.length, header.fields.length) + 1,
        undefined,
        `expected ${header.fields.length} fields, found ${fields.length}`,
      );
    }
    const fail = (k: number, message: string): never => {
      throw new CsvError(line, k + 1, header.fields[k], message);
    };
    const id = fields[ci]!.trim();
    if (id === '') fail(ci, 'id is empty');
    const earlier = seen.get(id);
    if (earlier !== undefined) fail(ci, `duplicate id "${id}" (first on line ${earlier})`);
    seen.set(id, line);
    ids.push(id);
    const g = fields[cg]!.trim();
    if (g === '') fail(cg, 'grade is empty');
    if (allowed !== null && !allowed.has(g)) fail(cg, `unknown grade "${g}"`);
    grade[r] = internGrade(g, grades, gradeIndex, `line ${line}`);
    const h = parseHours(fields[ch]!.trim());
    hours[r] = h ?? fail(ch, `hours must be a number > 0 with at most 2 decimals, got "${fields[ch]}"`);
    const o =
      co === undefined || fields[co]!.trim() === '' ? FRACTION_SCALE : parseOutput(fields[co]!.trim());
    output[r] =
      o ??
      fail(
        co!,
        `output must be a fraction of the norm (1 = the norm) with at most 4 decimals, got "${fields[co!]}"`,
      );
  }
  return { count: n, ids: ids.build(), grades, grade, hours, output };
}
