// Debian constitution appendix A.6 against every vote in test/vectors/debian-votes: the published pairwise
// matrix, quorum, majority ratios and winners, recomputed from the published tally sheet.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readDebianTally } from '../../src/count/formats/debian-tally.ts';
import { PairwiseMatrix } from '../../src/count/pairwise.ts';
import { countDebian, debianQuorumDecimal, debianQuorumMet } from '../../src/count/debian.ts';
import { parseUnits } from '../../src/count/fixed-point.ts';
import { formatRational } from '../../src/count/fixed-point.ts';
import { exactRatio } from '../../src/lib/rational.ts';

const root = join(import.meta.dirname, '../vectors/debian-votes');
const votes = readdirSync(root).flatMap((year) =>
  readdirSync(join(root, year))
    .filter((f) => f.endsWith('_tally.txt'))
    .map((f) => join(root, year, f.replace('_tally.txt', ''))),
);

function published(base: string, n: number) {
  const text = readFileSync(`${base}_results.txt`, 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s+===/.test(l));
  const matrix: (bigint | null)[][] = [];
  for (let x = 0; x < n; x++) {
    const nums = lines[start + 1 + x]!.replace(/^Option\s+\d+/, '')
      .trim()
      .split(/\s+/)
      .map(BigInt);
    assert.equal(nums.length, n - 1, `row ${x + 1} of the published matrix`);
    matrix.push(Array.from({ length: n }, (_, y) => (y === x ? null : nums[y < x ? y : y - 1]!)));
  }
  const quorum = [...text.matchAll(/Option (\d+) Reached quorum: (\d+) > ([\d.]+)/g)].map((m) => ({
    option: Number(m[1]) - 1,
    votes: BigInt(m[2]!),
    q: m[3]!,
  }));
  const majority = [
    ...text.matchAll(
      /(?:Option (\d+) passes|Dropping Option (\d+) because of) Majority\.\s+(?:\(([\d.]+)\)\s+)?([\d.]+) \((\d+)\/(\d+)\) (>=|>|<) (\d+)/g,
    ),
  ].map((m) => ({
    option: Number(m[1] ?? m[2]) - 1,
    passes: m[1] !== undefined,
    long: m[3],
    ratio: m[4]!,
    over: BigInt(m[5]!),
    against: BigInt(m[6]!),
    required: BigInt(m[8]!),
  }));
  const winnersText = text.slice(text.indexOf('The winners are:'));
  const winners = [...winnersText.matchAll(/^\s+Option (\d+) "/gm)].map((m) => Number(m[1]) - 1);
  const schwartzText = text.slice(
    text.indexOf('The Schwartz Set contains:'),
    text.indexOf('The winners are:'),
  );
  const schwartz = [...schwartzText.matchAll(/^\s+Option (\d+) "/gm)].map((m) => Number(m[1]) - 1);
  const tallied = /votes tallied = (\d+)/.exec(text)?.[1];
  const developers = BigInt(
    /Current Developer Count = (\d+)/.exec(readFileSync(`${base}_quorum.txt`, 'utf8'))![1]!,
  );
  return { matrix, quorum, majority, winners, schwartz, tallied, developers };
}

describe('Debian constitution A.6 (debian-votes vectors)', () => {
  for (const base of votes) {
    const name = base.slice(root.length + 1);
    test(`${name}: matrix, quorum 3·√N/2, majority S:1, Schwartz set and Schulze winner`, () => {
      const file = readDebianTally(readFileSync(`${base}_tally.txt`, 'utf8'));
      const n = file.candidates.length;
      const pub = published(base, n);
      const m = PairwiseMatrix.fromStore(file.store);
      for (let x = 0; x < n; x++)
        for (let y = 0; y < n; y++)
          if (x !== y) assert.equal(m.get(x, y), pub.matrix[x]![y], `V(${x + 1},${y + 1})`);
      if (pub.tallied) assert.equal(file.store.totalWeight, BigInt(pub.tallied));
      const supermajority = new Map(pub.majority.map((mj) => [mj.option, mj.required]));
      const result = countDebian(m, { defaultOption: n - 1, developers: pub.developers, supermajority });
      for (const q of pub.quorum) {
        const mine = result.options.find((o) => o.option === q.option)!;
        assert.equal(mine.over, q.votes);
        assert.equal(mine.quorumMet, true);
        assert.equal(debianQuorumMet(q.votes, pub.developers), true);
        // The published Q (Perl float, up to 15 digits) agrees with the exact value to its last printed digit.
        const places = q.q.split('.')[1]!.length;
        const exact = parseUnits(debianQuorumDecimal(pub.developers, places + 3), places + 3);
        const printed = parseUnits(q.q, places) * 1000n;
        assert.ok(exact - printed < 1000n && printed - exact <= 1000n, `Q ${q.q} vs ${exact}`);
      }
      assert.ok(pub.majority.length > 0);
      for (const mj of pub.majority) {
        const mine = result.options.find((o) => o.option === mj.option)!;
        assert.equal(mine.over, mj.over);
        assert.equal(mine.against, mj.against);
        assert.equal(mine.ratio, mj.ratio, `ratio of option ${mj.option + 1}`);
        assert.equal(mine.majorityMet, mj.passes, `majority of option ${mj.option + 1}`);
        if (mj.long) {
          // devotee also prints the exact quotient to 40 decimals (Math::BigFloat, rounded to nearest).
          const places = mj.long.split('.')[1]!.length;
          assert.equal(formatRational(exactRatio(mj.over, mj.against), places, 'half-even'), mj.long);
        }
      }
      assert.deepEqual(result.schwartz, pub.schwartz, 'Schwartz set');
      assert.deepEqual(result.winners, pub.winners, 'winners');
    });
  }
});

test('Debian quorum is decided without square roots: 4V² > 9N', () => {
  // N = 100: Q = 15 exactly, so 15 votes do not reach it and 16 do.
  assert.equal(debianQuorumMet(15n, 100n), false);
  assert.equal(debianQuorumMet(16n, 100n), true);
  assert.equal(debianQuorumDecimal(100n, 3), '15.000');
  assert.equal(debianQuorumDecimal(972n, 13), '46.7653718043596'); // truncated; Perl printed ...597 rounded
});
