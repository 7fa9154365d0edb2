import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { sortPay } from '../../../src/core/pay/sort-pay.ts';
import { inequalityReport } from '../../../src/core/pay/index.ts';

// sortPay has two paths: a radix sort when every pay is below 2^32, the engine's numeric sort otherwise.
describe('sorting the pay column', () => {
  const reference = (xs: number[]) => [...xs].sort((a, b) => a - b);

  test('radix path (all pay < 2^32) sorts like a comparison sort (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 300 }), (xs) => {
        assert.deepEqual([...sortPay(new Float64Array(xs))], reference(xs));
      }),
      { numRuns: 200 },
    );
  });

  test('fallback path (some pay >= 2^32) sorts like a comparison sort (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 100 }),
        fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }),
        (xs, big) => {
          const all = [...xs, big];
          assert.deepEqual([...sortPay(new Float64Array(all))], reference(all));
        },
      ),
      { numRuns: 100 },
    );
  });

  test('both paths give the same report for the same distribution scaled across 2^32', () => {
    const small = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5].map((x) => x * 1000);
    const big = small.map((x) => x * 2 ** 22); // 9000 × 2^22 ≥ 2^32: the fallback path
    const a = inequalityReport(new Float64Array(small));
    const b = inequalityReport(new Float64Array(big));
    assert.deepEqual(a.exact.gini, b.exact.gini);
    assert.deepEqual(a.exact.palma, b.exact.palma);
  });

  test('invalid pay is rejected naming the index', () => {
    assert.throws(() => sortPay(new Float64Array([1, 2, -3])), /index 2/);
    assert.throws(() => sortPay(new Float64Array([2 ** 53])), /pay/);
  });
});
