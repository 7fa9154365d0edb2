// The board generator's group (bench/known-logs-group.ts) makes the very ballots the sodium group makes: the same
// randomness gives the same bytes, for one-of-three and for ranges over 0..2 with several options, and the checker
// accepts them; it refuses to read a point whose logarithm it does not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkBallot,
  encryptBallot,
  sodiumGroup,
  sumBallots,
  type Manifest,
} from '../../src/ballot/index.ts';
import { pointFromHex } from '../../src/ballot/codec.ts';
import { jointSecret, knownLogsGroup } from '../../bench/known-logs-group.ts';
import { buildElection, manifest3, seededRandom } from './fixture.ts';

const g = await sodiumGroup();

const ranges: Manifest = {
  ...manifest3,
  contests: [
    manifest3.contests[0]!,
    { id: 'budget', title: 'Budget', options: ['a', 'b', 'c', 'd'], min: 0, max: 4, optionMax: 2 },
  ],
};

for (const [name, manifest, choices] of [
  ['one of three', manifest3, [[[1, 0, 0]], [[0, 0, 1]]]],
  [
    'two contests, ranges 0..2',
    ranges,
    [
      [
        [0, 1, 0],
        [2, 0, 1, 1],
      ],
      [
        [0, 0, 1],
        [0, 0, 0, 0],
      ],
    ],
  ],
] as const) {
  test(`known-logs group: the same ballots as the sodium group (${name})`, () => {
    const f = buildElection(g, { n: 5, k: 3, voters: choices.length, manifest, seed: `known-${name}` });
    const { election, voters } = f;
    const k = jointSecret(g, f.trusteeShares.slice(2, 5));
    const kg = knownLogsGroup(g, [{ point: pointFromHex(g, election.jointKey, 'K'), log: k }]);
    const made = choices.map((c, i) => {
      const plain = encryptBallot(g, election, voters[i]!.secret, c, seededRandom(`b-${i}`));
      const fast = encryptBallot(kg, election, voters[i]!.secret, c, seededRandom(`b-${i}`));
      assert.deepEqual(fast, plain);
      const verdict = checkBallot(g, election, fast.ballot, manifest.opensAt + 1, new Set());
      assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
      return fast.ballot;
    });
    // the sums of the ballots it made, read back through it, are the sodium group's
    assert.deepEqual(sumBallots(kg, election, made), sumBallots(g, election, made));
    kg.forget();
    assert.throws(() => sumBallots(kg, election, made), /log the generator does not know/);
  });
}
