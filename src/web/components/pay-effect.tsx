// The projected effect of a pay motion, shown on its page before the vote (docs/WEB.md "Pay"): each proposed
// scheme against the council's current one on its workforce, and a form to propose another scheme.
import { useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { t } from '../strings.ts';
import { ActionForm, Field, Loading, useAction, useLoad } from './form.tsx';
import { SchemeField, useSchemeInput } from './scheme-field.tsx';
import {
  EffectView,
  LorenzChart,
  MeasuresTable,
  WithheldNote,
  type EffectJson,
  type ReportJson,
} from './pay-report.tsx';

interface PayEffect {
  councilId: string;
  period: string;
  visibility: 'individuals' | 'aggregates';
  current: { version: number; scheme: { name: string } } | null;
  replaced: boolean;
  workforce: { workers: number } | null;
  alternatives: { id: string; title: string; effect: EffectJson | null; report: ReportJson | null }[];
}

export function PayEffectSection(p: {
  orgId: string;
  motionId: string;
  beforeVote: boolean;
  onDone(): void;
}) {
  const base = `/orgs/${encodeURIComponent(p.orgId)}/motions/${encodeURIComponent(p.motionId)}`;
  const load = useLoad(() => api.get<PayEffect>(`${base}/pay-effect`), [base]);
  const e = load.data;
  return (
    <section aria-labelledby="pay-effect" className="pay-effect-section">
      <h2 id="pay-effect">{t('effectTitle')}</h2>
      {!e ? (
        <Loading error={load.error} />
      ) : (
        <>
          <p>
            {e.current
              ? t('effectAgainst', {
                  name: e.current.scheme.name,
                  version: e.current.version,
                  period: e.period,
                })
              : t('effectNoCurrent')}{' '}
            <Link href={`/councils/${encodeURIComponent(e.councilId)}/pay`}>{t('payPageLink')}</Link>
          </p>
          {!e.workforce && <p>{t('effectNoWorkforce')}</p>}
          {e.alternatives.map((a) => (
            <article key={a.id} className="card effect-card" aria-labelledby={`effect-${a.id}`}>
              <h3 id={`effect-${a.id}`}>{a.title}</h3>
              {a.effect && <EffectView effect={a.effect} individuals={e.visibility === 'individuals'} />}
              {a.report?.withheld && <WithheldNote count={a.report.count} withheld={a.report.withheld} />}
              {a.report && !a.report.withheld && (
                <>
                  <MeasuresTable caption={t('effectProposedReport')} report={a.report} />
                  <LorenzChart curves={[{ label: a.title, points: a.report.lorenz }]} />
                </>
              )}
            </article>
          ))}
        </>
      )}
      {p.beforeVote && (
        <ProposeAnother
          base={base}
          onDone={() => {
            load.reload();
            p.onDone();
          }}
        />
      )}
    </section>
  );
}

function ProposeAnother({ base, onDone }: { base: string; onDone(): void }) {
  const [title, setTitle] = useState('');
  const scheme = useSchemeInput();
  const action = useAction();
  const submit = async () => {
    const doc = scheme.parse();
    if (doc === undefined) return;
    const r = await action.run(() => api.post(`${base}/alternatives`, { title, text: '', scheme: doc }));
    if (r) {
      setTitle('');
      scheme.setText('');
      onDone();
    }
  };
  return (
    <details>
      <summary>{t('payProposeAnother')}</summary>
      <ActionForm
        label={t('payProposeAnother')}
        submit={t('propose')}
        action={action}
        fields={['title', 'scheme']}
        onSubmit={submit}
      >
        <Field
          label={t('motionTitle')}
          name="title"
          value={title}
          onChange={setTitle}
          required
          error={action.error}
        />
        <SchemeField input={scheme} error={action.error} />
      </ActionForm>
    </details>
  );
}
