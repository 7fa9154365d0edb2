import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { divideBig, mulDiv, mulMulDiv } from '../../../src/core/pay/rounding.ts';
import { exactRatio, toDecimal } from '../../../src/lib/rational.ts';
import { formatMoney } from '../../../src/core/pay/decimal.ts';

describe('rounding rules', () => {
  test('half-even at the minor unit: ties go to the even neighbour, others to the nearest', () => {
    // 2.5 → 2, 3.5 → 4, 2.4999 → 2, 2.5001 → 3 (in minor units, as n / d)
    assert.equal(mulDiv(25, 1, 10, 'half-even', 'x'), 2);
    assert.equal(mulDiv(35, 1, 10, 'half-even', 'x'), 4);
    assert.equal(mulDiv(24_999, 1, 10_000, 'half-even', 'x'), 2);
    assert.equal(mulDiv(25_001, 1, 10_000, 'half-even', 'x'), 3);
    assert.equal(mulDiv(5, 1, 10, 'half-even', 'x'), 0);
    assert.equal(mulDiv(15, 1, 10, 'half-even', 'x'), 2);
  });

  test('floor and ceil', () => {
    assert.equal(mulDiv(19, 1, 10, 'floor', 'x'), 1);
    assert.equal(mulDiv(11, 1, 10, 'ceil', 'x'), 2);
    assert.equal(mulDiv(20, 1, 10, 'ceil', 'x'), 2);
  });

  test('the double path and the bigint path agree (property)', () => {
    const rule = fc.constantFrom('half-even' as const, 'floor' as const, 'ceil' as const);
    fc.assert(
      fc.property(
        fc.nat(2 ** 26),
        fc.nat(2 ** 26),
        fc.integer({ min: 1, max: 2 ** 30 }),
        rule,
        (a, b, d, r) => {
          assert.equal(BigInt(mulDiv(a, b, d, r, 'x')), divideBig(BigInt(a) * BigInt(b), BigInt(d), r));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('products beyond 2^53 are exact (bigint path) and results beyond 2^53 throw', () => {
    // 3002399751580331 × 3 = 2^53 + 1, which no double holds (a double product would say 2^53). Divided by 2 it
    // is 4503599627370496.5: half-even gives ...496, ceil ...497 (a double path would give ...496 for both).
    assert.equal(mulDiv(3_002_399_751_580_331, 3, 2, 'half-even', 'x'), 4_503_599_627_370_496);
    assert.equal(mulDiv(3_002_399_751_580_331, 3, 2, 'ceil', 'x'), 4_503_599_627_370_497);
    assert.equal(mulMulDiv(3_002_399_751_580_331, 3, 1, 2, 'ceil', 'x'), 4_503_599_627_370_497);
    assert.throws(() => mulDiv(2 ** 40, 2 ** 20, 1, 'floor', 'basic'), /basic/);
  });

  test('decimal rendering rounds half-even and keeps the sign', () => {
    assert.equal(toDecimal(exactRatio(1n, 8n), 2), '0.12'); // 0.125 → 0.12
    assert.equal(toDecimal(exactRatio(3n, 8n), 2), '0.38'); // 0.375 → 0.38
    assert.equal(toDecimal(exactRatio(-3n, 8n), 2), '-0.38');
    assert.equal(toDecimal(exactRatio(-1n, 1000n), 2), '0.00');
    assert.equal(toDecimal(exactRatio(4n, 15n), 6), '0.266667');
    assert.equal(formatMoney(123_456, 2), '1234.56');
    assert.equal(formatMoney(-5, 2), '-0.05');
    assert.equal(formatMoney(7, 0), '7');
  });
});
