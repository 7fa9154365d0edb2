// The result of a vote: outcome, winners, the count's own explanation, every round as a table, and a chart.
import { isExhaustedPart, methodName, optionLabel } from '../names.ts';
import { t, tDynamic } from '../strings.ts';
import type { CountReport, Motion, Vote } from '../types.ts';
import { RoundChart } from './round-chart.tsx';

/**
 * Every line of the count, in a stable order: the options, "against", then the count's own lines; the kinds of
 * exhausted ballots (instant-runoff's ":Overvotes" and the like) are not here but under the "Exhausted" row.
 */
export function reportLines(vote: Vote, report: CountReport): string[] {
  const seen = new Set<string>();
  for (const r of report.rounds) for (const k of Object.keys(r.tallies)) seen.add(k);
  const first = [...vote.options, 'against'].filter((o) => seen.has(o));
  const rest = [...seen].filter((k) => !first.includes(k) && !isExhaustedPart(k)).sort();
  return [...first, ...rest];
}

/** The count's kinds of exhausted ballots that it reports, in its own order. */
function exhaustedPartsOf(report: CountReport): string[] {
  const seen = new Set<string>();
  for (const r of report.rounds) for (const k of Object.keys(r.tallies)) if (isExhaustedPart(k)) seen.add(k);
  return [...seen];
}

/** A line of the count's explanation in words: the count says "adopted", an election elects. */
function explain(line: string, election: boolean): string {
  const adopted = /^(.+) is adopted$/.exec(line);
  if (adopted) return t(election ? 'explainElected' : 'explainAdopted', { name: adopted[1]! });
  if (line === 'no alternative is adopted') return t(election ? 'explainNoneElected' : 'explainNoneAdopted');
  if (line === 'quorum not met: nothing is adopted')
    return t(election ? 'explainNoQuorumElection' : 'explainNoQuorum');
  return line;
}

export function ResultView({ motion, vote, report }: { motion: Motion; vote: Vote; report: CountReport }) {
  const label = (id: string) => optionLabel(motion, id);
  const election = motion.kind === 'election';
  const lines = reportLines(vote, report);
  const parts = exhaustedPartsOf(report);
  const hasQuota = report.rounds.some((r) => r.quota !== undefined);
  const hasExhausted = report.rounds.some((r) => r.exhausted !== undefined) || parts.length > 0;
  const winners = report.winners.filter((w) => w !== 'against');
  return (
    <section aria-labelledby="result" className="panel result">
      <h2 id="result">{t('result')}</h2>
      <p className="outcome">
        <strong>{tDynamic(`outcome_${vote.outcome ?? ''}`, vote.outcome ?? '')}</strong>
        {' · '}
        {winners.length ? t('winners', { names: winners.map(label).join(', ') }) : t('noWinner')}
        {' · '}
        {methodName(report.method)}
      </p>
      {report.explanation.length > 0 && (
        <ul className="plain explanation">
          {report.explanation.map((e, i) => (
            <li key={i}>
              {explain(
                e.replace(/\b[A-Za-z0-9_-]+\b/g, (w) => (vote.options.includes(w) ? `“${label(w)}”` : w)),
                election,
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="rounds-caption">
        <table className="rounds">
          <caption id="rounds-caption">{t('roundsTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('option')}</th>
              {report.rounds.map((r) => (
                <th scope="col" key={r.number}>
                  {t('round', { n: r.number })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {lines.map((id) => (
              <tr key={id}>
                <th scope="row">{label(id)}</th>
                {report.rounds.map((r) => {
                  const change = r.transfers?.[id];
                  const moved = change !== undefined && /[1-9]/.test(change);
                  return (
                    <td
                      key={r.number}
                      className={
                        r.elected.includes(id) ? 'elected' : r.excluded.includes(id) ? 'excluded' : ''
                      }
                    >
                      {r.tallies[id] ?? ''}
                      {moved && (
                        <span className="transfer"> ({change.startsWith('-') ? change : `+${change}`})</span>
                      )}
                      {r.elected.includes(id) && (
                        <span className="mark"> {t(election ? 'electedInRound' : 'adoptedInRound')}</span>
                      )}
                      {r.excluded.includes(id) && <span className="mark"> {t('excludedInRound')}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
            {hasQuota && (
              <tr>
                <th scope="row">{t('quota')}</th>
                {report.rounds.map((r) => (
                  <td key={r.number}>{r.quota ?? ''}</td>
                ))}
              </tr>
            )}
            {hasExhausted && (
              <tr>
                <th scope="row">{t('exhausted')}</th>
                {report.rounds.map((r) => (
                  <td key={r.number}>{r.exhausted ?? ''}</td>
                ))}
              </tr>
            )}
            {parts.map((id) => (
              <tr key={id} className="part">
                <th scope="row">{label(id)}</th>
                {report.rounds.map((r) => (
                  <td key={r.number}>{r.tallies[id] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.rounds.some((r) => r.tieBreaks.length > 0) && (
        <ul className="plain">
          {report.rounds.flatMap((r) =>
            r.tieBreaks.map((tb, i) => (
              <li key={`${r.number}-${i}`}>
                {t('round', { n: r.number })}:{' '}
                {t('tieBreak', {
                  among: tb.among.map(label).join(', '),
                  chosen: label(tb.chosen),
                  reason: tb.reason,
                })}
              </li>
            )),
          )}
        </ul>
      )}
      <RoundChart report={report} lines={lines.filter((l) => !l.startsWith(':'))} label={label} />
    </section>
  );
}
