// The pay scheme in a form (the pay page's proposal and a pay motion's further alternative; docs/WEB.md "Pay"):
// name, currency and base rate, the payment system and its bands, the grades, bonuses, the pay limits and the
// pension rule, money in the currency's major units. It starts from the current scheme; "Edit as JSON" shows the
// same document as text for those who prefer it. What is not yet a value is named before anything is sent.
import { useId, useState, type ReactNode } from 'react';
import type { SchemeDocument } from '../../core/pay/index.ts';
import { t, tDynamic, type StringKey } from '../strings.ts';
import { Field } from './form.tsx';
import {
  draftOf,
  DraftError,
  schemeOf,
  type Basis,
  type BonusRow,
  type SchemeDraft,
  type System,
} from './scheme-draft.ts';
import { Select } from './select.tsx';

export interface SchemeInput {
  draft: SchemeDraft;
  setDraft(d: SchemeDraft): void;
  json: string | null;
  setJson(text: string | null): void;
  problem: string | null;
  /** The scheme document, or undefined after showing what is not yet a value. */
  build(): SchemeDocument | undefined;
  /** Starts again from `doc`. */
  reset(doc: SchemeDocument | null): void;
}

export function useSchemeInput(initial: SchemeDocument | null): SchemeInput {
  const [draft, setDraft] = useState(() => draftOf(initial));
  /** The document as text while "Edit as JSON" is on; null while the form is shown. */
  const [json, setJson] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  return {
    draft,
    setDraft,
    json,
    setJson,
    problem,
    build() {
      try {
        const doc = json === null ? schemeOf(draft) : (JSON.parse(json) as SchemeDocument);
        setProblem(null);
        return doc;
      } catch (e) {
        if (e instanceof DraftError)
          setProblem(
            t(`schemeNot_${e.reason}`, { field: tDynamic(`schemeField_${lastName(e.field)}`, e.field) }),
          );
        else setProblem(t('paySchemeNotJson', { message: (e as Error).message }));
        return undefined;
      }
    },
    reset(doc) {
      setDraft(draftOf(doc));
      setJson(null);
      setProblem(null);
    },
  };
}

const lastName = (field: string) =>
  field
    .replace(/\[\d+\]/g, '')
    .split('.')
    .at(-1) ?? field;

const systems: System[] = ['time', 'piece', 'progressive-piece'];
const systemOptions = () => systems.map((s) => ({ value: s, label: tDynamic(`paySystem_${s}`, s) }));
const basisOptions = (none: StringKey) => [
  { value: '', label: t(none) },
  { value: 'hour', label: t('schemeBasis_hour') },
  { value: 'period', label: t('schemeBasis_period') },
];

/** A small input in a table cell, labelled for screen readers. */
function Cell(p: { label: string; value: string; onChange(v: string): void; inputMode?: 'decimal' }) {
  return (
    <input
      aria-label={p.label}
      value={p.value}
      inputMode={p.inputMode}
      onChange={(e) => p.onChange(e.target.value)}
    />
  );
}

/** Rows of a list the member can add to and remove from. */
function Rows<T>(p: {
  caption: string;
  heads: string[];
  rows: T[];
  set(rows: T[]): void;
  blank: T;
  add: string;
  cells(row: T, i: number, set: (row: T) => void): ReactNode[];
}) {
  const id = useId();
  return (
    <div className="scheme-rows">
      <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
        <table>
          <caption id={id}>{p.caption}</caption>
          <thead>
            <tr>
              {p.heads.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('schemeRemove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((row, i) => (
              <tr key={i}>
                {p
                  .cells(row, i, (r) => p.set(p.rows.map((x, j) => (j === i ? r : x))))
                  .map((c, k) => (
                    <td key={k}>{c}</td>
                  ))}
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`${t('schemeRemove')}: ${p.caption} ${i + 1}`}
                    onClick={() => p.set(p.rows.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="secondary" onClick={() => p.set([...p.rows, p.blank])}>
        {p.add}
      </button>
    </div>
  );
}

export function SchemeField({ input }: { input: SchemeInput }) {
  const d = input.draft;
  const set = (patch: Partial<SchemeDraft>) => input.setDraft({ ...d, ...patch });
  const money = (key: StringKey) => t(key, { currency: d.currency || '—' });
  const toggle = (
    <label className="check">
      <input
        type="checkbox"
        checked={input.json !== null}
        onChange={(e) => {
          if (e.target.checked) {
            let doc: SchemeDocument | null = null;
            try {
              doc = schemeOf(d);
            } catch {
              // half-typed: the text starts from the last whole document the member can see below
            }
            input.setJson(JSON.stringify(doc ?? {}, null, 2));
          } else {
            try {
              input.setDraft(draftOf(JSON.parse(input.json ?? '') as SchemeDocument));
              input.setJson(null);
            } catch {
              input.setJson(null);
            }
          }
        }}
      />{' '}
      {t('schemeAsJson')}
    </label>
  );
  const problem = input.problem && (
    <p className="error" role="alert">
      {input.problem}
    </p>
  );
  if (input.json !== null)
    return (
      <fieldset className="scheme-form">
        <legend>{t('payScheme')}</legend>
        {toggle}
        <Field
          label={t('paySchemeText')}
          hint={t('paySchemeHint')}
          name="scheme"
          value={input.json}
          onChange={input.setJson}
          multiline
          required
        />
        {problem}
      </fieldset>
    );
  return (
    <fieldset className="scheme-form">
      <legend>{t('payScheme')}</legend>
      {toggle}
      <Field
        label={t('schemeName')}
        name="scheme.name"
        value={d.name}
        onChange={(name) => set({ name })}
        required
      />
      <div className="field-row">
        <Field
          label={t('schemeCurrency')}
          hint={t('schemeCurrencyHint')}
          name="scheme.currency"
          value={d.currency}
          onChange={(currency) => set({ currency })}
          required
        />
        <Field
          label={money('schemeBaseRate')}
          hint={t('schemeBaseRateHint')}
          name="scheme.baseRate"
          value={d.baseRate}
          onChange={(baseRate) => set({ baseRate })}
          required
        />
      </div>
      <Select
        label={t('schemeSystem')}
        name="scheme.payment.system"
        value={d.system}
        options={systemOptions()}
        onChange={(v) => set({ system: v as System })}
      />
      {d.system === 'progressive-piece' && (
        <Rows
          caption={t('schemeBands')}
          heads={[t('schemeBandAbove'), t('schemeBandMultiplier')]}
          rows={d.bands}
          set={(bands) => set({ bands })}
          blank={{ above: '', multiplier: '' }}
          add={t('schemeAddBand')}
          cells={(b, i, s) => [
            <Cell
              label={`${t('schemeBandAbove')} ${i + 1}`}
              value={b.above}
              inputMode="decimal"
              onChange={(above) => s({ ...b, above })}
            />,
            <Cell
              label={`${t('schemeBandMultiplier')} ${i + 1}`}
              value={b.multiplier}
              inputMode="decimal"
              onChange={(multiplier) => s({ ...b, multiplier })}
            />,
          ]}
        />
      )}
      <Rows
        caption={t('payGrades')}
        heads={[t('payGrade'), t('schemeGradeName'), t('payCoefficient'), t('schemeGradeSystem')]}
        rows={d.grades}
        set={(grades) => set({ grades })}
        blank={{ id: String(d.grades.length + 1), name: '', coefficient: '1', system: '' }}
        add={t('schemeAddGrade')}
        cells={(g, i, s) => [
          <Cell label={`${t('payGrade')} ${i + 1}`} value={g.id} onChange={(id) => s({ ...g, id })} />,
          <Cell
            label={`${t('schemeGradeName')} ${i + 1}`}
            value={g.name}
            onChange={(name) => s({ ...g, name })}
          />,
          <Cell
            label={`${t('payCoefficient')} ${i + 1}`}
            value={g.coefficient}
            inputMode="decimal"
            onChange={(coefficient) => s({ ...g, coefficient })}
          />,
          <select
            aria-label={`${t('schemeGradeSystem')} ${i + 1}`}
            value={g.system}
            onChange={(e) => s({ ...g, system: e.target.value as System | '' })}
          >
            <option value="">{t('schemeSystemDefault')}</option>
            {systemOptions().map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>,
        ]}
      />
      <Rows<BonusRow>
        caption={t('schemeBonuses')}
        heads={[
          t('schemeBonusName'),
          t('schemeBonusKind'),
          t('schemeBonusValue'),
          t('schemeBonusMinOutput'),
          t('schemeBonusGrades'),
        ]}
        rows={d.bonuses}
        set={(bonuses) => set({ bonuses })}
        blank={{ name: '', kind: 'percent', value: '', minOutput: '', grades: '' }}
        add={t('schemeAddBonus')}
        cells={(b, i, s) => [
          <Cell
            label={`${t('schemeBonusName')} ${i + 1}`}
            value={b.name}
            onChange={(name) => s({ ...b, name })}
          />,
          <select
            aria-label={`${t('schemeBonusKind')} ${i + 1}`}
            value={b.kind}
            onChange={(e) => s({ ...b, kind: e.target.value as 'percent' | 'amount' })}
          >
            <option value="percent">{t('schemeBonusPercent')}</option>
            <option value="amount">{money('schemeBonusAmount')}</option>
          </select>,
          <Cell
            label={`${t('schemeBonusValue')} ${i + 1}`}
            value={b.value}
            inputMode="decimal"
            onChange={(value) => s({ ...b, value })}
          />,
          <Cell
            label={`${t('schemeBonusMinOutput')} ${i + 1}`}
            value={b.minOutput}
            inputMode="decimal"
            onChange={(minOutput) => s({ ...b, minOutput })}
          />,
          <Cell
            label={`${t('schemeBonusGrades')} ${i + 1}`}
            value={b.grades}
            onChange={(grades) => s({ ...b, grades })}
          />,
        ]}
      />
      <div className="field-row">
        <Select
          label={t('schemeMinimumPay')}
          name="scheme.minimumPay.basis"
          value={d.minimumPay.basis}
          options={basisOptions('schemeNoLimit')}
          onChange={(v) => set({ minimumPay: { ...d.minimumPay, basis: v as Basis } })}
        />
        {d.minimumPay.basis !== '' && (
          <Field
            label={money('schemeMinimumPayAmount')}
            name="scheme.minimumPay.amount"
            value={d.minimumPay.amount}
            onChange={(amount) => set({ minimumPay: { ...d.minimumPay, amount } })}
          />
        )}
      </div>
      <div className="field-row">
        <Select
          label={t('schemeMaximumPay')}
          name="scheme.maximumPay.basis"
          value={d.maximumPay.basis}
          options={basisOptions('schemeNoLimit')}
          onChange={(v) => set({ maximumPay: { ...d.maximumPay, basis: v as Basis } })}
        />
        {d.maximumPay.basis !== '' && (
          <Field
            label={money('schemeMaximumPayAmount')}
            name="scheme.maximumPay.amount"
            value={d.maximumPay.amount}
            onChange={(amount) => set({ maximumPay: { ...d.maximumPay, amount } })}
          />
        )}
      </div>
      <div className="field-row">
        <Select
          label={t('schemeRatioCap')}
          name="scheme.ratioCap.basis"
          value={d.ratioCap.basis}
          options={basisOptions('schemeNoLimit')}
          onChange={(v) => set({ ratioCap: { ...d.ratioCap, basis: v as Basis } })}
        />
        {d.ratioCap.basis !== '' && (
          <Field
            label={t('schemeRatio')}
            name="scheme.ratioCap.ratio"
            value={d.ratioCap.ratio}
            onChange={(ratio) => set({ ratioCap: { ...d.ratioCap, ratio } })}
          />
        )}
      </div>
      <PensionFields draft={d} set={set} />
      {problem}
    </fieldset>
  );
}

function PensionFields({ draft: d, set }: { draft: SchemeDraft; set(patch: Partial<SchemeDraft>): void }) {
  const p = d.pension;
  const setP = (patch: Partial<SchemeDraft['pension']>) => set({ pension: { ...p, ...patch } });
  const money = (key: StringKey) => t(key, { currency: d.currency || '—' });
  return (
    <fieldset>
      <legend>{t('schemePension')}</legend>
      <label className="check">
        <input type="checkbox" checked={p.on} onChange={(e) => setP({ on: e.target.checked })} />{' '}
        {t('schemePensionOn')}
      </label>
      {p.on && (
        <>
          <Rows
            caption={t('schemePensionBands')}
            heads={[money('schemePensionUpTo'), t('schemePensionRate')]}
            rows={p.bands}
            set={(bands) => setP({ bands })}
            blank={{ upTo: '', rate: '' }}
            add={t('schemeAddBand')}
            cells={(b, i, s) => [
              <Cell
                label={`${money('schemePensionUpTo')} ${i + 1}`}
                value={b.upTo}
                inputMode="decimal"
                onChange={(upTo) => s({ ...b, upTo })}
              />,
              <Cell
                label={`${t('schemePensionRate')} ${i + 1}`}
                value={b.rate}
                inputMode="decimal"
                onChange={(rate) => s({ ...b, rate })}
              />,
            ]}
          />
          <div className="field-row">
            <Field
              label={money('schemePensionMinimum')}
              name="scheme.pension.minimum"
              value={p.minimum}
              onChange={(minimum) => setP({ minimum })}
            />
            <Field
              label={money('schemePensionMaximum')}
              name="scheme.pension.maximum"
              value={p.maximum}
              onChange={(maximum) => setP({ maximum })}
            />
          </div>
          <div className="field-row">
            <Field
              label={t('schemeCareerPeriods')}
              name="scheme.pension.careerPeriods"
              value={p.careerPeriods}
              onChange={(careerPeriods) => setP({ careerPeriods })}
            />
            <Field
              label={t('schemeIndexation')}
              name="scheme.pension.indexationFactor"
              value={p.indexationFactor}
              onChange={(indexationFactor) => setP({ indexationFactor })}
            />
          </div>
        </>
      )}
    </fieldset>
  );
}
