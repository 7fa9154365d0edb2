// An election of 100,000 ballots × 3 options verified and tallied by the code `councils verify` runs
// (src/cli/ballot-workers: checks 1–4 here, the ballots on worker threads, sums on the workers, then checks 5.8
// and 6–10), time per phase, ballots/s, 1 worker against every core in the same run, and the extrapolation to
// 15,000,000 ballots. Generating the board (credentials, encrypted ballots with proofs, 3-of-5 decryption) takes
// longer than verifying it, so it runs on worker threads too and is cached in bench/.cache/ (git-ignored), keyed by
// its parameters: re-runs skip generation.
// Usage: npx tsx bench/ballot-election.bench.ts [--quick] [--ballots N] [--verify N] [--sample N] [--cache DIR]
//          (prints a Markdown section)
//        npx tsx bench/ballot-election.bench.ts --ballots N --generate-only [--cache DIR]   (writes the board, stops)
import {
  appendFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { appendFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import {
  addSums,
  combine,
  credentialParts,
  encryptBallot,
  makeCredential,
  makeElection,
  partialDecrypt,
  prepareBoard,
  sodiumGroup,
  sumBallots,
  verifyBallotChunk,
  type Aggregate,
  type BoardEntry,
  type Election,
  type Manifest,
} from '../src/ballot/index.ts';
import { pointFromHex } from '../src/ballot/codec.ts';
import { PROTOCOL_VERSION } from '../src/ballot/manifest.ts';
import { BallotVerifierPool, type BoardTimings } from '../src/cli/ballot-workers/verifier-pool.ts';
import { nodeBallotCrypto } from '../src/node/ballot-crypto.ts';
import { buildElection, seededRandom } from '../test/ballot/fixture.ts';
import { jointSecret, knownLogsGroup, type KnownLogsGroup } from './known-logs-group.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const BALLOTS = flag('--ballots') ?? (quick ? 600 : 100_000);
/** Ballots of the 1-worker against every-core comparison (a prefix of the board). */
const SAMPLE = Math.min(BALLOTS, flag('--sample') ?? (quick ? 300 : 2500));
/**
 * Ballots verified and tallied (default: all). Fewer (--verify N) takes the first N ballots of the cached board and
 * tallies them anew (the same trustees' shares, from the seed): for a time budget on a loaded machine.
 */
const VERIFY = Math.min(BALLOTS, flag('--verify') ?? BALLOTS);
/** Rounds of that comparison, alternating 1 worker and every core (the ratio is taken per round). */
const ROUNDS = quick ? 1 : 2;
const CORES = os.availableParallelism();
const SEED = 'bench-election-1';
const OPENS = 1_000_000;
const manifest: Manifest = {
  electionId: 'bench-election',
  title: 'bench',
  opensAt: OPENS,
  closesAt: OPENS + BALLOTS + 1000,
  contests: [{ id: 'm', title: 'm', options: ['yes', 'no', 'abstain'], min: 1, max: 1, optionMax: 1 }],
};
const cacheAt = args.indexOf('--cache');
/** Where boards are cached (--cache DIR; e.g. a directory kept between sessions). */
const CACHE = cacheAt >= 0 ? args[cacheAt + 1]! : join(import.meta.dirname, '.cache');
const cacheFile = join(CACHE, `election-${BALLOTS}x3-5of3-${PROTOCOL_VERSION}-${SEED}.jsonl`);

// ---- generation (worker threads) ----

type Job =
  | { task: 'credentials'; from: number; to: number }
  | { task: 'election'; election: Election; jointSecret: bigint }
  | { task: 'ballots'; secrets: string[]; from: number };

/** The election of the ballot jobs, sent once to each worker (a million credentials are not cloned per job). */
let election: Election | undefined;
/** The group the ballots are made in: every log known (known-logs-group.ts), the ballots' bytes unchanged. */
let known: KnownLogsGroup | undefined;

async function work(job: Job): Promise<unknown> {
  const g = await sodiumGroup();
  if (job.task === 'election') {
    election = job.election;
    // node:crypto's SHA-256 for H and Hq, as the server and `councils verify` hash: the same bytes, faster
    known = knownLogsGroup(nodeBallotCrypto.group, [
      { point: pointFromHex(g, election.jointKey, 'jointKey'), log: job.jointSecret },
    ]);
    return null;
  }
  if (job.task === 'credentials') {
    const rnd = seededRandom(`${SEED}-credentials-${job.from}`);
    return Array.from({ length: job.to - job.from }, () => makeCredential(g, rnd));
  }
  const rnd = seededRandom(`${SEED}-ballots-${job.from}`);
  const bodies = job.secrets.map((secret, i) => {
    const choice = [[0, 1, 2].map((o) => (o === (job.from + i) % 3 ? 1 : 0))];
    return encryptBallot(known!, election!, secret, choice, rnd).ballot;
  });
  const lines = bodies.map((body, i) =>
    JSON.stringify({ kind: 'ballot', at: OPENS + job.from + i, body } satisfies BoardEntry),
  );
  const sums = sumBallots(known!, election!, bodies);
  known!.forget();
  return { lines, sums };
}

/** Persistent generation workers; each runs one job at a time. */
class Generators {
  private readonly ws: Worker[];
  constructor(n: number) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(import.meta.url)}))`;
    this.ws = Array.from({ length: n }, () => new Worker(boot, { eval: true }));
  }
  /** Runs the jobs on the workers, each worker taking the next job when done; results in job order. */
  async run<T>(jobs: Job[], onDone: (i: number, r: T) => Promise<void> | void): Promise<void> {
    let next = 0;
    await Promise.all(
      this.ws.map(async (w) => {
        while (next < jobs.length) {
          const i = next++;
          await onDone(i, await this.ask<T>(w, jobs[i]!));
        }
      }),
    );
  }
  /** Sends one job to every worker. */
  async all(job: Job): Promise<void> {
    await Promise.all(this.ws.map((w) => this.ask(w, job)));
  }
  private ask<T>(w: Worker, job: Job): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      w.once('error', onError);
      w.once('message', (m: T) => {
        w.off('error', onError);
        resolve(m);
      });
      w.postMessage(job);
    });
  }
  close = () => Promise.all(this.ws.map((w) => w.terminate()));
}

const ranges = (n: number, size: number) =>
  Array.from({ length: Math.ceil(n / size) }, (_, i) => [i * size, Math.min(n, (i + 1) * size)] as const);

function note(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

async function generate(): Promise<number> {
  const t = performance.now();
  const g = await sodiumGroup();
  const gen = new Generators(CORES);
  try {
    const creds: { secret: string; public: string }[] = [];
    await gen.run<{ secret: string; public: string }[]>(
      ranges(BALLOTS, 2000).map(([from, to]) => ({ task: 'credentials', from, to })),
      (i, r) => void (creds[i] = r as never),
    );
    const credentials = (creds as unknown as { secret: string; public: string }[][]).flat();
    const f = buildElection(g, { n: 5, k: 3, voters: 1, manifest, seed: SEED });
    const election = makeElection(g, f.setup, f.key, {
      credentials: credentials.map((c) => ({ credential: c.public, weight: 1 })),
    });
    mkdirSync(CACHE, { recursive: true });
    // Written to FILE.partial, with FILE.partial.json saying how many ballots and bytes of it are whole and their
    // sums after each part: a run stopped (a session's end) resumes there with the same --ballots and --cache.
    const partial = `${cacheFile}.partial`;
    const state = `${partial}.json`;
    let progress: { written: number; bytes: number; sums: Aggregate['ciphertexts'] | undefined } = {
      written: 0,
      bytes: 0,
      sums: undefined,
    };
    if (existsSync(partial) && existsSync(state)) {
      progress = JSON.parse(readFileSync(state, 'utf8')) as typeof progress;
      truncateSync(partial, progress.bytes); // a part appended after the last state is made again
      note(`resuming ${partial} after ${progress.written} ballots`);
    } else {
      const head: BoardEntry[] = [
        { kind: 'setup', at: 0, body: f.setup },
        ...f.commits.map((body) => ({ kind: 'dkg-commit' as const, at: 0, body })),
        ...f.shares.map((body) => ({ kind: 'dkg-shares' as const, at: 0, body })),
        ...f.accusations.map((body) => ({ kind: 'dkg-accusation' as const, at: 0, body })),
        // the list in parts (§4.2), as the core posts it: one line for 15,000,000 credentials would pass V8's longest
        // string (≈ 5.9 M); boards cached before hold it in one entry, which verifies the same
        ...credentialParts(election.credentials).map((body) => ({
          kind: 'credentials' as const,
          at: 0,
          body,
        })),
      ];
      writeFileSync(partial, '');
      for (let i = 0; i < head.length; i += 1000)
        appendFileSync(
          partial,
          head
            .slice(i, i + 1000)
            .map((e) => JSON.stringify(e) + '\n')
            .join(''),
        );
      progress.bytes = statSync(partial).size;
    }
    // the joint secret key, from 3 of the 5 trustees' shares: the ballots' points are then multiples of G alone
    await gen.all({ task: 'election', election, jointSecret: jointSecret(g, f.trusteeShares.slice(0, 3)) });
    // ballots in board order: jobs finish out of order, so each waits for the ones before it
    const jobs = ranges(BALLOTS, 500).filter(([from]) => from >= progress.written);
    const done: ({ lines: string[]; sums: Aggregate['ciphertexts'] } | undefined)[] = [];
    let next = 0;
    await gen.run<{ lines: string[]; sums: Aggregate['ciphertexts'] }>(
      jobs.map(([from, to]) => ({
        task: 'ballots',
        secrets: credentials.slice(from, to).map((c) => c.secret),
        from,
      })),
      async (i, r) => {
        done[i] = r;
        while (done[next]) {
          const part = done[next]!;
          done[next++] = undefined;
          // synchronous: two workers' callbacks may run this loop at once, and overlapping appends interleaved
          const text = part.lines.join('\n') + '\n';
          appendFileSync(partial, text);
          const sums = progress.sums ? addSums(g, progress.sums, part.sums) : part.sums;
          progress = {
            written: progress.written + part.lines.length,
            bytes: progress.bytes + Buffer.byteLength(text),
            sums,
          };
          writeFileSync(`${state}.tmp`, JSON.stringify(progress));
          renameSync(`${state}.tmp`, state);
          note(`generated ${progress.written} of ${BALLOTS} ballots`);
        }
      },
    );
    const sums = progress.sums;
    const agg: Aggregate = { counted: [], superseded: [], ciphertexts: sums! };
    const rnd = seededRandom(`${SEED}-decrypt`);
    const partials = [1, 2, 3].map((i) => partialDecrypt(g, election, f.trusteeShares[i - 1]!, agg, rnd));
    const out = combine(g, election, agg, partials);
    if (!out.ok || !out.result) throw new Error(`combination failed: ${out.reason}`);
    const tail: BoardEntry[] = [
      ...partials.map((body) => ({ kind: 'partial-decryption' as const, at: manifest.closesAt, body })),
      { kind: 'result', at: manifest.closesAt, body: out.result },
    ];
    await appendFile(partial, tail.map((e) => JSON.stringify(e) + '\n').join(''));
    renameSync(partial, cacheFile);
    rmSync(state);
  } finally {
    await gen.close();
  }
  return (performance.now() - t) / 1000;
}

/** The first n ballots of the board with a new tally of them: the same trustees decrypt their sum. */
async function prefixBoard(board: readonly BoardEntry[], n: number): Promise<BoardEntry[]> {
  const g = await sodiumGroup();
  const first = board.findIndex((e) => e.kind === 'ballot');
  const head = board.slice(0, first + n);
  const election = prepareBoard(g, head).election!;
  const bodies = head.flatMap((e) => (e.kind === 'ballot' ? [e.body] : []));
  const agg: Aggregate = { counted: [], superseded: [], ciphertexts: sumBallots(g, election, bodies) };
  const f = buildElection(g, { n: 5, k: 3, voters: 1, manifest, seed: SEED });
  const rnd = seededRandom(`${SEED}-decrypt-${n}`);
  const partials = [1, 2, 3].map((i) => partialDecrypt(g, election, f.trusteeShares[i - 1]!, agg, rnd));
  const out = combine(g, election, agg, partials);
  if (!out.ok || !out.result) throw new Error(`combination failed: ${out.reason}`);
  return [
    ...head,
    ...partials.map((body) => ({ kind: 'partial-decryption' as const, at: manifest.closesAt, body })),
    { kind: 'result', at: manifest.closesAt, body: out.result },
  ];
}

async function load(): Promise<BoardEntry[]> {
  const board: BoardEntry[] = [];
  const lines = createInterface({ input: createReadStream(cacheFile), crlfDelay: Infinity });
  for await (const line of lines) if (line) board.push(JSON.parse(line) as BoardEntry);
  return board;
}

/** A cached board is used only if its checks 1–4 pass and its first ballots verify under today's code. */
async function usable(board: BoardEntry[]): Promise<boolean> {
  const g = await sodiumGroup();
  const prep = prepareBoard(g, board);
  return (
    prep.checks.every((c) => c.ok) &&
    prep.items.length === BALLOTS &&
    verifyBallotChunk(g, prep.election!, prep.items.slice(0, 3)).length === 0
  );
}

// ---- measurement ----

const s = (ms: number) => (ms / 1000).toFixed(1);
const total = (t: BoardTimings) => t.prepare + t.start + t.ballots + t.sum + t.finish;

async function timed(board: readonly BoardEntry[], workers: number, label: string) {
  let last = 0;
  const pool = new BallotVerifierPool({
    workers,
    onProgress: (done, all) => {
      const now = performance.now();
      if (now - last < 10_000 && done < all) return;
      last = now;
      note(`${label}: ${done} of ${all} ballots checked`);
    },
  });
  try {
    return await pool.verifyTimed(board);
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  if (args.includes('--generate-only')) {
    // for bench/ballot-stream.bench.ts, which streams the file: nothing is loaded here
    if (existsSync(cacheFile)) note(`${cacheFile} exists`);
    else note(`generated ${cacheFile} in ${(await generate()).toFixed(0)} s`);
    return;
  }
  const loadAvg = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  let genS: number | undefined;
  let board: BoardEntry[] | undefined;
  let loadS = 0;
  if (existsSync(cacheFile)) {
    const t = performance.now();
    board = await load();
    loadS = (performance.now() - t) / 1000;
    if (!(await usable(board))) {
      note(`cached board ${cacheFile} does not verify under this code: generating it again`);
      rmSync(cacheFile);
      board = undefined;
    }
  }
  if (!board) {
    note(`generating ${BALLOTS} ballots on ${CORES} worker threads into ${cacheFile}`);
    genS = await generate();
    const t = performance.now();
    board = await load();
    loadS = (performance.now() - t) / 1000;
  }

  // every core over the whole board: this is `councils verify`'s code path for one secret vote
  const measured = VERIFY < BALLOTS ? await prefixBoard(board, VERIFY) : board;
  const all = await timed(measured, CORES, `${CORES} workers, ${VERIFY} ballots`);
  const expected = [0, 1, 2].map((o) => Math.floor((VERIFY - o + 2) / 3));
  const correct = all.report.ok && JSON.stringify(all.report.tallies) === JSON.stringify([expected]);
  const rss = process.resourceUsage().maxRSS / 1024;

  // 1 worker against every core over the same prefix of the board (no result on it: checks 1–6), alternating
  const first = board.findIndex((e) => e.kind === 'ballot');
  const sample = board.slice(0, first + SAMPLE);
  const rounds: { one: BoardTimings; many: BoardTimings }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const one = (await timed(sample, 1, `round ${r + 1}, 1 worker, ${SAMPLE} ballots`)).timings;
    const many = (await timed(sample, CORES, `round ${r + 1}, ${CORES} workers, ${SAMPLE} ballots`)).timings;
    rounds.push({ one, many });
  }

  const wall = total(all.timings);
  const perSecond = VERIFY / (wall / 1000);
  const national = 15_000_000;
  const lines: string[] = [];
  lines.push(`## A secret election of ${BALLOTS.toLocaleString('en')} ballots verified and tallied`, '');
  lines.push(
    `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length} (os.availableParallelism() = ${CORES}), Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC.`,
    `Load average at start: ${loadAvg} (other engineers' jobs share the cores).${quick ? ' Quick mode.' : ''}`,
    '',
    `The board: one yes/no/abstain contest (3 options: 3 range proofs, 1 sum proof and 1 signature per ballot), ` +
      `${BALLOTS.toLocaleString('en')} credentials and one ballot each, 3-of-5 trustees, 3 partial decryptions and ` +
      `the result. It is verified by \`BallotVerifierPool\` (src/cli/ballot-workers), the code \`councils verify\` ` +
      `runs for each secret vote, with the sodium backend.`,
    '',
  );
  lines.push(
    genS === undefined
      ? `Board generation skipped: read from the cache \`bench/.cache/${cacheFile.split('/').at(-1)}\` (git-ignored; delete it to generate again) in ${loadS.toFixed(1)} s.`
      : `Board generated in ${genS.toFixed(0)} s on ${CORES} worker threads (credentials, encryption with proofs, sums, 3 partial decryptions) and cached in \`bench/.cache/\` (git-ignored, keyed by its parameters; re-runs skip generation); read back in ${loadS.toFixed(1)} s.`,
    '',
  );
  lines.push(
    VERIFY < BALLOTS
      ? `### The first ${VERIFY.toLocaleString('en')} ballots of the board, tallied anew, on ${all.timings.workers} worker threads`
      : `### The whole board on ${all.timings.workers} worker threads`,
    '',
  );
  if (VERIFY < BALLOTS)
    lines.push(
      `Only the first ${VERIFY.toLocaleString('en')} of the ${BALLOTS.toLocaleString('en')} ballots were verified in this run ` +
        `(\`--verify ${VERIFY}\`: the time the shared machine left); with the same trustees' 3 partial decryptions of ` +
        `their sum and the result, so checks 1–10 all run. The full board takes \`npm run bench ballot-election\` ` +
        `without --verify, about ${(BALLOTS / perSecond / 60).toFixed(0)} min at this rate.`,
      '',
    );
  lines.push('| Phase | Time |', '|---|---:|');
  lines.push(
    `| checks 1–4: parameters, trustee proofs, joint key, credential list (main thread) | ${s(all.timings.prepare)} s |`,
  );
  lines.push(
    `| start the worker threads (tsx, libsodium) and send them the election | ${s(all.timings.start)} s |`,
  );
  lines.push(
    `| checks 5.1–5.7 of every ballot (encoding, credential, time, code, signature, proofs), workers | ${s(all.timings.ballots)} s |`,
  );
  lines.push(`| Σ of the counted ballots, on the workers that hold them | ${s(all.timings.sum)} s |`);
  lines.push(
    `| checks 5.8, 6–10: uniqueness, selection, partial decryptions, Lagrange, BSGS decoding | ${s(all.timings.finish)} s |`,
  );
  lines.push(`| **total verify + tally** | **${s(wall)} s** |`);
  lines.push(`| ballots per second | ${perSecond.toFixed(1)} |`, '');
  lines.push(
    `Result ${correct ? 'verified and correct' : 'WRONG'} (tallies ${JSON.stringify(all.report.tallies)}). Peak RSS ${rss.toFixed(0)} MiB (main thread and workers).`,
    '',
  );
  lines.push(
    `### 1 worker against ${CORES} on the first ${SAMPLE.toLocaleString('en')} ballots (same run, ${ROUNDS} rounds alternating)`,
    '',
  );
  lines.push(
    '| Round | 1 worker (main thread, as `--workers 1`) | ballots/s | ' +
      `${CORES} workers (of which starting them) | ballots/s | speed-up | speed-up without the start |`,
    '|---:|---:|---:|---:|---:|---:|---:|',
  );
  const ratios = rounds.map(({ one, many }, r) => {
    const [o, m] = [total(one), total(many)];
    const rate = (ms: number) => (SAMPLE / (ms / 1000)).toFixed(1);
    lines.push(
      `| ${r + 1} | ${s(o)} s | ${rate(o)} | ${s(m)} s (${s(many.start)} s) | ${rate(m)} | ${(o / m).toFixed(2)} | ${(o / (m - many.start)).toFixed(2)} |`,
    );
    return { speedup: o / m, perCore: SAMPLE / (o / 1000) };
  });
  lines.push('');
  const mid = <T>(xs: T[], key: (x: T) => number) =>
    [...xs].map(key).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const speedup = mid(ratios, (x) => x.speedup);
  const perCore = mid(ratios, (x) => x.perCore);
  const hours = (rate: number) => (national / rate / 3600).toFixed(1);
  lines.push(
    `Extrapolation (linear: the per-ballot checks are independent and the tally after them is a few seconds): ` +
      `${BALLOTS.toLocaleString('en')} ballots in ${(BALLOTS / perSecond / 60).toFixed(0)} min; ` +
      `${national.toLocaleString('en')} ballots in ${hours(perSecond)} h on this ${CORES}-core machine at the measured rate; at the ` +
      `1-worker rate of ${perCore.toFixed(1)} ballots/s per core, ${hours(perCore * 16)} h on 16 cores and ` +
      `${hours(perCore * 64)} h on 64 cores if the speed-up stays linear (measured here: ${speedup.toFixed(2)} on ${CORES}). ` +
      `At this size the board no longer fits in memory as JSON objects (${(((rss / VERIFY) * national) / 1024).toFixed(0)} GiB ` +
      `at this run's peak per ballot): a national count would stream the ballots to the workers.`,
  );
  console.log(lines.join('\n'));
}

if (isMainThread) await main();
else parentPort!.on('message', async (job: Job) => parentPort!.postMessage(await work(job)));
