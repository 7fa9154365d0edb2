// Trustees: DKG judgment (bad shares, false accusations, broken commitments) and k-of-n decryption with
// invalid partial decryptions shown and ignored.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  sodiumGroup,
  dkgReceive,
  dkgResult,
  dkgShares,
  verifyBoard,
  aggregate,
  combine,
  partialDecrypt,
  type BoardEntry,
} from '../../src/ballot/index.ts';
import { dleqProve } from '../../src/ballot/dleq.ts';
import { pointFromHex, pointHex, scalarFromHex } from '../../src/ballot/codec.ts';
import { fromHex, u32 } from '../../src/ballot/bytes.ts';
import { buildElection, runDkg, runElection, seededRandom } from './fixture.ts';

const g = await sodiumGroup();
const rnd = seededRandom('trustees');
const choice = (o: number) => [[0, 1, 2].map((x) => (x === o ? 1 : 0))];
const votes = Array.from({ length: 7 }, (_, v) => ({ voter: v, choices: choice(v % 3) }));

describe('a cheating trustee is caught', () => {
  const f = buildElection(g, { n: 5, k: 3, voters: 7, seed: 'cheat', corruptShare: [2, 4] });

  test('a bad share is provably accused and its dealer disqualified', () => {
    assert.equal(f.accusations.length, 1);
    assert.deepEqual(
      f.accusations.map((a) => [a.accuser, a.accused]),
      [[4, 2]],
    );
    assert.deepEqual(f.key.failures, [{ trustee: 2, reason: 'bad share to trustee 4' }]);
    assert.deepEqual(f.key.qualified, [1, 3, 4, 5]);
  });

  test('the tally completes with k honest trustees and the board verifies', () => {
    const run = runElection(g, f, { votes, decrypting: [1, 3, 5] });
    assert.deepEqual(run.result.tallies, [[3, 2, 2]]);
    const report = verifyBoard(g, run.board);
    assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => !c.ok)));
    assert.match(report.checks[1]!.notes.join('\n'), /trustee 2 disqualified: bad share to trustee 4/);
  });

  test('a false accusation disqualifies the accuser, not the dealer', () => {
    const h = buildElection(g, { n: 4, k: 2, voters: 1, seed: 'false-accusation' });
    // trustee 3 reveals its true shared point for trustee 1's (good) share and accuses anyway
    const shares1 = h.shares[0]!.shares.find((s) => s.to === 3)!;
    const y3 = scalarFromHex(h.secrets[2]!.communicationSecret, 'y');
    const E = pointFromHex(g, shares1.E, 'E');
    const S = g.mul(E, y3);
    const sh = fromHex(h.setup.setupHash, 32, 'sh');
    const proof = dleqProve(
      g,
      ['accuse', sh, u32(1), u32(3)],
      { G1: g.G, H1: g.mulBase(y3), G2: E, H2: S },
      y3,
      rnd,
    );
    const acc = { accuser: 3, accused: 1, S: pointHex(g, S), proof };
    const key = dkgResult(g, h.setup, h.commits, h.shares, [acc]);
    assert.deepEqual(key.failures, [{ trustee: 3, reason: 'false accusation of 1' }]);
    assert.deepEqual(key.qualified, [1, 2, 4]);
    // an accusation with a forged shared point (its proof fails) also falls on the accuser
    const forged = { ...acc, S: pointHex(g, g.mulBase(5n)) };
    assert.deepEqual(dkgResult(g, h.setup, h.commits, h.shares, [forged]).failures[0]!.trustee, 3);
  });

  test('commitments that differ from the round-1 hash disqualify the dealer', () => {
    const h = buildElection(g, { n: 3, k: 2, voters: 1, seed: 'swap' });
    const shares = structuredClone(h.shares);
    shares[1]!.commitments[1] = shares[0]!.commitments[1]!;
    const key = dkgResult(g, h.setup, h.commits, shares, []);
    assert.deepEqual(key.failures, [{ trustee: 2, reason: 'commitments do not match round-1 hash' }]);
  });

  /** Trustees 1..4, k = 2; dealer 2 deals `victims` shares of another polynomial; every trustee checks and accuses. */
  function badDealer(seed: string, victims: number[]) {
    const h = buildElection(g, { n: 4, k: 2, voters: 1, seed });
    const s2 = h.secrets[1]!;
    const other = { ...s2, coefficients: s2.coefficients.map((c, j) => (j === 0 ? '01' + c.slice(2) : c)) };
    const bad = dkgShares(g, h.setup, other, h.commits, rnd).shares;
    const shares = structuredClone(h.shares);
    shares[1]!.shares = shares[1]!.shares.map((sh) =>
      victims.includes(sh.to) ? bad.find((b) => b.to === sh.to)! : sh,
    );
    const accusations = h.secrets.flatMap((s) => dkgReceive(g, h.setup, s, shares, rnd).accusations);
    return { h, shares, accusations };
  }

  test('a dealer who deals two trustees bad shares is disqualified, and both accusers stay, in either order', () => {
    const { h, shares, accusations } = badDealer('two-victims', [3, 4]);
    assert.deepEqual(
      accusations.map((a) => [a.accuser, a.accused]),
      [
        [3, 2],
        [4, 2],
      ],
    );
    for (const order of [accusations, [...accusations].reverse()]) {
      const key = dkgResult(g, h.setup, h.commits, shares, order);
      assert.deepEqual(key.failures, [{ trustee: 2, reason: `bad share to trustee ${order[0]!.accuser}` }]);
      assert.deepEqual(key.qualified, [1, 3, 4]);
    }
  });

  test('an honest accusation of a dealer already out for a public fault disqualifies nobody more', () => {
    const { h, shares, accusations } = badDealer('public-fault', [3]);
    // dealer 2 also spoils a coefficient's proof of possession: it fails the public checks on its own
    shares[1]!.proofs[1] = shares[1]!.proofs[0]!;
    const key = dkgResult(g, h.setup, h.commits, shares, accusations);
    assert.deepEqual(key.failures, [{ trustee: 2, reason: 'coefficient 1 proof of possession invalid' }]);
    assert.deepEqual(key.qualified, [1, 3, 4]);
  });

  test('an accusation of oneself (refused by the core) judges nobody and does not crash the verifier', () => {
    const h = buildElection(g, { n: 3, k: 2, voters: 1, seed: 'self' });
    const own = { accuser: 1, accused: 1, S: h.commits[0]!.communicationKey, proof: h.commits[0]!.pop };
    const self = { ...own, proof: { a1: own.S, a2: own.S, s: own.proof.s } };
    const key = dkgResult(g, h.setup, h.commits, h.shares, [self]);
    assert.deepEqual(key.qualified, [1, 2, 3]);
    assert.deepEqual(key.failures, []);
  });

  test('too few qualified trustees: no joint key', () => {
    const { key } = runDkg(g, { n: 3, k: 3, voters: 0, corruptShare: [1, 2] }, seededRandom('few'));
    assert.equal(key.ok, false);
    assert.deepEqual(key.qualified, [2, 3]);
  });
});

describe('k-of-n decryption', () => {
  const f = buildElection(g, { n: 5, k: 3, voters: 7, seed: 'decrypt' });
  const run = runElection(g, f, { votes, decrypting: [1, 2, 3, 4, 5] });
  const agg = aggregate(
    g,
    f.election,
    run.board.flatMap((e) => (e.kind === 'ballot' ? [{ ballot: e.body, at: e.at }] : [])),
  );
  const all = run.partials;

  test('every subset of k trustees gives the same tally (Lagrange)', () => {
    for (const set of [
      [1, 2, 3],
      [1, 4, 5],
      [2, 3, 5],
      [3, 4, 5],
    ]) {
      const out = combine(
        g,
        f.election,
        agg,
        all.filter((p) => set.includes(p.trustee)),
      );
      assert.deepEqual(out.result?.tallies, [[3, 2, 2]], `set ${set}`);
      assert.deepEqual(out.result?.trustees, set);
    }
  });

  test('an invalid partial decryption is shown and ignored', () => {
    const bad = structuredClone(all[0]!);
    bad.decryptions[0]![1]!.M = all[1]!.decryptions[0]![1]!.M;
    const out = combine(g, f.election, agg, [bad, all[1]!, all[2]!, all[3]!]);
    assert.deepEqual(out.invalid, [{ trustee: 1, reason: 'proof invalid for contest 0 option 1' }]);
    assert.deepEqual(out.result, { tallies: [[3, 2, 2]], trustees: [2, 3, 4] });
    const board = run.board.map((e): BoardEntry =>
      e.kind === 'partial-decryption' && e.body.trustee === 1 ? { ...e, body: bad } : e,
    );
    const fixed = board.map((e): BoardEntry => (e.kind === 'result' ? { ...e, body: out.result! } : e));
    const report = verifyBoard(g, fixed);
    assert.equal(report.ok, true);
    assert.match(report.checks[6]!.notes[0]!, /trustee 1 ignored: proof invalid/);
  });

  test('fewer than k valid partial decryptions: combination fails', () => {
    const out = combine(g, f.election, agg, all.slice(0, 2));
    assert.equal(out.ok, false);
    assert.match(out.reason!, /2 valid of 3 needed/);
  });

  test('a partial decryption by a trustee with a wrong share fails its proof', () => {
    const wrong = partialDecrypt(
      g,
      f.election,
      { trustee: 2, secretShare: f.trusteeShares[0]!.secretShare },
      agg,
      rnd,
    );
    const out = combine(g, f.election, agg, [wrong, all[2]!, all[3]!, all[4]!]);
    assert.deepEqual(
      out.invalid.map((i) => i.trustee),
      [2],
    );
    assert.deepEqual(out.result?.trustees, [3, 4, 5]);
  });
});
