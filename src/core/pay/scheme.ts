// The pay scheme as data (docs/PAY.md §"The scheme model"): the JSON document a council votes on, and the
// compiled form the payroll runs. Fractions are decimal strings; money is integer minor units.

/** The format identifier of version 1 of the scheme document. */
export const SCHEME_FORMAT = 'councils.pay-scheme/1';

/** Scales of the scaled integers the compiled scheme holds (docs/PAY.md §"Units"). */
export const FRACTION_PLACES = 4; // coefficients, multipliers, band edges, percents, ratios, rates, output
export const HOURS_PLACES = 2; // hours worked
export const FRACTION_SCALE = 10_000;
export const HOURS_SCALE = 100;

export type PaymentDocument =
  | { system: 'time' }
  | { system: 'piece' }
  | { system: 'progressive-piece'; bands: { above: string; multiplier: string }[] };

export interface GradeDocument {
  id: string;
  name?: string;
  coefficient: string;
  payment?: PaymentDocument;
}

export interface BonusDocument {
  name: string;
  /** Percent of earnings (basic or piecework pay), e.g. "10" — exactly one of percent and amount. */
  percent?: string;
  /** A fixed amount in minor units per worker and period. */
  amount?: number;
  /** Only these grades receive it (all when absent). */
  grades?: string[];
  /** Only workers whose output reaches this fraction of the norm, e.g. "1" (all when absent). */
  minOutput?: string;
}

export interface LimitDocument {
  amount: number;
  basis: 'period' | 'hour';
}

export interface RatioCapDocument {
  /** Highest pay may be at most `ratio` × the lowest pay, e.g. "4". */
  ratio: string;
  basis: 'period' | 'hour';
}

export interface PensionDocument {
  /** Marginal replacement rates over the period's pay; `upTo` in minor units, the last band has upTo null. */
  bands: { upTo: number | null; rate: string }[];
  minimum: number;
  maximum?: number | null;
  /** Periods of a full career: a period's accrual is its replacement amount ÷ careerPeriods. */
  careerPeriods: number;
  /** The factor of one indexation step, e.g. "1.03". */
  indexationFactor: string;
}

export interface SchemeDocument {
  format: typeof SCHEME_FORMAT;
  id: string;
  version: number;
  name: string;
  currency: { code: string; minorDigits: number };
  /** Minor units per hour for coefficient 1. */
  baseRate: number;
  grades: GradeDocument[];
  payment: PaymentDocument;
  bonuses?: BonusDocument[];
  minimumPay?: LimitDocument | null;
  maximumPay?: LimitDocument | null;
  ratioCap?: RatioCapDocument | null;
  pension?: PensionDocument | null;
}

/** Payment systems of the compiled scheme; bands are scaled by FRACTION_SCALE. */
export interface CompiledPayment {
  readonly system: 'time' | 'piece' | 'progressive-piece';
  /** Lower edges of the bands as excess over the norm (0 = at the norm), ascending, first is 0. */
  readonly above: readonly number[];
  readonly multiplier: readonly number[];
}

export interface CompiledBonus {
  readonly name: string;
  readonly percent: number | null; // scaled by FRACTION_SCALE
  readonly amount: number | null;
  readonly grades: ReadonlySet<string> | null;
  readonly minOutput: number | null; // scaled by FRACTION_SCALE
}

export interface CompiledLimit {
  readonly amount: number;
  readonly basis: 'period' | 'hour';
}

export interface CompiledPension {
  readonly upTo: readonly (number | null)[];
  readonly rate: readonly number[]; // scaled by FRACTION_SCALE
  readonly minimum: number;
  readonly maximum: number | null;
  readonly careerPeriods: number;
  readonly indexationFactor: number; // scaled by FRACTION_SCALE
}

/** A validated scheme: the document as adopted plus the scaled integers the payroll uses. */
export interface Scheme {
  readonly document: SchemeDocument;
  readonly id: string;
  readonly version: number;
  readonly currency: { readonly code: string; readonly minorDigits: number };
  readonly baseRate: number;
  readonly gradeIds: readonly string[];
  readonly coefficient: readonly number[]; // scaled by FRACTION_SCALE, parallel to gradeIds
  readonly payment: readonly CompiledPayment[]; // parallel to gradeIds (grade override or the default)
  readonly bonuses: readonly CompiledBonus[];
  readonly minimumPay: CompiledLimit | null;
  readonly maximumPay: CompiledLimit | null;
  readonly ratioCap: { readonly ratio: number; readonly basis: 'period' | 'hour' } | null;
  readonly pension: CompiledPension | null;
}
