// The transparency report (GET /orgs/:org/transparency; docs/POWER.md): petitions, recalls, privileged acts and
// sealed entries, by month and by council, as tables and a chart — all recomputable from the log by anyone.
import { metricNames, type TransparencyPage } from '../../core/power/transparency.ts';
import { api } from '../api.ts';
import { Loading, useLoad } from '../components/form.tsx';
import { MoreButton, usePages } from '../components/pages.tsx';
import { useSignedIn } from '../session.tsx';
import { useDirectory } from '../power/directory.ts';
import { t, tDynamic } from '../strings.ts';

const metrics = metricNames;
type Report = TransparencyPage;

const palette = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#8a6d00',
  '#56718f',
  '#000000',
  '#a23b72',
  '#4d7a00',
];
const metricName = (m: string) => tDynamic(`metric_${m}`, m);

export function TransparencyPage() {
  const { org } = useSignedIn();
  const names = useDirectory(org).data;
  const report = useLoad(() => api.get<Report>(`/orgs/${encodeURIComponent(org.id)}/transparency`), [org.id]);
  const r = report.data;
  // The organisation's figures come whole; the councils' rows a page at a time ("More": GET …?after=).
  const councils = usePages<Report['councils'][number]>(
    (after) =>
      api
        .get<Report>(
          `/orgs/${encodeURIComponent(org.id)}/transparency${after === null ? '' : `?after=${encodeURIComponent(after)}`}`,
        )
        .then((p) => ({ items: p.councils, next: p.next })),
    [org.id],
    { page: r && { items: r.councils, next: r.next }, cursorOf: (c) => c.councilId },
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('transparencyTitle')}</h1>
      <p>{t('transparencyIntro')}</p>
      {!r ? (
        <Loading error={report.error} />
      ) : (
        <>
          <MonthChart report={r} />
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="by-month">
            <table>
              <caption id="by-month">{t('byMonth')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('month')}</th>
                  {metrics.map((m) => (
                    <th scope="col" key={m}>
                      {metricName(m)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.byMonth.map((row) => (
                  <tr key={row.month}>
                    <th scope="row">{row.month}</th>
                    {metrics.map((m) => (
                      <td key={m}>{row[m]}</td>
                    ))}
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('total')}</th>
                  {metrics.map((m) => (
                    <td key={m}>{r.totals[m]}</td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="by-council">
            <table>
              <caption id="by-council">{t('byCouncil')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('council')}</th>
                  {metrics.map((m) => (
                    <th scope="col" key={m}>
                      {metricName(m)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(councils.items ?? r.councils).map((c) => (
                  <tr key={c.councilId}>
                    <th scope="row">{names.council(c.councilId)}</th>
                    {metrics.map((m) => (
                      <td key={m}>{c.totals[m]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <MoreButton pages={councils} />
        </>
      )}
    </>
  );
}

/** Grouped bars: for each month, one bar per metric that ever happened. */
function MonthChart({ report }: { report: Report }) {
  const shown = metrics.filter((m) => report.totals[m] > 0);
  if (shown.length === 0 || report.byMonth.length === 0) return null;
  const max = Math.max(1, ...report.byMonth.flatMap((row) => shown.map((m) => row[m])));
  const barW = 14;
  const groupW = shown.length * barW + 24;
  const h = 220;
  const pad = { l: 36, b: 28, t: 10 };
  const w = pad.l + report.byMonth.length * groupW + 10;
  const y = (v: number) => h - pad.b - ((h - pad.b - pad.t) * v) / max;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-labelledby="tr-title tr-desc"
        width="100%"
        style={{ maxWidth: `${Math.max(w, 320)}px` }}
      >
        <title id="tr-title">{t('byMonth')}</title>
        <desc id="tr-desc">{t('transparencyChartDesc')}</desc>
        <line x1={pad.l} x2={w} y1={y(0)} y2={y(0)} className="grid" />
        <text x={pad.l - 6} y={y(max) + 4} textAnchor="end" className="chart-value">
          {max}
        </text>
        {report.byMonth.map((row, i) => (
          <g key={row.month}>
            {shown.map((m, j) => (
              <rect
                key={m}
                x={pad.l + i * groupW + 12 + j * barW}
                y={y(row[m])}
                width={barW - 2}
                height={y(0) - y(row[m])}
                fill={palette[metrics.indexOf(m) % palette.length]}
              />
            ))}
            <text x={pad.l + i * groupW + groupW / 2} y={h - 8} textAnchor="middle" className="chart-label">
              {row.month}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {shown.map((m) => (
            <li key={m}>
              <span
                className="swatch"
                style={{ background: palette[metrics.indexOf(m) % palette.length] }}
                aria-hidden="true"
              />{' '}
              {metricName(m)}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
