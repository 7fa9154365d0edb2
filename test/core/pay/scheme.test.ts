import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SchemeError, validateScheme } from '../../../src/core/pay/index.ts';
import { ESSAY_BANDS, schemeDoc } from './helpers.ts';

/** Asserts that `doc` is rejected with a SchemeError whose path is `path`. */
function rejects(doc: unknown, path: string) {
  assert.throws(
    () => validateScheme(doc),
    (e: unknown) => e instanceof SchemeError && e.path === path && e.message.startsWith(`${path}:`),
    `expected a SchemeError at ${path}`,
  );
}

describe('scheme validation', () => {
  test('the example schemes are valid and compile to scaled integers', () => {
    for (const f of ['current-scheme.json', 'proposed-scheme.json']) {
      const s = validateScheme(JSON.parse(readFileSync(`examples/pay/${f}`, 'utf8')));
      assert.equal(s.id, 'works-tariff');
      assert.equal(s.gradeIds.length, 8);
    }
    const s = validateScheme(schemeDoc({ payment: { system: 'progressive-piece', bands: ESSAY_BANDS } }));
    assert.deepEqual(s.coefficient, [10_000, 15_000]);
    assert.deepEqual(s.payment[0]!.above, [0, 2000, 3000]);
    assert.deepEqual(s.payment[0]!.multiplier, [15_000, 20_000, 30_000]);
  });

  test('malformed schemes are rejected with the path of the field', () => {
    const d = schemeDoc();
    rejects(null, '');
    rejects({ ...d, format: 'v2' }, 'format');
    rejects({ ...d, colour: 'red' }, 'colour');
    rejects({ ...d, version: 0 }, 'version');
    rejects({ ...d, version: 1.5 }, 'version');
    rejects({ ...d, baseRate: '100' }, 'baseRate');
    rejects({ ...d, currency: { code: 'RUB', minorDigits: 9 } }, 'currency.minorDigits');
    rejects({ ...d, grades: [] }, 'grades');
    rejects({ ...d, grades: [{ id: '1', coefficient: 1.2 }] }, 'grades[0].coefficient');
    rejects({ ...d, grades: [{ id: '1', coefficient: '1.23456' }] }, 'grades[0].coefficient');
    rejects({ ...d, grades: [{ id: '1', coefficient: '-1' }] }, 'grades[0].coefficient');
    rejects({ ...d, grades: [{ id: '1', coefficient: '1e2' }] }, 'grades[0].coefficient');
    rejects(
      {
        ...d,
        grades: [
          { id: '1', coefficient: '1' },
          { id: '1', coefficient: '2' },
        ],
      },
      'grades[1].id',
    );
    rejects(
      { ...d, grades: [{ id: '1', coefficient: '1', payment: { system: 'bonus' } }] },
      'grades[0].payment.system',
    );
    rejects({ ...d, payment: { system: 'time', bands: [] } }, 'payment.bands');
    rejects(
      { ...d, payment: { system: 'progressive-piece', bands: [{ above: '0.1', multiplier: '2' }] } },
      'payment.bands[0].above',
    );
    rejects(
      {
        ...d,
        payment: { system: 'progressive-piece', bands: [ESSAY_BANDS[0], { above: '0', multiplier: '2' }] },
      },
      'payment.bands[1].above',
    );
    rejects(
      { ...d, payment: { system: 'progressive-piece', bands: [{ above: '0', multiplier: '0' }] } },
      'payment.bands[0].multiplier',
    );
    rejects({ ...d, bonuses: [{ name: 'x' }] }, 'bonuses[0]');
    rejects({ ...d, bonuses: [{ name: 'x', percent: '5', amount: 5 }] }, 'bonuses[0]');
    rejects({ ...d, bonuses: [{ name: 'x', amount: 5, grades: ['9'] }] }, 'bonuses[0].grades[0]');
    rejects({ ...d, minimumPay: { amount: 10, basis: 'week' } }, 'minimumPay.basis');
    rejects(
      { ...d, minimumPay: { amount: 10, basis: 'period' }, maximumPay: { amount: 5, basis: 'period' } },
      'maximumPay.amount',
    );
    rejects({ ...d, ratioCap: { ratio: '3', basis: 'period' } }, 'ratioCap');
    rejects(
      { ...d, minimumPay: { amount: 10, basis: 'period' }, ratioCap: { ratio: '0.5', basis: 'period' } },
      'ratioCap.ratio',
    );
  });

  test('malformed pension rules are rejected with the path of the field', () => {
    const pension = {
      bands: [{ upTo: null, rate: '0.5' }],
      minimum: 0,
      careerPeriods: 300,
      indexationFactor: '1',
    };
    const d = schemeDoc();
    validateScheme({ ...d, pension });
    rejects({ ...d, pension: { ...pension, bands: [{ upTo: 100, rate: '0.5' }] } }, 'pension.bands[0].upTo');
    rejects(
      {
        ...d,
        pension: {
          ...pension,
          bands: [
            { upTo: 100, rate: '0.5' },
            { upTo: null, rate: '0.9' },
          ],
        },
      },
      'pension.bands[1].rate',
    );
    rejects({ ...d, pension: { ...pension, bands: [{ upTo: null, rate: '1.5' }] } }, 'pension.bands[0].rate');
    rejects({ ...d, pension: { ...pension, minimum: 10, maximum: 5 } }, 'pension.maximum');
    rejects({ ...d, pension: { ...pension, careerPeriods: 0 } }, 'pension.careerPeriods');
    rejects({ ...d, pension: { ...pension, indexationFactor: '0' } }, 'pension.indexationFactor');
  });

  test('the compiled scheme keeps a copy of the document it was validated from', () => {
    const d = schemeDoc();
    const s = validateScheme(d);
    d.name = 'changed later';
    assert.equal(s.document.name, 'test scheme');
  });
});
