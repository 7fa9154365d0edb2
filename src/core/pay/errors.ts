// Named errors of the pay module (docs/PAY.md §"Errors"). Misuse or corrupt input throws one of these; an
// expected outcome (a scheme lowers someone's pay) is never an error.
import { problemText, type ProblemId, type ProblemParams } from '../kernel/problems.ts';

/** What is wrong with a scheme: a problem id of src/core/kernel/problems.ts (`scheme_…`), worded by the edge. */
export type SchemeProblem = Extract<ProblemId, `scheme_${string}`>;

/**
 * A scheme document is malformed; `path` is the JSON path of the offending field, e.g. `grades.2.coefficient`, and
 * `problem` with `params` say what is wrong (the message is its English, after the path).
 */
export class SchemeError extends Error {
  override name = 'SchemeError';
  readonly params: ProblemParams;
  constructor(
    readonly path: string,
    readonly problem: SchemeProblem,
    params: ProblemParams = {},
  ) {
    super(problemText(problem, { field: path, ...params }));
    this.params = params;
  }
}

/** What is wrong with a workforce file: a problem id of src/core/kernel/problems.ts (`csv_…`). */
export type CsvProblem = Extract<ProblemId, `csv_${string}`>;

/** What does not fit between workers and a scheme: a problem id of src/core/kernel/problems.ts (`payroll_…`). */
export type PayrollProblem = Extract<ProblemId, `payroll_${string}`>;

/**
 * A CSV file is malformed; `line` and `column` are 1-based, `field` names the column header when known, `problem`
 * with `params` say what is wrong (the message is its English).
 */
export class CsvError extends Error {
  override name = 'CsvError';
  readonly params: ProblemParams;
  constructor(
    readonly line: number,
    readonly column: number,
    readonly field: string | undefined,
    readonly problem: CsvProblem,
    params: ProblemParams = {},
  ) {
    const all = { line, column, ...(field === undefined ? {} : { header: field }), ...params };
    super(problemText(problem, all));
    this.params = all;
  }
}

/**
 * Workers and scheme do not fit together (unknown grade, a value out of range); `path` names the field, `problem`
 * with `params` say what is wrong.
 */
export class PayrollError extends Error {
  override name = 'PayrollError';
  readonly params: ProblemParams;
  constructor(
    readonly path: string,
    readonly problem: PayrollProblem,
    params: ProblemParams = {},
  ) {
    super(problemText(problem, { field: path, ...params }));
    this.params = params;
  }
}
