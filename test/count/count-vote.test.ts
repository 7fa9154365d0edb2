// countVote, the entry point the core calls: every method by id, ballot shapes, weights, JSON-safe reports,
// tie-breaking that is recorded and repeatable, and misuse that throws naming the problem.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  countVote,
  countTotals,
  ballotShape,
  methodIds,
  type CountBallot,
  type MethodId,
} from '../../src/count/index.ts';

const opts = ['A', 'B', 'C'];
const ranked = (spec: [string, number][]): CountBallot[] =>
  spec.map(([r, w]) => ({ ranking: r.split('>').map((g) => g.split('=')), weight: BigInt(w) }));
// A beats B (7:3) and C (8:2); B beats C (8:2): A is the Condorcet winner.
const profile = ranked([
  ['A>B>C', 5],
  ['B>A>C', 3],
  ['C>A>B', 2],
]);

describe('countVote', () => {
  test('every method id has a ballot shape and counts a small vote', () => {
    for (const m of methodIds) {
      const shape = ballotShape(m);
      const ballots: CountBallot[] =
        shape === 'choice'
          ? [{ choice: 'A' }, { choice: 'A' }, { choice: 'B' }]
          : shape === 'approve'
            ? [{ approve: ['A', 'B'] }, { approve: ['A'] }]
            : shape === 'scores'
              ? [{ scores: { A: 5, B: 3 } }, { scores: { A: 4, C: 5 } }]
              : profile;
      const r = countVote({ method: m, options: opts, maxScore: 5, defaultOption: 'C' }, ballots);
      assert.equal(r.method, m === 'wigm-stv' ? 'irv' : m, `method of ${m}`); // wigm-stv with 1 seat is IRV
      assert.ok(r.winners.length <= 1);
      assert.doesNotThrow(() => JSON.stringify(r), `report of ${m} is JSON-safe`);
    }
  });
  test('Condorcet winner A wins Schulze, ranked pairs and Debian; Borda agrees here', () => {
    for (const m of ['schulze', 'ranked-pairs', 'borda'] as MethodId[])
      assert.deepEqual(countVote({ method: m, options: opts }, profile).winners, ['A']);
    const deb = countVote({ method: 'debian', options: opts, defaultOption: 'C' }, profile);
    assert.deepEqual(deb.winners, ['A']);
    assert.equal((deb.details as { condorcetWinner: string }).condorcetWinner, 'A');
  });
  test('IRV: C is excluded first and its votes elect A', () => {
    const r = countVote({ method: 'irv', options: opts }, profile);
    assert.deepEqual(r.winners, ['A']);
    assert.deepEqual(r.rounds[0]!.excluded, ['C']);
    assert.equal(r.rounds[1]!.tallies.A, '7');
  });
  test('plurality, approval and score with several seats', () => {
    assert.deepEqual(
      countVote({ method: 'plurality', options: opts, seats: 2 }, [
        { choice: 'C' },
        { choice: 'C' },
        { choice: 'B' },
        { choice: null },
      ]).winners,
      ['C', 'B'],
    );
    assert.deepEqual(
      countVote({ method: 'approval', options: opts }, [
        { approve: ['B', 'C'] },
        { approve: ['B'], weight: 2n },
      ]).winners,
      ['B'],
    );
    const s = countVote({ method: 'score', options: opts, maxScore: 10 }, [
      { scores: { A: 10 } },
      { scores: { B: 6, A: 0 }, weight: 2n },
    ]);
    assert.deepEqual(s.winners, ['B']);
    assert.equal(s.rounds[0]!.tallies.B, '12');
  });
  test("majority passes the lead's rules through and reports the outcome", () => {
    const r = countVote(
      {
        method: 'majority',
        options: ['yes'],
        majority: { kind: 'supermajority', num: 2, den: 3 },
        quorum: { kind: 'absolute', count: 3 },
        electorate: 10,
      },
      [{ choice: 'yes', weight: 2n }, { choice: 'against' }, { choice: null }],
    );
    assert.deepEqual(r.winners, ['yes']);
    assert.equal(r.rounds[0]!.action, 'adopted');
  });
  test('Debian S:1: an option short of its supermajority is dropped and the default option wins', () => {
    const ballots = ranked([
      ['A>C', 5],
      ['C>A', 2],
    ]);
    assert.deepEqual(
      countVote({ method: 'debian', options: ['A', 'C'], defaultOption: 'C' }, ballots).winners,
      ['A'],
    );
    assert.deepEqual(
      countVote(
        { method: 'debian', options: ['A', 'C'], defaultOption: 'C', supermajority: { A: 3 } },
        ballots,
      ).winners,
      ['C'],
    );
    assert.deepEqual(
      countVote(
        {
          method: 'debian',
          options: ['A', 'C'],
          defaultOption: 'C',
          quorum: { kind: 'debian', developers: 100 },
        },
        ballots,
      ).winners,
      ['C'],
    );
  });
  test('a tie by lot is recorded with its seed and repeats exactly; another seed may differ', () => {
    const tied = ranked([
      ['A>B>C', 1],
      ['B>A>C', 1],
    ]);
    const spec = {
      method: 'plurality' as const,
      options: opts,
      tieBreak: { kind: 'lot' as const, seed: 'beacon-2026-11-27' },
    };
    const choice = tied.map((b) => ({
      choice: ('ranking' in b ? b.ranking[0]![0]! : null) as string | null,
    }));
    const r1 = countVote(spec, choice);
    assert.deepEqual(countVote(spec, choice), r1);
    assert.equal(r1.tieBreak!.seed, 'beacon-2026-11-27');
    assert.match(r1.rounds[0]!.tieBreaks[0]!.reason, /SHA-256\("beacon-2026-11-27:1"\)/);
    const winners = new Set(
      Array.from(
        { length: 12 },
        (_, i) => countVote({ ...spec, tieBreak: { kind: 'lot', seed: `s${i}` } }, choice).winners[0],
      ),
    );
    assert.deepEqual([...winners].sort(), ['A', 'B'], 'lots fall both ways over 12 seeds');
  });
  test('backwards tie-break looks at the most recent earlier round where the tied differed', () => {
    const ballots = ranked([
      ['A', 5],
      ['B', 3],
      ['C', 2],
      ['D>C', 1],
      ['E>B', 1],
      ['E>C', 1],
    ]);
    // Round 1: A5 B3 C2 D1 E2 → D out; round 2: A5 B3 C3 E2 → E out; round 3: A5 B4 C4: B and C tie for
    // exclusion; in round 2 they were equal (3, 3); in round 1 B had 3 and C 2, so C is excluded.
    const r = countVote({ method: 'irv', options: ['A', 'B', 'C', 'D', 'E'] }, ballots);
    const tie = r.rounds.flatMap((x) => x.tieBreaks)[0]!;
    assert.deepEqual(tie.among.sort(), ['B', 'C']);
    assert.equal(tie.chosen, 'C');
    assert.match(tie.reason, /round 1/);
  });
  test('weighted ballots count as that many voters', () => {
    const a = countVote(
      { method: 'scottish-stv', options: opts, seats: 2 },
      ranked([
        ['A>B', 3],
        ['C', 2],
        ['B', 1],
      ]),
    );
    const b = countVote(
      { method: 'scottish-stv', options: opts, seats: 2 },
      ranked([
        ['A>B', 1],
        ['A>B', 1],
        ['A>B', 1],
        ['C', 1],
        ['C', 1],
        ['B', 1],
      ]),
    );
    assert.deepEqual(a, b);
  });
  test('an empty ballot box counts under every method, ties decided and recorded', () => {
    for (const m of methodIds) {
      const r = countVote(
        { method: m, options: opts, maxScore: 5, defaultOption: 'C', seats: m.endsWith('stv') ? 2 : 1 },
        [],
      );
      assert.ok(r.winners.length <= 2, m);
      assert.doesNotThrow(() => JSON.stringify(r));
    }
  });
  test('weights beyond 2^53 take the bigint path and scale every figure exactly', () => {
    const big = 2n ** 60n + 7n;
    const small = countVote({ method: 'schulze', options: opts }, profile);
    const scaled = countVote(
      { method: 'schulze', options: opts },
      profile.map((b) => ({ ...b, weight: (b.weight ?? 1n) * big })),
    );
    const pw = (r: typeof small) =>
      (r.details as { pairwise: Record<string, Record<string, string>> }).pairwise;
    for (const [x, row] of Object.entries(pw(small)))
      for (const [y, v] of Object.entries(row)) assert.equal(BigInt(pw(scaled)[x]![y]!), BigInt(v) * big);
    assert.deepEqual(scaled.winners, small.winners);
    const stv = countVote(
      { method: 'scottish-stv', options: opts, seats: 2 },
      profile.map((b) => ({ ...b, weight: (b.weight ?? 1n) * big })),
    );
    assert.equal(stv.winners.length, 2);
  });
  test('misuse throws naming the problem', () => {
    assert.throws(
      () => countVote({ method: 'nope' as MethodId, options: opts }, []),
      /method must be one of/,
    );
    assert.throws(() => countVote({ method: 'irv', options: [] }, []), /options/);
    assert.throws(() => countVote({ method: 'irv', options: ['A', 'A'] }, []), /distinct/);
    assert.throws(
      () => countVote({ method: 'irv', options: opts }, [{ choice: 'A' }]),
      /must have "ranking"/,
    );
    assert.throws(
      () => countVote({ method: 'irv', options: opts }, [{ ranking: [['Z']] }]),
      /unknown option "Z"/,
    );
    assert.throws(() => countVote({ method: 'irv', options: opts }, [{ ranking: [['A'], ['A']] }]), /twice/);
    assert.throws(
      () => countVote({ method: 'irv', options: opts }, [{ ranking: [['A']], weight: 0n }]),
      /weight/,
    );
    assert.throws(() => countVote({ method: 'score', options: opts }, []), /maxScore/);
    assert.throws(
      () => countVote({ method: 'score', options: opts, maxScore: 5 }, [{ scores: { A: 6 } }]),
      /from 0 to 5/,
    );
    assert.throws(
      () => countVote({ method: 'debian', options: opts, defaultOption: 'Z' }, profile),
      /defaultOption/,
    );
    // Without one, the default option is "against" when offered, else the last option.
    assert.equal(
      (countVote({ method: 'debian', options: opts }, profile).details as { defaultOption: string })
        .defaultOption,
      'C',
    );
    assert.equal(
      (
        countVote({ method: 'debian', options: [...opts, 'against'] }, profile).details as {
          defaultOption: string;
        }
      ).defaultOption,
      'against',
    );
    assert.throws(() => countVote({ method: 'meek-stv', options: opts, seats: 0 }, profile), /seats/);
    assert.throws(
      () => countVote({ method: 'irv', options: opts, tieBreak: { kind: 'lot' } }, profile),
      /seed/,
    );
  });
  test('countTotals (homomorphic tallies) gives the same result as counting the ballots', () => {
    const choices = [
      { choice: 'A', weight: 3n },
      { choice: 'B', weight: 2n },
      { choice: null, weight: 4n },
    ];
    const spec = {
      method: 'majority' as const,
      options: ['A', 'B'],
      quorum: { kind: 'absolute' as const, count: 9 },
    };
    assert.deepEqual(countTotals(spec, { A: 3n, B: 2n }, 4n), countVote(spec, choices));
    const plural = { method: 'plurality' as const, options: opts, seats: 2 };
    assert.deepEqual(countTotals(plural, { A: 3n, B: 2n }).winners, countVote(plural, choices).winners);
    const appr = { method: 'approval' as const, options: opts };
    assert.deepEqual(countTotals(appr, { A: 1n, C: 2n }).winners, ['C']);
    const sc = { method: 'score' as const, options: opts, maxScore: 5 };
    assert.deepEqual(countTotals(sc, { A: 10n, B: 12n }).winners, ['B']);
    assert.throws(
      () => countTotals({ method: 'schulze', options: opts }, {}),
      /cannot be counted from totals/,
    );
    assert.throws(() => countTotals(plural, { Z: 1n }), /unknown option "Z"/);
    assert.throws(() => countTotals(plural, { A: -1n }), /non-negative/);
  });
});
