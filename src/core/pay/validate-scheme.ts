// validateScheme: untrusted JSON → a compiled Scheme, or a SchemeError naming the field (docs/PAY.md §"Validation").
import {
  absent,
  join,
  readArray,
  readDecimal,
  readEnum,
  readInteger,
  readObject,
  readString,
  type Json,
} from './document-reader.ts';
import { SchemeError } from './errors.ts';
import { validatePension } from './validate-pension.ts';
import {
  FRACTION_PLACES as P,
  FRACTION_SCALE as ONE,
  SCHEME_FORMAT,
  type CompiledBonus,
  type CompiledLimit,
  type CompiledPayment,
  type Scheme,
  type SchemeDocument,
} from './scheme.ts';

const MAX_GRADES = 65_535; // grades are indexed by Uint16Array in the worker table
const MAX_FACTOR = 1_000 * ONE; // coefficients, multipliers and ratios above 1000 are typos, not policy

const TOP_KEYS = [
  'format',
  'id',
  'version',
  'name',
  'currency',
  'baseRate',
  'grades',
  'payment',
  'bonuses',
  'minimumPay',
  'maximumPay',
  'ratioCap',
  'pension',
];

/** Validates a scheme document (parsed JSON) and compiles it. Throws SchemeError with the field's path. */
export function validateScheme(input: unknown): Scheme {
  const doc = readObject(input, '', TOP_KEYS);
  if (doc.format !== SCHEME_FORMAT)
    throw new SchemeError('format', 'scheme_format', { format: SCHEME_FORMAT });
  const id = readString(doc.id, 'id');
  const version = readInteger(doc.version, 'version', 1);
  readString(doc.name, 'name');
  const cur = readObject(doc.currency, 'currency', ['code', 'minorDigits']);
  const code = readString(cur.code, 'currency.code', 8);
  const minorDigits = readInteger(cur.minorDigits, 'currency.minorDigits', 0, 4);
  const baseRate = readInteger(doc.baseRate, 'baseRate', 1, 1e12);
  const fallback = readPayment(doc.payment, 'payment');
  const { gradeIds, coefficient, payment } = readGrades(doc.grades, fallback);
  const bonuses = readBonuses(doc.bonuses, new Set(gradeIds));
  const minimumPay = readLimit(doc.minimumPay, 'minimumPay');
  const maximumPay = readLimit(doc.maximumPay, 'maximumPay');
  if (
    minimumPay &&
    maximumPay &&
    minimumPay.basis === maximumPay.basis &&
    maximumPay.amount < minimumPay.amount
  ) {
    throw new SchemeError('maximumPay.amount', 'scheme_max_below_min');
  }
  const ratioCap = readRatioCap(doc, minimumPay);
  const pension = absent(doc.pension) ? null : validatePension(doc.pension, 'pension');
  const document = structuredClone(doc) as unknown as SchemeDocument;
  return {
    document,
    id,
    version,
    currency: { code, minorDigits },
    baseRate,
    gradeIds,
    coefficient,
    payment,
    bonuses,
    minimumPay,
    maximumPay,
    ratioCap,
    pension,
  };
}

function readGrades(value: unknown, fallback: CompiledPayment) {
  const list = readArray(value, 'grades', 1);
  if (list.length > MAX_GRADES) throw new SchemeError('grades', 'scheme_grades_many', { max: MAX_GRADES });
  const gradeIds: string[] = [];
  const coefficient: number[] = [];
  const payment: CompiledPayment[] = [];
  list.forEach((g, i) => {
    const path = join('grades', i);
    const grade = readObject(g, path, ['id', 'name', 'coefficient', 'payment']);
    const id = readString(grade.id, join(path, 'id'), 64);
    if (gradeIds.includes(id)) throw new SchemeError(join(path, 'id'), 'scheme_grade_twice', { id });
    if (grade.name !== undefined) readString(grade.name, join(path, 'name'));
    gradeIds.push(id);
    coefficient.push(readDecimal(grade.coefficient, join(path, 'coefficient'), P, 1, MAX_FACTOR));
    payment.push(grade.payment === undefined ? fallback : readPayment(grade.payment, join(path, 'payment')));
  });
  return { gradeIds, coefficient, payment };
}

function readPayment(value: unknown, path: string): CompiledPayment {
  const system = readEnum(readObject(value, path, ['system', 'bands']).system, join(path, 'system'), [
    'time',
    'piece',
    'progressive-piece',
  ] as const);
  const doc = value as Json;
  if (system !== 'progressive-piece') {
    if (doc.bands !== undefined)
      throw new SchemeError(join(path, 'bands'), 'scheme_bands_not_allowed', { system });
    return { system, above: [], multiplier: [] };
  }
  const bands = readArray(doc.bands, join(path, 'bands'), 1);
  const above: number[] = [];
  const multiplier: number[] = [];
  bands.forEach((b, i) => {
    const bp = join(join(path, 'bands'), i);
    const band = readObject(b, bp, ['above', 'multiplier']);
    const edge = readDecimal(band.above, join(bp, 'above'), P, 0, MAX_FACTOR);
    if (i === 0 && edge !== 0) throw new SchemeError(join(bp, 'above'), 'scheme_first_band');
    const prev = above[i - 1];
    if (prev !== undefined && edge <= prev) throw new SchemeError(join(bp, 'above'), 'scheme_edges_increase');
    above.push(edge);
    multiplier.push(readDecimal(band.multiplier, join(bp, 'multiplier'), P, 1, MAX_FACTOR));
  });
  return { system, above, multiplier };
}

function readBonuses(value: unknown, grades: ReadonlySet<string>): CompiledBonus[] {
  if (absent(value)) return [];
  return readArray(value, 'bonuses', 0).map((b, i) => {
    const path = join('bonuses', i);
    const bonus = readObject(b, path, ['name', 'percent', 'amount', 'grades', 'minOutput']);
    const name = readString(bonus.name, join(path, 'name'));
    if ((bonus.percent === undefined) === (bonus.amount === undefined)) {
      throw new SchemeError(path, 'scheme_percent_or_amount');
    }
    const percent =
      bonus.percent === undefined
        ? null
        : readDecimal(bonus.percent, join(path, 'percent'), P, 0, 1000 * ONE);
    const amount =
      bonus.amount === undefined ? null : readInteger(bonus.amount, join(path, 'amount'), 0, 1e12);
    let only: Set<string> | null = null;
    if (bonus.grades !== undefined) {
      only = new Set();
      readArray(bonus.grades, join(path, 'grades'), 1).forEach((g, j) => {
        const id = readString(g, join(join(path, 'grades'), j), 64);
        if (!grades.has(id))
          throw new SchemeError(join(join(path, 'grades'), j), 'scheme_unknown_grade', { id });
        only?.add(id);
      });
    }
    const minOutput =
      bonus.minOutput === undefined
        ? null
        : readDecimal(bonus.minOutput, join(path, 'minOutput'), P, 0, MAX_FACTOR);
    return { name, percent, amount, grades: only, minOutput };
  });
}

function readLimit(value: unknown, path: string): CompiledLimit | null {
  if (absent(value)) return null;
  const limit = readObject(value, path, ['amount', 'basis']);
  const amount = readInteger(limit.amount, join(path, 'amount'), 0, 1e12);
  return { amount, basis: readEnum(limit.basis, join(path, 'basis'), ['period', 'hour'] as const) };
}

function readRatioCap(doc: Json, minimumPay: CompiledLimit | null): Scheme['ratioCap'] {
  if (absent(doc.ratioCap)) return null;
  const cap = readObject(doc.ratioCap, 'ratioCap', ['ratio', 'basis']);
  const ratio = readDecimal(cap.ratio, 'ratioCap.ratio', P, ONE, MAX_FACTOR);
  const basis = readEnum(cap.basis, 'ratioCap.basis', ['period', 'hour'] as const);
  // The cap is ratio × the lowest pay; a zero lowest pay would cap everyone at zero, so a positive minimum
  // pay on the same basis is required (docs/PAY.md §"Ratio cap").
  if (minimumPay === null || minimumPay.amount === 0 || minimumPay.basis !== basis) {
    throw new SchemeError('ratioCap', 'scheme_ratio_cap', { basis });
  }
  return { ratio, basis };
}
