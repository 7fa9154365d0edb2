// The core's replay for `councils verify`, with every secret vote's ballots checked on worker threads and the
// progress of that phase reported like the record verifier's own phases. Each board is verified as a stream
// (BallotVerifierPool.verifyStream): the workers keep no ballot and no credential list, and this thread keeps a few
// fields per ballot, not a copy of its checked body.
import { replayEntries } from '../../core/index.ts';
import type { Replay } from '../../record/record-verifier.ts';
import { nodeBallotCrypto } from '../../node/ballot-crypto.ts';
import { BallotVerifierPool } from './verifier-pool.ts';

/** A Replay whose ballot checks run on `workers` threads (default: every core). */
export function parallelReplay(workers?: number): Replay {
  return async (entries, _size, { onProgress }) => {
    const pool = new BallotVerifierPool({
      ...(workers !== undefined ? { workers } : {}),
      ...(onProgress ? { onProgress: (done, total) => onProgress({ phase: 'ballots', done, total }) } : {}),
    });
    try {
      return await replayEntries(entries, {
        verifyBoard: async (board) => {
          const ballots = board.filter((e) => e.kind === 'ballot' || e.kind === 'spoiled').length;
          const read = async function* () {
            yield* board;
          };
          // the board is in memory: its two reads cannot differ, so they are not tied
          return (await pool.verifyStream(read, { ballots, tie: false })).report;
        },
        crypto: nodeBallotCrypto,
      });
    } finally {
      await pool.close();
    }
  };
}
