// Shared fixtures of the pay tests: a minimal valid scheme document to vary, and small constructors.
import {
  createWorkerTable,
  payslips,
  type Payroll,
  validateScheme,
  type SchemeDocument,
  type WorkerInput,
} from '../../../src/core/pay/index.ts';

export function schemeDoc(overrides: Partial<SchemeDocument> = {}): SchemeDocument {
  return {
    format: 'councils.pay-scheme/1',
    id: 'test',
    version: 1,
    name: 'test scheme',
    currency: { code: 'RUB', minorDigits: 2 },
    baseRate: 100,
    grades: [
      { id: '1', coefficient: '1' },
      { id: '2', coefficient: '1.5' },
    ],
    payment: { system: 'time' },
    ...overrides,
  };
}

export const scheme = (overrides: Partial<SchemeDocument> = {}) => validateScheme(schemeDoc(overrides));

export const workers = (rows: WorkerInput[]) => createWorkerTable(rows);

/** The essay's progressive bands: 0–20 % over the norm × 1.5, 20–30 % × 2, above 30 % × 3. */
export const ESSAY_BANDS = [
  { above: '0', multiplier: '1.5' },
  { above: '0.2', multiplier: '2' },
  { above: '0.3', multiplier: '3' },
];

/** One payslip field of every worker, in order. */
export const column = (p: Payroll, field: 'basic' | 'earnings' | 'bonus' | 'gross') =>
  [...payslips(p)].map((s) => s[field]);
