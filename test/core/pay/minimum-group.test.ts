// The minimum group of served pay figures (docs/PAY.md "Minimum group"): per-grade rows of fewer than N workers
// merged (and completed from the smallest grades when the merged row alone is below N, so no difference of
// served figures gives a small grade back), biggest changes without the grade of an unpublished grade, and a
// workforce below N reduced to its count. The same in the report's CSV and JSON.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  compareSchemes,
  comparisonJson,
  groupGrades,
  inequalityReport,
  payrollJson,
  reportCsv,
  reportJson,
  runPayroll,
  WITHHELD_REASON,
  type GradeSummary,
  type SchemeDocument,
} from '../../../src/core/pay/index.ts';
import { parseConstitution } from '../../../src/core/kernel/constitution.ts';
import { InvalidCommand } from '../../../src/core/kernel/errors.ts';
import { payMinimumGroup } from '../../../src/core/pay/decisions.ts';
import { scheme, workers } from './helpers.ts';

/** A grade row with `count` workers each paid `pay` now and `pay + raise` proposed. */
function row(grade: string, count: number, pay = 1000, raise = 0): GradeSummary {
  const currentTotal = BigInt(count * pay);
  const proposedTotal = BigInt(count * (pay + raise));
  return {
    grade,
    count,
    gainers: raise > 0 ? count : 0,
    losers: raise < 0 ? count : 0,
    unchanged: raise === 0 ? count : 0,
    currentTotal,
    proposedTotal,
    change: proposedTotal - currentTotal,
    currentMean: `${pay}.00`,
    proposedMean: `${pay + raise}.00`,
    meanChange: `${raise}.00`,
  };
}

const counts = (g: ReturnType<typeof groupGrades>) => g.rows.map((r) => [r.grade, r.count]);

describe('the minimum group of per-grade rows', () => {
  test('a grade of exactly N workers is shown; of N − 1 it is merged', () => {
    const g = groupGrades([row('a', 5), row('b', 4), row('c', 5)], 5);
    // b alone (4) is below 5: the smallest shown grade (a, the earlier of two fives) completes it.
    assert.deepEqual(counts(g), [
      ['c', 5],
      [null, 9],
    ]);
    assert.deepEqual([...g.shown], ['c']);
    assert.equal(g.withheldWorkers, 0);
    const exact = groupGrades([row('a', 5), row('b', 5)], 5);
    assert.deepEqual(counts(exact), [
      ['a', 5],
      ['b', 5],
    ]);
  });

  test('one big grade and many tiny ones: the tiny ones become one row of "smaller grades"', () => {
    const tiny = ['t1', 't2', 't3', 't4', 't5', 't6'].map((id, i) => row(id, 1, 1000 + 100 * i, 50 * i));
    const g = groupGrades([row('big', 40, 2000, 10), ...tiny], 5);
    assert.deepEqual(counts(g), [
      ['big', 40],
      [null, 6],
    ]);
    const merged = g.rows[1]!;
    assert.equal(merged.grade, null);
    assert.equal('grades' in merged && merged.grades, 6);
    // Its totals are the sums of the tiny grades, its means exact over its 6 workers.
    const cur = tiny.reduce((s, r) => s + r.currentTotal, 0n);
    const pro = tiny.reduce((s, r) => s + r.proposedTotal, 0n);
    assert.equal(merged.currentTotal, cur);
    assert.equal(merged.proposedTotal, pro);
    assert.equal(merged.change, pro - cur);
    assert.equal(merged.currentMean, '1250.00'); // (1000 + … + 1500) / 6 = 7500 / 6
    assert.equal(merged.meanChange, '125.00'); // (0 + 50 + … + 250) / 6 = 750 / 6
    assert.deepEqual([merged.gainers, merged.losers, merged.unchanged], [5, 0, 1]);
  });

  test('a merged row below N takes in the smallest shown grade, so no difference gives a small grade back', () => {
    // 1 + 2 = 3 < 5: without more, "total − a − b" would be the two small grades' pay. b (7) is the smallest.
    const g = groupGrades([row('a', 10), row('b', 7), row('c', 1, 5555), row('d', 2)], 5);
    assert.deepEqual(counts(g), [
      ['a', 10],
      [null, 10],
    ]);
    assert.equal((g.rows[1] as { grades: number }).grades, 3);
    assert.deepEqual([...g.shown], ['a']);
    // Only one grade of anyone: the merged row is everything, and no grade is named.
    const one = groupGrades([row('a', 8), row('c', 1)], 5);
    assert.deepEqual(counts(one), [[null, 9]]);
    assert.equal(one.shown.size, 0);
  });

  test('fewer than N workers in all: every row is withheld', () => {
    const g = groupGrades([row('a', 2), row('b', 2)], 5);
    assert.deepEqual(g.rows, []);
    assert.equal(g.withheldWorkers, 4);
    assert.deepEqual(counts(groupGrades([row('a', 2), row('b', 3)], 5)), [[null, 5]]);
  });

  test('N = 1 shows every grade; a minimum group is an integer >= 1', () => {
    const grades = [row('a', 1), row('b', 2)];
    assert.deepEqual(groupGrades(grades, 1).rows, grades);
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => groupGrades(grades, bad), RangeError);
  });

  test('property: every row has at least N workers, every worker is in exactly one row, shown grades ≥ N', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (sizes, n) => {
          const grades = sizes.map((c, i) => row(`g${i}`, c, 100 + i));
          const total = sizes.reduce((s, c) => s + c, 0);
          const g = groupGrades(grades, n);
          if (total < n) {
            assert.equal(g.rows.length, 0);
            assert.equal(g.withheldWorkers, total);
            return;
          }
          assert.equal(
            g.rows.reduce((s, r) => s + r.count, 0),
            total,
          );
          for (const r of g.rows) assert.ok(r.count >= n, `a row of ${r.count} < ${n}`);
          for (const r of grades) {
            if (r.count < n) assert.ok(!g.shown.has(r.grade));
            if (g.shown.has(r.grade)) assert.ok(g.rows.includes(r));
          }
          assert.ok(g.rows.filter((r) => r.grade === null).length <= 1);
          const totals = g.rows.reduce((s, r) => s + r.currentTotal, 0n);
          assert.equal(
            totals,
            grades.reduce((s, r) => s + r.currentTotal, 0n),
          );
        },
      ),
    );
  });
});

// Four grades; baseRate 100 × 100 hours → pay = 10000 × coefficient.
const tariff = (low: string): SchemeDocument['grades'] => [
  { id: '1', coefficient: low },
  { id: '2', coefficient: '1.5' },
  { id: 'lone', coefficient: '1.2345' },
];
const current = scheme({ grades: tariff('1') });
const raised = scheme({ version: 2, grades: tariff('1.1') });
const staff = (n1: number, n2: number, lone: number) =>
  workers([
    ...Array.from({ length: n1 }, (_, i) => ({ id: `a${i}`, grade: '1', hours: '100' })),
    ...Array.from({ length: n2 }, (_, i) => ({ id: `b${i}`, grade: '2', hours: '100' })),
    ...Array.from({ length: lone }, (_, i) => ({ id: `l${i}`, grade: 'lone', hours: '100' })),
  ]);

describe('the minimum group in the exports', () => {
  test("comparison: a grade of one is merged; no single worker's change, lowest or highest pay is listed", () => {
    const c = compareSchemes(current, raised, staff(7, 6, 1), '2026-11', { biggest: 20 });
    const lonePay = 12345;
    assert.equal(c.grades.find((g) => g.grade === 'lone')!.currentTotal, BigInt(lonePay));
    const j = comparisonJson(c, { individuals: false, minimumGroup: 5 });
    assert.ok(!('withheld' in j));
    if ('withheld' in j) return;
    assert.equal(j.minimumGroup, 5);
    // Grade "2" (6, the smallest shown) completes the merged row: 1 + 6 = 7.
    assert.deepEqual(
      j.grades.map((g) => [g.grade, g.count]),
      [
        ['1', 7],
        [null, 7],
      ],
    );
    assert.ok(!JSON.stringify(j.grades).includes(String(lonePay)));
    assert.ok(!JSON.stringify(j).includes('"lone"'), 'the grade of one worker is named nowhere');
    // Asked for the biggest 20 changes, none is listed (each is one worker's pay), nor the lowest or highest pay.
    assert.deepEqual([j.biggestGains, j.biggestLosses], [[], []]);
    assert.deepEqual([j.measures.current.lowest, j.measures.current.highest], [null, null]);
    // 14 workers, one Lorenz point per worker without the rule; with it, steps of at least 5 workers.
    assert.equal(comparisonJson(c).measures.current.lorenz.length, 15);
    const ps = j.measures.current.lorenz.map((q) => Math.round(q.p * 14));
    assert.deepEqual(ps, [0, 5, 14]);
    // Without a minimum group (the CLI, individuals) nothing changes.
    const all = comparisonJson(c, { individuals: false });
    assert.deepEqual(
      all.grades.map((g) => g.grade),
      ['1', '2', 'lone'],
    );
    assert.ok(
      all.biggestGains.length > 0 && !('id' in all.biggestGains[0]!),
      'the CLI keeps amounts, not ids',
    );
    const ind = comparisonJson(c, { individuals: true, minimumGroup: 5 });
    assert.ok(!('withheld' in ind) && 'id' in ind.biggestGains[0]!);
    assert.ok(!('withheld' in ind) && ind.grades.length === 3, 'individuals: the minimum group is ignored');
  });

  test('a comparison, payroll and report of N − 1 workers show only the count; of N, everything', () => {
    for (const [size, kept] of [
      [4, false],
      [5, true],
    ] as const) {
      const w = staff(size - 1, 0, 1);
      const c = compareSchemes(current, raised, w, '2026-11');
      const j = comparisonJson(c, { individuals: false, minimumGroup: 5 });
      const p = runPayroll(current, w, '2026-11');
      const report = inequalityReport(p.pay);
      const pj = payrollJson(p, report, { individuals: false, minimumGroup: 5 });
      const rj = reportJson(report, { minimumGroup: 5 });
      const csv = reportCsv(report, { minimumGroup: 5 });
      if (kept) {
        assert.ok(!('withheld' in j) && j.grades.length === 1 && j.grades[0]!.grade === null);
        assert.ok(
          !('withheld' in pj) && pj.report.lorenz.length === 2,
          'five workers: no point between 0 and all',
        );
        assert.ok(!('withheld' in rj) && rj.lowest === null && rj.count === 5);
        assert.match(csv, /\r\ngini,/);
        continue;
      }
      for (const x of [j, pj, rj]) {
        assert.equal(x.count, 4);
        assert.ok('withheld' in x);
        assert.equal(x.withheld.reason, WITHHELD_REASON);
        assert.equal(x.withheld.minimumGroup, 5);
      }
      assert.deepEqual(Object.keys(j).sort(), [
        'count',
        'currency',
        'current',
        'period',
        'proposed',
        'withheld',
      ]);
      assert.deepEqual(Object.keys(pj).sort(), ['count', 'period', 'scheme', 'withheld']);
      assert.deepEqual(Object.keys(rj).sort(), ['count', 'withheld']);
      assert.equal(csv, `measure,value,exact\r\ncount,4,4\r\nwithheld,${WITHHELD_REASON},5\r\n`);
      for (const text of [JSON.stringify(j), JSON.stringify(pj), JSON.stringify(rj), csv]) {
        assert.ok(!/12345|10000|11000/.test(text), text);
      }
    }
  });
});

describe('the constitution’s payMinimumGroup', () => {
  test('absent means 5; an integer >= 1 is kept; anything else names the field', () => {
    assert.equal(payMinimumGroup(parseConstitution(undefined)), 5);
    assert.equal(parseConstitution(undefined).payMinimumGroup, undefined, 'not written unless set');
    assert.equal(payMinimumGroup(parseConstitution({ payMinimumGroup: 1 })), 1);
    assert.equal(payMinimumGroup(parseConstitution({ payMinimumGroup: 10 })), 10);
    for (const bad of [0, -3, 2.5, '5', null]) {
      assert.throws(
        () => parseConstitution({ payMinimumGroup: bad }),
        (e: unknown) => e instanceof InvalidCommand && e.field === 'constitution.payMinimumGroup',
      );
    }
  });
});
