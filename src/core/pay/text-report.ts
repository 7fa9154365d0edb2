// Plain-text renderings of a payroll and of a comparison, for the terminal.
import type { SchemeComparison } from './compare-schemes.ts';
import { formatMoney } from './decimal.ts';
import { MEASURES, type InequalityReport, type Measures } from './inequality.ts';
import { payslips } from './payslip.ts';
import type { Payroll } from './payroll.ts';

const LABELS: Measures<string> = {
  mean: 'mean pay (minor units)',
  median: 'median pay (minor units)',
  p10: 'P10 (minor units, type 7)',
  p90: 'P90 (minor units, type 7)',
  gini: 'Gini',
  palma: 'Palma (top 10 % / bottom 40 %)',
  p90p10: 'P90/P10',
  top10Share: 'top 10 % share',
  bottom40Share: 'bottom 40 % share',
  highestLowest: 'highest/lowest',
};

function measureLines(report: InequalityReport): string[] {
  return MEASURES.map((m) => `  ${LABELS[m].padEnd(32)} ${report.measures[m] ?? 'n/a'}`);
}

/** The payroll's totals and measures, and its payslips when `maxPayslips` allows (default 50). */
export function payrollText(payroll: Payroll, report: InequalityReport, maxPayslips = 50): string {
  const d = payroll.scheme.currency.minorDigits;
  const c = payroll.scheme.currency.code;
  const lines = [
    `Payroll ${payroll.period}, scheme ${payroll.scheme.id} v${payroll.scheme.version}, ${payroll.workers.count} workers`,
    `  total pay ${formatMoney(payroll.totalPay, d)} ${c}, pension accrual ${formatMoney(payroll.totalPensionAccrual, d)} ${c}`,
    ...measureLines(report),
  ];
  if (payroll.workers.count <= maxPayslips) {
    lines.push('', '  id            grade    hours    output       pay  adjustment  pension accrual');
    for (const s of payslips(payroll)) {
      lines.push(
        `  ${s.id.padEnd(12)}  ${s.grade.padEnd(6)} ${s.hours.padStart(7)} ${s.output.padStart(9)} ${formatMoney(s.pay, d).padStart(9)}  ${s.adjustment.padEnd(10)}  ${formatMoney(s.pensionAccrual, d).padStart(9)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function comparisonText(c: SchemeComparison): string {
  const d = c.current.scheme.currency.minorDigits;
  const m = (v: number | bigint) => formatMoney(v, d);
  const s = (p: Payroll) => `${p.scheme.id} v${p.scheme.version}`;
  const lines = [
    `Comparison ${c.current.period}: current ${s(c.current)} → proposed ${s(c.proposed)}, ${c.count} workers`,
    `  gain: ${c.gainers} workers, +${m(c.gainTotal)}; lose: ${c.losers} workers, ${m(c.lossTotal)}; unchanged: ${c.unchanged}`,
    `  total change ${m(c.totalChange)}, pension accrual change ${m(c.pensionAccrualChange)}`,
    '',
    `  ${'measure'.padEnd(32)} ${'current'.padStart(14)} ${'proposed'.padStart(14)} ${'change'.padStart(14)}`,
    ...MEASURES.map(
      (k) =>
        `  ${LABELS[k].padEnd(32)} ${(c.currentReport.measures[k] ?? 'n/a').padStart(14)} ${(c.proposedReport.measures[k] ?? 'n/a').padStart(14)} ${(c.measureChange[k] ?? 'n/a').padStart(14)}`,
    ),
    '',
    '  grade    workers  gain  lose  mean now   mean proposed  mean change',
    ...c.grades.map(
      (g) =>
        `  ${g.grade.padEnd(8)} ${String(g.count).padStart(7)} ${String(g.gainers).padStart(5)} ${String(g.losers).padStart(5)}  ${g.currentMean.padStart(10)}  ${g.proposedMean.padStart(13)}  ${g.meanChange.padStart(11)}`,
    ),
  ];
  for (const [title, list] of [
    ['biggest gains', c.biggestGains],
    ['biggest losses', c.biggestLosses],
  ] as const) {
    if (list.length === 0) continue;
    lines.push('', `  ${title}:`);
    for (const x of list) {
      lines.push(
        `    ${x.id} (${x.grade}): ${m(x.current)} → ${m(x.proposed)} (${m(x.change)}, ${x.percent ?? 'n/a'} %)`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
