// Golden vectors of our own encodings: a small election board made with the noble backend from a fixed seed and
// stored in test/vectors/ballot/golden-v1.json; the libsodium backend must reproduce it byte for byte, and both
// must verify it. Regenerate (only after a deliberate protocol change) with UPDATE_GOLDEN=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { nobleGroup, sodiumGroup, verifyBoard, type Group } from '../../src/ballot/index.ts';
import { buildElection, runElection } from './fixture.ts';

const file = new URL('../vectors/ballot/golden-v1.json', import.meta.url);
const manifest = {
  electionId: 'golden',
  title: 'Golden vector election',
  opensAt: 1_700_000_000_000,
  closesAt: 1_700_000_600_000,
  contests: [
    { id: 'q1', title: 'yes/no/abstain', options: ['yes', 'no', 'abstain'], min: 1, max: 1, optionMax: 1 },
    { id: 'q2', title: 'approve up to 2', options: ['a', 'b', 'c'], min: 0, max: 2, optionMax: 1 },
  ],
};

function make(g: Group) {
  const f = buildElection(g, { n: 3, k: 2, voters: 3, manifest, seed: 'golden-v1' });
  const run = runElection(
    g,
    f,
    {
      votes: [
        {
          voter: 0,
          choices: [
            [1, 0, 0],
            [1, 1, 0],
          ],
        },
        {
          voter: 1,
          choices: [
            [0, 1, 0],
            [0, 0, 0],
          ],
          challengeFirst: true,
        },
        {
          voter: 2,
          choices: [
            [0, 0, 1],
            [0, 0, 1],
          ],
        },
        {
          voter: 0,
          choices: [
            [0, 1, 0],
            [1, 0, 0],
          ],
        },
      ],
      decrypting: [3, 1],
    },
    'golden-v1-votes',
  );
  return { fingerprint: f.election.fingerprint, codes: run.codes, board: run.board };
}

if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, JSON.stringify(make(nobleGroup), null, 1) + '\n');
const golden = JSON.parse(readFileSync(file, 'utf8'));

test('golden-v1: the libsodium backend reproduces the noble-made board byte for byte', async () => {
  const fromSodium = make(await sodiumGroup());
  assert.equal(fromSodium.fingerprint, golden.fingerprint);
  assert.deepEqual(JSON.parse(JSON.stringify(fromSodium)), golden);
});

test('golden-v1: both backends verify the stored board', async () => {
  for (const g of [nobleGroup, await sodiumGroup()]) {
    const report = verifyBoard(g, golden.board);
    assert.equal(report.ok, true);
    assert.deepEqual(report.tallies, [
      [0, 2, 1],
      [1, 0, 1],
    ]);
  }
});
