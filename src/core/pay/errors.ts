// Named errors of the pay module (docs/PAY.md §"Errors"). Misuse or corrupt input throws one of these; an
// expected outcome (a scheme lowers someone's pay) is never an error.

/** A scheme document is malformed; `path` is the JSON path of the offending field, e.g. `grades[2].coefficient`. */
export class SchemeError extends Error {
  override name = 'SchemeError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** A CSV file is malformed; `line` and `column` are 1-based, `field` names the column header when known. */
export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly field: string | undefined,
    message: string,
  ) {
    super(`line ${line}, column ${column}${field === undefined ? '' : ` (${field})`}: ${message}`);
  }
}

/** Workers and scheme do not fit together (unknown grade, a value out of range); `path` names the field. */
export class PayrollError extends Error {
  override name = 'PayrollError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}
