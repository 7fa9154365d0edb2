// A council's pay (docs/WEB.md "Pay"): the current scheme and every adopted version, the pay motions, the
// workforce import, the payroll of a period with its inequality report and Lorenz chart, and proposing a new
// scheme (a pay motion). What is shown of individual pay is the constitution's decision (the server enforces it).
import { useState } from 'react';
import type { SchemeDocument } from '../../core/pay/index.ts';
import { api } from '../api.ts';
import { ActionForm, Field, Loading, Reveal, useAction, useLoad } from '../components/form.tsx';
import {
  LorenzChart,
  MeasuresTable,
  money,
  ScrollTable,
  WithheldNote,
  type Currency,
  type ReportJson,
  type WithheldJson,
} from '../components/pay-report.tsx';
import { MoreButton, usePages } from '../components/pages.tsx';
import { SchemeField, useSchemeInput } from '../components/scheme-field.tsx';
import { stateName } from '../names.ts';
import { Link, navigate } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { useDirectory } from '../power/directory.ts';
import { formatDate, t, tDynamic } from '../strings.ts';

type SchemeDoc = SchemeDocument;

interface Adopted {
  version: number;
  scheme: SchemeDoc;
  motionId: string;
  adoptedAt: string;
}

interface Import {
  seq: number;
  sha256: string;
  workers: number;
  importedAt: string;
}

interface Overview {
  visibility: 'individuals' | 'aggregates';
  minimumGroup: number;
  current: Adopted | null;
  history: Adopted[];
  workforce: Import | null;
  imports: Import[];
  motions: { id: string; title: string; state: string; movedAt: string }[];
}

interface Payslip {
  id: string;
  grade: string;
  hours: string;
  output: string;
  pay: number;
  adjustment: string;
  pensionAccrual: number;
}

interface PayrollJson {
  period: string;
  version: number;
  count: number;
  /** Below the minimum group only the count is given (docs/PAY.md "Minimum group"). */
  withheld?: WithheldJson;
  totalPay: string;
  totalPensionAccrual: string;
  scheme: { currency: Currency };
  report: ReportJson;
  /** A page of them (100), and the cursor of the next (GET …/payroll?period=&after=). */
  payslips?: Payslip[];
  payslipsNext?: string | null;
  /** The workforce file the run is of: a payslips cursor names it (the start of its hash) before the worker. */
  workforce: Import;
}

export function PayPage({ id }: { id: string }) {
  const { me, org } = useSignedIn();
  const names = useDirectory(org).data;
  const base = `/orgs/${encodeURIComponent(org.id)}/councils/${encodeURIComponent(id)}/pay`;
  const overview = useLoad(() => api.get<Overview>(base), [base]);
  const o = overview.data;
  if (!o) return <Loading error={overview.error} />;
  const mine =
    me.member.baseCouncilIds.includes(id) ||
    me.mandates.some((m) => m.councilId === id && m.endedAt === null);
  const individuals = o.visibility === 'individuals';
  return (
    <>
      <p className="crumbs">
        <Link href={`/councils/${encodeURIComponent(id)}`}>{names.council(id)}</Link>
      </p>
      <h1 tabIndex={-1}>{t('payTitle', { council: names.council(id) })}</h1>
      <p className="hint">
        {individuals
          ? t('payVisibilityIndividuals')
          : `${t('payVisibilityAggregates')} ${t('payMinimumGroupNote', { n: o.minimumGroup })}`}
      </p>

      <section aria-labelledby="pay-current">
        <h2 id="pay-current">{t('payCurrent')}</h2>
        {o.current ? <SchemeSummary adopted={o.current} /> : <p>{t('payNoScheme')}</p>}
      </section>

      <section aria-labelledby="pay-motions">
        <h2 id="pay-motions">{t('payMotions')}</h2>
        {o.motions.length === 0 ? (
          <p>{t('noMotions')}</p>
        ) : (
          <ul className="motions">
            {o.motions.map((m) => (
              <li key={m.id}>
                <Link href={`/motions/${encodeURIComponent(m.id)}`}>{m.title}</Link>{' '}
                <span className={`badge state-${m.state}`}>{stateName(m.state)}</span>{' '}
                <span className="hint">{formatDate(m.movedAt)}</span>
              </li>
            ))}
          </ul>
        )}
        {mine && (
          <Reveal label={t('payPropose')}>
            <ProposeSchemeForm base={base} current={o.current} />
          </Reveal>
        )}
      </section>

      <section aria-labelledby="pay-workforce">
        <h2 id="pay-workforce">{t('payWorkforce')}</h2>
        {o.workforce ? (
          <p>
            {t('payWorkforceLine', { count: o.workforce.workers, date: formatDate(o.workforce.importedAt) })}{' '}
            <span className="hint">
              SHA-256 <code className="hash">{o.workforce.sha256}</code>
            </span>
          </p>
        ) : (
          <p>{t('payNoWorkforce')}</p>
        )}
        <p className="hint">{t('payWorkforcePrivate')}</p>
        {mine && <ImportForm base={base} onDone={overview.reload} />}
      </section>

      {o.current && o.workforce && <PayrollSection base={base} individuals={individuals} />}

      <section aria-labelledby="pay-history">
        <h2 id="pay-history">{t('payHistory')}</h2>
        {o.history.length === 0 ? (
          <p>{t('payNoScheme')}</p>
        ) : (
          <ol className="plain">
            {o.history.map((a) => (
              <li key={a.version}>
                {t('payVersionLine', {
                  version: a.version,
                  name: a.scheme.name,
                  date: formatDate(a.adoptedAt),
                })}{' '}
                <Link href={`/motions/${encodeURIComponent(a.motionId)}`}>{t('payByMotion')}</Link>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function SchemeSummary({ adopted }: { adopted: Adopted }) {
  const s = adopted.scheme;
  return (
    <>
      <p>
        <strong>{s.name}</strong>{' '}
        <span className="badge">{t('payVersion', { version: adopted.version })}</span>{' '}
        <span className="hint">{t('payAdoptedOn', { date: formatDate(adopted.adoptedAt) })}</span>
      </p>
      <p>
        {t('payBaseRate', { rate: money(s.baseRate, s.currency) })} ·{' '}
        {t('paySystem', { system: tDynamic(`paySystem_${s.payment.system}`, s.payment.system) })}
      </p>
      <ScrollTable caption={t('payGrades')}>
        <thead>
          <tr>
            <th scope="col">{t('payGrade')}</th>
            <th scope="col">{t('payCoefficient')}</th>
            <th scope="col">{t('payHourly')}</th>
          </tr>
        </thead>
        <tbody>
          {s.grades.map((g) => (
            <tr key={g.id}>
              <th scope="row">{g.name ? `${g.id} — ${g.name}` : g.id}</th>
              <td>{g.coefficient}</td>
              <td>{money(Math.round(s.baseRate * Number(g.coefficient)), s.currency)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <details>
        <summary>{t('paySchemeJson')}</summary>
        <pre className="scheme-json">{JSON.stringify(s, null, 2)}</pre>
      </details>
    </>
  );
}

function ImportForm({ base, onDone }: { base: string; onDone(): void }) {
  const [text, setText] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() => api.upload<{ workers: number }>(`${base}/workforce`, text, 'text/csv'));
    if (r) {
      setDone(t('payImported', { count: r.workers }));
      onDone();
    }
  };
  return (
    <ActionForm
      label={t('payImport')}
      submit={t('payImportSubmit')}
      action={action}
      fields={['csv']}
      onSubmit={submit}
    >
      <div className="field">
        <label htmlFor="workforce-file">{t('payImportFile')}</label>
        <p className="hint" id="workforce-file-hint">
          {t('payImportHint')}
        </p>
        <input
          id="workforce-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="workforce-file-hint"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void f.text().then(setText);
          }}
        />
      </div>
      <Field
        label={t('payImportText')}
        name="csv"
        value={text}
        onChange={setText}
        multiline
        error={action.error}
      />
      {done && <p role="status">{done}</p>}
    </ActionForm>
  );
}

function PayrollSection({ base, individuals }: { base: string; individuals: boolean }) {
  const [period, setPeriod] = useState(new Date().toISOString().slice(0, 7));
  const [result, setResult] = useState<PayrollJson | null>(null);
  const action = useAction();
  const run = async () => {
    const r = await action.run(() =>
      api.get<PayrollJson>(`${base}/payroll?period=${encodeURIComponent(period)}`),
    );
    if (r) setResult(r);
  };
  const csv = (part: string) =>
    `/api/v1${base}/payroll?period=${encodeURIComponent(period)}&format=csv&part=${part}`;
  return (
    <section aria-labelledby="pay-payroll">
      <h2 id="pay-payroll">{t('payPayroll')}</h2>
      <ActionForm
        label={t('payPayroll')}
        submit={t('payRun')}
        action={action}
        fields={['period']}
        onSubmit={run}
      >
        <Field label={t('payPeriod')} name="period" value={period} onChange={setPeriod} required />
      </ActionForm>
      {result?.withheld && (
        <div className="payroll" aria-live="polite">
          <p>{t('payrollSummaryWithheld', { count: result.count, version: result.version })}</p>
          <WithheldNote count={result.count} withheld={result.withheld} />
        </div>
      )}
      {result && !result.withheld && (
        <div className="payroll" aria-live="polite">
          <p>
            {t('payrollSummary', {
              count: result.count,
              total: money(result.totalPay, result.scheme.currency),
              pension: money(result.totalPensionAccrual, result.scheme.currency),
              version: result.version,
            })}
          </p>
          <MeasuresTable
            caption={t('payReport', { period: result.period })}
            currency={result.scheme.currency}
            report={result.report}
          />
          <LorenzChart
            curves={[
              { label: t('payLorenzPeriod', { period: result.period }), points: result.report.lorenz },
            ]}
          />
          <p className="toolbar">
            <a href={csv('report')} download>
              {t('payDownloadReport')}
            </a>
            {individuals && (
              <a href={csv('payslips')} download>
                {t('payDownloadPayslips')}
              </a>
            )}
          </p>
          {result.payslips && <Payslips base={base} result={result} payslips={result.payslips} />}
        </div>
      )}
    </section>
  );
}

/** The payslips a page at a time: the first came with the payroll, "More" fetches the next. */
function Payslips({ base, result, payslips }: { base: string; result: PayrollJson; payslips: Payslip[] }) {
  const currency = result.scheme.currency;
  const payroll = `${base}/payroll?period=${encodeURIComponent(result.period)}`;
  const more = usePages<Payslip>(
    (after) =>
      api
        .get<PayrollJson>(after === null ? payroll : `${payroll}&after=${encodeURIComponent(after)}`)
        .then((p) => ({ items: p.payslips ?? [], next: p.payslipsNext ?? null })),
    [payroll],
    {
      page: { items: payslips, next: result.payslipsNext ?? null },
      cursorOf: (p) => `${result.workforce.sha256.slice(0, 16)}~${p.id}`,
    },
  );
  const list = more.items ?? payslips;
  return (
    <>
      <ScrollTable
        caption={
          more.next !== null
            ? t('payPayslipsFirst', { shown: list.length, count: result.count })
            : t('payPayslips')
        }
      >
        <thead>
          <tr>
            <th scope="col">{t('payWorker')}</th>
            <th scope="col">{t('payGrade')}</th>
            <th scope="col">{t('payHours')}</th>
            <th scope="col">{t('payOutput')}</th>
            <th scope="col">{t('payPay')}</th>
            <th scope="col">{t('payPension')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.id}</th>
              <td>{p.grade}</td>
              <td>{p.hours}</td>
              <td>{p.output}</td>
              <td>{money(p.pay, currency)}</td>
              <td>{money(p.pensionAccrual, currency)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <MoreButton pages={more} />
    </>
  );
}

function ProposeSchemeForm({ base, current }: { base: string; current: Adopted | null }) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const scheme = useSchemeInput(current ? current.scheme : null);
  const action = useAction();
  const submit = async () => {
    const doc = scheme.build();
    if (doc === undefined) return;
    const r = await action.run(() =>
      api.post<{ motionId: string }>(`${base}/motions`, { title, text, scheme: doc }),
    );
    if (r) navigate(`/motions/${encodeURIComponent(r.motionId)}`);
  };
  return (
    <ActionForm
      label={t('payPropose')}
      submit={t('payProposeSubmit')}
      action={action}
      fields={['title', 'text']}
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
      <Field
        label={t('motionText')}
        name="text"
        value={text}
        onChange={setText}
        multiline
        error={action.error}
      />
      <SchemeField input={scheme} />
    </ActionForm>
  );
}
