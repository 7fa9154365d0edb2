// A pay scheme as the form edits it (docs/WEB.md "Pay"): money in major units as typed ("2,75" or "2.75"), every
// number as text, so a half-typed value is never lost; turned into the scheme document (docs/PAY.md "The scheme
// model", money in integer minor units) only when the motion is moved. Pure: no React, no DOM.
import type { SchemeDocument } from '../../core/pay/index.ts';

export type System = 'time' | 'piece' | 'progressive-piece';
export type Basis = '' | 'hour' | 'period';

export interface Band {
  above: string;
  multiplier: string;
}

export interface GradeRow {
  id: string;
  name: string;
  coefficient: string;
  /** '' = the scheme's default payment system. */
  system: '' | System;
  /** A grade's own progressive bands, kept as they were (the form sets a grade's system, not its bands). */
  bands?: Band[];
}

export interface BonusRow {
  name: string;
  kind: 'percent' | 'amount';
  /** A percent ("10"), or an amount in major units. */
  value: string;
  minOutput: string;
  /** Grade ids separated by commas; '' = every grade. */
  grades: string;
}

export interface PensionBandRow {
  /** Major units; '' = no upper edge (the last band). */
  upTo: string;
  rate: string;
}

export interface SchemeDraft {
  id: string;
  version: number;
  name: string;
  currency: string;
  minorDigits: number;
  baseRate: string;
  system: System;
  bands: Band[];
  grades: GradeRow[];
  bonuses: BonusRow[];
  minimumPay: { amount: string; basis: Basis };
  maximumPay: { amount: string; basis: Basis };
  ratioCap: { ratio: string; basis: Basis };
  pension: {
    on: boolean;
    bands: PensionBandRow[];
    minimum: string;
    maximum: string;
    careerPeriods: string;
    indexationFactor: string;
  };
}

/** Why the draft is not a scheme yet: the form's field (as the API names it) and the catalogue's reason. */
export class DraftError extends Error {
  constructor(
    readonly field: string,
    readonly reason: 'amount' | 'number' | 'integer',
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Minor units as a major-units decimal ("27500", 2 → "275.00"); exact, no floating point. */
export function toMajor(minor: number, minorDigits: number): string {
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(minorDigits + 1, '0');
  const cut = digits.length - minorDigits;
  const body = minorDigits ? `${digits.slice(0, cut)}.${digits.slice(cut)}` : digits;
  return neg ? `-${body}` : body;
}

/** A typed amount in major units ("2,75", "2.75", "3") as integer minor units; null when it is not one. */
export function toMinor(typed: string, minorDigits: number): number | null {
  const m = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(typed);
  if (!m || (m[2] ?? '').length > minorDigits) return null;
  const n = Number(m[1]! + (m[2] ?? '').padEnd(minorDigits, '0'));
  return Number.isSafeInteger(n) ? n : null;
}

const blankDraft = (): SchemeDraft => ({
  id: 'pay-scheme',
  version: 1,
  name: '',
  currency: 'EUR',
  minorDigits: 2,
  baseRate: '',
  system: 'time',
  bands: [],
  grades: [{ id: '1', name: '', coefficient: '1', system: '' }],
  bonuses: [],
  minimumPay: { amount: '', basis: '' },
  maximumPay: { amount: '', basis: '' },
  ratioCap: { ratio: '', basis: '' },
  pension: { on: false, bands: [], minimum: '', maximum: '', careerPeriods: '', indexationFactor: '1' },
});

/** The form's starting point: the current scheme, as its next version; a blank scheme when there is none. */
export function draftOf(doc: SchemeDocument | null): SchemeDraft {
  if (doc === null) return blankDraft();
  const d = doc.currency.minorDigits;
  const major = (n: number | null | undefined) => (n === null || n === undefined ? '' : toMajor(n, d));
  const limit = (l: SchemeDocument['minimumPay']) => ({
    amount: major(l?.amount),
    basis: (l?.basis ?? '') as Basis,
  });
  const bandsOf = (p: SchemeDocument['payment']) => (p.system === 'progressive-piece' ? p.bands : []);
  return {
    id: doc.id,
    version: doc.version + 1,
    name: doc.name,
    currency: doc.currency.code,
    minorDigits: d,
    baseRate: major(doc.baseRate),
    system: doc.payment.system,
    bands: bandsOf(doc.payment).map((b) => ({ ...b })),
    grades: doc.grades.map((g) => ({
      id: g.id,
      name: g.name ?? '',
      coefficient: g.coefficient,
      system: g.payment?.system ?? '',
      ...(g.payment?.system === 'progressive-piece' ? { bands: g.payment.bands } : {}),
    })),
    bonuses: (doc.bonuses ?? []).map((b) => ({
      name: b.name,
      kind: b.percent !== undefined ? 'percent' : 'amount',
      value: b.percent ?? major(b.amount),
      minOutput: b.minOutput ?? '',
      grades: (b.grades ?? []).join(', '),
    })),
    minimumPay: limit(doc.minimumPay),
    maximumPay: limit(doc.maximumPay),
    ratioCap: { ratio: doc.ratioCap?.ratio ?? '', basis: doc.ratioCap?.basis ?? '' },
    pension: doc.pension
      ? {
          on: true,
          bands: doc.pension.bands.map((b) => ({ upTo: major(b.upTo), rate: b.rate })),
          minimum: major(doc.pension.minimum),
          maximum: major(doc.pension.maximum),
          careerPeriods: String(doc.pension.careerPeriods),
          indexationFactor: doc.pension.indexationFactor,
        }
      : blankDraft().pension,
  };
}

/** The scheme document the draft describes (the server validates it); DraftError names a field not yet a value. */
export function schemeOf(x: SchemeDraft): SchemeDocument {
  const money = (typed: string, field: string) => {
    const n = toMinor(typed, x.minorDigits);
    if (n === null) throw new DraftError(field, 'amount');
    return n;
  };
  const decimal = (typed: string, field: string) => {
    const s = typed.trim().replace(',', '.');
    if (!/^\d+(\.\d+)?$/.test(s)) throw new DraftError(field, 'number');
    return s;
  };
  const limit = (l: { amount: string; basis: Basis }, field: string) =>
    l.basis === '' ? null : { amount: money(l.amount, `${field}.amount`), basis: l.basis };
  const payment = (system: System, bands: Band[], field: string): SchemeDocument['payment'] =>
    system === 'progressive-piece'
      ? {
          system,
          bands: bands.map((b, i) => ({
            above: decimal(b.above, `${field}.bands[${i}].above`),
            multiplier: decimal(b.multiplier, `${field}.bands[${i}].multiplier`),
          })),
        }
      : { system };
  const p = x.pension;
  const career = Number(p.careerPeriods);
  if (p.on && !(Number.isSafeInteger(career) && /^\d+$/.test(p.careerPeriods.trim())))
    throw new DraftError('scheme.pension.careerPeriods', 'integer');
  return {
    format: 'councils.pay-scheme/1',
    id: x.id,
    version: x.version,
    name: x.name.trim(),
    currency: { code: x.currency.trim().toUpperCase(), minorDigits: x.minorDigits },
    baseRate: money(x.baseRate, 'scheme.baseRate'),
    grades: x.grades.map((g, i) => ({
      id: g.id.trim(),
      ...(g.name.trim() ? { name: g.name.trim() } : {}),
      coefficient: decimal(g.coefficient, `scheme.grades[${i}].coefficient`),
      ...(g.system === ''
        ? {}
        : { payment: payment(g.system, g.bands ?? [], `scheme.grades[${i}].payment`) }),
    })),
    payment: payment(x.system, x.bands, 'scheme.payment'),
    bonuses: x.bonuses.map((b, i) => {
      const grades = b.grades
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return {
        name: b.name.trim(),
        ...(b.kind === 'percent'
          ? { percent: decimal(b.value, `scheme.bonuses[${i}].percent`) }
          : { amount: money(b.value, `scheme.bonuses[${i}].amount`) }),
        ...(grades.length ? { grades } : {}),
        ...(b.minOutput.trim() ? { minOutput: decimal(b.minOutput, `scheme.bonuses[${i}].minOutput`) } : {}),
      };
    }),
    minimumPay: limit(x.minimumPay, 'scheme.minimumPay'),
    maximumPay: limit(x.maximumPay, 'scheme.maximumPay'),
    ratioCap:
      x.ratioCap.basis === ''
        ? null
        : { ratio: decimal(x.ratioCap.ratio, 'scheme.ratioCap.ratio'), basis: x.ratioCap.basis },
    pension: p.on
      ? {
          bands: p.bands.map((b, i) => ({
            upTo: b.upTo.trim() === '' ? null : money(b.upTo, `scheme.pension.bands[${i}].upTo`),
            rate: decimal(b.rate, `scheme.pension.bands[${i}].rate`),
          })),
          minimum: money(p.minimum, 'scheme.pension.minimum'),
          maximum: p.maximum.trim() === '' ? null : money(p.maximum, 'scheme.pension.maximum'),
          careerPeriods: career,
          indexationFactor: decimal(p.indexationFactor, 'scheme.pension.indexationFactor'),
        }
      : null,
  };
}
