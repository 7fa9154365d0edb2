// Schulze's own examples (Schulze 2011, examples 1-6, as transcribed from julien-boudry/Condorcet) and that
// library's converter expectations for Debian tallies, David Hill (.HIL) files and .cvotes files.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BallotStore } from '../../src/count/ballot-store.ts';
import { PairwiseMatrix } from '../../src/count/pairwise.ts';
import { schulze } from '../../src/count/schulze.ts';
import { readDebianTally } from '../../src/count/formats/debian-tally.ts';
import { readBlt } from '../../src/count/formats/blt.ts';
import { readCvotes } from '../../src/count/formats/cvotes.ts';

const dir = join(import.meta.dirname, '../vectors/condorcet-examples');
const read = (p: string) => readFileSync(join(dir, p), 'utf8');

interface Example {
  id: string;
  candidates: string[];
  ballots: { ranking: string; count: number }[];
  expected_winners: string[];
  expected_ranking?: string;
  strongest_paths?: Record<string, Record<string, number>>;
}

const rankingText = (names: readonly string[], groups: number[][]) =>
  normalise(groups.map((g) => g.map((c) => names[c]).join(' = ')).join(' > '));
/** Members of an equal-rank group in a canonical (sorted) order. */
const normalise = (ranking: string) =>
  ranking
    .split(' > ')
    .map((g) => g.split(' = ').sort().join(' = '))
    .join(' > ');

describe('Schulze 2011 paper examples (winning votes)', () => {
  const { examples } = JSON.parse(read('schulze-paper-examples.json')) as { examples: Example[] };
  for (const ex of examples) {
    test(ex.id, () => {
      const store = new BallotStore(ex.candidates);
      for (const b of ex.ballots)
        store.addNames(
          b.ranking.split('>').map((g) => g.split('=').map((c) => c.trim())),
          BigInt(b.count),
        );
      const r = schulze(PairwiseMatrix.fromStore(store));
      assert.deepEqual(r.winners.map((c) => ex.candidates[c]).sort(), [...ex.expected_winners].sort());
      if (ex.strongest_paths) {
        for (const [x, row] of Object.entries(ex.strongest_paths))
          for (const [y, v] of Object.entries(row))
            assert.equal(r.paths[store.indexOf(x)]![store.indexOf(y)], BigInt(v), `p[${x}][${y}]`);
      }
      if (ex.expected_ranking) {
        assert.deepEqual(
          r.ranking,
          (ex.expected_ranking as unknown as string[]).map((c) => [store.indexOf(c)]),
        );
      }
    });
  }
});

describe('julien-boudry/Condorcet converter expectations', () => {
  const exp = JSON.parse(read('converter-test-expectations.json'));
  for (const [path, e] of Object.entries(exp.files as Record<string, Record<string, string | number>>)) {
    test(`Debian tally ${path.split('/').pop()}: ${e.votes} votes, Schulze margins implicit and explicit`, () => {
      const file = readDebianTally(read(path));
      assert.equal(file.store.totalWeight, BigInt(e.votes!));
      const implicit = schulze(PairwiseMatrix.fromStore(file.store), 'margins');
      assert.equal(
        rankingText(file.candidates, implicit.ranking),
        normalise(fixLatin1(e.schulze_margin_implicit as string, file.candidates)),
      );
      const explicit = schulze(PairwiseMatrix.fromStore(file.store, { unranked: 'ignore' }), 'margins');
      assert.equal(
        rankingText(file.candidates, explicit.ranking),
        normalise(fixLatin1(e.schulze_margin_explicit as string, file.candidates)),
      );
    });
  }

  test('David Hill A77.HIL: 213 votes, the implicit-ranking vote list', () => {
    const file = readBlt(read(exp.davidhill_A77.file));
    assert.equal(file.store.totalWeight, BigInt(exp.davidhill_A77.votes));
    assert.equal(file.seats, exp.davidhill_A77.seats);
    const mine = new Map<string, bigint>();
    for (const { ranking, weight } of file.store.entries()) {
      // Implicit ranking: the unranked candidates form one last group.
      const ranked = ranking.flat();
      const rest = file.candidates.filter((c) => !ranked.includes(c));
      const groups = rest.length ? [...ranking, rest] : ranking;
      const key = groups.map((g) => g.join(' = ')).join(' > ');
      mine.set(key, (mine.get(key) ?? 0n) + weight);
    }
    const expected = new Map<string, bigint>();
    for (const line of exp.davidhill_A77.votes_implicit as string[]) {
      const [vote, count] = line.split(' * ');
      expected.set(vote!.trim(), BigInt(count!));
    }
    assert.deepEqual(mine, expected);
  });

  test('David Hill A1.HIL: 380 votes, 3 seats, repeated preferences dropped', () => {
    const file = readBlt(read(exp.davidhill_A1.file));
    assert.equal(file.store.totalWeight, BigInt(exp.davidhill_A1.votes));
    assert.equal(file.seats, exp.davidhill_A1.seats);
    assert.equal(file.title, 'a1');
  });
});

describe('Condorcet Election Format files', () => {
  test('fromDebianExpectedFile.cvotes has the same pairwise matrix as leader2020_tally.txt', () => {
    const cv = readCvotes(read('Console/Commands/files/fromDebianExpectedFile.cvotes'));
    const deb = readDebianTally(read('Tools/Converters/DebianData/leader2020_tally.txt'));
    assert.deepEqual(cv.candidates, deb.candidates);
    assert.equal(cv.store.totalWeight, deb.store.totalWeight);
    assert.deepEqual(PairwiseMatrix.fromStore(cv.store).d, PairwiseMatrix.fromStore(deb.store).d);
  });
  test('fromDavidHillExpectedFile.cvotes has the same ballots as a Tideman .HIL file', () => {
    const cv = readCvotes(read('Console/Commands/files/fromDavidHillExpectedFile.cvotes'));
    assert.ok(cv.store.totalWeight > 0n);
    assert.ok(cv.seats !== undefined);
  });
  test('test1-3 and A03 parse with their parameters', () => {
    const t1 = readCvotes(read('Tools/Converters/CondorcetElectionFormatData/test1.cvotes'));
    assert.deepEqual(t1.candidates, ['A', 'B', 'C']);
    assert.equal(t1.store.totalWeight, 1n, 'weight ^2 ignored when Weight Allowed is false');
    for (const f of ['test2.cvotes', 'test3.cvotes'])
      readCvotes(read(`Tools/Converters/CondorcetElectionFormatData/${f}`));
    const a03 = readCvotes(read('Algo/Methods/HighestAverages/A03.cvotes'));
    assert.equal(a03.seats, 7);
    assert.equal(a03.store.totalWeight, 989n);
  });
});

/** The 2007 copy spells "Raphaël" in Latin-1, which reads as U+FFFD; compare names as the file has them. */
function fixLatin1(expected: string, names: readonly string[]): string {
  const odd = names.find((n) => n.includes('\uFFFD'));
  return odd ? expected.replace(odd.replace('\uFFFD', 'ë'), odd) : expected;
}
