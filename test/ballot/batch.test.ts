// Batch verification: the WebAssembly multi-scalar multiplication (wasm-msm.ts) against @noble/curves, its decoder
// against RFC 9496 and noble, and verifyBallotsBatched against verifyBallotBody ballot by ballot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  nobleGroup,
  sodiumGroup,
  encryptBallot,
  verifyBallotBody,
  verifyBallotChunk,
  type BallotBody,
} from '../../src/ballot/index.ts';
import { verifyBallotsBatched, BATCH_BALLOTS } from '../../src/ballot/check-ballot.ts';
import { msmEngine } from '../../src/ballot/wasm-msm.ts';
import { EquationBatch } from '../../src/ballot/batch.ts';
import { fromHex, toHex } from '../../src/ballot/bytes.ts';
import { ballotContext, ballotDigest } from '../../src/ballot/ballot.ts';
import { credentialScalar } from '../../src/ballot/election.ts';
import { schnorrProve } from '../../src/ballot/schnorr.ts';
import type { Group } from '../../src/ballot/group.ts';
import type { Election } from '../../src/ballot/election.ts';
import { buildElection, manifest3, seededRandom } from './fixture.ts';

const sodium = await sodiumGroup();
const engine = msmEngine();
const n = nobleGroup;

test('wasm MSM: Σ s_i·P_i − R is the identity exactly when R is noble’s Σ s_i·P_i', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.bigInt({ min: 1n, max: n.order - 1n }), fc.bigInt({ min: 0n, max: n.order - 1n })),
        {
          minLength: 1,
          maxLength: 40,
        },
      ),
      fc.bigInt({ min: 1n, max: n.order - 1n }),
      (pairs, tweak) => {
        const points = pairs.map(([k]) => n.mulBase(k));
        const scalars = pairs.map(([, s]) => s);
        const R = n.msm(points, scalars);
        const enc = [...points.map((p) => n.encode(p)), n.encode(n.neg(R))];
        assert.equal(engine.msmIsIdentity(enc, [...scalars, 1n]), true);
        // any other multiple of R: not the identity (unless R is)
        const other = tweak === 1n ? 2n : tweak;
        assert.equal(engine.msmIsIdentity(enc, [...scalars, other]), n.eq(R, n.identity));
      },
    ),
    { numRuns: 40 },
  );
});

test('wasm MSM: large inputs (Pippenger with wide windows), identity points and zero scalars', () => {
  const rnd = seededRandom('msm-large');
  for (const size of [1, 7, 64, 700]) {
    const points = Array.from({ length: size }, (_, i) =>
      i % 50 === 3 ? n.identity : n.mulBase(n.scalar.random(rnd)),
    );
    const scalars = Array.from({ length: size }, (_, i) => (i % 7 === 0 ? 0n : n.scalar.random(rnd)));
    const R = n.msm(points, scalars);
    const enc = [...points.map((p) => n.encode(p)), n.encode(n.neg(R))];
    assert.equal(engine.msmIsIdentity(enc, [...scalars, 1n]), true, `size ${size}`);
    assert.equal(engine.msmIsIdentity(enc, [...scalars, 2n]), n.eq(R, n.identity), `size ${size}, tweaked`);
    assert.equal(sodium.msmIsIdentity(enc as never, [...scalars, 1n]), true);
  }
  assert.equal(engine.msmIsIdentity([], []), true);
});

test('EquationBatch takes unreduced terms (negative, past L, merged): it holds exactly when the equation does mod L', () => {
  const L = n.order;
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.bigInt({ min: 1n, max: L - 1n }), fc.bigInt({ min: -(L ** 2n), max: L ** 2n })), {
        minLength: 1,
        maxLength: 30,
      }),
      fc.bigInt({ min: 1n, max: L - 1n }),
      fc.boolean(),
      (pairs, k, off) => {
        for (const g of [n, sodium]) {
          // Σ s_i·(r_i·G) − (Σ s_i·r_i)·G + L·P_0 + 3L·K: the identity, whatever representatives of the scalars
          // are passed; off by one in G's coefficient, it is not
          const batch = new EquationBatch(g, g.mulBase(k), new Uint8Array(32));
          let total = 0n;
          const points = pairs.map(([r]) => g.mulBase(r));
          pairs.forEach(([r, s], i) => {
            batch.term(points[i]!, s);
            total += s * r;
          });
          batch.term(points[0]!, L); // the same object again: merged into its term, ≡ 0
          assert.equal(batch.size, pairs.length);
          batch.base(-total + (off ? 1n : 0n));
          batch.key(3n * L);
          assert.equal(batch.check(), !off, `${g.backend}`);
        }
      },
    ),
    { numRuns: 25 },
  );
});

test('wasm decoder: accepts exactly the encodings noble accepts (RFC 9496 §4.3.1), and decodes them to the same point', () => {
  // non-canonical (RFC 9496 A.2's first ones) or invalid encodings, which noble refuses too
  const bad = [
    '00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0100000000000000000000000000000000000000000000000000000000000000',
    '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20',
    'c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562',
    '26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371',
  ];
  for (const h of bad) {
    assert.throws(() => n.decode(fromHex(h, 32, 'p')));
    assert.throws(() => engine.msmIsIdentity([fromHex(h, 32, 'p')], [1n]), /ristretto255/);
  }
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => {
      let valid = true;
      try {
        n.decode(b);
      } catch {
        valid = false;
      }
      if (!valid) return assert.throws(() => engine.msmIsIdentity([b], [1n]));
      // the same point: P − P' = identity, with P' from noble
      assert.equal(engine.msmIsIdentity([b, n.encode(n.neg(n.decode(b)))], [1n, 1n]), true, toHex(b));
    }),
    { numRuns: 300 },
  );
  // valid points made by noble (random bytes rarely decode)
  const rnd = seededRandom('decode');
  for (let i = 0; i < 50; i++) {
    const P = n.mulBase(n.scalar.random(rnd));
    assert.equal(engine.msmIsIdentity([n.encode(P), n.encode(n.neg(P))], [1n, 1n]), true);
    assert.equal(engine.msmIsIdentity([n.encode(P)], [1n]), false);
  }
});

test('batched ballot checks give verifyBallotBody’s verdict for every ballot, and a bad proof in a batch is named', () => {
  for (const g of [sodium, nobleGroup]) {
    const f = buildElection(g, { n: 2, k: 2, voters: 6, seed: `batch-${g.backend}` });
    const rnd = seededRandom(`batch-ballots-${g.backend}`);
    const good = f.voters.map(
      (v, i) =>
        encryptBallot(g, f.election, v.secret, [[0, 1, 2].map((o) => (o === i % 3 ? 1 : 0))], rnd).ballot,
    );
    // the voter signs the tampered ballot again, so that only the proof is wrong
    const resign = (b: BallotBody, secret: string): BallotBody => sign(g, f.election, b, secret);
    const flip = (h: string) => (h.slice(0, 2) === '00' ? '01' : '00') + h.slice(2);
    const tampered: BallotBody[] = [
      // a response changed: the challenges still add up, only the group equations (the batch) catch it
      resign(
        {
          ...good[1]!,
          contests: [
            {
              ...good[1]!.contests[0]!,
              selections: good[1]!.contests[0]!.selections.map((s, o) =>
                o === 2 ? { ...s, proof: { ...s.proof, v: [flip(s.proof.v[0]!), s.proof.v[1]!] } } : s,
              ),
            },
          ],
        },
        f.voters[1]!.secret,
      ),
      // the sum proof's response changed
      resign(
        {
          ...good[2]!,
          contests: [
            {
              ...good[2]!.contests[0]!,
              sumProof: {
                ...good[2]!.contests[0]!.sumProof,
                v: [flip(good[2]!.contests[0]!.sumProof.v[0]!)],
              },
            },
          ],
        },
        f.voters[2]!.secret,
      ),
      // the signature's response changed
      { ...good[3]!, signature: { ...good[3]!.signature, s: flip(good[3]!.signature.s) } },
      // a hash-level failure (code)
      { ...good[4]!, code: flip(good[4]!.code) },
    ];
    const all = [...good, ...tampered].map((ballot) => ({ ballot, at: manifest3.opensAt + 1 }));
    const batched = verifyBallotsBatched(g, f.election, all);
    const single = all.map(({ ballot, at }) => verifyBallotBody(g, f.election, ballot, at));
    assert.deepEqual(batched, single);
    assert.deepEqual(
      batched.slice(0, good.length),
      good.map(() => ({ ok: true })),
    );
    assert.deepEqual(
      batched.slice(good.length).map((v) => (v.ok ? 'ok' : v.check)),
      ['5.6', '5.7', '5.5', '5.4'],
    );
    // the chunk API the verifier's workers call names the ballot
    const failures = verifyBallotChunk(
      g,
      f.election,
      all.map(({ ballot }, index) => ({ index, kind: 'ballot', at: manifest3.opensAt + 1, body: ballot })),
    );
    assert.deepEqual(
      failures.map((x) => [x.index, x.check]),
      [
        [6, '5.6'],
        [7, '5.7'],
        [8, '5.5'],
        [9, '5.4'],
      ],
    );
    assert.equal(failures[0]!.ballotId, good[1]!.id);
  }
  assert.ok(BATCH_BALLOTS >= 64);
});

function sign(g: Group, election: Election, b: BallotBody, secret: string): BallotBody {
  const hI = ballotContext(
    fromHex(election.fingerprint, 32, 'fp'),
    fromHex(b.id, 32, 'id'),
    fromHex(b.credential, 32, 'X'),
  );
  const digest = ballotDigest(hI, fromHex(b.code, 32, 'code'), b.contests);
  const x = credentialScalar(g, secret);
  return { ...b, signature: schnorrProve(g, 'schnorr', [digest], x, seededRandom('resign')) };
}
