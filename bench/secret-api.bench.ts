// Secret ballots accepted through the HTTP API (127.0.0.1, SQLite), two ways in the same run: every check in the
// organisation's ledger queue (checkBallot in decide, one ballot after another), and the proofs checked before the
// queue on worker threads (ServiceOptions.ballotWorkers, src/node/ballot-checks.ts), the queue keeping the id and
// time checks. Ballots are encrypted beforehand on the client side (not timed). Baseline in the same run:
// checkBallot alone on the same ballots, one thread, no HTTP and no database.
// Usage: npx tsx bench/secret-api.bench.ts [--quick] [--workers N]   (prints a Markdown section)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as ballot from '../src/ballot/index.ts';
import { buildApp } from '../src/server/app.ts';
import { readySecretVote } from '../test/support/secret-vote.ts';
import { organisation } from '../test/support/factory.ts';
import { CouncilsService } from '../src/server/service.ts';
import { openDatabase } from '../src/store/database.ts';
import { systemClock } from '../src/store/ledger.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const workersAt = args.indexOf('--workers');
const WORKERS = workersAt >= 0 ? Number(args[workersAt + 1]) : os.availableParallelism();
const voters = quick ? 40 : 300;
const rounds = quick ? 1 : 3;
const concurrency = 16;
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const g = await ballot.sodiumGroup();
const members = Array.from({ length: voters }, (_, i) => `m${i}`);

/** One server: a fresh SQLite database and organisation, with `ballotWorkers` proof-checking threads (0: none). */
async function server(ballotWorkers: number) {
  const dir = mkdtempSync(join(os.tmpdir(), 'councils-secret-bench-'));
  const db = await openDatabase(join(dir, 'bench.db'));
  const service = new CouncilsService(db, systemClock, { keyDir: join(dir, 'keys'), ballotWorkers });
  // every client here is 127.0.0.1: the per-address limit of the anonymous routes is off, this measures throughput
  const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
  const { orgId } = await service.found(
    organisation({
      name: 'Bench',
      founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
    }),
  );
  const close = async () => {
    await app.close();
    await service.ballotChecks?.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { service, url, orgId, close };
}
type Server = Awaited<ReturnType<typeof server>>;

/** A secret vote ready for casting (test/support/secret-vote.ts), and one ballot per member, encrypted. */
async function readyVote(s: Server, round: number) {
  const { voteId, election, secrets } = await readySecretVote(s.service, s.orgId, members, `Round ${round}`);
  const ballots = secrets.map(
    (secret, i) => ballot.encryptBallot(g, election, secret, [[i % 2, 1 - (i % 2), 0]], rnd).ballot,
  );
  return { voteId, election, ballots };
}

async function castAll(s: Server, voteId: string, ballots: ballot.BallotBody[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < ballots.length) {
      const b = ballots[next++]!;
      const res = await fetch(`${s.url}/orgs/${s.orgId}/votes/${voteId}/secret/ballots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ballot: b }),
      });
      if (res.status !== 201) throw new Error(`cast refused: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const loadBefore = load();
const inQueue = await server(0);
const before = await server(WORKERS);
await before.service.ballotChecks!.start(); // the threads' start (tsx, libsodium) is not timed
const times = { lib: [] as number[], queue: [] as number[], before: [] as number[] };
let peak = 0;
for (let r = 0; r < rounds; r++) {
  // the same ballots are not cast twice: each server gets its own vote and ballots; the baseline checks one set
  const a = await readyVote(inQueue, r);
  const b = await readyVote(before, r);
  const t0 = performance.now();
  for (const x of a.ballots)
    if (!ballot.checkBallot(g, a.election, x, Date.now(), new Set()).ok) throw new Error('bad');
  times.lib.push(performance.now() - t0);
  times.queue.push(await castAll(inQueue, a.voteId, a.ballots));
  times.before.push(await castAll(before, b.voteId, b.ballots));
  for (const [s, v] of [
    [inQueue, a.voteId],
    [before, b.voteId],
  ] as const) {
    const state = await s.service.ledger(s.orgId).current();
    if (state.votes.get(v)!.secret!.cast.length !== voters) throw new Error('a ballot is missing');
  }
  peak = Math.max(peak, process.memoryUsage().rss);
}
await inQueue.close();
await before.close();

const perSec = (ms: number) => ((voters * 1000) / ms).toFixed(1);
const [mLib, mQueue, mBefore] = [median(times.lib), median(times.queue), median(times.before)];
console.log(`## Secret ballots accepted through the API

Machine: ${os.cpus()[0]!.model} × ${os.cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC.
Load average: ${loadBefore} at the start, ${load()} at the end (other engineers' jobs share the cores). Medians of
${rounds} rounds of ${voters} ballots (yes/no/abstain: 3 option proofs, 1 sum proof, 1 signature), ${concurrency}
concurrent HTTP clients, SQLite, one server process; the two servers take turns within each round.

| What | ms per ${voters} ballots | ballots/s | ballots/s ÷ baseline's |
| --- | ---: | ---: | ---: |
| baseline: checkBallot alone, sodium backend, one thread | ${mLib.toFixed(0)} | ${perSec(mLib)} | 1.00 |
| POST …/secret/ballots, every check in the ledger queue (checkBallot in decide) | ${mQueue.toFixed(0)} | ${perSec(mQueue)} | ${(mLib / mQueue).toFixed(2)} |
| POST …/secret/ballots, proofs on ${WORKERS} worker threads before the queue (batches of the waiting ballots), id and time in the queue | ${mBefore.toFixed(0)} | ${perSec(mBefore)} | ${(mLib / mBefore).toFixed(2)} |

Every ballot was appended (each board holds ${voters} per round). Peak RSS of the main thread's process
${(peak / 2 ** 20).toFixed(0)} MiB.
`);
