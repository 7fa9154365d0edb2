import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareSchemes, comparisonJson, type SchemeDocument } from '../../../src/core/pay/index.ts';
import { ESSAY_BANDS, scheme, workers } from './helpers.ts';

// A tariff whose lowest categories, 0.75 and 0.9, become 1 and 1.2 when raised by exactly a third.
const grades = (low: [string, string]): SchemeDocument['grades'] => [
  { id: '1', coefficient: low[0] },
  { id: '2', coefficient: low[1] },
  { id: '3', coefficient: '1.2' },
  { id: '4', coefficient: '1.5' },
  { id: '5', coefficient: '2.1' },
];
const current = scheme({ grades: grades(['0.75', '0.9']) });
const raised = scheme({ version: 2, grades: grades(['1', '1.2']) });
// baseRate 100 minor units × 100 hours: pay = 10000 × coefficient
const five = workers(['1', '2', '3', '4', '5'].map((g) => ({ id: `g${g}`, grade: g, hours: '100' })));

describe('comparing a proposed scheme with the current one', () => {
  test('raising the lowest categories by a third lowers the Gini by 93/1505 (hand computation)', () => {
    // Gini = 2 Σ i·x_(i) / (n T) − (n + 1)/n, ranks i from 1 in ascending order.
    // Before: 7500, 9000, 12000, 15000, 21000; T = 64500;
    //   Σ i·x = 7500 + 18000 + 36000 + 60000 + 105000 = 226500; G = 453000/322500 − 6/5 = 302/215 − 258/215 = 44/215.
    // After: 10000, 12000, 12000, 15000, 21000; T = 70000;
    //   Σ i·x = 10000 + 24000 + 36000 + 60000 + 105000 = 235000; G = 470000/350000 − 6/5 = 47/35 − 42/35 = 1/7.
    // Change: 1/7 − 44/215 = (215 − 308)/1505 = −93/1505 ≈ −0.061794.
    const c = compareSchemes(current, raised, five, '1956-09');
    assert.deepEqual(c.currentReport.exact.gini, { num: 44n, den: 215n });
    assert.deepEqual(c.proposedReport.exact.gini, { num: 1n, den: 7n });
    assert.deepEqual(c.exactMeasureChange.gini, { num: -93n, den: 1505n });
    assert.equal(c.measureChange.gini, '-0.061794');
    // highest/lowest 21000/7500 = 2.8 → 21000/10000 = 2.1
    assert.equal(c.measureChange.highestLowest, '-0.700000');
  });

  test('who gains, who loses, by how much, per grade and the biggest changes', () => {
    const c = compareSchemes(current, raised, five, '1956-09', { biggest: 1 });
    assert.deepEqual([c.gainers, c.losers, c.unchanged], [2, 0, 3]);
    assert.equal(c.gainTotal, 5500n); // 2500 + 3000
    assert.equal(c.totalChange, 5500n);
    assert.equal(c.grades[0]!.grade, '1');
    assert.equal(c.grades[0]!.meanChange, '2500.00');
    assert.equal(c.grades[1]!.change, 3000n);
    assert.equal(c.grades[4]!.unchanged, 1);
    assert.equal(c.biggestGains.length, 1);
    assert.deepEqual(c.biggestGains[0], {
      index: 1,
      id: 'g2',
      grade: '2',
      current: 9000,
      proposed: 12000,
      change: 3000,
      percent: '33.33',
    });
    assert.deepEqual(c.biggestLosses, []);
  });

  test('abolishing progressive piece rates: the Stakhanovite loses, measures fall', () => {
    const piece = scheme({ payment: { system: 'progressive-piece', bands: ESSAY_BANDS } });
    const time = scheme({ version: 2 });
    const w = workers([
      { id: 'norm', grade: '1', hours: '100', output: '1' },
      { id: 'stakhanovite', grade: '1', hours: '100', output: '1.4' },
    ]);
    const c = compareSchemes(piece, time, w, 'p');
    assert.deepEqual([c.gainers, c.losers, c.unchanged], [0, 1, 1]);
    assert.equal(c.biggestLosses[0]!.id, 'stakhanovite');
    assert.equal(c.biggestLosses[0]!.change, -8000);
    assert.equal(c.biggestLosses[0]!.percent, '-44.44');
    assert.equal(c.measureChange.gini, '-0.142857'); // Gini of {10000, 18000} = 4000/28000 = 1/7 → 0
  });

  test('ties among the biggest changes keep the workers order; aggregates-only drops ids', () => {
    const w = workers(['1', '1', '1'].map((g, i) => ({ id: `w${i}`, grade: g, hours: '100' })));
    const c = compareSchemes(current, raised, w, 'p', { biggest: 2 });
    assert.deepEqual(
      c.biggestGains.map((x) => x.id),
      ['w0', 'w1'],
    );
    const json = comparisonJson(c, { individuals: false });
    assert.equal(JSON.stringify(json).includes('"w0"'), false);
    assert.equal(json.gainers, 3);
  });

  test('payrolls of different worker tables are not compared', async () => {
    const { runPayroll, comparePayrolls } = await import('../../../src/core/pay/index.ts');
    assert.throws(
      () => comparePayrolls(runPayroll(current, five, 'p'), runPayroll(raised, workers([]), 'p')),
      /proposed/,
    );
  });
});

describe('comparison: properties', () => {
  test('counts, totals, per-grade sums and the biggest changes agree with a brute-force recount', async () => {
    const fc = (await import('fast-check')).default;
    const { runPayroll, comparePayrolls } = await import('../../../src/core/pay/index.ts');
    const row = fc.record({
      grade: fc.constantFrom('1', '2', '3', '4', '5'),
      hours: fc.integer({ min: 1, max: 20_000 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), fc.integer({ min: 0, max: 6 }), (rows, k) => {
        const w = workers(
          rows.map((r, i) => ({ id: `w${i}`, grade: r.grade, hours: (r.hours / 100).toFixed(2) })),
        );
        const a = runPayroll(current, w, 'p');
        const b = runPayroll(raised, w, 'p');
        const c = comparePayrolls(b, a, { biggest: k }); // the raised scheme as "current": everyone loses or keeps
        const d = [...a.pay].map((x, i) => x - b.pay[i]!);
        assert.equal(c.losers, d.filter((x) => x < 0).length);
        assert.equal(c.gainers, d.filter((x) => x > 0).length);
        assert.equal(
          c.totalChange,
          d.reduce((s, x) => s + BigInt(x), 0n),
        );
        const order = d
          .map((x, i) => ({ x, i }))
          .filter((e) => e.x < 0)
          .sort((p, q) => p.x - q.x || p.i - q.i)
          .slice(0, k)
          .map((e) => e.i);
        assert.deepEqual(
          c.biggestLosses.map((e) => e.index),
          order,
        );
        for (const g of c.grades) {
          const idx = rows.map((r, i) => (r.grade === g.grade ? i : -1)).filter((i) => i >= 0);
          assert.equal(g.count, idx.length);
          assert.equal(
            g.change,
            idx.reduce((s, i) => s + BigInt(d[i]!), 0n),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('comparison: exact near 2^53', () => {
  test('gains, losses and per-grade totals of huge pay are exact', async () => {
    const { runPayroll, comparePayrolls } = await import('../../../src/core/pay/index.ts');
    const w = workers(['1', '1', '2', '2'].map((g, i) => ({ id: `w${i}`, grade: g, hours: '1' })));
    const base = runPayroll(current, w, 'p');
    const before = [2 ** 53 - 1, 1, 2 ** 52 + 3, 5];
    const after = [1, 2 ** 53 - 1, 2 ** 52 - 1, 2 ** 52 + 7];
    const c = comparePayrolls(
      { ...base, pay: new Float64Array(before) },
      { ...base, pay: new Float64Array(after) },
    );
    const d = before.map((x, i) => BigInt(after[i]!) - BigInt(x));
    assert.equal(
      c.gainTotal,
      d.filter((x) => x > 0n).reduce((a, b) => a + b, 0n),
    );
    assert.equal(
      c.lossTotal,
      d.filter((x) => x < 0n).reduce((a, b) => a + b, 0n),
    );
    assert.equal(c.grades[0]!.currentTotal, BigInt(2 ** 53 - 1) + 1n);
    assert.equal(c.grades[1]!.proposedTotal, BigInt(2 ** 52 - 1) + BigInt(2 ** 52 + 7));
  });
});
