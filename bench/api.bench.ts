// Open-vote casts through the HTTP API on 127.0.0.1, on SQLite and on PostgreSQL. The server runs in its own
// process (`councils serve`); autocannon drives it from this one. Every cast is by a distinct elector, so every
// request must succeed, and the ballots in the database are counted afterwards: nothing may be lost.
// Baseline in the same run: GET /api/v1/health (no database write).
//
// `--before DIR` (a checkout of the code before, node_modules reachable from it): that code too, on a database of
// its own that it founds and serves (its own schema), the two codes' rounds alternating (A B A B) so that both meet
// the same load; `--after DIR` measures another tree than this one as "after" (e.g. a commit against its parent).
// `--rounds N` (3), `--members N` (4,000 electors), `--votes N` (5 votes a round). Both servers run from their sources (COUNCILS_FROM_SOURCE=1).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import type * as Service from '../src/server/service.ts';
import type * as Accounts from '../src/store/account-repository.ts';
import type * as Database from '../src/store/database.ts';
import type * as Ledger from '../src/store/ledger.ts';
import { emptyPostgres } from '../test/support/databases.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { serveProcess } from '../test/support/serve-process.ts';
import { immediateProcedure } from './scale-org.ts';
import { codes, flag, has, middle as median, spread, type Code, type Spread } from './support/codes.ts';

const quick = has('--quick');
const members = Number(flag('--members') ?? (quick ? 300 : 4000));
const votesPerRound = Number(flag('--votes') ?? (quick ? 2 : 5));
const rounds = Number(flag('--rounds') ?? 3);
const connections = 50;

/** The store and service functions the seeding needs, from the code at `root`. */
async function storeAt(root: string) {
  const from = (path: string) => import(pathToFileURL(join(root, path)).href);
  return {
    ...((await from('src/server/service.ts')) as Pick<
      typeof Service,
      'hashSecret' | 'secretToken' | 'CouncilsService'
    >),
    ...((await from('src/store/account-repository.ts')) as Pick<typeof Accounts, 'insertApiToken'>),
    ...((await from('src/store/database.ts')) as Pick<typeof Database, 'openDatabase'>),
    ...((await from('src/store/ledger.ts')) as Pick<typeof Ledger, 'systemClock'>),
  };
}

/** Founds the organisation through the service of the code at `root`, its log key in `keyDir` (as serve reads it). */
async function seed(root: string, url: string, keyDir: string) {
  const { openDatabase, CouncilsService, systemClock, insertApiToken, hashSecret, secretToken } =
    await storeAt(root);
  const db = await openDatabase(url);
  const service = new CouncilsService(db, systemClock, { keyDir });
  const { orgId } = await service.found({
    type: 'found_organisation',
    name: 'Bench',
    // motions go to the vote at once (no seconder, no debate): the default procedure refused every open_vote
    constitution: immediateProcedure,
    councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
    founders: Array.from({ length: members }, (_, i) => ({
      memberId: `m${i}`,
      name: `Member ${i}`,
      councilId: 'all',
    })),
  });
  const ledger = service.ledger(orgId);
  const tokens: string[] = [];
  for (let i = 0; i < members; i++) {
    const token = `cnl_${secretToken()}`;
    await insertApiToken(db.kysely, hashSecret(token), {
      id: `t${i}`,
      memberId: `m${i}`,
      orgId,
      name: 'bench',
      createdAt: new Date().toISOString(),
    });
    tokens.push(token);
  }
  const votes: string[] = [];
  for (let v = 0; v < votesPerRound * rounds; v++) {
    const moved = await ledger.execute(
      { type: 'move_motion', councilId: 'all', title: `Motion ${v}`, text: '' },
      'm0',
    );
    if (!moved.ok || moved.entries[0]!.act !== 'motion_moved') throw new Error('move failed');
    const opened = await ledger.execute(
      { type: 'open_vote', motionId: moved.entries[0]!.payload.motionId },
      'm0',
    );
    if (!opened.ok || opened.entries[0]!.act !== 'vote_opened') throw new Error('open failed');
    votes.push(opened.entries[0]!.payload.voteId);
  }
  await db.close();
  return { orgId, tokens, votes };
}

async function load(base: string, requests: { path: string; token: string }[], method: 'GET' | 'POST') {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections,
    amount: requests.length,
    requests: [
      {
        method,
        setupRequest: (req) => {
          const r = requests[i++ % requests.length]!;
          return {
            ...req,
            path: r.path,
            headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: JSON.stringify({ choice: 'a1' }) } : {}),
          };
        },
      },
    ],
  });
  const seconds = result.duration;
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    perSecond: result['2xx'] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function countBallots(root: string, url: string, orgId: string): Promise<number> {
  const db = await (await storeAt(root)).openDatabase(url);
  const r = await db.kysely
    .selectFrom('ballots')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  await db.close();
  return Number(r.n);
}

interface Result {
  name: string;
  code: Code;
  health: Awaited<ReturnType<typeof load>>;
  perSecond: Spread;
  p50: number;
  p99: number;
  failed: number;
  acknowledged: number;
  stored: number;
  /** The 1-minute load average before each round. */
  loads: number[];
  /** Casts/s of each round, in order (the codes' rounds alternate: round r of each is a pair). */
  rounds: number[];
  /** The server process's CPU time (user + system) per accepted cast, ms: least sensitive to the shared cores. */
  cpuPerCast: Spread;
}

/** CPU time (user + system) of a process so far, in ms (/proc/PID/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One database per code (`urls[i]` for `codes[i]`), each founded and served by its code; rounds alternating. */
async function benchDatabase(name: string, urls: string[]): Promise<Result[]> {
  const servers = [];
  const keyDirs: string[] = [];
  try {
    for (const [i, code] of codes.entries()) {
      const keyDir = mkdtempSync(join(os.tmpdir(), `councils-api-keys-${code.label}-`));
      keyDirs.push(keyDir);
      const seeded = await seed(code.root, urls[i]!, keyDir);
      const { child, url: base } = await serveProcess(
        urls[i]!,
        { COUNCILS_FROM_SOURCE: '1', COUNCILS_KEY_DIR: keyDir },
        join(code.root, 'bin', 'councils.js'),
      );
      servers.push({
        code,
        url: urls[i]!,
        child,
        base,
        ...seeded,
        casts: [] as Awaited<ReturnType<typeof load>>[],
        cpuPerCast: [] as number[],
      });
    }
    const health = [];
    for (const s of servers)
      health.push(
        await load(
          s.base,
          s.tokens.map((token) => ({ path: '/api/v1/health', token })),
          'GET',
        ),
      );
    const loads: number[] = [];
    for (let r = 0; r < rounds; r++)
      for (const s of servers) {
        loads.push(os.loadavg()[0]!);
        const requests = s.votes
          .slice(r * votesPerRound, (r + 1) * votesPerRound)
          .flatMap((v) =>
            s.tokens.map((token) => ({ path: `/api/v1/orgs/${s.orgId}/votes/${v}/ballots`, token })),
          );
        const cpu = cpuMs(s.child.pid!);
        const res = await load(s.base, requests, 'POST');
        s.casts.push(res);
        s.cpuPerCast.push((cpuMs(s.child.pid!) - cpu) / Math.max(res.ok, 1));
      }
    const results: Result[] = [];
    for (const [i, s] of servers.entries()) {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
      results.push({
        name,
        code: s.code,
        health: health[i]!,
        perSecond: spread(s.casts.map((c) => c.perSecond)),
        p50: median(s.casts.map((c) => c.p50)),
        p99: median(s.casts.map((c) => c.p99)),
        failed: s.casts.reduce((a, c) => a + c.failed, 0),
        acknowledged: s.casts.reduce((a, c) => a + c.ok, 0),
        stored: await countBallots(s.code.root, s.url, s.orgId),
        loads,
        rounds: s.casts.map((c) => c.perSecond),
        cpuPerCast: spread(s.cpuPerCast),
      });
    }
    return results;
  } finally {
    for (const s of servers) s.child.kill('SIGKILL');
    for (const d of keyDirs) rmSync(d, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(join(os.tmpdir(), 'councils-bench-'));
const results = await benchDatabase(
  'SQLite',
  codes.map((c) => join(dir, `${c.label}.db`)),
);
const pg = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL, stop: () => {} }
  : startThrowawayPostgres();
if (pg) {
  try {
    const urls = [];
    for (const c of codes) urls.push((await emptyPostgres(pg.url, `councils_api_${c.label}`)).url);
    // A cluster started here runs with fsync=off (a throwaway); DATABASE_URL may name a durable one.
    results.push(
      ...(await benchDatabase(
        process.env.DATABASE_URL ? 'PostgreSQL' : 'PostgreSQL (throwaway cluster, fsync=off)',
        urls,
      )),
    );
  } finally {
    pg.stop();
  }
}
rmSync(dir, { recursive: true, force: true });

const f = (n: number) => n.toFixed(0);
const loads = results.flatMap((r) => r.loads);
/** After ÷ before of the medians, and the median (least–most) of the rounds' own ratios, round r against round r. */
const ratio = (r: Result) => {
  const before = results.find((b) => b.name === r.name && b.code.label === 'before');
  if (!before) return '—';
  const paired = spread(r.rounds.map((x, i) => x / before.rounds[i]!));
  const x = (v: number) => `${v.toFixed(2)}×`;
  return `${x(r.perSecond.median / before.perSecond.median)}; paired ${x(paired.median)} (${x(paired.min)}–${x(paired.max)})`;
};
console.log(`## Open-vote casts through the HTTP API

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the rounds · ${members} electors × ${votesPerRound} votes per round, ${rounds} rounds
(medians, least–most in brackets), ${connections} connections, autocannon in a second process on 127.0.0.1; every cast by a
distinct elector with its own API token.${codes.length > 1 ? ` Codes: ${codes.map((c) => `${c.label} \`${c.root}\``).join(', ')}, each on a database of its own, their rounds alternating.` : ''}

| database | code | casts/s | server CPU ms / cast | p50 ms | p99 ms | health GET/s (baseline) | casts ÷ baseline | after ÷ before (casts/s) | failed | acknowledged | ballots stored |
|---|---|---|---|---|---|---|---|---|---|---|---|
${results
  .map(
    (r) =>
      `| ${r.name} | ${r.code.label} | ${f(r.perSecond.median)} (${f(r.perSecond.min)}–${f(r.perSecond.max)}) | ${r.cpuPerCast.median.toFixed(2)} (${r.cpuPerCast.min.toFixed(2)}–${r.cpuPerCast.max.toFixed(2)}) | ${r.p50} | ${r.p99} | ${f(r.health.perSecond)} | ${(r.perSecond.median / r.health.perSecond).toFixed(2)} | ${r.code.label === 'after' ? ratio(r) : ''} | ${r.failed} | ${r.acknowledged} | ${r.stored} |`,
  )
  .join('\n')}

Target: ≥ 2,000 casts/s on SQLite with p99 < 50 ms, nothing lost (acknowledged = stored).
`);
for (const r of results) {
  if (r.stored !== r.acknowledged) {
    console.error(
      r.stored < r.acknowledged
        ? `LOST BALLOTS on ${r.name} (${r.code.label}): ${r.acknowledged} acknowledged, ${r.stored} stored`
        : `${r.name} (${r.code.label}): ${r.stored - r.acknowledged} ballots stored whose casts were not acknowledged (${r.failed} failed: timed out or refused)`,
    );
    if (r.stored < r.acknowledged) process.exitCode = 1;
  }
}
