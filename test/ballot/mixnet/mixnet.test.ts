// The mix-net (docs/MIXNET.md): golden vectors cross-checked between noble and libsodium, forgeries a verifier must
// catch (drop, duplicate, replace, wrong permutation commitment, no re-encryption, copied shuffle, every tampered
// proof element, lying decryption shares), properties of honest shuffles, and ranked ballots' acceptance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  nobleGroup,
  sodiumGroup,
  checkRankedBallot,
  verifyRankedBallots,
  combineMix,
  decodeRanking,
  encryptRanking,
  mixPartialDecrypt,
  openRanked,
  spoilRanked,
  verifySpoiledRanked,
  shuffle,
  verifyMixBoard,
  verifyMixPartial,
  verifyShuffle,
  type Election,
  type Group,
  type MixList,
  type ShuffleBody,
} from '../../../src/ballot/index.ts';
import {
  decodeList,
  encodeList,
  proveShuffle,
  reEncrypt,
  type ShuffleWitness,
} from '../../../src/ballot/mixnet/shuffle.ts';
import { embed, extract } from '../../../src/ballot/mixnet/ranked.ts';
import { encrypt, type Ciphertext } from '../../../src/ballot/elgamal.ts';
import { prepare } from '../../../src/ballot/election.ts';
import { buildElection, seededRandom } from '../fixture.ts';
import { rankedManifest, runMixed } from '../mixnet-fixture.ts';

const sodium = await sodiumGroup();
const both: Group[] = [nobleGroup, sodium];

// ── golden vectors ───────────────────────────────────────────────────────────────────────────────────────────

const goldenFile = new URL('../../vectors/ballot/mixnet-golden-v1.json', import.meta.url);
// 31 candidates: vectors of width 2, so the parallel shuffle of positions is in the vectors.
const goldenRanks = [
  Array.from({ length: 31 }, (_, i) => (i < 3 ? i + 1 : 0)),
  Array.from({ length: 31 }, (_, i) => (i === 30 ? 1 : i === 0 ? 2 : 0)),
  Array.from({ length: 31 }, () => 0),
  Array.from({ length: 31 }, (_, i) => (i % 2 === 0 ? 1 : 2)),
];
const golden = (g: Group) =>
  runMixed(g, { n: 3, k: 2, candidates: 31, ranks: goldenRanks, mixers: 2, seed: 'mixnet-golden-v1' });

test('golden vectors: noble and libsodium make the same mixed board byte for byte, and both verify it', () => {
  const a = golden(nobleGroup);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenFile, JSON.stringify(a.board, null, 1) + '\n');
  const stored = JSON.parse(readFileSync(goldenFile, 'utf8'));
  assert.deepEqual(a.board, stored, 'noble differs from the stored vectors');
  assert.deepEqual(golden(sodium).board, stored, 'libsodium differs from the stored vectors');
  for (const g of both) {
    const report = verifyMixBoard(g, a.election, stored);
    assert.ok(report.ok, JSON.stringify(report.checks));
    assert.deepEqual(
      report.rankings
        ?.filter((r) => r.ok)
        .map((r) => JSON.stringify(r.ranking))
        .sort(),
      [
        [['c1'], ['c2'], ['c3']],
        [['c31'], ['c1']],
        [],
        [
          Array.from({ length: 16 }, (_, i) => `c${2 * i + 1}`),
          Array.from({ length: 15 }, (_, i) => `c${2 * i + 2}`),
        ],
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
  }
});

// ── forgeries ────────────────────────────────────────────────────────────────────────────────────────────────

function setup(g: Group, n = 5, w = 2) {
  const f = buildElection(g, { n: 3, k: 2, voters: 1, manifest: rankedManifest(3, 'forge'), seed: 'forge' });
  const { K } = prepare(g, f.election);
  const rnd = seededRandom('forge-list');
  const input = Array.from({ length: n }, (_, i) =>
    Array.from({ length: w }, (_, k) => encrypt(g, K, BigInt(10 * i + k + 1), g.scalar.random(rnd))),
  );
  return { f, K, rnd, input, inputHex: encodeList(g, input) };
}

const witness = (g: Group, psi: number[], w: number, rnd: (n: number) => Uint8Array): ShuffleWitness => ({
  psi,
  rho: psi.map(() => Array.from({ length: w }, () => g.scalar.random(rnd))),
});

/** The message a forger posts: its output and the honest prover run on its (false) witness. */
const forge = (
  g: Group,
  election: Election,
  mixer: number,
  input: Ciphertext[][],
  output: Ciphertext[][],
  w: ShuffleWitness,
  rnd: (n: number) => Uint8Array,
): ShuffleBody => ({
  mixer,
  ciphertexts: encodeList(g, output),
  proof: proveShuffle(g, election, mixer, input, output, w, rnd),
});

test('an honest shuffle verifies with both backends, and its proof is bound to the mixer and the election', () => {
  for (const g of both) {
    const { f, rnd, inputHex } = setup(g);
    const s = shuffle(g, f.election, 1, inputHex, rnd);
    assert.deepEqual(verifyShuffle(g, f.election, inputHex, s), { ok: true });
    // the same message posted as mixer 2's
    assert.equal(verifyShuffle(g, f.election, inputHex, { ...s, mixer: 2 }).ok, false);
    // under another election (another H_E and key)
    const other = buildElection(g, {
      n: 3,
      k: 2,
      voters: 1,
      manifest: rankedManifest(3, 'other'),
      seed: 'o',
    });
    assert.equal(verifyShuffle(g, other.election, inputHex, s).ok, false);
  }
});

test('a mixer that drops, duplicates or replaces a ballot is caught', () => {
  const g = sodium;
  const { f, K, rnd, input, inputHex } = setup(g);
  const honest = shuffle(g, f.election, 1, inputHex, rnd);
  // drop: one ballot fewer
  const dropped = { ...honest, ciphertexts: honest.ciphertexts.slice(1) };
  assert.equal(verifyShuffle(g, f.election, inputHex, dropped).ok, false);
  // duplicate: input 0 twice, input 4 gone; the prover runs the honest algorithm on that "permutation"
  const dupW = witness(g, [0, 1, 2, 3, 0], 2, rnd);
  const dupOut = reEncrypt(g, K, input, dupW);
  const dup = forge(g, f.election, 1, input, dupOut, dupW, rnd);
  assert.deepEqual(verifyShuffle(g, f.election, inputHex, dup), {
    ok: false,
    reason: 'shuffle proof invalid',
  });
  // replace: output 2 is a fresh encryption of another vote, the rest an honest shuffle
  const repW = witness(g, [4, 3, 2, 1, 0], 2, rnd);
  const repOut = reEncrypt(g, K, input, repW);
  repOut[2] = [encrypt(g, K, 99n, g.scalar.random(rnd)), encrypt(g, K, 98n, g.scalar.random(rnd))];
  const rep = forge(g, f.election, 1, input, repOut, repW, rnd);
  assert.deepEqual(verifyShuffle(g, f.election, inputHex, rep), {
    ok: false,
    reason: 'shuffle proof invalid',
  });
  // replacing one position only of one ballot (the vector's other position honest)
  const posOut = reEncrypt(g, K, input, repW);
  posOut[1] = [posOut[1]![0]!, encrypt(g, K, 7n, g.scalar.random(rnd))];
  const pos = forge(g, f.election, 1, input, posOut, repW, rnd);
  assert.equal(verifyShuffle(g, f.election, inputHex, pos).ok, false);
});

test('a wrong permutation commitment is caught', () => {
  const g = sodium;
  const { f, K, rnd, input, inputHex } = setup(g);
  const w = witness(g, [1, 2, 3, 4, 0], 2, rnd);
  const out = reEncrypt(g, K, input, w);
  const good = proveShuffle(g, f.election, 1, input, out, w, rnd);
  const body = (proof: typeof good): ShuffleBody => ({ mixer: 1, ciphertexts: encodeList(g, out), proof });
  assert.deepEqual(verifyShuffle(g, f.election, inputHex, body(good)), { ok: true });
  // two commitments swapped: a commitment to another permutation than the one applied
  const swapped = structuredClone(good);
  [swapped.commitments[0], swapped.commitments[1]] = [good.commitments[1]!, good.commitments[0]!];
  assert.equal(verifyShuffle(g, f.election, inputHex, body(swapped)).ok, false);
  // the proof made with a commitment to the identity permutation, for outputs permuted by ψ
  const lie = proveShuffle(g, f.election, 1, input, out, { ...w, psi: [0, 1, 2, 3, 4] }, rnd);
  assert.equal(verifyShuffle(g, f.election, inputHex, body(lie)).ok, false);
});

test('a mixer that does not re-encrypt (zero randomness) or posts its input again is caught', () => {
  const g = sodium;
  const { f, K, rnd, input, inputHex } = setup(g);
  const zero: ShuffleWitness = { psi: [2, 0, 1, 4, 3], rho: input.map(() => [0n, 0n]) };
  const out = reEncrypt(g, K, input, zero);
  const body = forge(g, f.election, 1, input, out, zero, rnd);
  const v = verifyShuffle(g, f.election, inputHex, body);
  assert.equal(v.ok, false);
  assert.match(v.ok ? '' : v.reason, /repeats an earlier ciphertext/);
  // mixer 2 copies mixer 1's output with ψ = identity and no re-encryption
  const first = shuffle(g, f.election, 1, inputHex, rnd);
  const mid = decodeList(g, first.ciphertexts, 'x');
  const copyW: ShuffleWitness = { psi: [0, 1, 2, 3, 4], rho: mid.map(() => [0n, 0n]) };
  const copy: ShuffleBody = {
    mixer: 2,
    ciphertexts: first.ciphertexts,
    proof: proveShuffle(g, f.election, 2, mid, reEncrypt(g, K, mid, copyW), copyW, rnd),
  };
  assert.equal(verifyShuffle(g, f.election, first.ciphertexts, copy).ok, false);
  // reusing one re-encryption randomness for two equal input ballots gives two equal outputs
  const twin = [input[0]!, input[0]!, input[2]!];
  const same = g.scalar.random(rnd);
  const twinW: ShuffleWitness = {
    psi: [1, 0, 2],
    rho: [
      [same, same],
      [same, same],
      [same, same],
    ],
  };
  const twinOut = reEncrypt(g, K, twin, twinW);
  const twinBody = forge(g, f.election, 1, twin, twinOut, twinW, rnd);
  assert.equal(verifyShuffle(g, f.election, encodeList(g, twin), twinBody).ok, false);
});

test('tampering any element of the proof or of the output is caught, and malformed messages are verdicts', () => {
  for (const g of both) {
    const { f, rnd, inputHex } = setup(g, 3, 2);
    const s = shuffle(g, f.election, 1, inputHex, rnd);
    const otherPoint = s.proof.t1;
    const otherScalar = s.proof.s1;
    const paths: (string | number)[][] = [];
    const walk = (x: unknown, path: (string | number)[]) => {
      if (typeof x === 'string') paths.push(path);
      else if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...path, i]));
      else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) walk(y, [...path, k]);
    };
    walk({ ciphertexts: s.ciphertexts, proof: s.proof }, []);
    assert.equal(paths.length, 39); // 12 ciphertext points, 27 proof elements
    for (const path of paths) {
      const bad = structuredClone(s) as unknown as Record<string | number, unknown>;
      let at = bad;
      for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      const old = at[last] as string;
      const isScalar = /^s/.test(String(path[1])) && path[0] === 'proof';
      at[last] = isScalar
        ? old === otherScalar
          ? s.proof.s2
          : otherScalar
        : old === otherPoint
          ? s.proof.t2
          : otherPoint;
      const v = verifyShuffle(g, f.election, inputHex, bad as unknown as ShuffleBody);
      assert.equal(v.ok, false, `${g.backend}: ${path.join('.')} tampered and accepted`);
    }
    // malformed: bad hex, a non-canonical scalar, a short list: verdicts, not exceptions
    const hex = structuredClone(s);
    hex.proof.chain[0] = 'zz';
    assert.match(JSON.stringify(verifyShuffle(g, f.election, inputHex, hex)), /encoding: proof.chain\[0\]/);
    const big = structuredClone(s);
    big.proof.sHat[0] = 'ff'.repeat(32);
    assert.match(JSON.stringify(verifyShuffle(g, f.election, inputHex, big)), /non-canonical scalar/);
    const short = structuredClone(s);
    short.proof.tHat.pop();
    assert.match(JSON.stringify(verifyShuffle(g, f.election, inputHex, short)), /expected 3 points/);
    assert.equal(verifyShuffle(g, f.election, inputHex, null as unknown as ShuffleBody).ok, false);
  }
});

// ── properties ───────────────────────────────────────────────────────────────────────────────────────────────

test('property: an honest shuffle always verifies and keeps the multiset of plaintexts', () => {
  const g = sodium;
  const f = buildElection(g, { n: 3, k: 2, voters: 1, manifest: rankedManifest(3, 'prop'), seed: 'prop' });
  const { K } = prepare(g, f.election);
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 }).chain((w) =>
        fc.array(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 29 * w, maxLength: 29 * w }), {
          minLength: 1,
          maxLength: 6,
        }),
      ),
      fc.string({ minLength: 1, maxLength: 8 }),
      (plain, seed) => {
        const rnd = seededRandom(`prop/${seed}`);
        const w = plain[0]!.length / 29;
        const list = plain.map((bytes) =>
          Array.from({ length: w }, (_, k) => {
            const M = embed(g, Uint8Array.from(bytes.slice(29 * k, 29 * (k + 1))));
            const r = g.scalar.random(rnd);
            return { alpha: g.mulBase(r), beta: g.add(M, g.mul(K, r)) };
          }),
        );
        const input: MixList = encodeList(g, list);
        const s1 = shuffle(g, f.election, 1, input, rnd);
        const s2 = shuffle(g, f.election, 2, s1.ciphertexts, rnd);
        assert.deepEqual(verifyShuffle(g, f.election, input, s1), { ok: true });
        assert.deepEqual(verifyShuffle(g, f.election, s1.ciphertexts, s2), { ok: true });
        const parts = f.trusteeShares
          .slice(1, 3)
          .map((sh) => mixPartialDecrypt(g, f.election, sh, s2.ciphertexts, rnd));
        const out = combineMix(g, f.election, s2.ciphertexts, parts);
        assert.ok(out.ok && out.result);
        const got = out.result.plaintexts.map((row) =>
          JSON.stringify(
            row.flatMap((h) => [...extract(g, decodeList(g, [[{ alpha: h, beta: h }]], 'p')[0]![0]!.alpha)!]),
          ),
        );
        assert.deepEqual(got.sort(), plain.map((p) => JSON.stringify(p)).sort());
      },
    ),
    { numRuns: 12 },
  );
});

// ── decryption ───────────────────────────────────────────────────────────────────────────────────────────────

test('a trustee whose share lies is named and left out; fewer than k honest trustees give no result', () => {
  const g = sodium;
  const f = buildElection(g, { n: 3, k: 2, voters: 3, manifest: rankedManifest(3, 'lie'), seed: 'lie' });
  const rnd = seededRandom('lie-run');
  const cast = f.voters.map((v, i) => encryptRanking(g, f.election, v.secret, [[`c${i + 1}`]], rnd).ballot);
  const list = cast.map((b) => b.ciphertexts.map((ct) => ({ alpha: ct.alpha, beta: ct.beta })));
  const [p1, p2, p3] = f.trusteeShares.map((sh) => mixPartialDecrypt(g, f.election, sh, list, rnd));
  const liar = structuredClone(p1!);
  liar.decryptions[1]![0]!.M = p2!.decryptions[1]![0]!.M; // another trustee's share, with p1's proof
  assert.equal(verifyMixPartial(g, f.election, list, liar), 'proof invalid for ballot 1 position 0');
  const out = combineMix(g, f.election, list, [liar, p2!, p3!]);
  assert.deepEqual(out.invalid, [{ trustee: 1, reason: 'proof invalid for ballot 1 position 0' }]);
  assert.deepEqual(out.result?.trustees, [2, 3]);
  const honest = combineMix(g, f.election, list, [p1!, p2!]);
  assert.deepEqual(honest.result?.plaintexts, out.result?.plaintexts);
  assert.equal(combineMix(g, f.election, list, [liar, p3!]).reason, '1 valid of 2 needed');
});

// ── ranked ballots ───────────────────────────────────────────────────────────────────────────────────────────

test('ranked ballots: accepted when well made, refused when altered, opened by their nonce', () => {
  const g = sodium;
  const f = buildElection(g, { n: 3, k: 2, voters: 2, manifest: rankedManifest(4, 'rb'), seed: 'rb' });
  const rnd = seededRandom('rb-run');
  const { ballot, ballotNonce } = encryptRanking(
    g,
    f.election,
    f.voters[0]!.secret,
    [['c2'], ['c1', 'c4']],
    rnd,
  );
  const ok = (b: typeof ballot, at = 1_500_000, used = new Set<string>()) =>
    checkRankedBallot(g, f.election, b, at, used);
  assert.deepEqual(ok(ballot), { ok: true });
  assert.deepEqual(openRanked(g, f.election, ballot, ballotNonce), {
    ok: true,
    ranking: [['c2'], ['c1', 'c4']],
  });
  const spoiled = spoilRanked(g, f.election, ballot, ballotNonce);
  assert.equal(verifySpoiledRanked(g, f.election, spoiled), null);
  assert.match(String(verifySpoiledRanked(g, f.election, { ...spoiled, ranking: [['c1']] })), /differs/);
  assert.match(
    String(verifySpoiledRanked(g, f.election, { ...spoiled, ballotNonce: '00'.repeat(32) })),
    /nonce/,
  );
  assert.equal(typeof verifySpoiledRanked(g, f.election, null as never), 'string');
  assert.equal((ok(ballot, 2_500_000) as { check: string }).check, 'R.3');
  assert.equal((ok(ballot, 1_500_000, new Set([ballot.id])) as { check: string }).check, 'R.4');
  // a copied ciphertext in another voter's ballot (the replay attack on privacy) fails its proof of knowledge
  const other = encryptRanking(g, f.election, f.voters[1]!.secret, [['c3']], rnd).ballot;
  const copied = structuredClone(other);
  copied.ciphertexts[0] = ballot.ciphertexts[0]!;
  assert.equal((ok(copied) as { check: string }).check, 'R.5');
  const stolen = structuredClone(copied);
  stolen.code = ballot.code;
  assert.notEqual(ok(stolen).ok, true);
  const swapped = structuredClone(ballot);
  swapped.ciphertexts[0]!.beta = other.ciphertexts[0]!.beta;
  assert.equal(ok(swapped).ok, false);
  assert.equal((ok({ ...ballot, credential: other.credential }) as { check: string }).check, 'R.5');
  assert.equal((ok({ ...ballot, election: '00'.repeat(32) }) as { check: string }).check, 'R.1');
  assert.equal((ok({ ...ballot, id: 'x' }) as { check: string }).check, 'R.1');
});

test('decoding: valid rankings and every kind of invalid plaintext', () => {
  const g = sodium;
  const cands = ['a', 'b', 'c'];
  const pay = (...ranks: number[]) => {
    const p = new Uint8Array(29);
    p.set(ranks);
    return extract(g, embed(g, p));
  };
  assert.deepEqual(decodeRanking(cands, [pay(2, 0, 1)]), { ok: true, ranking: [['c'], ['a']] });
  assert.deepEqual(decodeRanking(cands, [pay(1, 1, 2)]), { ok: true, ranking: [['a', 'b'], ['c']] });
  assert.deepEqual(decodeRanking(cands, [pay(0, 0, 0)]), { ok: true, ranking: [] });
  assert.match(JSON.stringify(decodeRanking(cands, [pay(1, 3, 0)])), /rank 2 is missing/);
  assert.match(JSON.stringify(decodeRanking(cands, [pay(4, 0, 0)])), /rank 4 > 3/);
  assert.match(JSON.stringify(decodeRanking(cands, [pay(1, 0, 0, 9)])), /padding byte 3/);
  assert.match(
    JSON.stringify(decodeRanking(cands, [extract(g, g.mulBase(12345n))])),
    /not an embedded ranking/,
  );
  assert.match(JSON.stringify(decodeRanking(cands, [])), /expected 1 points/);
});

// ── hostile shapes ───────────────────────────────────────────────────────────────────────────────────────────

/** Every path to a value or a container inside x (containers too, so whole arrays and objects get replaced). */
function paths(x: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = path.length ? [path] : [];
  if (Array.isArray(x)) x.forEach((y, i) => out.push(...paths(y, [...path, i])));
  else if (x && typeof x === 'object')
    for (const [k, y] of Object.entries(x)) out.push(...paths(y, [...path, k]));
  return out;
}

function replaced<T>(x: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(x) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy as T;
}

const junk: unknown[] = [null, undefined, 0, -1, 'zz', '', [], {}, 'ff'.repeat(32)];

test('hostile shapes: every field of every message replaced by junk gives a refusal, never an exception', () => {
  const g = sodium;
  const run = runMixed(g, {
    n: 3,
    k: 2,
    candidates: 3,
    ranks: [
      [1, 2, 0],
      [0, 0, 1],
    ],
    mixers: 1,
    seed: 'junk',
  });
  const { election, board } = run;
  const s = board.shuffles[0]!;
  for (const path of paths(s))
    for (const v of junk) {
      const r = verifyShuffle(g, election, run.input, replaced(s, path, v));
      assert.equal(r.ok, false, `shuffle ${path.join('.')} = ${JSON.stringify(v)} accepted`);
    }
  const b = board.cast[0]!.ballot;
  for (const path of paths(b))
    for (const v of junk)
      assert.equal(
        checkRankedBallot(g, election, replaced(b, path, v), 1_500_000, new Set()).ok,
        false,
        path.join('.'),
      );
  const pd = board.partials[0]!;
  for (const path of paths(pd))
    for (const v of junk) {
      const bad = replaced(pd, path, v);
      assert.notEqual(verifyMixPartial(g, election, s.ciphertexts, bad), null, path.join('.'));
      const out = combineMix(g, election, s.ciphertexts, [bad, board.partials[1]!]);
      assert.equal(out.ok, false, `decryption ${path.join('.')} = ${JSON.stringify(v)}: k = 2 valid needed`);
    }
  for (const path of paths(board.result))
    for (const v of junk) {
      const report = verifyMixBoard(g, election, { ...board, result: replaced(board.result!, path, v) });
      assert.equal(report.ok, false, `result ${path.join('.')} = ${JSON.stringify(v)} accepted`);
    }
  for (const v of junk) {
    assert.equal(verifyShuffle(g, election, run.input, v as ShuffleBody).ok, false);
    assert.equal(verifyMixBoard(g, election, { ...board, shuffles: [v as ShuffleBody] }).ok, false);
    assert.equal(combineMix(g, election, s.ciphertexts, [v as never, board.partials[1]!]).ok, false);
  }
});

test('the libsodium backend’s msm (wasm-msm.ts’s sum, encoded by noble) equals noble’s, at every size', () => {
  const rnd = seededRandom('msm-sum');
  for (const n of [0, 1, 3, 4, 5, 8, 24, 25, 40, 200]) {
    const scalars = Array.from({ length: n }, (_, i) =>
      i % 7 === 3
        ? 0n
        : i % 5 === 1
          ? 1n
          : i % 11 === 2
            ? nobleGroup.order - 1n
            : nobleGroup.scalar.random(rnd),
    );
    const enc = Array.from({ length: n }, (_, i) =>
      i % 9 === 4 ? new Uint8Array(32) : nobleGroup.encode(nobleGroup.mulBase(nobleGroup.scalar.random(rnd))),
    );
    const want = nobleGroup.encode(
      nobleGroup.msm(
        enc.map((b) => nobleGroup.decode(b)),
        scalars,
      ),
    );
    const got = sodium.encode(
      sodium.msm(
        enc.map((b) => sodium.decode(b)),
        scalars,
      ),
    );
    assert.deepEqual(got, want, `${n} points`);
  }
  // a sum that cancels to the identity
  const P = sodium.mulBase(12345n);
  assert.deepEqual(
    sodium.encode(sodium.msm([P, P, P, P], [1n, 2n, 3n, sodium.order - 6n])),
    new Uint8Array(32),
  );
});

test('ranked ballots checked in batches give every ballot the verdict checkRankedBallot gives it', () => {
  const g = sodium;
  const f = buildElection(g, { n: 3, k: 2, voters: 6, manifest: rankedManifest(40, 'batch'), seed: 'batch' });
  const rnd = seededRandom('batch-run');
  const cast = f.voters.map((v, i) => ({
    ballot: encryptRanking(g, f.election, v.secret, [[`c${i + 1}`], ['c40']], rnd).ballot,
    at: 1_500_000,
  }));
  const all = () => verifyRankedBallots(g, f.election, cast);
  const one = () => {
    const used = new Set<string>();
    return cast.map((c) => {
      const v = checkRankedBallot(g, f.election, c?.ballot, c?.at, used);
      if (typeof c?.ballot?.id === 'string') used.add(c.ballot.id);
      return v;
    });
  };
  assert.deepEqual(
    all(),
    cast.map(() => ({ ok: true })),
  );
  // a forged signature, a forged proof of knowledge of the second ciphertext, a repeated id, junk, a late ballot
  cast[1] = { ...cast[1]!, ballot: { ...cast[1]!.ballot, signature: cast[2]!.ballot.signature } };
  const pok = structuredClone(cast[3]!.ballot);
  pok.ciphertexts[1]!.proof = pok.ciphertexts[0]!.proof;
  cast[3] = { ...cast[3]!, ballot: pok };
  cast.push({ ...cast[0]! });
  cast.push(null as never, { ballot: cast[5]!.ballot, at: Number.NaN });
  const verdicts = all();
  assert.deepEqual(verdicts, one());
  assert.deepEqual(
    verdicts.map((v) => (v.ok ? 'ok' : v.check)),
    ['ok', 'R.7', 'ok', 'R.6', 'ok', 'ok', 'R.4', 'R.1', 'R.3'],
  );
});
