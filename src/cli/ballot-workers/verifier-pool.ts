// The ballot verifier on all cores (docs/BALLOT-PROTOCOL.md §8, §10): checks 1–4 in this thread (prepareBoard),
// the per-ballot checks 5.1–5.7 and 10 in chunks on worker threads (verifyBallotChunk, handed out one chunk at a
// time so that a slow core gets fewer), the sums of the counted ballots on the workers that hold them
// (sumBallots, addSums), then checks 5.8 and 6–10 here (finishBoard). The report equals verifyBoard's, whatever
// the number of workers. The workers never get the credential list (it grows with the electorate): the election
// goes to them without it (listless), and each request carries the entries of the list for its ballots'
// credentials (listedOf). Node-only: src/ballot stays pure.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import os from 'node:os';
import {
  addSums,
  BATCH_BALLOTS,
  countedIndices,
  finishBoard,
  listedOf,
  listless,
  prepareBoard,
  StreamedBoard,
  sumBallots,
  verifyBallotChunk,
  type Aggregate,
  type BallotFailure,
  type BallotBody,
  type BallotItem,
  type Board,
  type CredentialEntry,
  type BoardEntry,
  type Group,
  type Report,
} from '../../ballot/index.ts';
import type { Election } from '../../ballot/election.ts';
import { nodeBallotCrypto } from '../../node/ballot-crypto.ts';
import { ModuleWorker } from '../../node/module-worker.ts';

export type PoolRequest =
  | { id: number; op: 'election'; election: Election }
  | { id: number; op: 'verify'; items: BallotItem[]; listed: CredentialEntry[]; keep?: false }
  | { id: number; op: 'sum'; indices: number[] }
  | { id: number; op: 'sum-bodies'; bodies: BallotBody[]; listed: CredentialEntry[] };

export type PoolReply =
  | { id: number; ok: true; failures?: BallotFailure[]; sums?: Aggregate['ciphertexts']; count?: number }
  | { id: number; ok: false; error: string };

export interface BallotPoolOptions {
  /** Worker threads; default os.availableParallelism(). 1 verifies in this thread. */
  workers?: number;
  /** Ballots per chunk handed to a worker (default 512: one multi-scalar multiplication, BATCH_BALLOTS). */
  chunkSize?: number;
  /** Fewer workers when there are fewer ballots than this per worker (default 16); small boards stay here. */
  minPerWorker?: number;
  /** Called after each chunk: ballots checked so far of the board's ballots. */
  onProgress?: (done: number, total: number) => void;
}

/** Wall time of each phase of one board's verification, in milliseconds. */
export interface BoardTimings {
  /** Checks 1–4: parameters, trustee proofs, joint key, credential list. */
  prepare: number;
  /** Starting the worker threads (tsx, libsodium) the first time, and sending them the election. */
  start: number;
  /** Checks 5.1–5.7 and 10 of every ballot (on the workers). */
  ballots: number;
  /** Σ of the counted ballots (on the workers that hold them). */
  sum: number;
  /** Checks 5.8, 6–10: uniqueness, selection, partial decryptions, combination, decoding. */
  finish: number;
  workers: number;
}

/** One worker thread of the pool (verifier-worker.ts). */
const poolWorker = () =>
  new ModuleWorker<PoolRequest, PoolReply>(
    new URL('./verifier-worker', import.meta.url),
    'ballot verifier worker',
  );
type PoolWorker = ReturnType<typeof poolWorker>;

/** The credential of a ballot or challenge item, whatever its shape. */
const credentialOf = (it: BallotItem): unknown =>
  (it.kind === 'ballot' ? it.body : it.body?.ballot)?.credential as unknown;

/** Adds an entry, as JSON, to the digest of one read of a board. */
const hashEntry = (h: Hash, e: BoardEntry) => h.update(`${JSON.stringify(e)}\n`);

const chunksOf = <T>(xs: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

/** Verifies secret-ballot boards on worker threads; keep one per run and close it at the end. */
export class BallotVerifierPool {
  readonly workers: number;
  private readonly chunkSize: number;
  private readonly minPerWorker: number;
  private readonly onProgress: ((done: number, total: number) => void) | undefined;
  private started: PoolWorker[] = [];

  constructor(options: BallotPoolOptions = {}) {
    const workers = options.workers ?? os.availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError('workers: a positive integer');
    this.workers = workers;
    this.chunkSize = options.chunkSize ?? BATCH_BALLOTS;
    this.minPerWorker = options.minPerWorker ?? 16;
    this.onProgress = options.onProgress;
  }

  async verify(board: Board): Promise<Report> {
    return (await this.verifyTimed(board)).report;
  }

  async verifyTimed(board: Board): Promise<{ report: Report; timings: BoardTimings }> {
    const { group: g, rsaPssVerify } = nodeBallotCrypto;
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = now - t;
      t = now;
      return ms;
    };
    const prep = prepareBoard(g, board, rsaPssVerify);
    const prepare = lap();
    const election = prep.election;
    const n = election ? Math.min(this.workers, Math.floor(prep.items.length / this.minPerWorker)) : 0;
    if (!election || n <= 1) {
      const failures = election ? this.inThread(g, election, prep.items) : [];
      const ballots = lap();
      const report = finishBoard(g, board, prep, failures);
      return { report, timings: { prepare, start: 0, ballots, sum: 0, finish: lap(), workers: 1 } };
    }
    const ws = await this.start(n);
    await Promise.all(ws.map((w) => w.request({ op: 'election', election: listless(election) })));
    const start = lap();
    const failures = await this.onWorkers(ws, election, prep.items);
    const ballots = lap();
    const indices = countedIndices(prep, failures);
    const parts = await Promise.all(ws.map((w) => w.request({ op: 'sum', indices })));
    const sums = parts.map((p) => p.sums!).reduce((a, b) => addSums(g, a, b));
    if (parts.reduce((s, p) => s + p.count!, 0) !== indices.length)
      throw new Error('ballot verifier workers: a counted ballot was not summed');
    const sum = lap();
    const report = finishBoard(g, board, prep, failures, sums);
    return { report, timings: { prepare, start, ballots, sum, finish: lap(), workers: n } };
  }

  /**
   * The board read as a stream, twice (`read` opens it from the start each time), in memory that does not grow with
   * the ballots' bodies (StreamedBoard keeps 17 bytes per ballot, and the workers neither ballots nor the credential
   * list): the first read
   * checks every entry, the ballots in chunks on the workers (a few chunks in flight, so reading waits for them);
   * the second sends the counted ballots to be summed, and must give the same entries as the first (SHA-256 of each
   * read's entries as JSON; otherwise this throws, for the sums would not be of the ballots checked). The report
   * equals verify's on the same board. `ballots`, the
   * number of ballots and challenges on the board when the caller knows it, is the total onProgress reports, and a
   * board with fewer than 2·minPerWorker of them is checked in this thread (as verify does).
   */
  async verifyStream(
    read: () => AsyncIterable<BoardEntry>,
    { ballots: total }: { ballots?: number } = {},
  ): Promise<{ report: Report; ballots: number }> {
    const workers =
      total === undefined ? this.workers : Math.min(this.workers, Math.floor(total / this.minPerWorker));
    const { group: g, rsaPssVerify } = nodeBallotCrypto;
    const board = new StreamedBoard(g, rsaPssVerify);
    const failures: BallotFailure[] = [];
    let ws: PoolWorker[] | null = null;
    /** One turn per chunk a worker may hold: two each, so that it never waits for this thread to read. */
    const turns: PoolWorker[] = [];
    const waiters: ((w: PoolWorker) => void)[] = [];
    const free = (w: PoolWorker) => (waiters.length ? waiters.shift()!(w) : turns.push(w));
    const turn = () =>
      turns.length ? Promise.resolve(turns.shift()!) : new Promise<PoolWorker>((r) => waiters.push(r));
    const running = new Set<Promise<void>>();
    let failed: unknown = null;
    const settled = async () => {
      await Promise.all(running);
      if (failed) throw failed; // a worker that ended, say
    };
    const send = async <T>(job: (w: PoolWorker) => Promise<T>, done: (r: T) => void) => {
      const w = await turn();
      const p = job(w)
        .then(done)
        .catch((e: unknown) => void (failed ??= e))
        .finally(() => free(w));
      running.add(p);
      void p.then(() => running.delete(p));
    };
    const election = async () => {
      const e = board.election;
      if (!e || ws || workers <= 1) return e;
      ws = await this.start(workers);
      await Promise.all(ws.map((w) => w.request({ op: 'election', election: listless(e) })));
      for (const w of [...ws, ...ws]) free(w);
      return e;
    };
    let chunk: BallotItem[] = [];
    let ballots = 0;
    let done = 0;
    const flush = async () => {
      const items = chunk;
      chunk = [];
      const e = items.length ? await election() : null;
      if (!e) return;
      const progress = () => this.onProgress?.((done += items.length), total ?? ballots);
      if (!ws) {
        failures.push(
          ...verifyBallotChunk(g, board.electionFor(items.map(credentialOf))!, items, { randomBytes }),
        );
        progress();
      } else
        await send(
          (w) =>
            w.request({ op: 'verify', items, listed: board.listed(items.map(credentialOf)), keep: false }),
          (r) => {
            failures.push(...r.failures!);
            progress();
          },
        );
    };
    const reads = [createHash('sha256'), createHash('sha256')] as const;
    for await (const entry of read()) {
      hashEntry(reads[0], entry);
      const item = board.add(entry);
      if (!item) continue;
      ballots++;
      chunk.push(item);
      if (chunk.length === this.chunkSize) await flush();
    }
    await flush();
    await settled();
    const e = await election();
    if (!e) return { report: board.finish(failures, undefined), ballots };
    // the second read: the counted ballots summed in chunks
    const counted = board.counted(failures);
    let sums = sumBallots(g, e, []);
    let bodies: BallotBody[] = [];
    const add = async () => {
      const part = bodies;
      bodies = [];
      if (!ws)
        sums = addSums(g, sums, sumBallots(g, board.electionFor(part.map((b) => b.credential))!, part));
      else
        await send(
          (w) =>
            w.request({
              op: 'sum-bodies',
              bodies: part,
              listed: board.listed(part.map((b) => b.credential)),
            }),
          (r) => (sums = addSums(g, sums, r.sums!)),
        );
    };
    let index = 0;
    for await (const entry of read()) {
      hashEntry(reads[1], entry);
      board.recall(index, entry);
      if (counted.has(index++)) bodies.push(entry.body as BallotBody);
      if (bodies.length === this.chunkSize) await add();
    }
    await add();
    await settled();
    // the sums are of the ballots checked on the first read only if both reads gave the same entries
    if (reads[0].digest('hex') !== reads[1].digest('hex'))
      throw new Error(
        'ballot board: the second read differs from the first (the board changed while it was verified)',
      );
    return { report: board.finish(failures, sums), ballots };
  }

  /** Terminates the worker threads (idempotent). */
  async close(): Promise<void> {
    const ws = this.started;
    this.started = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private inThread(g: Group, election: Election, items: readonly BallotItem[]): BallotFailure[] {
    const failures: BallotFailure[] = [];
    let done = 0;
    for (const chunk of chunksOf(items, this.chunkSize)) {
      failures.push(...verifyBallotChunk(g, election, chunk, { randomBytes }));
      this.onProgress?.((done += chunk.length), items.length);
    }
    return failures;
  }

  private async onWorkers(
    ws: PoolWorker[],
    election: Election,
    items: readonly BallotItem[],
  ): Promise<BallotFailure[]> {
    const g = nodeBallotCrypto.group;
    // at least four chunks a worker, so that a worker on a busy core ends up with fewer
    const size = Math.min(this.chunkSize, Math.max(64, Math.ceil(items.length / (4 * ws.length))));
    const chunks = chunksOf(items, size);
    const failures: BallotFailure[] = [];
    let next = 0;
    let done = 0;
    await Promise.all(
      ws.map(async (w) => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          const listed = listedOf(g, election, chunk.map(credentialOf));
          const r = await w.request({ op: 'verify', items: chunk, listed });
          failures.push(...r.failures!);
          this.onProgress?.((done += chunk.length), items.length);
        }
      }),
    );
    return failures;
  }

  private async start(n: number): Promise<PoolWorker[]> {
    while (this.started.length < n) this.started.push(poolWorker());
    const ws = this.started.slice(0, n);
    await Promise.all(ws.map((w) => w.ready));
    return ws;
  }
}
