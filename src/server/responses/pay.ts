// Response schemas of pay and pensions (src/server/routes/pay.ts, docs/PAY.md "Over the API"). A scheme is
// described by docs/PAY.md and validated by src/core/pay; a scheme comparison's figures are open here.
import { Type, type Static } from '@sinclair/typebox';
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

export const WorkforceImport = Obj({
  seq: Count,
  sha256: Type.String(),
  workers: Count,
  importedBy: Type.String(),
  importedAt: Time,
});

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

export const WorkforceImported = Obj({ seq: Count, sha256: Type.String(), workers: Count });

const Currency = Obj({ code: Type.String(), minorDigits: Count });
const Withheld = Obj({ reason: Type.String(), minimumGroup: Count, message: Type.String() });
const Measures = Type.Record(Type.String(), Nullable(Type.String()));

/** The inequality report (src/core/pay/export.ts reportJson). */
export const InequalityReport = Obj({
  count: Count,
  total: Decimal,
  lowest: Type.Integer(),
  highest: Type.Integer(),
  precision: Count,
  measures: Measures,
  exact: Type.Record(Type.String(), Nullable(Type.String({ description: 'a fraction n/d' }))),
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
  projectedPension: Type.Integer(),
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
  payslips: Type.Optional(Type.Array(Payslip)),
  withheld: Type.Optional(Withheld),
});
export type Payroll = Static<typeof Payroll>;

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
      effect: Nullable(Open('the scheme comparison (src/core/pay/export.ts comparisonJson, docs/PAY.md)')),
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
