// The document suffices (docs/BALLOT-PROTOCOL.md §8.1, §8.2): a verifier written from it alone on @noble/curves
// (independent-verifier.ts, which imports nothing from src/) reaches src/ballot's verdicts — on a whole election
// with an accusation, a challenge and a revote, on one whose credentials carry RFC 9474 blind signatures, and on
// each of them tampered: a range proof, a partial decryption, a credential signature, a challenge's plaintext, a
// published tally.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sodiumGroup, verifyBoard, type BoardEntry } from '../../src/ballot/index.ts';
import { signedBy, testIssuer } from '../support/issuer.ts';
import { buildElection, runElection } from './fixture.ts';
import { independentVerify } from './independent-verifier.ts';

const g = await sodiumGroup();
const votes = [
  { voter: 0, choices: [[1, 0, 0]], challengeFirst: true },
  { voter: 1, choices: [[0, 1, 0]] },
  { voter: 1, choices: [[0, 0, 1]] },
];
// trustee 3 deals trustee 1 a bad share and is disqualified; 1 and 2 decrypt
const plain = buildElection(g, { n: 3, k: 2, voters: 2, seed: 'independent', corruptShare: [3, 1] });
const signed = buildElection(g, {
  n: 3,
  k: 2,
  voters: 2,
  seed: 'independent-signed',
  ...signedBy(testIssuer()),
});
const boards = {
  plain: runElection(g, plain, { votes, decrypting: [1, 2] }).board,
  signed: runElection(g, signed, { votes, decrypting: [1, 2] }).board,
};

function agree(board: BoardEntry[], ok: boolean, what: string): void {
  const theirs = verifyBoard(g, board);
  const mine = independentVerify(structuredClone(board));
  const failing = theirs.checks.filter((c) => !c.ok).map((c) => `${c.id}: ${JSON.stringify(c.failures)}`);
  assert.equal(theirs.ok, ok, `${what}: src/ballot says ${theirs.ok} (${failing.join('; ')})`);
  assert.equal(mine.ok, ok, `${what}: the document's verifier says ${mine.ok} (${mine.problems.join('; ')})`);
  if (ok) {
    assert.equal(mine.fingerprint, theirs.fingerprint, `${what}: H_E`);
    assert.deepEqual(mine.tallies, theirs.tallies, `${what}: tallies`);
  }
}

const tamper = (board: BoardEntry[], kind: BoardEntry['kind'], change: (body: never) => void) => {
  const copy = structuredClone(board);
  change(copy.find((e) => e.kind === kind)!.body as never);
  return copy;
};
const flip = (h: string): string => (h[0] === '0' ? '1' : '0') + h.slice(1);

describe('a verifier built from the document alone', () => {
  test('agrees on a whole election with an accusation, a challenge and a revote, and on it tampered', () => {
    const board = boards.plain;
    agree(board, true, 'plain');
    assert.deepEqual(independentVerify(board).qualified, [1, 2]);
    agree(
      tamper(board, 'ballot', (b: { contests: { selections: { proof: { c: string[] } }[] }[] }) => {
        const c = b.contests[0]!.selections[1]!.proof.c;
        c[0] = flip(c[0]!);
      }),
      false,
      'a range proof',
    );
    agree(
      tamper(board, 'partial-decryption', (p: { decryptions: { proof: { s: string } }[][] }) => {
        const proof = p.decryptions[0]![2]!.proof;
        proof.s = flip(proof.s);
      }),
      false,
      'a partial decryption',
    );
    agree(
      tamper(board, 'spoiled', (s: { plaintext: number[][] }) => {
        s.plaintext = [[0, 1, 0]];
      }),
      false,
      'a challenge',
    );
    agree(
      tamper(board, 'result', (r: { tallies: number[][] }) => {
        r.tallies[0]![0]! += 1;
      }),
      false,
      'a tally',
    );
  });

  test('agrees on who is qualified when two trustees accuse one dealer (§8.2: each accusation on its own)', () => {
    const twice = buildElection(g, {
      n: 4,
      k: 2,
      voters: 1,
      seed: 'independent-twice',
      corruptShare: [2, 3, 4],
    });
    assert.deepEqual(
      twice.accusations.map((a) => [a.accuser, a.accused]),
      [
        [3, 2],
        [4, 2],
      ],
    );
    const board = runElection(g, twice, {
      votes: [{ voter: 0, choices: [[0, 1, 0]] }],
      decrypting: [3, 4],
    }).board;
    agree(board, true, 'two accusations');
    assert.deepEqual(independentVerify(board).qualified, [1, 3, 4]);
  });

  test('agrees on an election whose credentials carry blind signatures, and on one signature changed', () => {
    agree(boards.signed, true, 'signed');
    assert.deepEqual(independentVerify(boards.signed).qualified, [1, 2, 3]);
    agree(
      tamper(boards.signed, 'credentials', (c: { credentials: { signature: string }[] }) => {
        const s = c.credentials[1]!.signature;
        c.credentials[1]!.signature = s.slice(0, -2) + (s.endsWith('00') ? '01' : '00');
      }),
      false,
      'a credential signature',
    );
  });
});
