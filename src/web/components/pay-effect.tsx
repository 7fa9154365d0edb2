// The projected effect of a pay motion, shown on its page before the vote (docs/WEB.md "Pay"): each proposed
// scheme against the council's current one on its workforce, and a form to propose another scheme.
import { useState } from 'react';
import type { SchemeDocument } from '../../core/pay/index.ts';
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
  current: { version: number; scheme: SchemeDocument } | null;
  replaced: boolean;
  workforce: { workers: number } | null;
  alternatives: {
    id: string;
    title: string;
    scheme: SchemeDocument;
    effect: EffectJson | null;
    report: ReportJson | null;
  }[];
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
                  <MeasuresTable
                    caption={t('effectProposedReport')}
                    currency={a.scheme.currency}
                    report={a.report}
                  />
                  <LorenzChart curves={[{ label: a.title, points: a.report.lorenz }]} />
                </>
              )}
            </article>
          ))}
        </>
      )}
      {p.beforeVote && e && (
        <ProposeAnother
          key={e.current?.version ?? 0}
          base={base}
          current={e.current?.scheme ?? null}
          onDone={() => {
            load.reload();
            p.onDone();
          }}
        />
      )}
    </section>
  );
}

function ProposeAnother(p: { base: string; current: SchemeDocument | null; onDone(): void }) {
  const [title, setTitle] = useState('');
  const scheme = useSchemeInput(p.current);
  const action = useAction();
  const submit = async () => {
    const doc = scheme.build();
    if (doc === undefined) return;
    const r = await action.run(() => api.post(`${p.base}/alternatives`, { title, text: '', scheme: doc }));
    if (r) {
      setTitle('');
      scheme.reset(p.current);
      p.onDone();
    }
  };
  return (
    <details>
      <summary>{t('payProposeAnother')}</summary>
      <ActionForm
        label={t('payProposeAnother')}
        submit={t('propose')}
        action={action}
        fields={['title']}
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
        <SchemeField input={scheme} />
      </ActionForm>
    </details>
  );
}
