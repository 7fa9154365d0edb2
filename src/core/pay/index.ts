// The public API of the pay module (docs/PAY.md §"API for the core and the API layer").
export { SchemeError, CsvError, PayrollError } from './errors.ts';
export { SCHEME_FORMAT, FRACTION_SCALE, HOURS_SCALE } from './scheme.ts';
export type { Scheme, SchemeDocument } from './scheme.ts';
export { validateScheme } from './validate-scheme.ts';
export { createWorkerTable, checkWorkerTable } from './worker-table.ts';
export { IdColumn, IdColumnBuilder } from './id-column.ts';
export type { WorkerTable, WorkerInput } from './worker-table.ts';
export { readWorkersCsv } from './workers-csv.ts';
export type { WorkersCsvOptions } from './workers-csv.ts';
export { runPayroll, ADJUSTMENTS } from './payroll.ts';
export type { Payroll, Adjustment } from './payroll.ts';
export { payslip, payslips } from './payslip.ts';
export type { Payslip } from './payslip.ts';
export { pensionAccrual, projectedPension, awardPension, indexPension } from './pension.ts';
export { payFactor, FACTOR_SCALE } from './piece-rate.ts';
export { inequalityReport, MEASURES, MEASURE_PLACES } from './inequality.ts';
export type { InequalityReport, LorenzPoint, MeasureName, Measures } from './inequality.ts';
export { compareSchemes, comparePayrolls } from './compare-schemes.ts';
export type { SchemeComparison, GradeSummary, WorkerChange, CompareOptions } from './compare-schemes.ts';
export { payslipsCsv, reportCsv, reportJson, payrollJson, comparisonJson, comparisonCsv } from './export.ts';
export type { ExportOptions, ReportOptions } from './export.ts';
export {
  DEFAULT_MINIMUM_GROUP,
  WITHHELD_REASON,
  checkMinimumGroup,
  groupGrades,
  withheld,
} from './minimum-group.ts';
export type { GroupedGrades, MergedGrades, Withheld } from './minimum-group.ts';
export { payrollText, comparisonText } from './text-report.ts';
export { parseCsv, writeCsv } from './rfc4180.ts';
export { formatMoney } from './decimal.ts';
export type { Rational } from '../../lib/rational.ts';
export { toDecimal, toFraction, toNumber } from '../../lib/rational.ts';
