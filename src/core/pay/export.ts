// Payslips and reports as CSV and JSON (docs/PAY.md §"Exports"). CSV shows money as decimals in major units
// (formatted only here, at the edge); JSON keeps integer minor units, with bigint totals as decimal strings.
import type { SchemeComparison } from './compare-schemes.ts';
import { formatMoney } from './decimal.ts';
import { MEASURES, MEASURE_PLACES, type InequalityReport } from './inequality.ts';
import { checkMinimumGroup, groupGrades, withheld, WITHHELD_REASON, type Withheld } from './minimum-group.ts';
import { payslip, payslips, type Payslip } from './payslip.ts';
import type { Payroll } from './payroll.ts';
import { exactRatio, toDecimal, toFraction } from '../../lib/rational.ts';
import { writeCsv } from './rfc4180.ts';

export const PAYSLIP_COLUMNS = [
  'period',
  'id',
  'grade',
  'hours',
  'output',
  'basic',
  'earnings',
  'bonus',
  'gross',
  'pay',
  'adjustment',
  'pension_accrual',
  'projected_pension',
] as const;

/** Payslips as CSV, money in major units with the currency's decimals. */
export function payslipsCsv(payroll: Payroll): string {
  const d = payroll.scheme.currency.minorDigits;
  const m = (v: number) => formatMoney(v, d);
  function* rows() {
    yield PAYSLIP_COLUMNS;
    for (const s of payslips(payroll)) {
      yield [
        s.period,
        s.id,
        s.grade,
        s.hours,
        s.output,
        m(s.basic),
        m(s.earnings),
        m(s.bonus),
        m(s.gross),
        m(s.pay),
        s.adjustment,
        m(s.pensionAccrual),
        s.projectedPension === null ? '' : m(s.projectedPension),
      ];
    }
  }
  return writeCsv(rows());
}

/** With `minimumGroup`, a report of fewer workers is withheld (docs/PAY.md "Minimum group"). */
export interface ReportOptions {
  readonly minimumGroup?: number | undefined;
}

function below(count: number, minimumGroup: number | undefined): minimumGroup is number {
  return minimumGroup !== undefined && count < checkMinimumGroup(minimumGroup);
}

/**
 * The report as CSV rows `measure,value,exact` (value with MEASURE_PLACES decimals, exact as num/den); below the
 * minimum group only the count and a row `withheld,workforce_below_minimum_group,N`.
 */
export function reportCsv(report: InequalityReport, options: ReportOptions = {}): string {
  if (below(report.count, options.minimumGroup)) {
    return writeCsv([
      ['measure', 'value', 'exact'],
      ['count', report.count, report.count],
      ['withheld', WITHHELD_REASON, options.minimumGroup],
    ]);
  }
  return writeCsv([
    ['measure', 'value', 'exact'],
    ['count', report.count, report.count],
    ['total_minor_units', report.total, report.total],
    ...MEASURES.map((k) => [
      k,
      report.measures[k] ?? '',
      report.exact[k] === null ? '' : toFraction(report.exact[k]),
    ]),
  ]);
}

/** The report as plain JSON (bigint as strings, exact values as "num/den"); below the minimum group, the count. */
export function reportJson(report: InequalityReport, options?: { minimumGroup?: undefined }): ReportJson;
export function reportJson(report: InequalityReport, options: ReportOptions): ReportJson | WithheldJson;
export function reportJson(report: InequalityReport, options: ReportOptions = {}): ReportJson | WithheldJson {
  if (below(report.count, options.minimumGroup)) {
    return { count: report.count, withheld: withheld(options.minimumGroup) };
  }
  return aggregated(fullReportJson(report), options.minimumGroup);
}

/**
 * A report under a minimum group N, of at least N workers: no figure of one worker (the lowest and highest pay are
 * null) and the Lorenz curve only at points N or more workers apart, so no step of it is one worker's share.
 */
function aggregated(r: ReportJson, minimumGroup: number | undefined): ReportJson {
  if (minimumGroup === undefined || r.lorenz.length < 2) return r;
  const grid = r.lorenz.length - 1;
  const step = Math.ceil((minimumGroup * grid) / r.count);
  const kept = r.lorenz.filter((_, k) => k === 0 || k === grid || (k % step === 0 && grid - k >= step));
  return { ...r, lowest: null, highest: null, lorenz: kept };
}

/** A response of fewer workers than the minimum group: their count and why nothing else is shown. */
export interface WithheldJson {
  readonly count: number;
  readonly withheld: Withheld;
}

export type ReportJson = ReturnType<typeof fullReportJson>;

function fullReportJson(report: InequalityReport) {
  return {
    count: report.count,
    total: report.total.toString(),
    lowest: report.lowest,
    highest: report.highest,
    precision: MEASURE_PLACES,
    measures: report.measures,
    exact: Object.fromEntries(
      MEASURES.map((k) => [k, report.exact[k] === null ? null : toFraction(report.exact[k])]),
    ),
    lorenz: [...report.lorenz],
  };
}

export interface ExportOptions {
  /** When false (the constitution keeps individual pay private), no per-worker data are exported. */
  readonly individuals?: boolean;
  /**
   * With `individuals: false`, the constitution's minimum group (docs/PAY.md "Minimum group"): no served figure
   * describes fewer workers. Ignored when individuals are shown.
   */
  readonly minimumGroup?: number | undefined;
}

function minimumOf(options: ExportOptions): number | undefined {
  return (options.individuals ?? true) ? undefined : options.minimumGroup;
}

/** Options that serve every figure (no minimum group applies). */
type AllFigures = ExportOptions & { readonly minimumGroup?: undefined };

/** A payroll, its totals, its report and (when allowed) its payslips, as JSON. */
export function payrollJson(payroll: Payroll, report: InequalityReport, options?: AllFigures): PayrollJson;
export function payrollJson(
  payroll: Payroll,
  report: InequalityReport,
  options: ExportOptions,
): PayrollJson | (PayrollHead & WithheldJson);
export function payrollJson(
  payroll: Payroll,
  report: InequalityReport,
  options: ExportOptions = {},
): PayrollJson | (PayrollHead & WithheldJson) {
  const minimumGroup = minimumOf(options);
  if (below(payroll.workers.count, minimumGroup)) {
    return { ...payrollHead(payroll), withheld: withheld(minimumGroup) };
  }
  return fullPayrollJson(payroll, report, options.individuals ?? true, minimumGroup);
}

export type PayrollHead = ReturnType<typeof payrollHead>;
export type PayrollJson = ReturnType<typeof fullPayrollJson>;

function payrollHead(payroll: Payroll) {
  return {
    period: payroll.period,
    scheme: { id: payroll.scheme.id, version: payroll.scheme.version, currency: payroll.scheme.currency },
    count: payroll.workers.count,
  };
}

function fullPayrollJson(
  payroll: Payroll,
  report: InequalityReport,
  individuals: boolean,
  minimumGroup: number | undefined,
) {
  return {
    ...payrollHead(payroll),
    ...(minimumGroup === undefined ? {} : { minimumGroup }),
    totalPay: payroll.totalPay.toString(),
    totalPensionAccrual: payroll.totalPensionAccrual.toString(),
    report: aggregated(reportJson(report), minimumGroup),
    payslips: individuals ? [...payslips(payroll)] : undefined,
  };
}

/**
 * The comparison as JSON; without individuals the biggest changes keep the amounts but lose the id. With a
 * minimum group (and no individuals: the server's `aggregates`): grades smaller than it are merged into one row
 * (grade null), no biggest change is listed (each is one worker's pay), and a comparison of fewer workers is
 * withheld.
 */
export function comparisonJson(c: SchemeComparison, options?: AllFigures): ComparisonJson;
export function comparisonJson(
  c: SchemeComparison,
  options: ExportOptions,
): ComparisonJson | (ComparisonHead & WithheldJson);
export function comparisonJson(
  c: SchemeComparison,
  options: ExportOptions = {},
): ComparisonJson | (ComparisonHead & WithheldJson) {
  const minimumGroup = minimumOf(options);
  if (below(c.count, minimumGroup)) return { ...comparisonHead(c), withheld: withheld(minimumGroup) };
  return fullComparisonJson(c, options.individuals ?? true, minimumGroup);
}

export type ComparisonHead = ReturnType<typeof comparisonHead>;
export type ComparisonJson = ReturnType<typeof fullComparisonJson>;

function comparisonHead(c: SchemeComparison) {
  const scheme = (p: Payroll) => ({ id: p.scheme.id, version: p.scheme.version });
  return {
    period: c.current.period,
    current: scheme(c.current),
    proposed: scheme(c.proposed),
    currency: c.current.scheme.currency,
    count: c.count,
  };
}

function fullComparisonJson(c: SchemeComparison, individuals: boolean, minimumGroup: number | undefined) {
  const grouped = minimumGroup === undefined ? null : groupGrades(c.grades, minimumGroup);
  const changes = (list: SchemeComparison['biggestGains']) =>
    grouped !== null
      ? []
      : list.map((x) =>
          individuals
            ? x
            : {
                grade: x.grade,
                current: x.current,
                proposed: x.proposed,
                change: x.change,
                percent: x.percent,
              },
        );
  return {
    ...comparisonHead(c),
    ...(minimumGroup === undefined ? {} : { minimumGroup }),
    gainers: c.gainers,
    losers: c.losers,
    unchanged: c.unchanged,
    gainTotal: c.gainTotal.toString(),
    lossTotal: c.lossTotal.toString(),
    totalChange: c.totalChange.toString(),
    pensionAccrualChange: c.pensionAccrualChange.toString(),
    grades: (grouped?.rows ?? c.grades).map((g) => ({
      ...g,
      currentTotal: g.currentTotal.toString(),
      proposedTotal: g.proposedTotal.toString(),
      change: g.change.toString(),
    })),
    biggestGains: changes(c.biggestGains),
    biggestLosses: changes(c.biggestLosses),
    measures: {
      current: aggregated(reportJson(c.currentReport), minimumGroup),
      proposed: aggregated(reportJson(c.proposedReport), minimumGroup),
      change: c.measureChange,
    },
  };
}

/** Per-worker changes as CSV: id, grade, current, proposed, change, percent. */
export function comparisonCsv(c: SchemeComparison): string {
  const d = c.current.scheme.currency.minorDigits;
  const m = (v: number) => formatMoney(v, d);
  function* rows() {
    yield ['id', 'grade', 'current', 'proposed', 'change', 'percent'];
    for (let i = 0; i < c.count; i++) {
      const a: Payslip = payslip(c.current, i);
      const b = c.proposed.pay[i] as number;
      const pct = a.pay === 0 ? '' : toDecimal(exactRatio(BigInt(b - a.pay) * 100n, BigInt(a.pay)), 2);
      yield [a.id, a.grade, m(a.pay), m(b), m(b - a.pay), pct];
    }
  }
  return writeCsv(rows());
}
