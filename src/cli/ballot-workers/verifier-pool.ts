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
  subSums,
  withListed,
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
import { checkAndSum, type RawItem } from './chunk.ts';

export type PoolRequest =
  | { id: number; op: 'election'; election: Election }
  | {
      id: number;
      op: 'verify';
      items: (BallotItem | RawItem)[];
      listed: CredentialEntry[];
      keep?: false;
      /** Also the sums of the chunk's valid ballots. */
      sum?: true;
    }
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
   * The board read as a stream (`read` opens it from the start each time), in memory that does not grow with the
   * ballots' bodies (StreamedBoard keeps 17 bytes a ballot and 44 a credential, and the workers neither ballots nor
   * the credential list). The first read checks every entry, the ballots in chunks on the workers (a few chunks in
   * flight, so reading waits for them), and the workers sum each chunk's valid ballots as they check it. A read may
   * give each entry as its JSON line (a string: the worker parses the ballots' lines itself, and the tie below
   * hashes the line's bytes) or as an object. A second read happens only when needed: the valid ballots that a
   * later ballot of their credential superseded are summed there and subtracted, and ids whose digests are equal
   * are compared whole (check 5.8); lines not needed are not parsed. It must give the same entries as the first
   * read (`tie`, on by default: SHA-256 of each read, of its lines or of its objects as JSON; otherwise this throws,
   * for the sums would not be of the ballots checked); a caller whose entries are in memory turns it off. The
   * report equals verify's on the same board. `ballots`, the number of ballots and challenges on the board when
   * the caller knows it, is the total onProgress reports, and a board with fewer than 2·minPerWorker of them is
   * checked in this thread (as verify does).
   */
  async verifyStream(
    read: () => AsyncIterable<BoardEntry | string>,
    { ballots: total, tie = true }: { ballots?: number; tie?: boolean } = {},
  ): Promise<{ report: Report; ballots: number; reads: number }> {
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
    /** Σ of the valid ballots checked so far, then of those superseded. */
    let valid: Aggregate['ciphertexts'] | null = null;
    const plus = (sums: Aggregate['ciphertexts']) => (valid = valid ? addSums(g, valid, sums) : sums);
    let chunk: BallotItem[] = [];
    let raw: (RawItem | BallotItem)[] = [];
    let ballots = 0;
    let done = 0;
    const flush = async () => {
      const items = chunk;
      const sent = raw;
      chunk = [];
      raw = [];
      const e = items.length ? await election() : null;
      if (!e) return;
      const progress = () => this.onProgress?.((done += items.length), total ?? ballots);
      const listed = board.listed(items.map(credentialOf));
      if (!ws) {
        const r = checkAndSum(g, withListed(e, listed), items);
        failures.push(...r.failures);
        plus(r.sums);
        progress();
      } else
        await send(
          (w) => w.request({ op: 'verify', items: sent, listed, keep: false, sum: true }),
          (r) => {
            failures.push(...r.failures!);
            plus(r.sums!);
            progress();
          },
        );
    };
    const hashes = [createHash('sha256'), createHash('sha256')] as const;
    /** One read's lines or entries, each hashed (when tied) and parsed as needed; `wanted` says which to parse. */
    async function* entries(h: Hash, wanted?: (index: number) => boolean) {
      let index = 0;
      for await (const x of read()) {
        const i = index++;
        if (typeof x === 'string') {
          if (tie) h.update(x).update('\n');
          yield { index: i, line: x, entry: !wanted || wanted(i) ? (JSON.parse(x) as BoardEntry) : null };
        } else {
          if (tie) h.update(`${JSON.stringify(x)}\n`);
          yield { index: i, line: null, entry: x };
        }
      }
    }
    let reads = 1;
    for await (const { index, line, entry } of entries(hashes[0])) {
      const item = board.add(entry!);
      if (!item) continue;
      ballots++;
      chunk.push(item);
      raw.push(line === null ? item : { index, line });
      if (chunk.length === this.chunkSize) await flush();
    }
    await flush();
    await settled();
    const e = await election();
    if (!e) return { report: board.finish(failures, undefined), ballots, reads };
    const counted = board.counted(failures);
    let sums = valid ?? sumBallots(g, e, []);
    if (counted.again) {
      // the second read: the superseded ballots summed in chunks, and subtracted
      reads++;
      valid = null;
      let bodies: BallotBody[] = [];
      const add = async () => {
        const part = bodies;
        bodies = [];
        const listed = board.listed(part.map((b) => b.credential));
        if (!ws) plus(sumBallots(g, withListed(e, listed), part));
        else
          await send(
            (w) => w.request({ op: 'sum-bodies', bodies: part, listed }),
            (r) => plus(r.sums!),
          );
      };
      const wanted = (i: number) => counted.superseded(i) || board.recalls(i);
      for await (const { index, entry } of entries(hashes[1], wanted)) {
        if (!entry) continue;
        board.recall(index, entry);
        if (counted.superseded(index)) bodies.push(entry.body as BallotBody);
        if (bodies.length === this.chunkSize) await add();
      }
      await add();
      await settled();
      // the sums are of the ballots checked on the first read only if both reads gave the same entries
      if (tie && hashes[0].digest('hex') !== hashes[1].digest('hex'))
        throw new Error(
          'ballot board: the second read differs from the first (the board changed while it was verified)',
        );
      if (valid) sums = subSums(g, sums, valid);
    }
    return { report: board.finish(failures, sums), ballots, reads };
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
