// End to end through the library: 3-of-5 trustees, 50 voters (some revote, one challenges), the verifier passes;
// one byte of one ballot changed and it fails, naming the ballot.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  nobleGroup,
  sodiumGroup,
  verifyBoard,
  prepareBoard,
  verifyBallotChunk,
  finishBoard,
  voterCheck,
  type BoardEntry,
} from '../../src/ballot/index.ts';
import { buildElection, runElection, type VoteScript } from './fixture.ts';

const g = await sodiumGroup();
const fixture = buildElection(g, { n: 5, k: 3, voters: 50, seed: 'e2e' });

// Voter v votes option v mod 3; voters 0..4 revote for option 2 later; voter 7 challenges first.
const choice = (o: number) => [[0, 1, 2].map((x) => (x === o ? 1 : 0))];
const script: VoteScript = {
  votes: [
    ...Array.from({ length: 50 }, (_, v) => ({ voter: v, choices: choice(v % 3), challengeFirst: v === 7 })),
    ...[0, 1, 2, 3, 4].map((v) => ({ voter: v, choices: choice(2) })),
  ],
  decrypting: [5, 2, 4, 1],
};
const run = runElection(g, fixture, script);

function expected(): number[] {
  const last = new Map<number, number>();
  for (const v of script.votes) last.set(v.voter, v.choices[0]!.indexOf(1));
  const t = [0, 0, 0];
  for (const o of last.values()) t[o]!++;
  return t;
}

describe('secret ballot end to end (3-of-5, 50 voters)', () => {
  test('the result is the plain count of the last ballot per voter', () => {
    assert.deepEqual(run.result.tallies, [expected()]);
    assert.deepEqual(run.result.trustees, [1, 2, 4]);
  });

  test('the verifier passes every numbered check', () => {
    const report = verifyBoard(g, run.board);
    assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => !c.ok)));
    assert.deepEqual(
      report.checks.map((c) => c.id),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.match(report.checks[5]!.notes[0]!, /^50 ballots counted, 5 superseded/);
    assert.match(report.checks[9]!.notes[0]!, /^1 challenged/);
  });

  test('chunked verification (as on worker threads) gives the same report', () => {
    const prep = prepareBoard(g, run.board);
    const failures = [0, 1, 2, 3].flatMap((k) =>
      verifyBallotChunk(
        g,
        prep.election!,
        prep.items.filter((_, i) => i % 4 === k),
      ),
    );
    assert.deepEqual(finishBoard(g, run.board, prep, failures), verifyBoard(g, run.board));
  });

  test('the other backend checks the same setup and a sample of the ballots', () => {
    const prep = prepareBoard(nobleGroup, run.board);
    assert.ok(prep.checks.every((c) => c.ok));
    assert.equal(prep.election!.fingerprint, fixture.election.fingerprint);
    assert.deepEqual(verifyBallotChunk(nobleGroup, prep.election!, prep.items.slice(0, 6)), []);
  });

  test('one byte of one ballot changed: the verifier fails and names the ballot', () => {
    const index = run.board.findIndex((e, i) => e.kind === 'ballot' && i > 20);
    const entry = run.board[index] as Extract<BoardEntry, { kind: 'ballot' }>;
    const tampered = structuredClone(entry);
    const beta = tampered.body.contests[0]!.selections[1]!.beta;
    tampered.body.contests[0]!.selections[1]!.beta =
      beta.slice(0, 10) + (beta[10] === '0' ? '1' : '0') + beta.slice(11);
    const board = run.board.map((e, i) => (i === index ? tampered : e));
    const report = verifyBoard(g, board);
    assert.equal(report.ok, false);
    const c5 = report.checks.find((c) => c.id === 5)!;
    assert.equal(c5.ok, false);
    assert.equal(c5.failures.length, 1);
    assert.equal(c5.failures[0]!.where, `entry ${index} ballot ${entry.body.id}`);
  });

  test('voter check: counted, superseded by a revote, challenged, unknown', () => {
    const codeOf = (voter: number, nth = 0) => run.codes.filter((c) => c.voter === voter)[nth]!.code;
    assert.equal(voterCheck(g, run.board, codeOf(10)).status, 'counted');
    assert.equal(voterCheck(g, run.board, codeOf(0, 0)).status, 'superseded');
    assert.equal(voterCheck(g, run.board, codeOf(0, 1)).status, 'counted');
    const spoiled = run.board.find((e) => e.kind === 'spoiled')!;
    assert.equal(
      spoiled.kind === 'spoiled' && voterCheck(g, run.board, spoiled.body.ballot.code).status,
      'spoiled',
    );
    assert.equal(voterCheck(g, run.board, '00'.repeat(32)).status, 'not-found');
  });

  test('a result that does not match the decryption fails check 9', () => {
    const board = run.board.map((e) =>
      e.kind === 'result' ? { ...e, body: { ...e.body, tallies: [[...e.body.tallies[0]!].reverse()] } } : e,
    );
    const report = verifyBoard(g, board);
    assert.equal(report.checks.find((c) => c.id === 9)!.ok, false);
  });
});
