// Property tests (fast-check) of the counting methods: ballot order never changes a result; a recount equals the
// count; identical ballots as one weighted entry count the same; a Condorcet winner wins Schulze and ranked pairs;
// a majority of first choices wins IRV; ballot files survive a write-then-read round trip.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countVote, type CountBallot, type MethodId } from '../../src/count/index.ts';
import { BallotStore } from '../../src/count/ballot-store.ts';
import { PairwiseMatrix } from '../../src/count/pairwise.ts';
import { condorcetWinner } from '../../src/count/condorcet.ts';
import { readBlt, writeBlt } from '../../src/count/formats/blt.ts';
import { readCsvBallots, writeCsvBallots } from '../../src/count/formats/csv-ballots.ts';
import { readCvotes, writeCvotes } from '../../src/count/formats/cvotes.ts';
import { readDebianTally, writeDebianTally } from '../../src/count/formats/debian-tally.ts';

const OPTIONS = ['A', 'B', 'C', 'D', 'E'];

/** A ranked ballot over the first k options: a permutation, truncated, with weight 1..3. */
const ballot = (k: number) =>
  fc
    .record({
      order: fc.shuffledSubarray(OPTIONS.slice(0, k), { minLength: 1, maxLength: k }),
      weight: fc.bigInt({ min: 1n, max: 3n }),
    })
    .map(({ order, weight }) => ({ ranking: order.map((o) => [o]), weight }) as CountBallot);

const profile = fc.integer({ min: 3, max: 5 }).chain((k) =>
  fc.record({
    k: fc.constant(k),
    ballots: fc.array(ballot(k), { minLength: 1, maxLength: 30 }),
    perm: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
  }),
);

const shuffle = <T>(xs: T[], perm: number[]): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = perm[i % perm.length]! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

const RANKED: MethodId[] = [
  'schulze',
  'ranked-pairs',
  'borda',
  'irv',
  'wigm-stv',
  'scottish-stv',
  'meek-stv',
  'debian',
];
const spec = (method: MethodId, k: number) => ({
  method,
  options: OPTIONS.slice(0, k),
  seats: method.endsWith('stv') ? 2 : 1,
  tieBreak: { kind: 'backwards' as const, seed: 'property' },
  ...(method === 'debian' ? { defaultOption: OPTIONS[k - 1]! } : {}),
});

describe('properties of every ranked method', () => {
  for (const method of RANKED) {
    test(`${method}: ballot order never changes the result, and a recount equals the count`, () => {
      fc.assert(
        fc.property(profile, ({ k, ballots, perm }) => {
          const s = spec(method, k);
          const first = countVote(s, ballots);
          assert.deepEqual(countVote(s, shuffle(ballots, perm)), first);
          assert.deepEqual(countVote(s, ballots), first);
        }),
        { numRuns: 60 },
      );
    });
    test(`${method}: identical ballots given one by one count the same as one weighted entry`, () => {
      fc.assert(
        fc.property(profile, ({ k, ballots }) => {
          const s = spec(method, k);
          const expanded = ballots.flatMap((b) =>
            Array.from({ length: Number(b.weight) }, () => ({ ...b, weight: 1n })),
          );
          assert.deepEqual(countVote(s, expanded).winners, countVote(s, ballots).winners);
        }),
        { numRuns: 40 },
      );
    });
  }
});

test('plurality, approval and score: ballot order never changes the result', () => {
  const choice = fc.record({
    choice: fc.constantFrom('A', 'B', 'C', null),
    weight: fc.bigInt({ min: 1n, max: 3n }),
  });
  const approve = fc.record({
    approve: fc.subarray(['A', 'B', 'C']),
    weight: fc.bigInt({ min: 1n, max: 3n }),
  });
  const scores = fc.record({
    scores: fc.record({ A: fc.nat(5), B: fc.nat(5), C: fc.nat(5) }, { requiredKeys: [] }),
  });
  const perm = fc.array(fc.nat(), { minLength: 30, maxLength: 30 });
  const options = ['A', 'B', 'C'];
  const tieBreak = { kind: 'lot' as const, seed: 'order' };
  fc.assert(
    fc.property(
      fc.array(choice, { maxLength: 30 }),
      fc.array(approve, { maxLength: 30 }),
      fc.array(scores, { maxLength: 30 }),
      perm,
      (cs, as, ss, p) => {
        const same = (method: MethodId, bs: CountBallot[]) =>
          assert.deepEqual(
            countVote({ method, options, seats: 2, maxScore: 5, tieBreak }, shuffle(bs, p)),
            countVote({ method, options, seats: 2, maxScore: 5, tieBreak }, bs),
          );
        same('plurality', cs);
        same('approval', as);
        same('score', ss);
      },
    ),
    { numRuns: 100 },
  );
});

test('a Condorcet winner wins Schulze (winning votes and margins) and ranked pairs', () => {
  let seen = 0;
  fc.assert(
    fc.property(profile, ({ k, ballots }) => {
      const store = new BallotStore(OPTIONS.slice(0, k));
      for (const b of ballots) if ('ranking' in b) store.addNames(b.ranking, b.weight ?? 1n);
      const w = condorcetWinner(PairwiseMatrix.fromStore(store));
      if (w === null) return;
      seen++;
      for (const strength of ['winning-votes', 'margins'] as const) {
        assert.deepEqual(countVote({ ...spec('schulze', k), strength }, ballots).winners, [OPTIONS[w]]);
        assert.deepEqual(countVote({ ...spec('ranked-pairs', k), strength }, ballots).winners, [OPTIONS[w]]);
      }
    }),
    { numRuns: 150 },
  );
  assert.ok(seen > 10, 'the generator must produce Condorcet winners');
});

test('a majority of first choices wins IRV (and is elected in round 1 or at the final pair)', () => {
  fc.assert(
    fc.property(profile, fc.nat(), ({ k, ballots }, pick) => {
      const favourite = OPTIONS[pick % k]!;
      const others = ballots.reduce((s, b) => s + (b.weight ?? 1n), 0n);
      // Add enough ballots ranking the favourite first to hold a strict majority of first choices.
      const extra: CountBallot = { ranking: [[favourite]], weight: others + 1n };
      const r = countVote(spec('irv', k), [...ballots, extra]);
      assert.deepEqual(r.winners, [favourite]);
    }),
    { numRuns: 100 },
  );
});

describe('ballot files survive a write-then-read round trip', () => {
  const entries = (s: BallotStore) =>
    [...s.entries()].map((e) => JSON.stringify([e.ranking, e.weight.toString()])).sort();
  const storeOf = (k: number, ballots: CountBallot[]) => {
    const store = new BallotStore(OPTIONS.slice(0, k));
    for (const b of ballots) if ('ranking' in b) store.addNames(b.ranking, b.weight ?? 1n);
    return store;
  };
  test('BLT, CSV, .cvotes and Debian tally sheets', () => {
    fc.assert(
      fc.property(profile, ({ k, ballots }) => {
        const store = storeOf(k, ballots);
        const candidates = OPTIONS.slice(0, k);
        const file = {
          candidates,
          seats: 2,
          withdrawn: [],
          title: 'round "trip"',
          store,
          implicitRanking: false,
        };
        assert.deepEqual(entries(readBlt(writeBlt(file)).store), entries(store));
        assert.equal(readBlt(writeBlt(file)).title, 'round "trip"');
        assert.deepEqual(entries(readCvotes(writeCvotes(file)).store), entries(store));
        const csv = readCsvBallots(writeCsvBallots(file));
        assert.deepEqual(csv.candidates, candidates);
        assert.deepEqual(entries(csv.store), entries(store));
        const deb = readDebianTally(writeDebianTally(file));
        assert.deepEqual(deb.candidates, candidates);
        assert.deepEqual(PairwiseMatrix.fromStore(deb.store).d, PairwiseMatrix.fromStore(store).d);
      }),
      { numRuns: 60 },
    );
  });
});
