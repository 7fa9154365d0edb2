// The workers of a payroll as columns (docs/PAY.md §"Workers"): typed arrays keep 15 million workers in a few
// hundred megabytes and let the payroll run as one tight loop. Grades are dictionary-encoded.
import { parseScaled } from './decimal.ts';
import { IdColumnBuilder, type IdColumn } from './id-column.ts';
import { PayrollError } from './errors.ts';
import { FRACTION_PLACES, FRACTION_SCALE, HOURS_PLACES } from './scheme.ts';

export interface WorkerTable {
  readonly count: number;
  /** Worker ids, stored as one column (IdColumn.get(i)). */
  readonly ids: IdColumn;
  /** The distinct grades; `grade[i]` indexes this list. */
  readonly grades: readonly string[];
  readonly grade: Uint16Array;
  /** Hours worked in the period, in hundredths of an hour (> 0). */
  readonly hours: Uint32Array;
  /** Output as a fraction of the norm in ten-thousandths (10000 = the norm); 10000 for time workers. */
  readonly output: Uint32Array;
}

/** One worker as the API receives it: hours and output as decimal strings (or numbers written without exponent). */
export interface WorkerInput {
  id: string;
  grade: string;
  hours: string | number;
  /** Fraction of the norm, "1.2" = 120 %; the norm ("1") when absent. */
  output?: string | number;
}

export const MAX_HOURS = 1_000_000; // hundredths: 10 000 hours in a period is corrupt input, not a long month
export const MAX_OUTPUT = 100 * FRACTION_SCALE; // 100 × the norm
export const MAX_GRADES = 65_535; // grade indexes are 16 bits

/** Parses an hours value; undefined when malformed or out of range. */
export function parseHours(value: string | number): number | undefined {
  const v = parseScaled(String(value), HOURS_PLACES);
  return v === undefined || v <= 0 || v > MAX_HOURS ? undefined : v;
}

/** Parses an output value (fraction of the norm); undefined when malformed or out of range. */
export function parseOutput(value: string | number): number | undefined {
  const v = parseScaled(String(value), FRACTION_PLACES);
  return v === undefined || v > MAX_OUTPUT ? undefined : v;
}

/** Builds a table from row objects; throws PayrollError naming `workers[i].field`. Ids must be unique. */
export function createWorkerTable(rows: readonly WorkerInput[]): WorkerTable {
  const n = rows.length;
  const ids = new IdColumnBuilder();
  const grades: string[] = [];
  const gradeIndex = new Map<string, number>();
  const grade = new Uint16Array(n);
  const hours = new Uint32Array(n);
  const output = new Uint32Array(n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const row = rows[i] as WorkerInput;
    const path = `workers[${i}]`;
    if (typeof row.id !== 'string' || row.id === '') throw new PayrollError(`${path}.id`, 'payroll_id_empty');
    if (seen.has(row.id)) throw new PayrollError(`${path}.id`, 'payroll_duplicate_id', { id: row.id });
    seen.add(row.id);
    ids.push(row.id);
    if (typeof row.grade !== 'string' || row.grade === '') {
      throw new PayrollError(`${path}.grade`, 'payroll_grade_empty');
    }
    grade[i] = internGrade(row.grade, grades, gradeIndex, `${path}.grade`);
    const h = parseHours(row.hours);
    if (h === undefined)
      throw new PayrollError(`${path}.hours`, 'payroll_hours', { value: String(row.hours) });
    hours[i] = h;
    const o = row.output === undefined ? FRACTION_SCALE : parseOutput(row.output);
    if (o === undefined) {
      throw new PayrollError(`${path}.output`, 'payroll_output', { value: String(row.output) });
    }
    output[i] = o;
  }
  return { count: n, ids: ids.build(), grades, grade, hours, output };
}

/** The index of `id` in the grade dictionary, adding it when new. */
export function internGrade(id: string, grades: string[], index: Map<string, number>, path: string): number {
  let g = index.get(id);
  if (g === undefined) {
    if (grades.length >= MAX_GRADES) throw new PayrollError(path, 'payroll_grades_many', { max: MAX_GRADES });
    g = grades.length;
    grades.push(id);
    index.set(id, g);
  }
  return g;
}

/**
 * Checks a table built column by column (by a reader or a generator): lengths agree, grade indexes point into
 * `grades`, hours and output are in range. Throws PayrollError naming the column and row. Ids are not checked
 * for uniqueness here (createWorkerTable and readWorkersCsv do that).
 */
export function checkWorkerTable(t: WorkerTable): WorkerTable {
  const n = t.count;
  if (!Number.isSafeInteger(n) || n < 0)
    throw new PayrollError('count', 'payroll_count', { value: String(n) });
  for (const [name, col] of [
    ['ids', t.ids],
    ['grade', t.grade],
    ['hours', t.hours],
    ['output', t.output],
  ] as const) {
    if (col.length !== n)
      throw new PayrollError(name, 'payroll_column_length', { length: col.length, count: n });
  }
  const g = t.grades.length;
  for (let i = 0; i < n; i++) {
    if ((t.grade[i] as number) >= g)
      throw new PayrollError(`grade[${i}]`, 'payroll_grade_index', { value: t.grade[i]! });
    const h = t.hours[i] as number;
    if (h === 0 || h > MAX_HOURS)
      throw new PayrollError(`hours[${i}]`, 'payroll_hours_range', { max: MAX_HOURS / 100 });
    if ((t.output[i] as number) > MAX_OUTPUT) throw new PayrollError(`output[${i}]`, 'payroll_output_range');
  }
  return t;
}
