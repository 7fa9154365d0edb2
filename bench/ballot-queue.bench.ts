// Secret ballots accepted through the HTTP API with their proofs checked on the job queue every process shares
// (issue #18 item 3, `councils serve --ballot-queue`, src/server/ballot-queue.ts), against one process without the
// queue, in the same run on one PostgreSQL cluster (each set-up on a database of its own, taking turns per round):
//   1. one `councils serve`, no queue: its own ballot threads check the proofs (the same-run baseline);
//   2. two `councils serve` with --ballot-queue, each with ballot threads: casts go to both in turn, and either
//      process's threads check any cast's proofs;
//   3. two `councils serve` with --ballot-queue, sending only (--ballot-workers 0), and one worker process with
//      threads that takes no casts: the deployment of docs/DEPLOYMENT.md with the workers apart.
// Ballots are encrypted beforehand (not timed); 16 concurrent HTTP clients. Every ballot must be stored.
// Usage: npx tsx bench/ballot-queue.bench.ts [--quick]   (prints a Markdown section)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import * as ballot from '../src/ballot/index.ts';
import { CouncilsService } from '../src/server/service.ts';
import { openDatabase } from '../src/store/database.ts';
import { systemClock } from '../src/store/ledger.ts';
import { sharedDatabase } from '../test/support/crash-runs.ts';
import { organisation } from '../test/support/factory.ts';
import { exited } from '../test/support/multi-process.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { readySecretVote } from '../test/support/secret-vote.ts';
import { serveProcess } from '../test/support/serve-process.ts';
import { build, buildIsFresh } from '../scripts/build-node.mjs';

const quick = process.argv.includes('--quick');
const voters = quick ? 60 : 300;
const rounds = quick ? 1 : 3;
const concurrency = 16;
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const members = Array.from({ length: voters }, (_, i) => `m${i}`);
if (!buildIsFresh()) build();
const g = await ballot.sodiumGroup();
const pg = process.env.DATABASE_URL ? undefined : startThrowawayPostgres();
const base = process.env.DATABASE_URL ?? pg?.url;
if (!base) throw new Error('PostgreSQL binaries not found, and no DATABASE_URL');

type Proc = Awaited<ReturnType<typeof serveProcess>>;
interface SetUp {
  name: string;
  /** The processes casts are sent to, in turn. */
  api: Proc[];
  all: Proc[];
  db: Awaited<ReturnType<typeof sharedDatabase>>;
  service: CouncilsService;
  close(): Promise<void>;
  orgId: string;
}

async function setUp(name: string, processes: { env: Record<string, string>; takesCasts: boolean }[]) {
  const db = await sharedDatabase('postgres', base);
  const keyDir = join(db.dir, 'keys');
  const handle = await openDatabase(db.url);
  const service = new CouncilsService(handle, systemClock, { keyDir });
  const { orgId } = await service.found(
    organisation({
      name: 'Queued bench',
      founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
    }),
  );
  const env = { COUNCILS_KEY_DIR: keyDir, COUNCILS_ANONYMOUS_RATE: 'off' };
  const all = await Promise.all(processes.map((p) => serveProcess(db.url, { ...env, ...p.env })));
  return {
    name,
    api: all.filter((_, i) => processes[i]!.takesCasts),
    all,
    db,
    service,
    orgId,
    close: async () => {
      for (const p of all) p.child.kill('SIGTERM');
      await Promise.all(all.map((p) => exited(p.child)));
      await handle.close();
      await db.drop();
    },
  } satisfies SetUp;
}

async function castAll(s: SetUp, voteId: string, ballots: ballot.BallotBody[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const client = async () => {
    while (next < ballots.length) {
      const i = next++;
      const to = s.api[i % s.api.length]!;
      const res = await fetch(`${to.url}/api/v1/orgs/${s.orgId}/votes/${voteId}/secret/ballots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ballot: ballots[i] }),
      });
      if (res.status !== 201) throw new Error(`${s.name}: cast refused: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return performance.now() - t0;
}

type Queue = { sent: number; answered: number; unanswered: number; worked: number };
async function queueCounts(s: SetUp): Promise<Queue[]> {
  return Promise.all(
    s.all.map(async (p) => {
      const h = (await (await fetch(`${p.url}/api/v1/health`)).json()) as { ballotQueue?: Queue };
      return h.ballotQueue ?? { sent: 0, answered: 0, unanswered: 0, worked: 0 };
    }),
  );
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const loadBefore = load();
const queued = { COUNCILS_BALLOT_QUEUE: '1' };
const setUps = [
  await setUp('one process, no queue: its threads check', [{ env: {}, takesCasts: true }]),
  await setUp('two processes, --ballot-queue, each with threads', [
    { env: queued, takesCasts: true },
    { env: queued, takesCasts: true },
  ]),
  await setUp('two processes sending only (--ballot-workers 0), one queue worker', [
    { env: { ...queued, COUNCILS_BALLOT_WORKERS: '0' }, takesCasts: true },
    { env: { ...queued, COUNCILS_BALLOT_WORKERS: '0' }, takesCasts: true },
    { env: queued, takesCasts: false },
  ]),
];
const times = setUps.map(() => [] as number[]);
try {
  for (let r = 0; r < rounds; r++) {
    for (const [k, s] of setUps.entries()) {
      const { voteId, election, secrets } = await readySecretVote(s.service, s.orgId, members, `Round ${r}`);
      const ballots = secrets.map(
        (secret, i) => ballot.encryptBallot(g, election, secret, [[i % 2, 1 - (i % 2), 0]], rnd).ballot,
      );
      times[k]!.push(await castAll(s, voteId, ballots));
      const state = await s.service.ledger(s.orgId).current();
      if (state.votes.get(voteId)!.secret!.cast.length !== voters)
        throw new Error(`${s.name}: a ballot is missing`);
    }
  }
  const counts = await Promise.all(setUps.map(queueCounts));
  const perSec = (ms: number) => (voters * 1000) / ms;
  const baseline = perSec(median(times[0]!));
  const rows = setUps.map((s, k) => {
    const m = median(times[k]!);
    const q = counts[k]!;
    const sum = (f: keyof Queue) => q.reduce((a, c) => a + c[f], 0);
    const queue =
      k === 0
        ? '—'
        : `${sum('sent')} sent, ${sum('answered')} answered, ${sum('unanswered')} without; worked ${q.map((c) => c.worked).join(' / ')}`;
    return `| ${s.name} | ${m.toFixed(0)} | ${perSec(m).toFixed(1)} | ${(perSec(m) / baseline).toFixed(2)} | ${queue} |`;
  });
  console.log(`## Secret ballots through the API with the proof checks on the queue (bench/ballot-queue.bench.ts${quick ? ' --quick' : ''})

Machine: ${os.cpus()[0]!.model} × ${os.cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC.
Load average: ${loadBefore} at the start, ${load()} at the end (other engineers' jobs share the cores). PostgreSQL,
one cluster, each set-up on a database of its own; medians of ${rounds} round(s) of ${voters} ballots (yes/no/abstain:
3 option proofs, 1 sum proof, 1 signature), ${concurrency} concurrent HTTP clients; the set-ups take turns within
each round. Every ballot was stored. A process with threads has one per core (${os.availableParallelism()}).

| Set-up | ms per ${voters} ballots | ballots/s | ÷ one process's | queue: ballots sent, verdicts back, checked without one; jobs each process worked |
| --- | ---: | ---: | ---: | --- |
${rows.join('\n')}
`);
} finally {
  for (const s of setUps) await s.close();
  pg?.stop();
}
