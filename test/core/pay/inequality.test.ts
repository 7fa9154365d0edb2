import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { inequalityReport, MEASURES, toNumber, type Rational } from '../../../src/core/pay/index.ts';
import { compare } from '../../../src/lib/rational.ts';

const report = (xs: number[]) => inequalityReport(new Float64Array(xs));
const same = (a: Rational | null, b: Rational | null) => assert.deepEqual(a, b);

describe('inequality measures against published values', () => {
  // R package ineq (Zeileis), help page ?ineq, example vector of incomes; ineq(x) (the Gini, corr = FALSE)
  // prints 0.4620911 — the value quoted by ports of ineq that test against it, e.g. scalar-ineq's IneqTest
  // ("The vector given in R doc ... 0.4620911") and concentrationMetrics' examples ("Gini: 0.4620911").
  const ineqExample = [541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261];

  test('Gini of the R ineq documentation example is 0.4620911', () => {
    const r = report(ineqExample);
    assert.equal(r.measures.gini, '0.462091');
    assert.ok(Math.abs(toNumber(r.exact.gini!) - 0.4620911) < 5e-8);
  });

  test('Gini of c(1,3,2,1,1,1,4) is 0.3076923 (R phylotools ?gini example, algorithm from ineq) = 4/13', () => {
    const r = report([1, 3, 2, 1, 1, 1, 4]);
    assert.deepEqual(r.exact.gini, { num: 4n, den: 13n });
    assert.equal(r.measures.gini, '0.307692');
  });

  test('Gini of {1,2,3,4,5} is 4/15 (by hand from the definition)', () => {
    // G = Σi Σj |xi − xj| / (2 n² μ); Σ over ordered pairs = 2 · (4·1 + 3·2 + 2·3 + 1·4) = 40; 40 / (2 · 25 · 3) = 4/15
    assert.deepEqual(report([5, 3, 1, 4, 2]).exact.gini, { num: 4n, den: 15n });
  });

  test('Gini of 1..n is (n−1)/(3n), the discrete uniform, and tends to 1/3 (uniform on [0,1])', () => {
    for (const n of [2, 10, 1000, 100_000]) {
      const r = inequalityReport(Float64Array.from({ length: n }, (_, i) => i + 1));
      same(
        r.exact.gini,
        (() => {
          const g = BigInt(n - 1);
          const d = BigInt(3 * n);
          const k = gcd(g, d);
          return { num: g / k, den: d / k };
        })(),
      );
    }
    const big = inequalityReport(Float64Array.from({ length: 1_000_000 }, (_, i) => i + 1));
    assert.ok(Math.abs(toNumber(big.exact.gini!) - 1 / 3) < 1e-6); // (n−1)/(3n) − 1/3 = −1/(3n)
  });

  test('Gini of the exponential distribution is 1/2 (closed form), approached by its quantiles', () => {
    // x_i = F⁻¹((i − ½)/n) for F(x) = 1 − e^(−x), in units of 1/1000 to make integer pay. Doubles here only
    // build the sample; the tolerance covers the integer rounding and the finite n.
    const n = 200_000;
    const xs = Float64Array.from({ length: n }, (_, i) => Math.round(-Math.log(1 - (i + 0.5) / n) * 1e6));
    const g = toNumber(inequalityReport(xs).exact.gini!);
    assert.ok(Math.abs(g - 0.5) < 1e-3, `Gini ${g}`);
  });

  test('quantiles are type 7 (R default): quantile(1:10, c(.1,.5,.9)) = 1.9, 5.5, 9.1', () => {
    const r = report([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(
      [r.measures.p10, r.measures.median, r.measures.p90],
      ['1.900000', '5.500000', '9.100000'],
    );
    assert.equal(r.measures.p90p10, '4.789474'); // 9.1 / 1.9 = 91/19
  });

  test('shares and the Palma ratio of 1..10 by hand', () => {
    // Bottom 40 %: 1+2+3+4 = 10 of 55; top 10 %: 10 of 55; Palma = 1
    const r = report([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(r.exact.bottom40Share, { num: 2n, den: 11n });
    assert.deepEqual(r.exact.top10Share, { num: 2n, den: 11n });
    assert.deepEqual(r.exact.palma, { num: 1n, den: 1n });
    assert.deepEqual(r.exact.highestLowest, { num: 10n, den: 1n });
    assert.equal(r.measures.mean, '5.500000');
  });

  test('with n not a multiple of 10 the Lorenz curve is interpolated linearly', () => {
    // 1..5: L(0.4) = C_2/T = 3/15; L(0.9) = (C_4 + 0.5 · x_5)/T = (10 + 2.5)/15 → top 10 % share 2.5/15 = 1/6
    const r = report([1, 2, 3, 4, 5]);
    assert.deepEqual(r.exact.bottom40Share, { num: 1n, den: 5n });
    assert.deepEqual(r.exact.top10Share, { num: 1n, den: 6n });
    assert.equal(r.lorenz.length, 6);
    assert.deepEqual(
      r.lorenz.map((p) => p.share),
      [0, 1 / 15, 3 / 15, 6 / 15, 10 / 15, 1],
    );
  });

  test('the Lorenz curve has at most 101 points, from (0,0) to (1,1), non-decreasing and convex', () => {
    const r = inequalityReport(Float64Array.from({ length: 12_345 }, (_, i) => (i * 7919) % 5000));
    assert.equal(r.lorenz.length, 101);
    assert.deepEqual(r.lorenz[0], { p: 0, share: 0 });
    assert.deepEqual(r.lorenz[100], { p: 1, share: 1 });
    for (let k = 1; k <= 100; k++) {
      assert.ok(r.lorenz[k]!.share >= r.lorenz[k - 1]!.share);
      assert.ok(r.lorenz[k]!.share <= r.lorenz[k]!.p + 1e-12);
    }
  });

  test('undefined measures are null, not Infinity: no workers, zero pay, a zero lowest pay', () => {
    const empty = report([]);
    assert.equal(empty.count, 0);
    for (const m of MEASURES) assert.equal(empty.measures[m], null);
    const zeros = report([0, 0, 0]);
    assert.equal(zeros.measures.gini, null);
    assert.equal(zeros.measures.mean, '0.000000');
    const withZero = report([0, 10, 20]);
    assert.equal(withZero.measures.highestLowest, null);
    assert.equal(withZero.measures.gini, '0.444444'); // (2·(0+20+60) − 4·30)/(3·30) = 40/90
  });

  test('pay must be non-negative safe integers', () => {
    assert.throws(() => report([1, -1]), /pay/);
    assert.throws(() => report([1, 1.5]), /pay/);
    assert.throws(() => report([1, NaN]), /pay/);
  });

  // R ineq ?major: "y is result of Pigou-Dalton-transfers" from x, so y is less unequal.
  test('the R ineq ?major example: Pigou–Dalton transfers lower the Gini', () => {
    const y = [841, 2063, 2445, 3438, 4437, 5401, 6392, 8304, 11304, 21961];
    assert.ok(compare(report(y).exact.gini!, report(ineqExample).exact.gini!) < 0);
  });
});

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

describe('inequality measures: properties', () => {
  const pays = fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 2, maxLength: 60 });
  const ratios = ['gini', 'palma', 'p90p10', 'top10Share', 'bottom40Share', 'highestLowest'] as const;

  test('the Gini of equal pay is 0 (and every ratio of shares is the equal split)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 500 }), (pay, n) => {
        const r = inequalityReport(new Float64Array(n).fill(pay));
        assert.deepEqual(r.exact.gini, { num: 0n, den: 1n });
        assert.deepEqual(r.exact.highestLowest, { num: 1n, den: 1n });
        assert.deepEqual(r.exact.p90p10, { num: 1n, den: 1n });
        assert.deepEqual(r.exact.palma, { num: 1n, den: 4n }); // 10 % of pay over 40 % of pay
      }),
      { numRuns: 100 },
    );
  });

  test('scaling all pay leaves every ratio unchanged, exactly', () => {
    fc.assert(
      fc.property(pays, fc.integer({ min: 2, max: 1000 }), (xs, k) => {
        const a = report(xs);
        const b = report(xs.map((x) => x * k));
        for (const m of ratios) same(a.exact[m], b.exact[m]);
        assert.deepEqual(a.lorenz, b.lorenz);
      }),
      { numRuns: 200 },
    );
  });

  test('a transfer from richer to poorer that keeps their order never raises the Gini', () => {
    fc.assert(
      fc.property(pays, fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (xs, i, j, f) => {
        const a = i % xs.length;
        const b = j % xs.length;
        const [poor, rich] = xs[a]! <= xs[b]! ? [a, b] : [b, a];
        const t = Math.floor(((xs[rich]! - xs[poor]!) / 2) * f); // at most half the gap: the order is kept
        const ys = [...xs];
        ys[rich]! -= t;
        ys[poor]! += t;
        const before = report(xs).exact.gini;
        const after = report(ys).exact.gini;
        if (before === null || after === null) return;
        assert.ok(compare(after, before) <= 0);
        if (t > 0 && xs[rich]! > xs[poor]!) assert.ok(compare(after, before) < 0);
      }),
      { numRuns: 300 },
    );
  });

  test('the Gini agrees with the mean absolute difference definition (Σ|xi−xj| / 2n²μ)', () => {
    fc.assert(
      fc.property(pays, (xs) => {
        const total = xs.reduce((s, x) => s + BigInt(x), 0n);
        if (total === 0n) return;
        let diff = 0n;
        for (const x of xs) for (const y of xs) diff += BigInt(x > y ? x - y : y - x);
        const n = BigInt(xs.length);
        const g = report(xs).exact.gini!;
        assert.equal(g.num * 2n * n * total, diff * g.den);
      }),
      { numRuns: 200 },
    );
  });
});

describe('exact sums near 2^53', () => {
  test('totals and the Gini stay exact for pay up to 2^53 − 1', async () => {
    const { exactSum } = await import('../../../src/core/pay/exact-sum.ts');
    const xs = [2 ** 53 - 1, 2 ** 53 - 3, 2 ** 52 + 1, 2 ** 52 - 1, 7, 1];
    const big = xs.map(BigInt);
    const total = big.reduce((a, b) => a + b, 0n);
    assert.equal(exactSum(new Float64Array(xs)), total);
    const r = inequalityReport(new Float64Array(xs));
    assert.equal(r.total, total);
    // Gini by the mean-difference definition in bigint: Σ|xi − xj| / (2 n² μ) = Σ|xi − xj| / (2 n T)
    let diff = 0n;
    for (const x of big) for (const y of big) diff += x > y ? x - y : y - x;
    const g = r.exact.gini!;
    assert.equal(g.num * 2n * BigInt(xs.length) * total, diff * g.den);
  });
});

describe('the two ways of ordering pay give the same report', () => {
  // The report reads the sorted pay from a histogram when the values span a small range, else from a sorted copy.
  const both = (xs: Float64Array) => {
    const h = inequalityReport(xs, { order: 'histogram' });
    const s = inequalityReport(xs, { order: 'sort' });
    assert.deepEqual(h, s);
    return h;
  };

  test('for any pay (fast-check), including repeated values and a single worker', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 400 }), (xs) => {
        both(new Float64Array(xs));
      }),
      { numRuns: 300 },
    );
  });

  test('with sums that pass 2^53 (counts × pay and rank sums in bigint)', () => {
    const big = 2 ** 45;
    const xs = Float64Array.from({ length: 100_000 }, (_, i) => big + (i % 3));
    const r = both(xs);
    assert.equal(r.total, BigInt(big) * 100_000n + 99_999n); // Σ (i mod 3) for i < 100 000 = 33 333 × 3 = 99 999
    const top = Float64Array.from([2 ** 52, 2 ** 52 + 1, 2 ** 52 + 2, 2 ** 52 + 2]);
    both(top);
  });

  test('auto picks either and agrees: a narrow range, and one spread past the histogram limit', () => {
    const narrow = Float64Array.from({ length: 10_000 }, (_, i) => 30_000 + ((i * 7919) % 20_000));
    assert.deepEqual(inequalityReport(narrow), inequalityReport(narrow, { order: 'sort' }));
    const wide = Float64Array.from({ length: 1_000 }, (_, i) => (i * 104_729) % 2 ** 30);
    assert.deepEqual(inequalityReport(wide), inequalityReport(wide, { order: 'histogram' }));
  });
});
