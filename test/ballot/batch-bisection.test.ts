// Batch verification with CSPRNG weights and bisection (docs/BALLOT-PROTOCOL.md §8, "Batch verification"): a batch
// with bad ballots names exactly them, with about 2·log2(batch) multi-scalar multiplications per bad ballot instead
// of re-checking every ballot of the batch alone, and with the reference path's verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  encryptBallot,
  verifyBallotBody,
  verifyBallotsBatched,
  type BallotBody,
} from '../../src/ballot/index.ts';
import { ballotContext, ballotDigest } from '../../src/ballot/ballot.ts';
import { credentialScalar } from '../../src/ballot/election.ts';
import { schnorrProve } from '../../src/ballot/schnorr.ts';
import { fromHex } from '../../src/ballot/bytes.ts';
import type { Group } from '../../src/ballot/group.ts';
import { nodeBallotCrypto } from '../../src/node/ballot-crypto.ts';
import { buildElection, manifest3, seededRandom } from './fixture.ts';

// the group as councils verify and the server run it: libsodium's, hashing with node:crypto's SHA-256
const sodium = nodeBallotCrypto.group;
const VOTERS = 41;
const f = buildElection(sodium, { n: 3, k: 2, voters: VOTERS, seed: 'bisection' });
const rnd = seededRandom('bisection-ballots');
const AT = manifest3.opensAt + 1;
const honest = f.voters.map(
  (v, i) =>
    encryptBallot(
      sodium,
      f.election,
      v.secret,
      [[i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0]],
      rnd,
    ).ballot,
);

/** The sodium group, counting its multi-scalar multiplications. */
function counting(): { g: Group; calls: () => number } {
  let calls = 0;
  const g: Group = {
    ...sodium,
    msmIsIdentity(points, scalars) {
      calls++;
      return sodium.msmIsIdentity(points, scalars);
    },
  };
  return { g, calls: () => calls };
}

const flip = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);

/**
 * Voter i's ballot with one range-proof response changed and signed again: every per-ballot check passes (the
 * challenges still sum, the code and the signature are right), only a group equation fails.
 */
function badEquation(i: number): BallotBody {
  const b = structuredClone(honest[i]!);
  const proof = b.contests[0]!.selections[1]!.proof;
  proof.v[0] = flip(proof.v[0]!);
  const hI = ballotContext(
    fromHex(f.election.fingerprint, 32, 'fp'),
    fromHex(b.id, 32, 'id'),
    fromHex(b.credential, 32, 'X'),
  );
  const digest = ballotDigest(hI, fromHex(b.code, 32, 'code'), b.contests);
  const x = credentialScalar(sodium, f.voters[i]!.secret);
  return { ...b, signature: schnorrProve(sodium, 'schnorr', [digest], x, rnd) };
}

const verdictsOf = (ballots: BallotBody[], g: Group = sodium) =>
  verifyBallotsBatched(
    g,
    f.election,
    ballots.map((ballot) => ({ ballot, at: AT })),
    { randomBytes },
  );
const names = (vs: ReturnType<typeof verdictsOf>) => vs.flatMap((v, i) => (v.ok ? [] : [`${i}:${v.check}`]));

test('one bad ballot among 41 in one batch is named, by bisection (few multiplications), as the reference path names it', () => {
  const ballots = [...honest];
  ballots[17] = badEquation(17);
  assert.deepEqual(verifyBallotBody(sodium, f.election, ballots[17], AT), {
    ok: false,
    check: '5.6',
    reason: 'range proof invalid (contest 0, option 1)',
  });
  const { g, calls } = counting();
  const verdicts = verdictsOf(ballots, g);
  assert.deepEqual(names(verdicts), ['17:5.6']);
  assert.deepEqual(verdicts[17], verifyBallotBody(sodium, f.election, ballots[17], AT));
  // the whole batch, then at most two halves a level for ⌈log2 41⌉ = 6 levels, then the bad ballot's own proofs
  // (re-checking all 41 alone, as before bisection, took more than 41)
  assert.ok(calls() <= 1 + 2 * 6 + 4, `${calls()} multi-scalar multiplications`);
});

test('two bad ballots, at the edges and in the middle of a batch, are both named; a clean batch takes one multiplication', () => {
  for (const bad of [
    [0, 40],
    [3, 30],
    [20, 21],
  ]) {
    const ballots = honest.map((b, i) => (bad.includes(i) ? badEquation(i) : b));
    assert.deepEqual(
      names(verdictsOf(ballots)),
      bad.map((i) => `${i}:5.6`),
      `bad ${bad.join(', ')}`,
    );
  }
  const { g, calls } = counting();
  assert.deepEqual(names(verdictsOf(honest, g)), []);
  assert.equal(calls(), 1);
});

test('batches of any size give the same verdicts, and the weights come from the CSPRNG passed in', () => {
  const ballots = honest.map((b, i) => (i === 9 || i === 33 ? badEquation(i) : b));
  let drawn = 0;
  const spy = (n: number) => {
    drawn += n;
    return randomBytes(n);
  };
  for (const batchSize of [1, 2, 7, 41, 512]) {
    const verdicts = verifyBallotsBatched(
      sodium,
      f.election,
      ballots.map((ballot) => ({ ballot, at: AT })),
      { randomBytes: spy, batchSize },
    );
    assert.deepEqual(names(verdicts), ['9:5.6', '33:5.6'], `batch size ${batchSize}`);
  }
  assert.ok(drawn > 0);
  assert.throws(
    () => verifyBallotsBatched(sodium, f.election, [], { batchSize: 0 }),
    /batchSize: a positive integer/,
  );
});
