// The ballot verifier on worker threads (src/cli/ballot-workers) gives the same report as verifyBoard in one
// thread, whatever the number of workers and the chunking: it names the same tampered ballots, and its sums of
// the counted ballots decrypt to the same tallies.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { makeCredential, sodiumGroup, verifyBoard, type BoardEntry } from '../../src/ballot/index.ts';
import { BallotVerifierPool } from '../../src/cli/ballot-workers/verifier-pool.ts';
import { buildElection, runElection, seededRandom, type VoteScript } from '../ballot/fixture.ts';

const g = await sodiumGroup();
const VOTERS = 24;
const fixture = buildElection(g, { n: 3, k: 2, voters: VOTERS, seed: 'workers' });
const choice = (o: number) => [[0, 1, 2].map((x) => (x === o ? 1 : 0))];
const script: VoteScript = {
  votes: [
    ...Array.from({ length: VOTERS }, (_, v) => ({
      voter: v,
      choices: choice(v % 3),
      challengeFirst: v === 5,
    })),
    ...[0, 1].map((v) => ({ voter: v, choices: choice(2) })),
  ],
  decrypting: [3, 1],
};
const run = runElection(g, fixture, script);

/** The board with one byte of ballot number `nth`'s selection changed, and that ballot's entry and id. */
function tamper(board: readonly BoardEntry[], nth: number) {
  const index = board.map((e, i) => (e.kind === 'ballot' ? i : -1)).filter((i) => i >= 0)[nth]!;
  const entry = structuredClone(board[index]) as Extract<BoardEntry, { kind: 'ballot' }>;
  const sel = entry.body.contests[0]!.selections[1]!;
  sel.alpha = sel.alpha.slice(0, 10) + (sel.alpha[10] === '0' ? '1' : '0') + sel.alpha.slice(11);
  return { board: board.map((e, i) => (i === index ? entry : e)), index, id: entry.body.id };
}

describe('ballot verifier on worker threads', { timeout: 600_000 }, () => {
  const one = new BallotVerifierPool({ workers: 1 });
  // chunks of 3 ballots handed out among 3 workers, so every worker gets several, in no fixed order
  const progress: number[] = [];
  const three = new BallotVerifierPool({
    workers: 3,
    chunkSize: 3,
    minPerWorker: 1,
    onProgress: (done, total) => {
      assert.equal(total, VOTERS + 3);
      progress.push(done);
    },
  });
  after(async () => {
    await one.close();
    await three.close();
  });

  test('an honest board: the same passing report with 1 and with 3 workers, and progress up to every ballot', async () => {
    const alone = verifyBoard(g, run.board);
    assert.equal(alone.ok, true);
    const t = await three.verifyTimed(run.board);
    assert.equal(t.timings.workers, 3);
    assert.deepEqual(t.report, alone);
    assert.deepEqual(await one.verify(run.board), alone);
    assert.deepEqual(t.report.tallies, run.result.tallies);
    assert.equal(progress.at(-1), VOTERS + 3);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
  });

  test('a tampered ballot: more than one worker names the same entry and ballot as one worker', async () => {
    // a ballot in the middle, and a revote (the last ballots), so a failure changes which ballot counts
    for (const nth of [9, VOTERS + 1]) {
      const { board, index, id } = tamper(run.board, nth);
      const alone = verifyBoard(g, board);
      const byOne = await one.verify(board);
      const byThree = await three.verify(board);
      assert.deepEqual(byThree, byOne);
      assert.deepEqual(byThree, alone);
      assert.equal(byThree.ok, false);
      const c5 = byThree.checks.find((c) => c.id === 5)!;
      assert.deepEqual(
        c5.failures.map((f) => f.where),
        [`entry ${index} ballot ${id}`],
      );
      assert.match(c5.failures[0]!.reason, /^5\.\d/);
    }
  });

  test('two tampered ballots in different chunks are both named, in board order', async () => {
    const first = tamper(run.board, 2);
    const second = tamper(first.board, 20);
    const report = await three.verify(second.board);
    assert.deepEqual(report, verifyBoard(g, second.board));
    assert.deepEqual(
      report.checks.find((c) => c.id === 5)!.failures.map((f) => f.where),
      [`entry ${first.index} ballot ${first.id}`, `entry ${second.index} ballot ${second.id}`],
    );
  });

  test('a board read as a stream, twice, on 2 workers and in one thread: the same report as verifyBoard', async () => {
    const stream = new BallotVerifierPool({ workers: 2, chunkSize: 4 });
    const single = new BallotVerifierPool({ workers: 1, chunkSize: 5 });
    try {
      for (const board of [run.board, tamper(run.board, 3).board]) {
        let reads = 0;
        const read = async function* () {
          reads++;
          for (const e of board) yield structuredClone(e);
        };
        const expected = verifyBoard(g, board);
        for (const pool of [stream, single]) {
          reads = 0;
          const r = await pool.verifyStream(read);
          assert.deepEqual(r.report, expected);
          assert.equal(r.ballots, VOTERS + 3);
          assert.equal(reads, 2);
        }
      }
    } finally {
      await stream.close();
      await single.close();
    }
  });

  test('a board that changes between its two reads is refused, not summed unchecked', async () => {
    // the second read hands over, in a counted ballot's place, the same ballot with two selections swapped: its
    // proofs fail, and its ciphertexts (valid points) would be summed though the first read never checked them
    const at = run.board.findIndex((e, i) => i > 12 && e.kind === 'ballot');
    const swapped = structuredClone(run.board[at]) as Extract<BoardEntry, { kind: 'ballot' }>;
    const sels = swapped.body.contests[0]!.selections;
    [sels[0], sels[1]] = [sels[1]!, sels[0]!];
    const changed = run.board.map((e, i) => (i === at ? swapped : e));
    const extra = { kind: 'spoiled', at: 0, body: {} } as unknown as BoardEntry;
    for (const second of [changed, [...run.board, extra]]) {
      for (const workers of [2, 1]) {
        const pool = new BallotVerifierPool({ workers, chunkSize: 4, minPerWorker: 1 });
        let reads = 0;
        const read = async function* () {
          yield* reads++ === 0 ? run.board : second;
        };
        try {
          await assert.rejects(pool.verifyStream(read), /the second read differs from the first/);
          assert.equal(reads, 2);
        } finally {
          await pool.close();
        }
      }
    }
  });

  test('a board as its JSON lines: read once when no ballot was superseded, twice when one was; a changed line refused', async () => {
    const noRevote = runElection(g, fixture, { ...script, votes: script.votes.slice(0, VOTERS) }).board;
    const linesOf = (board: readonly BoardEntry[]) => board.map((e) => JSON.stringify(e));
    const pools = [
      new BallotVerifierPool({ workers: 2, chunkSize: 4 }),
      new BallotVerifierPool({ workers: 1, chunkSize: 5 }),
    ];
    try {
      for (const [board, twice] of [
        [noRevote, false],
        [run.board, true],
        [tamper(noRevote, 2).board, false],
      ] as const) {
        const expected = verifyBoard(g, board);
        for (const pool of pools) {
          let opened = 0;
          const read = async function* () {
            opened++;
            yield* linesOf(board);
          };
          const r = await pool.verifyStream(read);
          assert.deepEqual(r.report, expected);
          assert.deepEqual([opened, r.reads], twice ? [2, 2] : [1, 1]);
          // entries in memory, not tied: the same
          const objects = await pool.verifyStream(
            async function* () {
              yield* board;
            },
            { tie: false },
          );
          assert.deepEqual(objects.report, expected);
        }
      }
      assert.equal(verifyBoard(g, noRevote).ok, true);
      // the second read's line of a counted ballot changed (one character of its code): refused
      const at = run.board.findIndex((e, i) => i > 12 && e.kind === 'ballot');
      const second = linesOf(run.board).map((l, i) =>
        i === at ? l.replace(/"code":"(.)/, (_, c: string) => `"code":"${c === '0' ? '1' : '0'}`) : l,
      );
      assert.notDeepEqual(second, linesOf(run.board));
      for (const pool of pools) {
        let opened = 0;
        const read = async function* () {
          yield* opened++ === 0 ? linesOf(run.board) : second;
        };
        await assert.rejects(pool.verifyStream(read), /the second read differs from the first/);
      }
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });

  test('workers hold no credential list: unlisted and malformed credentials are named as in one thread', async () => {
    const ballots = run.board.flatMap((e, i) => (e.kind === 'ballot' ? [i] : []));
    const stranger = makeCredential(g, seededRandom('not on the list')).public;
    const withCredential = (board: readonly BoardEntry[], nth: number, credential: unknown) =>
      board.map((e, i) =>
        i === ballots[nth] ? ({ ...e, body: { ...(e.body as object), credential } } as BoardEntry) : e,
      );
    // a valid point not on the list (5.2), a number (5.1), and a listed voter's ballot moved to another listed
    // credential (5.4, the code hashes it): on 2 workers, streamed and in memory, the same report as verifyBoard
    const listed = (run.board[ballots[7]!]!.body as { credential: string }).credential;
    const board = withCredential(withCredential(withCredential(run.board, 2, stranger), 11, 42), 4, listed);
    const expected = verifyBoard(g, board);
    const c5 = expected.checks.find((c) => c.id === 5)!;
    assert.deepEqual(
      c5.failures.map((f) => f.reason.slice(0, 3)),
      ['5.2', '5.4', '5.1'],
    );
    const done: number[] = [];
    const stream = new BallotVerifierPool({
      workers: 2,
      chunkSize: 4,
      minPerWorker: 1,
      onProgress: (d, total) => {
        assert.equal(total, VOTERS + 3);
        done.push(d);
      },
    });
    try {
      const read = async function* () {
        yield* board;
      };
      const r = await stream.verifyStream(read, { ballots: VOTERS + 3 });
      assert.deepEqual(r.report, expected);
      assert.equal(done.at(-1), VOTERS + 3);
      assert.deepEqual(await three.verify(board), expected);
    } finally {
      await stream.close();
    }
  });
});
