import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPayroll } from '../../../src/core/pay/index.ts';
import { ESSAY_BANDS, scheme, workers } from './helpers.ts';
import { column } from './helpers.ts';

describe('payment systems against a norm', () => {
  // Deutscher, "Russia in Transition": "the Stakhanovite producing twenty, thirty and forty per cent above the norm
  // of output earned not just twenty, thirty and forty per cent more than the basic pay, but thirty, fifty, eighty
  // per cent". Marginal bands × 1.5 (0–20 %), × 2 (20–30 %), × 3 (above 30 %) reproduce it:
  // 20 × 1.5 = 30; 30 + 10 × 2 = 50; 50 + 10 × 3 = 80.
  test('the essay: 20/30/40 % over the norm earn 30/50/80 % more than the basic pay', () => {
    const s = scheme({ payment: { system: 'progressive-piece', bands: ESSAY_BANDS } });
    const w = workers([
      { id: 'norm', grade: '1', hours: '100', output: '1' },
      { id: '+20', grade: '1', hours: '100', output: '1.2' },
      { id: '+30', grade: '1', hours: '100', output: '1.3' },
      { id: '+40', grade: '1', hours: '100', output: '1.4' },
    ]);
    const p = runPayroll(s, w, '1950-01');
    const basic = column(p, 'basic')[0]!;
    assert.equal(basic, 10_000); // 100 minor units × 1 × 100 hours
    const extraPercent = [...p.pay].map((pay) => ((pay - basic) * 100) / basic);
    assert.deepEqual(extraPercent, [0, 30, 50, 80]);
  });

  test('a straight piece rate pays in proportion to output; a time wage ignores it', () => {
    const piece = runPayroll(
      scheme({ payment: { system: 'piece' } }),
      workers([
        { id: 'a', grade: '2', hours: '10', output: '0.8' },
        { id: 'b', grade: '2', hours: '10', output: '1.4' },
      ]),
      'p',
    );
    assert.deepEqual(column(piece, 'basic'), [1500, 1500]);
    assert.deepEqual([...piece.pay], [1200, 2100]);
    const time = runPayroll(scheme(), workers([{ id: 'a', grade: '2', hours: '10', output: '1.4' }]), 'p');
    assert.deepEqual([...time.pay], [1500]);
  });

  test('a progressive piece rate below the norm pays like a straight piece rate', () => {
    const p = runPayroll(
      scheme({ payment: { system: 'progressive-piece', bands: ESSAY_BANDS } }),
      workers([{ id: 'a', grade: '1', hours: '100', output: '0.9' }]),
      'p',
    );
    assert.deepEqual([...p.pay], [9000]);
  });

  test('a grade may override the payment system', () => {
    const s = scheme({
      payment: { system: 'piece' },
      grades: [
        { id: '1', coefficient: '1' },
        { id: '2', coefficient: '1', payment: { system: 'time' } },
      ],
    });
    const p = runPayroll(
      s,
      workers([
        { id: 'a', grade: '1', hours: '1', output: '2' },
        { id: 'b', grade: '2', hours: '1', output: '2' },
      ]),
      'p',
    );
    assert.deepEqual([...p.pay], [200, 100]);
  });
});
