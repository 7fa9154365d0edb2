// The pay report's parts (docs/PAY.md, docs/WEB.md "Pay"): money in the scheme's currency, the inequality
// measures as a table, the Lorenz curve as an SVG chart drawn without a chart library, and the projected effect
// of a proposed scheme against the current one (who gains, who loses, by how much, every measure's change).
import { useId, type ReactNode } from 'react';
import { currentLocale, t, tDynamic } from '../strings.ts';

export interface Currency {
  code: string;
  minorDigits: number;
}

export interface LorenzPoint {
  p: number;
  share: number;
}

/** Why a response holds only a count: its workforce is smaller than the constitution's minimum group. */
export interface WithheldJson {
  reason: string;
  minimumGroup: number;
  message: string;
}

export interface ReportJson {
  count: number;
  /** Present when the workforce is below the minimum group; then only `count` is given. */
  withheld?: WithheldJson;
  total: string;
  lowest: number | null;
  highest: number | null;
  measures: Record<string, string | null>;
  lorenz: LorenzPoint[];
}

export interface ChangeJson {
  id?: string;
  /** null: a grade merged into the smaller grades (docs/PAY.md "Minimum group"). */
  grade: string | null;
  current: number;
  proposed: number;
  change: number;
  percent: string | null;
}

export interface EffectJson {
  currency: Currency;
  count: number;
  /** Present when the workforce is below the minimum group; then only `count` (and `currency`) are given. */
  withheld?: WithheldJson;
  minimumGroup?: number;
  gainers: number;
  losers: number;
  unchanged: number;
  gainTotal: string;
  lossTotal: string;
  totalChange: string;
  pensionAccrualChange: string;
  grades: {
    /** null: the merged row of the smaller grades, `grades` of them. */
    grade: string | null;
    grades?: number;
    count: number;
    gainers: number;
    losers: number;
    currentMean: string;
    proposedMean: string;
    meanChange: string;
  }[];
  biggestGains: ChangeJson[];
  biggestLosses: ChangeJson[];
  measures: { current: ReportJson; proposed: ReportJson; change: Record<string, string | null> };
}

/** A table that scrolls sideways on a phone; keyboard users reach it (a focusable region named by its caption). */
export function ScrollTable({ caption, children }: { caption: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={id}>
      <table>
        <caption id={id}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** A decimal string of minor units as a decimal string of major units ("-74112.5", 2 → "-741.125"), exactly. */
function majorUnits(minor: string, minorDigits: number): string {
  const neg = minor.startsWith('-');
  const [whole = '0', frac = ''] = (neg ? minor.slice(1) : minor).split('.');
  const digits = whole.padStart(minorDigits + 1, '0');
  const cut = digits.length - minorDigits;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}${frac}`;
}

/**
 * Minor units (an integer, or a decimal string of minor units such as a mean) as money the reader's way: major
 * units rounded to the currency's decimals, the local grouping and decimal mark, the currency's sign ("20 751,40 ₽",
 * "RUB 20,751.40"); `signed` puts + before a gain. Intl formats the decimal string exactly (no float on the way).
 */
export function money(minor: number | string | null, c: Currency, signed = false): string {
  if (minor === null) return '—';
  const major = majorUnits(String(minor), c.minorDigits);
  const digits = { minimumFractionDigits: c.minorDigits, maximumFractionDigits: c.minorDigits };
  const sign = signed ? ({ signDisplay: 'exceptZero' } as const) : {};
  const exact = major as unknown as number; // Intl.NumberFormat takes a decimal string (ECMA-402 NumberFormat v3)
  try {
    return new Intl.NumberFormat(currentLocale(), {
      style: 'currency',
      currency: c.code,
      ...digits,
      ...sign,
    }).format(exact);
  } catch {
    // not an ISO 4217 code: the number the local way and the code after it
    return `${new Intl.NumberFormat(currentLocale(), { ...digits, ...sign }).format(exact)} ${c.code}`;
  }
}

/** A change in percent ("12.5") the reader's way, with its sign. */
const percent = (p: string) =>
  new Intl.NumberFormat(currentLocale(), {
    style: 'percent',
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  }).format(Number(p) / 100);

/** A measure in its unit: money for the mean and median, a percent for shares, else a ratio. */
function measure(name: string, value: string | null | undefined, c: Currency, signed = false): string {
  if (value === null || value === undefined) return '—';
  if (name === 'mean' || name === 'median') return money(value, c, signed);
  const n = value as unknown as number;
  const sign = signed ? ({ signDisplay: 'exceptZero' } as const) : {};
  if (name.endsWith('Share'))
    return new Intl.NumberFormat(currentLocale(), {
      style: 'percent',
      maximumFractionDigits: 2,
      ...sign,
    }).format(n);
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 4, ...sign }).format(n);
}

const measureNames = [
  'gini',
  'palma',
  'p90p10',
  'top10Share',
  'bottom40Share',
  'highestLowest',
  'mean',
  'median',
];

export function MeasuresTable(p: {
  caption: string;
  currency: Currency;
  current?: ReportJson | undefined;
  proposed?: ReportJson | undefined;
  change?: Record<string, string | null> | undefined;
  report?: ReportJson | undefined;
}) {
  const cols = p.report ? [t('payValue')] : [t('payCurrentCol'), t('payProposedCol'), t('payChangeCol')];
  return (
    <ScrollTable caption={p.caption}>
      <thead>
        <tr>
          <th scope="col">{t('payMeasure')}</th>
          {cols.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {measureNames.map((m) => (
          <tr key={m}>
            <th scope="row">{tDynamic(`measure_${m}`, m)}</th>
            {p.report ? (
              <td>{measure(m, p.report.measures[m], p.currency)}</td>
            ) : (
              <>
                <td>{measure(m, p.current?.measures[m], p.currency)}</td>
                <td>{measure(m, p.proposed?.measures[m], p.currency)}</td>
                <td className="num-change">{measure(m, p.change?.[m], p.currency, true)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

// Okabe–Ito colours, ≥ 3:1 against white.
const colours = ['#0072B2', '#D55E00'];

/** The Lorenz curve(s) against the line of equality, in SVG; the measures table carries the exact numbers. */
export function LorenzChart(p: { curves: { label: string; points: LorenzPoint[] }[] }) {
  const id = useId();
  const size = 320;
  const pad = 40;
  const inner = size - 2 * pad;
  const x = (v: number) => pad + v * inner;
  const y = (v: number) => size - pad - v * inner;
  const path = (pts: LorenzPoint[]) =>
    pts.map((q, i) => `${i ? 'L' : 'M'}${x(q.p).toFixed(1)},${y(q.share).toFixed(1)}`).join(' ');
  return (
    <figure className="chart lorenz">
      <svg
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        width="100%"
        style={{ maxWidth: '24rem' }}
      >
        <title id={`${id}-title`}>{t('lorenzTitle')}</title>
        <desc id={`${id}-desc`}>{t('lorenzDesc')}</desc>
        <rect x={pad} y={pad} width={inner} height={inner} fill="none" stroke="#767676" />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#767676" strokeDasharray="4 4" />
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <text x={x(v)} y={size - pad + 16} textAnchor="middle" className="chart-label">
              {v * 100}%
            </text>
            <text x={pad - 6} y={y(v) + 4} textAnchor="end" className="chart-label">
              {v * 100}%
            </text>
          </g>
        ))}
        {p.curves.map((c, i) => (
          <path
            key={c.label}
            d={path(c.points)}
            fill="none"
            stroke={colours[i % colours.length]}
            strokeWidth={2.5}
            strokeDasharray={i ? '6 3' : undefined}
          />
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {p.curves.map((c, i) => (
            <li key={c.label}>
              <span
                className="swatch"
                style={{ background: colours[i % colours.length] }}
                aria-hidden="true"
              />
              {c.label}
            </li>
          ))}
          <li>{t('lorenzEquality')}</li>
        </ul>
        <p className="hint">{t('lorenzAxes')}</p>
      </figcaption>
    </figure>
  );
}

/** A response of fewer workers than the minimum group: how many they are, and why nothing else is shown. */
export function WithheldNote({ count, withheld }: { count: number; withheld: WithheldJson }) {
  return <p className="withheld">{t('payWithheld', { count, n: withheld.minimumGroup })}</p>;
}

/** The projected effect of one proposed scheme against the current one. */
export function EffectView({ effect, individuals }: { effect: EffectJson; individuals: boolean }) {
  if (effect.withheld) return <WithheldNote count={effect.count} withheld={effect.withheld} />;
  const c = effect.currency;
  const changes = (list: ChangeJson[], caption: string) =>
    list.length === 0 ? null : (
      <ScrollTable caption={caption}>
        <thead>
          <tr>
            {individuals && <th scope="col">{t('payWorker')}</th>}
            <th scope="col">{t('payGrade')}</th>
            <th scope="col">{t('payCurrentCol')}</th>
            <th scope="col">{t('payProposedCol')}</th>
            <th scope="col">{t('payChangeCol')}</th>
            <th scope="col">%</th>
          </tr>
        </thead>
        <tbody>
          {list.map((w, i) => (
            <tr key={w.id ?? i}>
              {individuals && <th scope="row">{w.id}</th>}
              <td>{w.grade ?? t('payGradeNotShown')}</td>
              <td>{money(w.current, c)}</td>
              <td>{money(w.proposed, c)}</td>
              <td>{money(w.change, c, true)}</td>
              <td>{w.percent === null ? '—' : percent(w.percent)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    );
  return (
    <div className="pay-effect">
      <p className="effect-summary">
        {t('effectSummary', {
          count: effect.count,
          gainers: effect.gainers,
          losers: effect.losers,
          unchanged: effect.unchanged,
        })}
      </p>
      <ul className="plain">
        <li>{t('effectGains', { amount: money(effect.gainTotal, c) })}</li>
        <li>{t('effectLosses', { amount: money(effect.lossTotal, c) })}</li>
        <li>{t('effectTotal', { amount: money(effect.totalChange, c, true) })}</li>
        <li>{t('effectPension', { amount: money(effect.pensionAccrualChange, c, true) })}</li>
      </ul>
      <MeasuresTable
        caption={t('effectMeasures')}
        currency={c}
        current={effect.measures.current}
        proposed={effect.measures.proposed}
        change={effect.measures.change}
      />
      <LorenzChart
        curves={[
          { label: t('payCurrentCol'), points: effect.measures.current.lorenz },
          { label: t('payProposedCol'), points: effect.measures.proposed.lorenz },
        ]}
      />
      <ScrollTable caption={t('effectByGrade')}>
        <thead>
          <tr>
            <th scope="col">{t('payGrade')}</th>
            <th scope="col">{t('payWorkers')}</th>
            <th scope="col">{t('payGainers')}</th>
            <th scope="col">{t('payLosers')}</th>
            <th scope="col">{t('payMeanBefore')}</th>
            <th scope="col">{t('payMeanAfter')}</th>
            <th scope="col">{t('payMeanChange')}</th>
          </tr>
        </thead>
        <tbody>
          {effect.grades.map((g) => (
            <tr key={g.grade ?? ''}>
              <th scope="row">{g.grade ?? t('paySmallerGrades', { grades: g.grades ?? 0 })}</th>
              <td>{g.count}</td>
              <td>{g.gainers}</td>
              <td>{g.losers}</td>
              <td>{money(g.currentMean, c)}</td>
              <td>{money(g.proposedMean, c)}</td>
              <td>{money(g.meanChange, c, true)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      {changes(effect.biggestGains, t('effectBiggestGains'))}
      {changes(effect.biggestLosses, t('effectBiggestLosses'))}
      {!individuals && (
        <p className="hint">
          {t('payAggregatesOnly')}
          {effect.minimumGroup !== undefined && ` ${t('payMinimumGroupNote', { n: effect.minimumGroup })}`}
        </p>
      )}
    </div>
  );
}
