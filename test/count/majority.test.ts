// src/count/majority.ts (the lead's majority family): simple, absolute and supermajority decisions, quorum,
// ties, abstentions that count for the quorum only, and independence from ballot order.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AGAINST,
  decideMajority,
  quorumRequired,
  type ChoiceBallot,
  type MajorityInput,
} from '../../src/count/majority.ts';

const ballots = (spec: Record<string, number>): ChoiceBallot[] =>
  Object.entries(spec).flatMap(([choice, k]) =>
    Array.from({ length: k }, () => ({ choice: choice === 'abstain' ? null : choice })),
  );

const base = (over: Partial<MajorityInput>): MajorityInput => ({
  alternatives: ['yes'],
  ballots: [],
  electorate: 100n,
  rule: { kind: 'simple' },
  quorum: { kind: 'none' },
  ...over,
});

describe('majority.ts', () => {
  test('simple majority: more for than all other votes cast', () => {
    assert.equal(decideMajority(base({ ballots: ballots({ yes: 6, [AGAINST]: 5 }) })).outcome, 'adopted');
    assert.equal(decideMajority(base({ ballots: ballots({ yes: 5, [AGAINST]: 6 }) })).outcome, 'rejected');
  });
  test('simple majority: an even split is a tie, and a tie fails', () => {
    const r = decideMajority(base({ ballots: ballots({ yes: 5, [AGAINST]: 5 }) }));
    assert.equal(r.outcome, 'tie');
    assert.equal(r.winner, null);
  });
  test('two alternatives with equal top votes tie and fail', () => {
    const r = decideMajority(
      base({ alternatives: ['a', 'b'], ballots: ballots({ a: 4, b: 4, [AGAINST]: 1 }) }),
    );
    assert.equal(r.outcome, 'tie');
    assert.equal(r.winner, null);
  });
  test('absolute majority: more than half of the electorate, not of votes cast', () => {
    assert.equal(
      decideMajority(base({ rule: { kind: 'absolute' }, ballots: ballots({ yes: 50, [AGAINST]: 1 }) }))
        .outcome,
      'rejected',
    );
    assert.equal(
      decideMajority(base({ rule: { kind: 'absolute' }, ballots: ballots({ yes: 51 }) })).outcome,
      'adopted',
    );
  });
  test('supermajority 2/3 of votes cast: exactly two thirds passes, one vote less fails', () => {
    const rule = { kind: 'supermajority' as const, num: 2, den: 3 };
    assert.equal(
      decideMajority(base({ rule, ballots: ballots({ yes: 20, [AGAINST]: 10 }) })).outcome,
      'adopted',
    );
    assert.equal(
      decideMajority(base({ rule, ballots: ballots({ yes: 19, [AGAINST]: 10 }) })).outcome,
      'rejected',
    );
  });
  test('quorum: a fraction rounds up; abstentions count toward it but not toward the result', () => {
    assert.equal(quorumRequired({ kind: 'fraction', num: 1, den: 3 }, 100n), 34n);
    assert.equal(quorumRequired({ kind: 'absolute', count: 7 }, 100n), 7n);
    const quorum = { kind: 'fraction' as const, num: 1, den: 3 };
    const short = decideMajority(base({ quorum, ballots: ballots({ yes: 20, abstain: 13 }) }));
    assert.equal(short.outcome, 'no_quorum');
    const met = decideMajority(base({ quorum, ballots: ballots({ yes: 20, [AGAINST]: 19, abstain: 1 }) }));
    assert.equal(met.quorum.present, '40');
    assert.equal(met.votesCast, '39');
    assert.equal(met.abstentions, '1');
    assert.equal(met.outcome, 'adopted');
  });
  test('weights: a deputy carrying weight 3 counts as three votes', () => {
    const r = decideMajority(
      base({ ballots: [{ choice: 'yes', weight: 3n }, { choice: AGAINST }, { choice: AGAINST }] }),
    );
    assert.equal(r.tallies.yes, '3');
    assert.equal(r.outcome, 'adopted');
  });
  test('misuse throws naming the problem', () => {
    assert.throws(() => decideMajority(base({ alternatives: [] })), /alternatives/);
    assert.throws(() => decideMajority(base({ alternatives: [AGAINST] })), /reserved/);
    assert.throws(() => decideMajority(base({ ballots: [{ choice: 'nope' }] })), /unknown option/);
    assert.throws(() => decideMajority(base({ ballots: [{ choice: 'yes', weight: 0n }] })), /weight/);
    assert.throws(
      () => decideMajority(base({ rule: { kind: 'supermajority', num: 3, den: 2 } })),
      /fraction/,
    );
  });
  test('property: the order of ballots never changes the decision', () => {
    const choice = fc.constantFrom('a', 'b', AGAINST, null);
    fc.assert(
      fc.property(
        fc.array(fc.record({ choice, weight: fc.bigInt({ min: 1n, max: 5n }) }), { maxLength: 40 }),
        fc.nat(),
        (bs, seed) => {
          const shuffled = [...bs].sort(
            (x, y) => ((bs.indexOf(x) * 7919 + seed) % 97) - ((bs.indexOf(y) * 7919 + seed) % 97),
          );
          const input = {
            alternatives: ['a', 'b'],
            electorate: 200n,
            rule: { kind: 'simple' as const },
            quorum: { kind: 'fraction' as const, num: 1, den: 4 },
          };
          assert.deepEqual(
            decideMajority({ ...input, ballots: bs }),
            decideMajority({ ...input, ballots: shuffled }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
