// Response schemas of pay and pensions (src/server/routes/pay.ts, docs/PAY.md "Over the API"). A scheme is
// described by docs/PAY.md and validated by src/core/pay, so it stays open here; every other object is closed.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Count, Nullable, Obj, Open, Time } from './common.ts';

const Scheme = Open('a pay scheme (docs/PAY.md "Schemes")');
const Decimal = Type.String({ description: 'an exact decimal or integer in minor units' });

export const AdoptedScheme = Obj({
  version: Count,
  scheme: Scheme,
  motionId: Type.String(),
  alternativeId: Type.String(),
  adoptedAt: Time,
});
export type AdoptedScheme = Static<typeof AdoptedScheme>;

export const WorkforceImport = Obj({
  seq: Count,
  sha256: Type.String(),
  workers: Count,
  importedBy: Nullable(Type.String()),
  importedAt: Time,
});
export type WorkforceImport = Static<typeof WorkforceImport>;

export const PayOverview = Obj({
  councilId: Type.String(),
  visibility: Type.Union([Type.Literal('individuals'), Type.Literal('aggregates')]),
  minimumGroup: Count,
  current: Nullable(AdoptedScheme),
  history: Type.Array(AdoptedScheme),
  workforce: Nullable(WorkforceImport),
  imports: Type.Array(WorkforceImport),
  motions: Type.Array(Obj({ id: Type.String(), title: Type.String(), state: Type.String(), movedAt: Time })),
});
export type PayOverview = Static<typeof PayOverview>;

export const PayMotionMoved = Obj({
  motionId: Nullable(Type.String()),
  seq: Nullable(Count),
  acts: Type.Array(Type.String()),
});
export type PayMotionMoved = Static<typeof PayMotionMoved>;

export const WorkforceImported = Obj({ seq: Count, sha256: Type.String(), workers: Count });
export type WorkforceImported = Static<typeof WorkforceImported>;

const Currency = Obj({ code: Type.String(), minorDigits: Count });
const Withheld = Obj({ reason: Type.String(), minimumGroup: Count, message: Type.String() });
/** One value per measure of src/core/pay/inequality.ts MEASURES (the presenters' types check the names). */
const measures = <T extends TSchema>(value: T) =>
  Obj({
    mean: value,
    median: value,
    p10: value,
    p90: value,
    gini: value,
    palma: value,
    p90p10: value,
    top10Share: value,
    bottom40Share: value,
    highestLowest: value,
  });
const Measures = measures(Nullable(Type.String()));

/** The inequality report (src/core/pay/export.ts reportJson). */
export const InequalityReport = Obj({
  count: Count,
  total: Decimal,
  lowest: Nullable(Type.Integer({ description: 'null when there are no workers' })),
  highest: Nullable(Type.Integer({ description: 'null when there are no workers' })),
  precision: Count,
  measures: Measures,
  exact: Type.Record(Type.String(), Nullable(Type.String({ description: 'a fraction n/d' })), {
    description: 'each measure exactly',
  }),
  lorenz: Type.Array(Obj({ p: Type.Number(), share: Type.Number() })),
});

export const Payslip = Obj({
  period: Type.String(),
  id: Type.String(),
  grade: Type.String(),
  hours: Decimal,
  output: Decimal,
  basic: Type.Integer(),
  earnings: Type.Integer(),
  bonus: Type.Integer(),
  gross: Type.Integer(),
  pay: Type.Integer(),
  adjustment: Type.String(),
  pensionAccrual: Type.Integer(),
  projectedPension: Nullable(Type.Integer({ description: 'null when the scheme has no pension rule' })),
});

export const Payroll = Obj({
  councilId: Type.String(),
  version: Count,
  workforce: WorkforceImport,
  visibility: Type.Union([Type.Literal('individuals'), Type.Literal('aggregates')]),
  period: Type.String(),
  scheme: Obj({ id: Type.String(), version: Count, currency: Currency }),
  count: Count,
  minimumGroup: Type.Optional(Count),
  totalPay: Type.Optional(Decimal),
  totalPensionAccrual: Type.Optional(Decimal),
  report: Type.Optional(InequalityReport),
  payslips: Type.Optional(
    Type.Array(Payslip, {
      description:
        "a page in the workforce file's order: 100 unless ?limit= (until 2026-12-07 every payslip)",
    }),
  ),
  payslipsNext: Type.Optional(
    Nullable(Type.String({ description: 'pass as ?after= for the next page of payslips; null at the end' })),
  ),
  withheld: Type.Optional(Withheld),
});
export type Payroll = Static<typeof Payroll>;

const SchemeVersion = Obj({ id: Type.String(), version: Count });

/** A grade's row of a comparison; `grade` null is the merged row of grades smaller than the minimum group. */
const GradeRow = Obj({
  grade: Nullable(Type.String()),
  /** The merged row only: how many grades it merges. */
  grades: Type.Optional(Count),
  count: Count,
  gainers: Count,
  losers: Count,
  unchanged: Count,
  currentTotal: Decimal,
  proposedTotal: Decimal,
  change: Decimal,
  currentMean: Decimal,
  proposedMean: Decimal,
  meanChange: Decimal,
});

/** One of the biggest changes; without individual pay it has no worker id or index, and maybe no grade. */
const WorkerChange = Obj({
  index: Type.Optional(Count),
  id: Type.Optional(Type.String()),
  grade: Nullable(Type.String()),
  current: Type.Integer(),
  proposed: Type.Integer(),
  change: Type.Integer(),
  percent: Nullable(
    Type.String({ description: 'change / current × 100, 2 decimals; null when current is 0' }),
  ),
});

const ComparisonHead = {
  period: Type.String(),
  current: SchemeVersion,
  proposed: SchemeVersion,
  currency: Currency,
  count: Count,
};

/** A scheme comparison (src/core/pay/export.ts comparisonJson, docs/PAY.md "Comparison"). */
export const Comparison = Type.Union([
  Obj({
    ...ComparisonHead,
    minimumGroup: Type.Optional(Count),
    gainers: Count,
    losers: Count,
    unchanged: Count,
    gainTotal: Decimal,
    lossTotal: Decimal,
    totalChange: Decimal,
    pensionAccrualChange: Decimal,
    grades: Type.Array(GradeRow),
    biggestGains: Type.Array(WorkerChange),
    biggestLosses: Type.Array(WorkerChange),
    measures: Obj({ current: InequalityReport, proposed: InequalityReport, change: Measures }),
  }),
  Obj({ ...ComparisonHead, withheld: Withheld }),
]);
export type Comparison = Static<typeof Comparison>;

export const PayEffect = Obj({
  motionId: Type.String(),
  councilId: Type.String(),
  state: Type.String(),
  period: Type.String(),
  visibility: Type.Union([Type.Literal('individuals'), Type.Literal('aggregates')]),
  minimumGroup: Type.Optional(Count),
  current: Nullable(Obj({ version: Count, scheme: Scheme })),
  replaced: Type.Boolean(),
  workforce: Nullable(WorkforceImport),
  alternatives: Type.Array(
    Obj({
      id: Type.String(),
      title: Type.String(),
      scheme: Scheme,
      effect: Nullable(Comparison),
      report: Nullable(
        Type.Union([InequalityReport, Obj({ count: Count, withheld: Withheld })], {
          description: 'without a current scheme: the inequality report under this alternative',
        }),
      ),
    }),
  ),
});
export type PayEffect = Static<typeof PayEffect>;

/** A reply of JSON or, with ?format=csv, a CSV file. */
export const JsonOrCsv = (json: object) => ({
  content: {
    'application/json': { schema: json },
    'text/csv': { schema: Type.String({ description: 'a CSV file (RFC 4180)' }) },
  },
});
