// Signed shuffles (docs/MIXNET.md §12): the mixer of slot j signs with trustee j's communication key. The verifier
// of a board whose manifest says `shuffles: "signed"` refuses a shuffle signed by another mixer, by nobody, or with
// a valid signature made for another slot, position or election; a board from before (no mark) verifies unsigned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  nobleGroup,
  mixerKeys,
  shuffle,
  signShuffle,
  shuffleSignatureProblem,
  verifyMixBoard,
  type MixBoard,
  type ShuffleBody,
} from '../../../src/ballot/index.ts';
import { buildElection, seededRandom } from '../fixture.ts';
import { rankedManifest } from '../mixnet-fixture.ts';
import { encryptRanks, mixInput } from '../../../src/ballot/index.ts';

const g = nobleGroup;

function signedRun(seed: string, signed = true) {
  const manifest = { ...rankedManifest(3, seed), ballot: 'ranked' as const };
  const f = buildElection(g, {
    n: 3,
    k: 2,
    voters: 3,
    manifest: signed ? { ...manifest, shuffles: 'signed' as const } : manifest,
    seed,
  });
  const rnd = seededRandom(`${seed}/run`);
  const cast = [
    [1, 2, 3],
    [3, 1, 2],
    [2, 3, 1],
  ].map((ranks, v) => ({
    ballot: encryptRanks(g, f.election, f.voters[v]!.secret, ranks, rnd).ballot,
    at: 1_500_000,
  }));
  const input = mixInput(f.election, cast);
  const keys = mixerKeys(f.commits);
  const y = (slot: number) => f.secrets[slot - 1]!.communicationSecret;
  return { f, rnd, cast, input, keys, y };
}

test('each slot signs its shuffle; the board verifies with the signers, and not without them', () => {
  const { f, rnd, cast, input, keys, y } = signedRun('signed-ok');
  // slot 2 skipped: slots 1 and 3 shuffle, as mixers 1 and 2
  const s1 = signShuffle(g, f.election, 1, input, shuffle(g, f.election, 1, input, rnd), y(1), rnd);
  const s2 = signShuffle(
    g,
    f.election,
    3,
    s1.ciphertexts,
    shuffle(g, f.election, 2, s1.ciphertexts, rnd),
    y(3),
    rnd,
  );
  const board: MixBoard = { cast, shuffles: [s1, s2], partials: [], result: null };
  const m2 = (b: MixBoard) => verifyMixBoard(g, f.election, b).checks.find((c) => c.id === 'M.2')!;
  assert.equal(m2({ ...board, signers: { slots: [1, 3], keys } }).ok, true);
  assert.match(m2(board).failures[0]!.reason, /no slot given/);
  assert.match(
    m2({ ...board, signers: { slots: [1, 2], keys } }).failures[0]!.reason,
    /not slot 2's mixer's/,
  );
});

test('refused: signed by another mixer, by nobody, or a valid signature over another slot, position or election', () => {
  const { f, rnd, input, keys, y } = signedRun('signed-forged');
  const body = shuffle(g, f.election, 1, input, rnd);
  const check = (s: ShuffleBody, slot = 1, list = input, election = f.election) =>
    shuffleSignatureProblem(g, election, slot, list, s, keys[slot]);
  assert.equal(check(signShuffle(g, f.election, 1, input, body, y(1), rnd)), null);
  // the operator, or mixer 2, signs slot 1's shuffle
  assert.match(check(signShuffle(g, f.election, 1, input, body, y(2), rnd))!, /not slot 1's mixer's/);
  const operator = '0'.repeat(63) + '7';
  assert.match(check(signShuffle(g, f.election, 1, input, body, operator, rnd))!, /not slot 1's mixer's/);
  // nobody
  assert.match(check(body)!, /not signed/);
  // mixer 1's honest signature, moved: to slot 2's turn; for another position in the chain; for another input
  const mine = signShuffle(g, f.election, 1, input, body, y(1), rnd);
  assert.match(check(signShuffle(g, f.election, 2, input, body, y(1), rnd), 1)!, /not slot 1's mixer's/);
  assert.match(check({ ...mine, mixer: 2 })!, /not slot 1's mixer's/);
  assert.match(check(mine, 1, [...input].reverse())!, /not slot 1's mixer's/);
  // a signature over the output of another shuffle, or a changed proof value
  const other = shuffle(g, f.election, 1, input, rnd);
  assert.match(check({ ...other, signature: mine.signature })!, /not slot 1's mixer's/);
  assert.match(check({ ...mine, proof: { ...mine.proof, s1: other.proof.s1 } })!, /not slot 1's mixer's/);
  // the same mixer's signature of the same shuffle made for another election
  const elsewhere = signedRun('signed-elsewhere');
  const foreign = signShuffle(g, elsewhere.f.election, 1, input, body, y(1), rnd);
  assert.match(check(foreign)!, /not slot 1's mixer's/);
  // garbage is a reason, never a throw
  assert.match(check({ ...mine, signature: { R: 'zz', s: mine.signature.s } })!, /signature: /);
  // a record may hold any JSON where the signature goes (the live path refuses it; a writer could put it there)
  for (const signature of [null, 7, 'sig', [], { R: null, s: 1 }])
    assert.match(check({ ...mine, signature: signature as never })!, /signature: /);
});

test('a board from before signed shuffles (no mark in the manifest) verifies unsigned, and a present signature is checked', () => {
  const { f, rnd, cast, input, keys, y } = signedRun('unsigned-old', false);
  const s1 = shuffle(g, f.election, 1, input, rnd);
  const board: MixBoard = { cast, shuffles: [s1], partials: [], result: null };
  const m2 = (b: MixBoard) => verifyMixBoard(g, f.election, b).checks.find((c) => c.id === 'M.2')!;
  assert.equal(m2(board).ok, true);
  const wrong = signShuffle(g, f.election, 1, input, s1, y(2), rnd);
  assert.equal(m2({ ...board, shuffles: [wrong], signers: { slots: [1], keys } }).ok, false);
});
