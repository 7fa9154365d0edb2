// The pay responses as Fastify serialises them (fast-json-stringify, from the route's schema): a payroll under a
// scheme without a pension rule says projectedPension null, as the core and the CSV export do. The schema named an
// integer, so the reply said 0; the presenter's type now follows the core's (null when there is no rule).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import Fastify from 'fastify';
import {
  inequalityReport,
  payrollJson,
  readWorkersCsv,
  runPayroll,
  validateScheme,
} from '../../../src/core/pay/index.ts';
import { Payroll } from '../../../src/server/responses/pay.ts';

test('a payslip under a scheme without a pension rule is served with projectedPension null, not 0', async () => {
  const scheme = JSON.parse(readFileSync('examples/pay/current-scheme.json', 'utf8')) as Record<
    string,
    unknown
  >;
  delete scheme.pension;
  const workers = readWorkersCsv(readFileSync('examples/pay/workers.csv', 'utf8'));
  const payroll = runPayroll(validateScheme(scheme), workers, '2026-11');
  const body = payrollJson(payroll, inequalityReport(payroll.pay), { individuals: true });
  const app = Fastify();
  app.get('/payroll', { schema: { response: { 200: Payroll } } }, () => ({
    councilId: 'north',
    version: 1,
    workforce: {
      seq: 3,
      sha256: 'ab',
      workers: workers.count,
      importedBy: 'ana',
      importedAt: '2026-11-01T00:00:00.000Z',
    },
    visibility: 'individuals',
    ...body,
  }));
  const served = (await app.inject({ method: 'GET', url: '/payroll' })).json() as {
    payslips: { id: string; projectedPension: number | null; pensionAccrual: number }[];
  };
  await app.close();
  assert.equal(served.payslips.length, workers.count);
  for (const s of served.payslips) assert.equal(s.projectedPension, null, `worker ${s.id}`);
});
