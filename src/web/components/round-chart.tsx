// The count as a chart, drawn in SVG. One round: a bar per option. Several rounds (IRV, STV): a line per option
// from round to round, so one sees how votes moved as candidates were excluded or surpluses transferred, with
// the quota as a dashed line. Figures are read from the report's decimal strings for drawing only; the table
// beside it carries the exact numbers.
import { useLayoutEffect, useRef, useState } from 'react';
import { t } from '../strings.ts';
import type { CountReport } from '../types.ts';

/**
 * The width the chart is drawn at: its figure's own width (at least 280, at most `max`), so the SVG is shown at
 * about its own scale and its 13 px labels stay 13 px on a phone (drawn 640 wide and shrunk, they were 5 px).
 */
function useChartWidth(max: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(max);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = (w: number) => setWidth(Math.max(280, Math.min(max, Math.floor(w))));
    fit(el.getBoundingClientRect().width);
    const watch = new ResizeObserver(([e]) => e && fit(e.contentRect.width));
    watch.observe(el);
    return () => watch.disconnect();
  }, [max]);
  return [ref, width] as const;
}

// Colours distinguishable with common colour-blindness (Okabe–Ito), each ≥ 3:1 against white.
const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8a6d00', '#56718f', '#000000', '#a23b72'];

export function RoundChart(p: { report: CountReport; lines: string[]; label(id: string): string }) {
  const rounds = p.report.rounds;
  if (rounds.length === 0 || p.lines.length === 0) return null;
  return rounds.length === 1 ? <BarChart {...p} /> : <LineChart {...p} />;
}

const num = (s: string | undefined) => (s === undefined ? NaN : Number(s));

function BarChart({
  report,
  lines,
  label,
}: {
  report: CountReport;
  lines: string[];
  label(id: string): string;
}) {
  const [ref, w] = useChartWidth(600);
  const r = report.rounds[0]!;
  const values = lines.map((l) => num(r.tallies[l]) || 0);
  const max = Math.max(1, ...values);
  const rowH = 34;
  const left = Math.min(190, Math.round(w * 0.4));
  const h = lines.length * rowH + 10;
  return (
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby="chart-title chart-desc" width="100%">
        <title id="chart-title">{t('chartTitle')}</title>
        <desc id="chart-desc">{t('barChartDesc')}</desc>
        {lines.map((l, i) => {
          const bw = ((w - left - 70) * values[i]!) / max;
          const y = i * rowH + 5;
          return (
            <g key={l}>
              <text x={left - 8} y={y + rowH / 2 + 5} textAnchor="end" className="chart-label">
                {truncate(label(l), Math.floor(left / 7.5))}
              </text>
              <rect
                x={left}
                y={y + 4}
                width={bw}
                height={rowH - 10}
                fill={palette[i % palette.length]}
                rx={3}
              />
              <text x={left + bw + 6} y={y + rowH / 2 + 5} className="chart-value">
                {r.tallies[l]}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function LineChart({
  report,
  lines,
  label,
}: {
  report: CountReport;
  lines: string[];
  label(id: string): string;
}) {
  const [ref, w] = useChartWidth(640);
  // Narrow: the options are named in a legend under the chart rather than at the lines' ends.
  const narrow = w < 480;
  const rounds = report.rounds;
  const quota = num(rounds.find((r) => r.quota !== undefined)?.quota);
  const all = rounds.flatMap((r) => lines.map((l) => num(r.tallies[l]))).filter((x) => !Number.isNaN(x));
  const max = Math.max(1, ...all, Number.isNaN(quota) ? 0 : quota);
  const h = 300;
  const pad = { l: 50, r: narrow ? 56 : 170, t: 16, b: 36 };
  const x = (i: number) => pad.l + ((w - pad.l - pad.r) * i) / Math.max(1, rounds.length - 1);
  const y = (v: number) => h - pad.b - ((h - pad.t - pad.b) * v) / max;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  return (
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby="chart-title chart-desc" width="100%">
        <title id="chart-title">{t('chartTitle')}</title>
        <desc id="chart-desc">{t('chartDesc')}</desc>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={w - pad.r} y1={y(v)} y2={y(v)} className="grid" />
            <text x={pad.l - 6} y={y(v) + 4} textAnchor="end" className="chart-value">
              {Math.round(v * 100) / 100}
            </text>
          </g>
        ))}
        {rounds.map((r, i) => (
          <text key={r.number} x={x(i)} y={h - 12} textAnchor="middle" className="chart-label">
            {t('round', { n: r.number })}
          </text>
        ))}
        {!Number.isNaN(quota) && (
          <g>
            <line x1={pad.l} x2={w - pad.r} y1={y(quota)} y2={y(quota)} className="quota" />
            <text x={w - pad.r + 6} y={y(quota) + 4} className="chart-label">
              {t('quota')}
            </text>
          </g>
        )}
        {lines.map((l, li) => {
          const colour = palette[li % palette.length]!;
          const pts = rounds
            .map((r, i) => [i, num(r.tallies[l])] as const)
            .filter(([, v]) => !Number.isNaN(v));
          if (pts.length === 0) return null;
          const last = pts[pts.length - 1]!;
          return (
            <g key={l}>
              <polyline
                points={pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')}
                fill="none"
                stroke={colour}
                strokeWidth={3}
              />
              {pts.map(([i, v]) => (
                <circle key={i} cx={x(i)} cy={y(v)} r={4} fill={colour} />
              ))}
              {!narrow && (
                <text
                  x={w - pad.r + 6}
                  y={y(last[1]) + 4 + (li % 2) * 2}
                  fill={colour}
                  className="chart-label"
                >
                  {truncate(label(l), 22)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {narrow && (
        <figcaption>
          <ul className="legend">
            {lines.map((l, li) => (
              <li key={l}>
                <span
                  className="swatch"
                  style={{ background: palette[li % palette.length] }}
                  aria-hidden="true"
                />{' '}
                {label(l)}
              </li>
            ))}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}

function truncate(s: string, n = 26): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
