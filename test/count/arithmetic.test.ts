// The exact-arithmetic foundations: named rounding rules, fixed point, rationals; the seeded lot; and the Smith
// and Schwartz sets on a profile where they differ.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  divideRounded,
  FixedPoint,
  formatRational,
  formatUnits,
  parseUnits,
} from '../../src/count/fixed-point.ts';
import { add, compare, divide, exactRatio, rationalText } from '../../src/lib/rational.ts';
import { SeededLot, TieBreaker } from '../../src/count/tie-break.ts';
import { PairwiseMatrix } from '../../src/count/pairwise.ts';
import { smithSet, schwartzSet, condorcetWinner } from '../../src/count/condorcet.ts';

describe('rounding rules', () => {
  test('each named rule on positive, negative and half values', () => {
    const cases: [bigint, bigint, Record<string, bigint>][] = [
      [7n, 2n, { truncate: 3n, floor: 3n, ceiling: 4n, away: 4n, 'half-even': 4n }],
      [5n, 2n, { truncate: 2n, floor: 2n, ceiling: 3n, away: 3n, 'half-even': 2n }],
      [-7n, 2n, { truncate: -3n, floor: -4n, ceiling: -3n, away: -4n, 'half-even': -4n }],
      [7n, 3n, { truncate: 2n, floor: 2n, ceiling: 3n, away: 3n, 'half-even': 2n }],
      [6n, 3n, { truncate: 2n, floor: 2n, ceiling: 2n, away: 2n, 'half-even': 2n }],
    ];
    for (const [n, d, want] of cases)
      for (const [rule, v] of Object.entries(want))
        assert.equal(divideRounded(n, d, rule as never), v, `${n}/${d} ${rule}`);
  });
  test('Scottish 5-decimal truncation: 1/3 of a vote is 0.33333, never 0.33334', () => {
    const fp = new FixedPoint(5);
    assert.equal(fp.format(fp.div(fp.one, fp.fromInteger(3n), 'truncate')), '0.33333');
    assert.equal(fp.format(fp.div(fp.fromInteger(2n), fp.fromInteger(3n), 'truncate')), '0.66666');
    assert.equal(fp.format(fp.div(fp.fromInteger(2n), fp.fromInteger(3n), 'ceiling')), '0.66667');
    assert.equal(fp.format(fp.mulDiv(fp.parse('870'), fp.one, fp.parse('1925'), 'truncate')), '0.45194');
  });
  test('formatting and parsing are exact inverses, and more decimals than allowed is refused', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 12 }),
        (u, p) => assert.equal(parseUnits(formatUnits(u, p), p), u),
      ),
    );
    assert.throws(() => parseUnits('1.234', 2), /more than 2 decimals/);
    assert.throws(() => parseUnits('abc', 2), /not a decimal/);
    assert.throws(() => new FixedPoint(-1), /places/);
  });
  test('rationals are exact and in lowest terms', () => {
    const third = exactRatio(1n, 3n);
    assert.equal(rationalText(add(add(third, third), third)), '1');
    assert.equal(rationalText(exactRatio(6n, -4n)), '-3/2');
    assert.equal(formatRational(exactRatio(223n, 119n), 3), '1.874');
    assert.equal(compare(third, exactRatio(333n, 1000n)), 1);
    assert.throws(() => exactRatio(1n, 0n), /den/);
    assert.equal(divide(third, exactRatio(0n)), null, 'no quotient by zero');
  });
});

describe('tie-breaking', () => {
  test('the lot is a pure function of the seed and the draw number', () => {
    const a = new SeededLot('seed');
    const b = new SeededLot('seed');
    const draws = Array.from({ length: 50 }, () => a.below(7));
    assert.deepEqual(
      Array.from({ length: 50 }, () => b.below(7)),
      draws,
    );
    assert.ok(draws.every((d) => d.value >= 0 && d.value < 7));
    assert.equal(new Set(draws.map((d) => d.value)).size, 7, 'every value appears in 50 draws');
  });
  test('fixed order: the most favoured wins, the least favoured is excluded', () => {
    const t = new TieBreaker({ kind: 'fixed', order: ['C', 'A', 'B'] }, ['A', 'B', 'C']);
    assert.equal(t.choose([0, 1, 2], 'highest', 1, 'elect'), 2);
    assert.equal(t.choose([0, 1, 2], 'lowest', 1, 'exclude'), 1);
    assert.equal(t.records.length, 2);
  });
  test('backwards narrows round by round from the most recent', () => {
    const t = new TieBreaker({ kind: 'backwards' }, ['A', 'B', 'C']);
    const history = [
      [1n, 5n, 2n],
      [4n, 4n, 3n],
      [6n, 6n, 6n],
    ];
    // Tied in round 3; in round 2 C is lowest.
    assert.equal(t.choose([0, 1, 2], 'lowest', 3, 'exclude', history), 2);
    // A and B: equal in rounds 3 and 2, in round 1 B is higher.
    assert.equal(t.choose([0, 1], 'highest', 3, 'order', history), 1);
    assert.throws(() => new TieBreaker({ kind: 'lot' }, ['A']), /seed/);
  });
});

test('Smith and Schwartz sets: a three-way cycle over a tie', () => {
  // A > B > C > A, each 2:1; D loses to A and B 1:2 but ties C 1:1.
  const n = 4;
  const d = new Array<bigint>(n * n).fill(0n);
  const cells: [number, number, bigint][] = [
    [0, 1, 2n],
    [1, 0, 1n],
    [1, 2, 2n],
    [2, 1, 1n],
    [2, 0, 2n],
    [0, 2, 1n],
    [0, 3, 2n],
    [3, 0, 1n],
    [1, 3, 2n],
    [3, 1, 1n],
    [2, 3, 1n],
    [3, 2, 1n],
  ];
  for (const [x, y, v] of cells) d[x * n + y] = v;
  const m = new PairwiseMatrix(n, d);
  assert.equal(condorcetWinner(m), null);
  assert.deepEqual(schwartzSet(m), [0, 1, 2]);
  assert.deepEqual(smithSet(m), [0, 1, 2, 3], 'D ties C, so D is in the Smith set but not the Schwartz set');
});
