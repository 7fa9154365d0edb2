// Payslips and reports as CSV and JSON (docs/PAY.md §"Exports"). CSV shows money as decimals in major units
// (formatted only here, at the edge); JSON keeps integer minor units, with bigint totals as decimal strings.
import type { SchemeComparison } from './compare-schemes.ts';
import { formatMoney } from './decimal.ts';
import { MEASURES, MEASURE_PLACES, type InequalityReport } from './inequality.ts';
import { payslip, payslips, type Payslip } from './payslip.ts';
import type { Payroll } from './payroll.ts';
import { exactRatio, toDecimal, toFraction } from './rational.ts';
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

/** The report as CSV rows `measure,value,exact` (value with MEASURE_PLACES decimals, exact as num/den). */
export function reportCsv(report: InequalityReport): string {
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

/** The report as plain JSON (bigint as strings, exact values as "num/den"). */
export function reportJson(report: InequalityReport) {
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
    lorenz: report.lorenz,
  };
}

export interface ExportOptions {
  /** When false (the constitution keeps individual pay private), no per-worker data are exported. */
  readonly individuals?: boolean;
}

/** A payroll, its totals, its report and (when allowed) its payslips, as JSON. */
export function payrollJson(payroll: Payroll, report: InequalityReport, options: ExportOptions = {}) {
  const individuals = options.individuals ?? true;
  return {
    period: payroll.period,
    scheme: { id: payroll.scheme.id, version: payroll.scheme.version, currency: payroll.scheme.currency },
    count: payroll.workers.count,
    totalPay: payroll.totalPay.toString(),
    totalPensionAccrual: payroll.totalPensionAccrual.toString(),
    report: reportJson(report),
    payslips: individuals ? [...payslips(payroll)] : undefined,
  };
}

/** The comparison as JSON; without individuals the biggest changes keep grade and amounts but lose the id. */
export function comparisonJson(c: SchemeComparison, options: ExportOptions = {}) {
  const individuals = options.individuals ?? true;
  const changes = (list: SchemeComparison['biggestGains']) =>
    list.map((x) =>
      individuals
        ? x
        : { grade: x.grade, current: x.current, proposed: x.proposed, change: x.change, percent: x.percent },
    );
  const scheme = (p: Payroll) => ({ id: p.scheme.id, version: p.scheme.version });
  return {
    period: c.current.period,
    current: scheme(c.current),
    proposed: scheme(c.proposed),
    currency: c.current.scheme.currency,
    count: c.count,
    gainers: c.gainers,
    losers: c.losers,
    unchanged: c.unchanged,
    gainTotal: c.gainTotal.toString(),
    lossTotal: c.lossTotal.toString(),
    totalChange: c.totalChange.toString(),
    pensionAccrualChange: c.pensionAccrualChange.toString(),
    grades: c.grades.map((g) => ({
      ...g,
      currentTotal: g.currentTotal.toString(),
      proposedTotal: g.proposedTotal.toString(),
      change: g.change.toString(),
    })),
    biggestGains: changes(c.biggestGains),
    biggestLosses: changes(c.biggestLosses),
    measures: {
      current: reportJson(c.currentReport),
      proposed: reportJson(c.proposedReport),
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
