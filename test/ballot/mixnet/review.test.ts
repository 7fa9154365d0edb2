// Review of the mix-net (docs/MIXNET.md "Review"): an independent, unbatched CheckShuffleProof written from the
// document (so a challenge that leaves out an input would make honest proofs fail it), and one concrete forgery per
// class a verifier must refuse — generators, batch weights that could be predicted or cancelled, positions permuted
// inside a ballot or across ballots, out-of-range scalars, ballot copying, decryption proofs moved to another
// ciphertext or trustee, and a plaintext that marks a valid ranking (the one flaw found: refused since the review).
import { test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import assert from 'node:assert/strict';
import {
  nobleGroup,
  sodiumGroup,
  checkRankedBallot,
  combineMix,
  decodeRankings,
  encryptRanking,
  hashBytes,
  hashToPoint,
  mixGenerators,
  mixPartialDecrypt,
  shuffle,
  verifyMixPartial,
  verifyShuffle,
  type Group,
  type Point,
  type ShuffleBody,
} from '../../../src/ballot/index.ts';
import { encodeList, proveShuffle, reEncrypt } from '../../../src/ballot/mixnet/shuffle.ts';
import { embed, extract } from '../../../src/ballot/mixnet/ranked.ts';
import { concat, fromHex, toHex, u32 } from '../../../src/ballot/bytes.ts';
import { L } from '../../../src/ballot/scalar.ts';
import { scalarFromHex, scalarToHex } from '../../../src/ballot/codec.ts';
import { encrypt } from '../../../src/ballot/elgamal.ts';
import { prepare } from '../../../src/ballot/election.ts';
import { schnorrProve } from '../../../src/ballot/schnorr.ts';
import { buildElection, seededRandom } from '../fixture.ts';
import { rankedManifest } from '../mixnet-fixture.ts';

const sodium = await sodiumGroup();
const both: Group[] = [nobleGroup, sodium];

function setup(g: Group, n = 4, w = 2, seed = 'review') {
  const f = buildElection(g, { n: 3, k: 2, voters: 2, manifest: rankedManifest(3, seed), seed });
  const { K, fp } = prepare(g, f.election);
  const rnd = seededRandom(`${seed}-list`);
  const input = Array.from({ length: n }, (_, i) =>
    Array.from({ length: w }, (_, k) => encrypt(g, K, BigInt(10 * i + k + 1), g.scalar.random(rnd))),
  );
  return { f, K, fp, rnd, input, inputHex: encodeList(g, input) };
}

// ── an independent CheckShuffleProof, from docs/MIXNET.md §4.2, §4.3 and §5.3, one equation at a time ──────────

function independentCheck(
  g: Group,
  fp: Uint8Array,
  K: Point,
  inputHex: ShuffleBody['ciphertexts'],
  s: ShuffleBody,
) {
  const S = g.scalar;
  const P = (h: string) => g.decode(fromHex(h, 32, 'p'));
  const enc = (h: string) => fromHex(h, 32, 'p');
  const E = (list: ShuffleBody['ciphertexts']) =>
    concat(list.flatMap((v) => v.flatMap((ct) => [enc(ct.alpha), enc(ct.beta)])));
  const n = inputHex.length;
  const w = inputHex[0]!.length;
  const pf = s.proof;
  // §4.2: y hashes H_E (hence K), m, N, w, both lists and the permutation commitment
  const y = hashBytes('mix-statement', [
    fp,
    u32(s.mixer),
    u32(n),
    u32(w),
    E(inputHex),
    E(s.ciphertexts),
    concat(pf.commitments.map(enc)),
  ]);
  const u = Array.from({ length: n }, (_, j) => g.hashToScalar('mix-u', [y, u32(j + 1)]));
  // §4.3: c hashes y, the chain and every first message
  const c = g.hashToScalar('mix-challenge', [
    y,
    concat(pf.chain.map(enc)),
    enc(pf.t1),
    enc(pf.t2),
    enc(pf.t3),
    concat(pf.t4.flatMap((ct) => [enc(ct.alpha), enc(ct.beta)])),
    concat(pf.tHat.map(enc)),
  ]);
  // §2: generators recomputed from the hash-to-group definition, not from mixGenerators
  const h = Array.from({ length: n + 1 }, (_, i) => hashToPoint(g, 'mix-generator', [fp, u32(i)]));
  const sc = (x: string) => scalarFromHex(x, 's');
  const sum = (ps: Point[]) => ps.reduce((a, b) => g.add(a, b), g.identity);
  const cs = pf.commitments.map(P);
  const chain = pf.chain.map(P);
  const sP = pf.sPrime.map(sc);
  const inp = inputHex.map((v) => v.map((ct) => ({ alpha: P(ct.alpha), beta: P(ct.beta) })));
  const out = s.ciphertexts.map((v) => v.map((ct) => ({ alpha: P(ct.alpha), beta: P(ct.beta) })));
  const U = u.reduce((a, b) => S.mul(a, b), 1n);
  const eqs: [string, boolean][] = [];
  eqs.push(['E1', g.eq(P(pf.t1), g.add(g.mul(g.sub(sum(cs), sum(h.slice(1))), c), g.mulBase(sc(pf.s1))))]);
  eqs.push([
    'E2',
    g.eq(P(pf.t2), g.add(g.mul(g.sub(chain[n - 1]!, g.mul(h[0]!, U)), c), g.mulBase(sc(pf.s2)))),
  ]);
  const e3 = sum([
    g.mul(sum(cs.map((cj, j) => g.mul(cj, u[j]!))), c),
    g.mulBase(sc(pf.s3)),
    ...h.slice(1).map((hi, i) => g.mul(hi, sP[i]!)),
  ]);
  eqs.push(['E3', g.eq(P(pf.t3), e3)]);
  for (let k = 0; k < w; k++) {
    for (const [part, base] of [
      ['alpha', g.G],
      ['beta', K],
    ] as const) {
      const rhs = sum([
        g.mul(sum(inp.map((v, j) => g.mul(v[k]![part], u[j]!))), c),
        ...out.map((v, i) => g.mul(v[k]![part], sP[i]!)),
        g.neg(g.mul(base, sc(pf.s4[k]!))),
      ]);
      eqs.push([`E4${part}_${k}`, g.eq(P(pf.t4[k]![part]), rhs)]);
    }
  }
  for (let i = 0; i < n; i++) {
    const prev = i === 0 ? h[0]! : chain[i - 1]!;
    const rhs = sum([g.mul(chain[i]!, c), g.mulBase(sc(pf.sHat[i]!)), g.mul(prev, sP[i]!)]);
    eqs.push([`E5_${i}`, g.eq(P(pf.tHat[i]!), rhs)]);
  }
  return { c, failed: eqs.filter(([, ok]) => !ok).map(([name]) => name) };
}

test('review: honest shuffles satisfy every equation of §5.3 one by one, with y and c hashed as the document says', () => {
  for (const g of both) {
    const { f, K, fp, rnd, inputHex } = setup(g, 5, 2);
    const s1 = shuffle(g, f.election, 1, inputHex, rnd);
    const s2 = shuffle(g, f.election, 2, s1.ciphertexts, rnd);
    assert.deepEqual(independentCheck(g, fp, K, inputHex, s1).failed, []);
    assert.deepEqual(independentCheck(g, fp, K, s1.ciphertexts, s2).failed, []);
    assert.deepEqual(verifyShuffle(g, f.election, s1.ciphertexts, s2), { ok: true });
  }
});

test('review: the generators are hashes to the group, distinct from each other, G, K and the identity, per election', () => {
  const g = sodium;
  const a = setup(g, 2, 1, 'gen-a');
  const b = setup(g, 2, 1, 'gen-b');
  const n = 64;
  const hA = mixGenerators(g, a.fp, n);
  const hB = mixGenerators(g, b.fp, n);
  const seen = new Set<string>([toHex(g.encode(g.G)), toHex(g.encode(a.K)), toHex(g.encode(g.identity))]);
  hA.forEach((h, i) => {
    assert.ok(g.eq(h, hashToPoint(g, 'mix-generator', [a.fp, u32(i)])), `h_${i} is the documented hash`);
    const x = toHex(g.encode(h));
    assert.ok(!seen.has(x), `h_${i} repeats G, K, the identity or another generator`);
    seen.add(x);
  });
  hB.forEach((h, i) =>
    assert.ok(!seen.has(toHex(g.encode(h))), `election b's h_${i} equals one of election a's`),
  );
  // a prefix of a longer list: the same N gives the same generators whatever was asked for before
  assert.ok(mixGenerators(g, a.fp, 3).every((h, i) => g.eq(h, hA[i]!)));
});

// ── batch weights ──────────────────────────────────────────────────────────────────────────────────────────────

test('review: errors that cancel in an unweighted sum, or under the weights of the honest proof, are refused', () => {
  for (const g of both) {
    const { f, K, fp, rnd, inputHex } = setup(g);
    const honest = shuffle(g, f.election, 1, inputHex, rnd);
    const S = g.scalar;
    const sc = (x: string) => scalarFromHex(x, 's');
    const with_ = (patch: Partial<ShuffleBody['proof']>): ShuffleBody => ({
      ...honest,
      proof: { ...honest.proof, ...patch },
    });
    const d = 12345n;
    // s1 + δ makes E1 off by δ·G, s2 − δ makes E2 off by −δ·G: their plain sum is the identity; c does not hash s
    const cancel = with_({
      s1: scalarToHex(S.add(sc(honest.proof.s1), d)),
      s2: scalarToHex(S.sub(sc(honest.proof.s2), d)),
    });
    assert.deepEqual(independentCheck(g, fp, K, inputHex, cancel).failed, ['E1', 'E2']);
    assert.equal(verifyShuffle(g, f.election, inputHex, cancel).ok, false);
    // the same across two t̂ equations, and across E3 and E4α (both carry a multiple of G)
    const sHat = honest.proof.sHat.map(sc);
    const cancelHat = with_({
      sHat: sHat.map((x, i) => scalarToHex(i === 0 ? S.add(x, d) : i === 1 ? S.sub(x, d) : x)),
    });
    assert.equal(verifyShuffle(g, f.election, inputHex, cancelHat).ok, false);
    const cancel34 = with_({
      s3: scalarToHex(S.add(sc(honest.proof.s3), d)),
      s4: honest.proof.s4.map((x, k) => scalarToHex(k === 0 ? S.add(sc(x), d) : sc(x))),
    });
    assert.equal(verifyShuffle(g, f.election, inputHex, cancel34).ok, false);
    // a cheater who knew the weights of the honest proof's seed (z1, z2: the first SHA-256 block) and shifted s1, s2
    // so that z1·δ1 + z2·δ2 = 0 would pass if the seed did not hash the responses; it does, so the weights move
    const { c } = independentCheck(g, fp, K, inputHex, honest);
    const b = (x: bigint) => fromHex(scalarToHex(x), 32, 's');
    const seed = hashBytes('mix-batch-seed', [
      b(c),
      b(sc(honest.proof.s1)),
      b(sc(honest.proof.s2)),
      b(sc(honest.proof.s3)),
      concat(honest.proof.s4.map((x) => b(sc(x)))),
      concat(honest.proof.sHat.map((x) => b(sc(x)))),
      concat(honest.proof.sPrime.map((x) => b(sc(x)))),
    ]);
    const block = sha256(concat([seed, u32(0)])); // batch.ts: z1, z2 are its halves, little-endian
    const le = (bytes: Uint8Array) => bytes.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
    const [z1, z2] = [le(block.slice(0, 16)), le(block.slice(16, 32))];
    const predicted = with_({
      s1: scalarToHex(S.add(sc(honest.proof.s1), S.mul(z2, d))),
      s2: scalarToHex(S.sub(sc(honest.proof.s2), S.mul(z1, d))),
    });
    assert.deepEqual(independentCheck(g, fp, K, inputHex, predicted).failed, ['E1', 'E2']);
    assert.deepEqual(verifyShuffle(g, f.election, inputHex, predicted), {
      ok: false,
      reason: 'shuffle proof invalid',
    });
  }
});

// ── one permutation for every position ─────────────────────────────────────────────────────────────────────────

test('review: a mixer that permutes positions inside a ballot, or mixes positions across ballots, is refused', () => {
  for (const g of both) {
    const { f, K, rnd, input, inputHex } = setup(g, 4, 2);
    const psi = [2, 0, 3, 1];
    const wit = { psi, rho: psi.map(() => [g.scalar.random(rnd), g.scalar.random(rnd)]) };
    const honestOut = reEncrypt(g, K, input, wit);
    const prove = (out: typeof honestOut, w = wit): ShuffleBody => ({
      mixer: 1,
      ciphertexts: encodeList(g, out),
      proof: proveShuffle(g, f.election, 1, input, out, w, rnd),
    });
    assert.deepEqual(verifyShuffle(g, f.election, inputHex, prove(honestOut)), { ok: true });
    // positions 0 and 1 of output ballot 0 swapped (a ranking's chunks reordered)
    const inside = honestOut.map((v, i) => (i === 0 ? [v[1]!, v[0]!] : v));
    assert.equal(verifyShuffle(g, f.election, inputHex, prove(inside)).ok, false);
    // position 1 taken from another ballot: ballots 0 and 1 exchange their second ciphertexts (position 1 follows
    // another permutation than position 0)
    const across = honestOut.map((v, i) => (i < 2 ? [v[0]!, honestOut[1 - i]![1]!] : v));
    assert.equal(verifyShuffle(g, f.election, inputHex, prove(across)).ok, false);
    // the same with a proof made for the permutation position 1 follows: one of the two positions is wrong either way
    const psi2 = [0, 2, 3, 1];
    const wit2 = { psi: psi2, rho: wit.rho };
    const out2 = reEncrypt(g, K, input, wit2);
    const mixed = honestOut.map((v, i) => [v[0]!, out2[i]![1]!]);
    for (const w of [wit, wit2])
      assert.equal(verifyShuffle(g, f.election, inputHex, prove(mixed, w)).ok, false);
  }
});

// ── encodings ──────────────────────────────────────────────────────────────────────────────────────────────────

test('review: a response ≥ L (the same value mod L) and a non-canonical point are refused as encodings', () => {
  const g = sodium;
  const { f, rnd, inputHex } = setup(g, 3, 1);
  const honest = shuffle(g, f.election, 1, inputHex, rnd);
  const le = (x: bigint) => {
    const b = new Uint8Array(32);
    for (let i = 0; i < 32; i++) b[i] = Number((x >> BigInt(8 * i)) & 0xffn);
    return toHex(b);
  };
  // s'_0 + L still fits in 32 bytes (s < 2^256 − L), is congruent, and would verify if reduced
  const sp = scalarFromHex(honest.proof.sPrime[0]!, 's');
  const wide = {
    ...honest,
    proof: { ...honest.proof, sPrime: [le(sp + L), ...honest.proof.sPrime.slice(1)] },
  };
  assert.match(
    String((verifyShuffle(g, f.election, inputHex, wide) as { reason?: string }).reason),
    /^encoding: /,
  );
  // t1 with the top bit set (s ≥ 2^255, non-canonical), and an output α with the sign bit set (a negative s)
  const t1 = fromHex(honest.proof.t1, 32, 't1');
  t1[31]! |= 0x80;
  const high = { ...honest, proof: { ...honest.proof, t1: toHex(t1) } };
  assert.match(
    String((verifyShuffle(g, f.election, inputHex, high) as { reason?: string }).reason),
    /^encoding: /,
  );
  const a = fromHex(honest.ciphertexts[0]![0]!.alpha, 32, 'a');
  a[0]! |= 1;
  const neg = {
    ...honest,
    ciphertexts: [[{ ...honest.ciphertexts[0]![0]!, alpha: toHex(a) }], ...honest.ciphertexts.slice(1)],
  };
  assert.match(
    String((verifyShuffle(g, f.election, inputHex, neg) as { reason?: string }).reason),
    /^encoding: /,
  );
});

// ── ballot copying ─────────────────────────────────────────────────────────────────────────────────────────────

test('review: a voter cannot cast another voter’s ciphertexts, as they are or re-randomised, under their own credential', () => {
  for (const g of both) {
    const { f, K, fp, rnd } = setup(g, 1, 1, 'copy');
    const victim = encryptRanking(g, f.election, f.voters[0]!.secret, [['c2'], ['c1']], rnd).ballot;
    const own = encryptRanking(g, f.election, f.voters[1]!.secret, [['c3']], rnd).ballot;
    assert.deepEqual(checkRankedBallot(g, f.election, own, 1_500_000, new Set()), { ok: true });
    // the copier's ballot with the victim's ciphertexts, code, digest and signature made again with its own key
    const resign = (cts: typeof victim.ciphertexts) => {
      const X = g.decode(fromHex(own.credential, 32, 'X'));
      const hI = hashBytes('ballot-context', [fp, fromHex(own.id, 32, 'id'), g.encode(X)]);
      const code = hashBytes('ranked-confirmation', [
        hI,
        ...cts.flatMap((ct) => [fromHex(ct.alpha, 32, 'a'), fromHex(ct.beta, 32, 'b')]),
      ]);
      const d = hashBytes('ranked-digest', [
        hI,
        code,
        ...cts.flatMap((ct) => [fromHex(ct.proof.R, 32, 'R'), fromHex(ct.proof.s, 32, 's')]),
      ]);
      const x = g.hashToScalar('credential', [fromHex(f.voters[1]!.secret, 32, 'c')]);
      return {
        ...own,
        ciphertexts: cts,
        code: toHex(code),
        signature: schnorrProve(g, 'schnorr', [d], x, rnd),
      };
    };
    const copied = resign(victim.ciphertexts);
    assert.deepEqual(checkRankedBallot(g, f.election, copied, 1_500_000, new Set()), {
      ok: false,
      check: 'R.6',
      reason: 'proof of knowledge invalid (ciphertext 0)',
    });
    // re-randomised: (α + r'·G, β + r'·K), the victim's proof kept (the copier cannot prove r + r')
    const r2 = g.scalar.random(rnd);
    const rerand = resign(
      victim.ciphertexts.map((ct) => ({
        alpha: toHex(g.encode(g.add(g.decode(fromHex(ct.alpha, 32, 'a')), g.mulBase(r2)))),
        beta: toHex(g.encode(g.add(g.decode(fromHex(ct.beta, 32, 'b')), g.mul(K, r2)))),
        proof: ct.proof,
      })),
    );
    assert.equal(checkRankedBallot(g, f.election, rerand, 1_500_000, new Set()).ok, false);
    // the victim's whole ballot posted again (same id) is R.4; with the copier's credential it is R.6 or R.7
    assert.equal(checkRankedBallot(g, f.election, victim, 1_500_000, new Set([victim.id])).ok, false);
    assert.equal(
      checkRankedBallot(g, f.election, { ...victim, credential: own.credential }, 1_500_000, new Set()).ok,
      false,
    );
  }
});

// ── decryption proofs ──────────────────────────────────────────────────────────────────────────────────────────

test('review: a partial decryption moved to another ciphertext, trustee or list, or a lying M, is refused', () => {
  const g = sodium;
  const { f, rnd, inputHex } = setup(g, 3, 2, 'decrypt');
  const s = shuffle(g, f.election, 1, inputHex, rnd);
  const list = s.ciphertexts;
  const pd = mixPartialDecrypt(g, f.election, f.trusteeShares[0]!, list, rnd);
  assert.equal(verifyMixPartial(g, f.election, list, pd), null);
  const swapped = {
    ...pd,
    decryptions: pd.decryptions.map((row, i) => (i < 2 ? [pd.decryptions[1 - i]![0]!, row[1]!] : row)),
  };
  assert.match(
    String(verifyMixPartial(g, f.election, list, swapped)),
    /proof invalid for ballot 0 position 0/,
  );
  const inRow = { ...pd, decryptions: pd.decryptions.map((row) => [row[1]!, row[0]!]) };
  assert.notEqual(verifyMixPartial(g, f.election, list, inRow), null);
  assert.notEqual(verifyMixPartial(g, f.election, list, { ...pd, trustee: 2 }), null);
  assert.notEqual(
    verifyMixPartial(
      g,
      f.election,
      list,
      mixPartialDecrypt(g, f.election, f.trusteeShares[0]!, inputHex, rnd),
    ),
    null,
  );
  const M = g.decode(fromHex(pd.decryptions[2]![1]!.M, 32, 'M'));
  const lying = {
    ...pd,
    decryptions: pd.decryptions.map((row, i) =>
      i === 2 ? [row[0]!, { ...row[1]!, M: toHex(g.encode(g.add(M, g.G))) }] : row,
    ),
  };
  assert.match(String(verifyMixPartial(g, f.election, list, lying)), /proof invalid for ballot 2 position 1/);
  // the combination leaves the liar out: with only one honest trustee of k = 2 there is no result
  assert.equal(
    combineMix(g, f.election, list, [lying, mixPartialDecrypt(g, f.election, f.trusteeShares[1]!, list, rnd)])
      .ok,
    false,
  );
});

// ── the plaintext: one encoding per ranking ────────────────────────────────────────────────────────────────────

test('review: a plaintext with a larger ε than embed picks, which would mark a valid ranking in the result, is invalid', () => {
  const g = sodium;
  const { f, K, rnd } = setup(g, 1, 1, 'mark');
  const payload = new Uint8Array(29);
  payload[0] = 1; // c1 first, c2 and c3 unranked
  const honest = embed(g, payload);
  const sHonest = g.encode(honest);
  let marked: Point | null = null;
  for (let e = sHonest[1]! + 1; e < 256 && !marked; e++) {
    const s = Uint8Array.from(sHonest);
    s[1] = e;
    try {
      marked = g.decode(s);
    } catch {
      // not an encoding; try the next ε
    }
  }
  assert.ok(marked, 'a second ε exists for this payload');
  assert.deepEqual(extract(g, honest), payload);
  assert.equal(extract(g, marked), null, 'the marked point reads as a ranking');
  // end to end: two voters' points (the same ranking), one shuffle, trustees 1 and 2, the result decoded
  const list = encodeList(
    g,
    [honest, marked].map((M) => {
      const r = g.scalar.random(rnd);
      return [{ alpha: g.mulBase(r), beta: g.add(M, g.mul(K, r)) }];
    }),
  );
  const s = shuffle(g, f.election, 1, list, rnd);
  const partials = f.trusteeShares
    .slice(0, 2)
    .map((sh) => mixPartialDecrypt(g, f.election, sh, s.ciphertexts, rnd));
  const result = combineMix(g, f.election, s.ciphertexts, partials).result!;
  const rankings = decodeRankings(g, f.election, result);
  assert.deepEqual(rankings.filter((r) => r.ok).length, 1, JSON.stringify(rankings));
  assert.deepEqual(
    rankings.find((r) => r.ok),
    { ok: true, ranking: [['c1']] },
  );
});
