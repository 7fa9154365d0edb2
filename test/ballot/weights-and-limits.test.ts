// Weighted credentials are counted with their weight, and approval limits are enforced by the sum proof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sodiumGroup,
  makeElection,
  encryptBallot,
  checkBallot,
  aggregate,
  partialDecrypt,
  combine,
  type Manifest,
} from '../../src/ballot/index.ts';
import {
  ballotContext,
  ballotDigest,
  confirmationCode,
  contestHash,
  proofContext,
} from '../../src/ballot/ballot.ts';
import { credentialScalar, prepare } from '../../src/ballot/election.ts';
import { encrypt } from '../../src/ballot/elgamal.ts';
import { rangeProve } from '../../src/ballot/range-proof.ts';
import { schnorrProve } from '../../src/ballot/schnorr.ts';
import { fromHex, toHex } from '../../src/ballot/bytes.ts';
import { pointHex } from '../../src/ballot/codec.ts';
import { buildElection, seededRandom } from './fixture.ts';

const g = await sodiumGroup();
const manifest: Manifest = {
  electionId: 'approval',
  title: 'Elect up to two delegates (at least one)',
  opensAt: 0,
  closesAt: 100,
  contests: [
    { id: 'd', title: 'delegates', options: ['ana', 'boris', 'chen', 'dara'], min: 1, max: 2, optionMax: 1 },
  ],
};
const f = buildElection(g, { n: 3, k: 2, voters: 3, manifest, seed: 'weights' });
const weights = [1, 2, 5];
const election = makeElection(g, f.setup, f.key, {
  credentials: f.voters.map((v, i) => ({ credential: v.public, weight: weights[i]! })),
});
const rnd = seededRandom('weights-votes');

test('weighted credentials: each counted ballot counts w times (revote replaces, not adds)', () => {
  const votes: [number, number[]][] = [
    [0, [1, 1, 0, 0]],
    [1, [0, 1, 0, 0]],
    [2, [0, 0, 1, 1]],
    [1, [1, 0, 0, 0]], // voter 1 (weight 2) changes their mind
  ];
  const cast = votes.map(([v, c], i) => {
    const { ballot } = encryptBallot(g, election, f.voters[v]!.secret, [c], rnd);
    assert.deepEqual(checkBallot(g, election, ballot, i, new Set()), { ok: true });
    return { ballot, at: i };
  });
  const agg = aggregate(g, election, cast);
  const partials = [2, 3].map((t) => partialDecrypt(g, election, f.trusteeShares[t - 1]!, agg, rnd));
  const out = combine(g, election, agg, partials);
  // ana: 1 + 2, boris: 1, chen: 5, dara: 5
  assert.deepEqual(out.result?.tallies, [[3, 1, 5, 5]]);
  assert.equal(election.totalWeight, 8);
});

test('approval limits: 0 or 3 approvals are refused by the sum proof, even with valid 0/1 proofs', () => {
  assert.throws(() => encryptBallot(g, election, f.voters[0]!.secret, [[1, 1, 1, 0]], rnd), /3 selections/);
  assert.throws(() => encryptBallot(g, election, f.voters[0]!.secret, [[0, 0, 0, 0]], rnd), /0 selections/);
  // A cheating client: a valid ballot for [1, 1, 0, 0] with option 2 replaced by a proven encryption of 1.
  const secret = f.voters[0]!.secret;
  const b = structuredClone(encryptBallot(g, election, secret, [[1, 1, 0, 0]], rnd).ballot);
  const prep = prepare(g, election);
  const hI = ballotContext(prep.fp, fromHex(b.id, 32, 'id'), fromHex(b.credential, 32, 'X'));
  const r = g.scalar.random(rnd);
  const ct = encrypt(g, prep.K, 1n, r);
  const st = { K: prep.K, ct, lo: 0, hi: 1, context: proofContext(hI, 0, 2, 0, 1) };
  b.contests[0]!.selections[2] = {
    alpha: pointHex(g, ct.alpha),
    beta: pointHex(g, ct.beta),
    proof: rangeProve(g, st, 1, r, rnd),
  };
  const cts = b.contests[0]!.selections.map((s) => ({
    alpha: g.decode(fromHex(s.alpha, 32, 'a')),
    beta: g.decode(fromHex(s.beta, 32, 'b')),
  }));
  const code = confirmationCode(hI, [contestHash(g, hI, 0, cts)]);
  b.code = toHex(code);
  b.signature = schnorrProve(
    g,
    'schnorr',
    [ballotDigest(hI, code, b.contests)],
    credentialScalar(g, secret),
    rnd,
  );
  const v = checkBallot(g, election, b, 1, new Set());
  assert.deepEqual(v, { ok: false, check: '5.7', reason: 'sum proof invalid (contest 0)' });
});
