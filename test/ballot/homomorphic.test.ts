// Property: decrypt(Σ enc(v)) = Σ v, through the real tally path (aggregate → partial decryptions → combine),
// with weights, and proofs of ranges [lo..hi] that hold exactly for values in range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  sodiumGroup,
  combine,
  partialDecrypt,
  discreteLog,
  rangeProve,
  rangeVerify,
  rangeVerifyBatch,
  nobleGroup,
} from '../../src/ballot/index.ts';
import {
  encrypt,
  addCiphertexts,
  scaleCiphertext,
  zeroCiphertext,
  type Ciphertext,
} from '../../src/ballot/elgamal.ts';
import { prepare } from '../../src/ballot/election.ts';
import { pointHex } from '../../src/ballot/codec.ts';
import { buildElection, seededRandom } from './fixture.ts';

const g = await sodiumGroup();
const manifest = {
  electionId: 'score',
  title: 'score vote',
  opensAt: 0,
  closesAt: 1,
  contests: [{ id: 's', title: 's', options: ['a', 'b'], min: 0, max: 8, optionMax: 4 }],
};
const f = buildElection(g, { n: 3, k: 2, voters: 30, manifest, seed: 'homomorphic' });
const K = prepare(g, f.election).K;
const rnd = seededRandom('homomorphic-prop');

test('decrypt(Σ w·enc(v)) = Σ w·v for any votes and weights (2-of-3 trustees)', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 4 }),
          fc.integer({ min: 0, max: 4 }),
          fc.integer({ min: 1, max: 3 }),
        ),
        {
          minLength: 0,
          maxLength: 8,
        },
      ),
      (votes) => {
        const sums: Ciphertext[] = [zeroCiphertext(g), zeroCiphertext(g)];
        for (const [a, b, w] of votes) {
          sums[0] = addCiphertexts(
            g,
            sums[0]!,
            scaleCiphertext(g, encrypt(g, K, BigInt(a), g.scalar.random(rnd)), BigInt(w)),
          );
          sums[1] = addCiphertexts(
            g,
            sums[1]!,
            scaleCiphertext(g, encrypt(g, K, BigInt(b), g.scalar.random(rnd)), BigInt(w)),
          );
        }
        const agg = {
          counted: [],
          superseded: [],
          ciphertexts: [sums.map((ct) => ({ alpha: pointHex(g, ct.alpha), beta: pointHex(g, ct.beta) }))],
        };
        const partials = [f.trusteeShares[2]!, f.trusteeShares[0]!].map((s) =>
          partialDecrypt(g, f.election, s, agg, rnd),
        );
        const out = combine(g, f.election, agg, partials);
        const expect = [0, 1].map((i) => votes.reduce((s, v) => s + v[i]! * v[2]!, 0));
        assert.deepEqual(out.result?.tallies, [expect]);
      },
    ),
    { numRuns: 15 },
  );
});

test('range proofs: valid for every value in [lo..hi], rejected against another statement', () => {
  for (const [lo, hi] of [
    [0, 1],
    [0, 4],
    [2, 5],
  ] as const) {
    for (let m = lo; m <= hi; m++) {
      const r = g.scalar.random(rnd);
      const ct = encrypt(g, K, BigInt(m), r);
      const st = { K, ct, lo, hi, context: ['ctx'] };
      const proof = rangeProve(g, st, m, r, rnd);
      assert.equal(rangeVerify(g, st, proof), true, `${m} in [${lo}..${hi}]`);
      assert.equal(
        rangeVerify(
          nobleGroup,
          {
            ...st,
            K: nobleGroup.decode(g.encode(K)),
            ct: { alpha: nobleGroup.decode(g.encode(ct.alpha)), beta: nobleGroup.decode(g.encode(ct.beta)) },
          },
          proof,
        ),
        true,
      );
      assert.equal(rangeVerify(g, { ...st, context: ['other'] }, proof), false, 'bound to its context');
    }
  }
  const r = g.scalar.random(rnd);
  assert.throws(
    () => rangeProve(g, { K, ct: encrypt(g, K, 2n, r), lo: 0, hi: 1, context: [] }, 2, r, rnd),
    RangeError,
  );
});

test('batch verification accepts a batch of valid proofs and rejects a batch with one bad proof', () => {
  const items = Array.from({ length: 6 }, (_, i) => {
    const m = i % 2;
    const r = g.scalar.random(rnd);
    const ct = encrypt(g, K, BigInt(m), r);
    const st = { K, ct, lo: 0, hi: 1, context: [`item ${i}`] };
    return { st, proof: rangeProve(g, st, m, r, rnd) };
  });
  for (const grp of [g, nobleGroup]) {
    const conv = (p: typeof K) => grp.decode(g.encode(p));
    const mine = items.map(({ st, proof }) => ({
      st: { ...st, K: conv(st.K), ct: { alpha: conv(st.ct.alpha), beta: conv(st.ct.beta) } },
      proof,
    }));
    assert.equal(rangeVerifyBatch(grp, mine), true);
    // swap the ciphertexts of two proofs: every single proof is then invalid, and so is the batch
    const swapped = mine.map((it, i) => (i === 2 ? { ...it, st: { ...it.st, ct: mine[3]!.st.ct } } : it));
    assert.equal(rangeVerifyBatch(grp, swapped), false);
    // change one response: the challenges still add up, only the group equations (the MSM) catch it
    const v0 = mine[4]!.proof.v[0]!;
    const badV = mine.map((it, i) =>
      i === 4
        ? {
            ...it,
            proof: {
              ...it.proof,
              v: [v0.slice(0, 2) === '00' ? '01' + v0.slice(2) : '00' + v0.slice(2), it.proof.v[1]!],
            },
          }
        : it,
    );
    assert.equal(rangeVerifyBatch(grp, badV), false);
  }
});

test('baby-step giant-step finds t in [0, bound] and nothing outside', () => {
  for (const t of [0, 1, 2, 99, 100]) assert.equal(discreteLog(g, g.mulBase(BigInt(t)), 100), t);
  assert.equal(discreteLog(g, g.mulBase(101n), 100), null);
});
