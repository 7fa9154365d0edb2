// Workers from CSV (docs/PAY.md §"Workers CSV"): header `id,grade,hours[,output]` in any order, names matched
// without case; errors name the line, the column (1-based field number) and the header.
import type { ProblemParams } from '../kernel/problems.ts';
import { CsvError, type CsvProblem } from './errors.ts';
import { IdColumnBuilder } from './id-column.ts';
import { parseCsv } from './rfc4180.ts';
import { FRACTION_SCALE } from './scheme.ts';
import { MAX_GRADES, internGrade, parseHours, parseOutput, type WorkerTable } from './worker-table.ts';

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
  if (header === undefined) throw new CsvError(1, 1, undefined, 'csv_empty_file');
  const col = new Map<string, number>();
  header.fields.forEach((raw, k) => {
    const name = raw.trim().toLowerCase();
    if (!KNOWN.includes(name)) {
      throw new CsvError(header.line, k + 1, raw, 'csv_unknown_column', { expected: KNOWN.join(', ') });
    }
    if (col.has(name)) throw new CsvError(header.line, k + 1, raw, 'csv_duplicate_column');
    col.set(name, k);
  });
  for (const name of REQUIRED) {
    if (!col.has(name)) throw new CsvError(header.line, header.fields.length + 1, name, 'csv_missing_column');
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
        'csv_field_count',
        { expected: header.fields.length, found: fields.length },
      );
    }
    const fail = (k: number, problem: CsvProblem, params?: ProblemParams): never => {
      throw new CsvError(line, k + 1, header.fields[k], problem, params);
    };
    const id = fields[ci]!.trim();
    if (id === '') fail(ci, 'csv_id_empty');
    const earlier = seen.get(id);
    if (earlier !== undefined) fail(ci, 'csv_duplicate_id', { id, first: earlier });
    seen.set(id, line);
    ids.push(id);
    const g = fields[cg]!.trim();
    if (g === '') fail(cg, 'csv_grade_empty');
    if (allowed !== null && !allowed.has(g)) fail(cg, 'csv_unknown_grade', { grade: g });
    if (!gradeIndex.has(g) && grades.length >= MAX_GRADES) fail(cg, 'csv_grades_many', { max: MAX_GRADES });
    grade[r] = internGrade(g, grades, gradeIndex, `line ${line}`);
    const h = parseHours(fields[ch]!.trim());
    hours[r] = h ?? fail(ch, 'csv_hours', { value: fields[ch]! });
    const o =
      co === undefined || fields[co]!.trim() === '' ? FRACTION_SCALE : parseOutput(fields[co]!.trim());
    output[r] = o ?? fail(co!, 'csv_output', { value: fields[co!]! });
  }
  return { count: n, ids: ids.build(), grades, grade, hours, output };
}
