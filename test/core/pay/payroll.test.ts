import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  awardPension,
  indexPension,
  payslip,
  pensionAccrual,
  PayrollError,
  projectedPension,
  runPayroll,
  validateScheme,
} from '../../../src/core/pay/index.ts';
import { schemeDoc, scheme, workers } from './helpers.ts';
import { column } from './helpers.ts';

describe('payroll', () => {
  test('basic = baseRate × coefficient × hours, half-even at the minor unit', () => {
    // 137 × 1.3333 × 7.25 = 1324.299... → 1324; 137 × 1.3333 × 7.5 = 1369.96... → 1370 (by hand)
    const s = scheme({ baseRate: 137, grades: [{ id: '1', coefficient: '1.3333' }] });
    const p = runPayroll(
      s,
      workers([
        { id: 'a', grade: '1', hours: '7.25' },
        { id: 'b', grade: '1', hours: '7.5' },
      ]),
      'p',
    );
    assert.deepEqual(column(p, 'basic'), [1324, 1370]);
    // A tie: 125 × 1 × 0.02 h = 2.5 → 2 (even), 175 × 0.02 = 3.5 → 4
    const tie = runPayroll(
      scheme({
        baseRate: 125,
        grades: [
          { id: '1', coefficient: '1' },
          { id: '2', coefficient: '1.4' },
        ],
      }),
      workers([
        { id: 'a', grade: '1', hours: '0.02' },
        { id: 'b', grade: '2', hours: '0.02' },
      ]),
      'p',
    );
    assert.deepEqual(column(tie, 'basic'), [2, 4]);
  });

  test('bonuses: percent of earnings (each rounded), fixed amounts, by grade and by output', () => {
    const s = scheme({
      payment: { system: 'piece' },
      bonuses: [
        { name: 'norm', percent: '10', minOutput: '1' },
        { name: 'skill', amount: 500, grades: ['2'] },
        { name: 'odd', percent: '0.5' },
      ],
    });
    const p = runPayroll(
      s,
      workers([
        { id: 'a', grade: '1', hours: '10', output: '0.99' }, // earnings 990: odd 4.95 → 5
        { id: 'b', grade: '2', hours: '10', output: '1.1' }, // earnings 1650: norm 165, skill 500, odd 8.25 → 8
      ]),
      'p',
    );
    assert.deepEqual(column(p, 'earnings'), [990, 1650]);
    assert.deepEqual(column(p, 'bonus'), [5, 673]);
    assert.deepEqual([...p.pay], [995, 2323]);
  });

  test('minimum and maximum pay, per period and per hour (ceil for the minimum, floor for the maximum)', () => {
    const w = workers([
      { id: 'low', grade: '1', hours: '10' }, // 1000
      { id: 'mid', grade: '1', hours: '15' }, // 1500
      { id: 'high', grade: '2', hours: '20' }, // 3000
    ]);
    const period = runPayroll(
      scheme({
        minimumPay: { amount: 1200, basis: 'period' },
        maximumPay: { amount: 2500, basis: 'period' },
      }),
      w,
      'p',
    );
    assert.deepEqual([...period.pay], [1200, 1500, 2500]);
    assert.deepEqual([...period.adjustment], [1, 0, 2]);
    // 1.11 per hour: 10 h → 1110 (raised), 15 h → 1665 (raised); maximum 1.40 per hour × 20 h = 2800 (cut)
    const hourly = scheme({
      minimumPay: { amount: 111, basis: 'hour' },
      maximumPay: { amount: 140, basis: 'hour' },
    });
    assert.deepEqual([...runPayroll(hourly, w, 'p').pay], [1110, 1665, 2800]);
    // Fractions of an hour: 1.11 × 10.25 h = 11.3775 → ceil 1138 (never below the minimum); maximum 1.40 ×
    // 20.01 h = 28.014 → floor 2801 (never above the maximum)
    const frac = workers([
      { id: 'a', grade: '1', hours: '10.25' },
      { id: 'b', grade: '2', hours: '20.01' },
    ]);
    assert.deepEqual([...runPayroll(hourly, frac, 'p').pay], [1138, 2801]);
  });

  test('the ratio cap clamps the top to ratio × the lowest pay (period basis, floor)', () => {
    const s = scheme({
      grades: [
        { id: '1', coefficient: '1' },
        { id: '2', coefficient: '5' },
      ],
      minimumPay: { amount: 1, basis: 'period' },
      ratioCap: { ratio: '2.5', basis: 'period' },
    });
    const p = runPayroll(
      s,
      workers([
        { id: 'a', grade: '1', hours: '10.01' }, // 1001
        { id: 'b', grade: '2', hours: '10' }, // 5000 > 2.5 × 1001 = 2502.5 → 2502
        { id: 'c', grade: '1', hours: '20' }, // 2000, under the cap
      ]),
      'p',
    );
    assert.deepEqual([...p.pay], [1001, 2502, 2000]);
    assert.deepEqual([...p.adjustment], [0, 3, 0]);
    assert.equal(payslip(p, 1).adjustment, 'ratio-cap');
  });

  test('the ratio cap on an hourly basis compares pay per hour, so part-timers are not capped by it', () => {
    const s = scheme({
      grades: [
        { id: '1', coefficient: '1' },
        { id: '2', coefficient: '5' },
      ],
      minimumPay: { amount: 1, basis: 'hour' },
      ratioCap: { ratio: '3', basis: 'hour' },
    });
    const p = runPayroll(
      s,
      workers([
        { id: 'part', grade: '1', hours: '5' }, // 500, 100/h: the lowest rate
        { id: 'full', grade: '1', hours: '40' }, // 4000, 100/h
        { id: 'top', grade: '2', hours: '40' }, // 20000 = 500/h > 300/h → 3 × 500 × 40 / 5 = 12000
      ]),
      'p',
    );
    assert.deepEqual([...p.pay], [500, 4000, 12_000]);
  });

  test('the hourly ratio cap never cuts a worker below their own hourly minimum (rounding)', () => {
    // Ratio 1, minimum 1.11/h. Lowest: 10.25 h → ceil(111 × 10.25) = 1138 (raised to the minimum).
    // Worker b: 10.01 h, gross 100 × 1.5 × 10.01 = 1501.5 → 1502; cap floor(1138 × 1001 / 1025) = 1111, but
    // b's own minimum is ceil(111 × 10.01) = 1112, which wins.
    const s = scheme({ minimumPay: { amount: 111, basis: 'hour' }, ratioCap: { ratio: '1', basis: 'hour' } });
    const p = runPayroll(
      s,
      workers([
        { id: 'a', grade: '1', hours: '10.25' },
        { id: 'b', grade: '2', hours: '10.01' },
      ]),
      'p',
    );
    assert.deepEqual([...p.pay], [1138, 1112]);
    assert.deepEqual([...p.adjustment], [1, 3]);
  });

  test('an unknown grade names the worker and the field; a bad period is rejected', () => {
    const s = scheme();
    assert.throws(
      () =>
        runPayroll(
          s,
          workers([
            { id: 'a', grade: '1', hours: '1' },
            { id: 'x', grade: '9', hours: '1' },
          ]),
          'p',
        ),
      (e: unknown) =>
        e instanceof PayrollError && e.path === 'workers[1].grade' && /"x".*"9"/.test(e.message),
    );
    assert.throws(() => runPayroll(s, workers([]), ''), PayrollError);
    assert.throws(
      () => workers([{ id: 'a', grade: '1', hours: '-1' }]),
      (e: unknown) => e instanceof PayrollError && e.path === 'workers[0].hours',
    );
    assert.throws(
      () => workers([{ id: 'a', grade: '1', hours: '1', output: '1.00001' }]),
      (e: unknown) => e instanceof PayrollError && e.path === 'workers[0].output',
    );
    assert.throws(
      () =>
        workers([
          { id: 'a', grade: '1', hours: '1' },
          { id: 'a', grade: '1', hours: '1' },
        ]),
      (e: unknown) => e instanceof PayrollError && e.path === 'workers[1].id',
    );
  });

  test('totals are exact sums of the columns', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: `w${i}`,
      grade: i % 2 ? '1' : '2',
      hours: `${1 + (i % 17)}.25`,
    }));
    const p = runPayroll(scheme(), workers(rows), 'p');
    assert.equal(
      p.totalPay,
      [...p.pay].reduce((a, b) => a + BigInt(b), 0n),
    );
  });
});

describe('pensions', () => {
  // Marginal bands favouring low earnings: 100 % up to 350.00, 85 % to 500.00, 50 % above; minimum 300.00,
  // maximum 1200.00, a career of 300 periods.
  const s = validateScheme(
    schemeDoc({
      pension: {
        bands: [
          { upTo: 35_000, rate: '1' },
          { upTo: 50_000, rate: '0.85' },
          { upTo: null, rate: '0.5' },
        ],
        minimum: 30_000,
        maximum: 120_000,
        careerPeriods: 300,
        indexationFactor: '1.025',
      },
    }),
  );
  const rule = s.pension!;

  test('replacement by marginal bands; minimum and maximum at award', () => {
    // 600.00: 350 + 0.85 × 150 + 0.5 × 100 = 527.50 (by hand)
    assert.equal(projectedPension(60_000, rule), 52_750);
    assert.equal(projectedPension(20_000, rule), 30_000); // 200.00 → the minimum 300.00
    // 3000.00: 350 + 127.50 + 0.5 × 2500 = 1727.50 → the maximum 1200.00
    assert.equal(projectedPension(300_000, rule), 120_000);
    assert.equal(awardPension(10, rule), 30_000);
  });

  test('a low earner keeps a larger share of pay than a high earner', () => {
    assert.ok(projectedPension(35_000, rule) / 35_000 > projectedPension(90_000, rule) / 90_000);
  });

  test('accrual per period: replacement ÷ career periods, half-even', () => {
    assert.equal(pensionAccrual(60_000, rule), 176); // 52750 / 300 = 175.83 → 176
    assert.equal(pensionAccrual(45_000, rule), 145); // (35000 + 8500) / 300 = 145
    const p = runPayroll(s, workers([{ id: 'a', grade: '1', hours: '600' }]), 'p');
    assert.deepEqual([...p.pensionAccrual], [176]);
    assert.equal(payslip(p, 0).projectedPension, 52_750);
  });

  test('indexation: each step × factor, half-even', () => {
    assert.equal(indexPension(52_750, rule), 54_069); // 54068.75 → 54069
    assert.equal(indexPension(52_750, rule, 2), 55_421); // 54069 × 1.025 = 55420.725 → 55421
    assert.equal(indexPension(52_750, rule, 0), 52_750);
  });
});
