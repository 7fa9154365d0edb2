// The pages a member loads, at 10,000, 100,000 and 1,000,000 members (issue #18 item 1, docs/SCALE.md), on SQLite
// and PostgreSQL, through the HTTP API of a `councils serve` process of its own. Each organisation is generated
// (seeded) by bench/scale-org.ts.
//
// Measured per page (sequential requests on one connection, after a warm-up): p50 and p99 in ms and the bytes of
// what the page fetches — a member's landing (GET /me + GET /orgs/:org), a base council's page, a region's page,
// the record page's first page (the last 50 entries + their actors' names), a motion page with its vote; and, for
// information, the whole tree (GET …/tree, a list that grows with the councils). A baseline in the same run: GET
// /health, which reads nothing of the organisation, so what the shared cores' load adds to every request shows.
//
// `--before <dir>` (or COUNCILS_BENCH_BEFORE=<dir>, through `npm run bench`): also serve the same database with the code in <dir> (a checkout of the commit before, with
// node_modules), at every size, with fewer requests, for a same-run ratio; each copy is first brought to the name
// search's migration with this tree's fill (`toNameSearch`), which the code before would take minutes over.
// `--quick`: 2,000 and 20,000 members. `--max N`: sizes up to N. `--sqlite-only`.
import type { ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { apply, decide, emptyState, type Command, type Entry } from '../src/core/index.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrationProvider } from '../src/store/migrations/index.ts';
import { fillNameKeys } from '../src/store/migrations/2026-12-07T0700-name-search.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { withDatabase } from '../test/support/databases.ts';
import { serveProcess } from '../test/support/serve-process.ts';
import { chunk, immediateProcedure, keptPostgres, perBase, seed, type Seeded } from './scale-org.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const max = Number(flag('--max') ?? Infinity);
const beforeDir = flag('--before') ?? process.env.COUNCILS_BENCH_BEFORE;
const min = Number(flag('--min') ?? 0);
const sqliteOnly = args.includes('--sqlite-only');
const postgresOnly = args.includes('--postgres-only');
// `--keep-dir DIR`: found each organisation once and keep it there (the SQLite file, a PostgreSQL cluster's data
// directory with one database per size, and what `seed` returned); later runs copy the kept database and measure
// the copy (a 1,000,000-member founding takes 10–13 minutes). `--seed-only`: found and keep, measure nothing.
const keepDir = flag('--keep-dir');
const seedOnly = args.includes('--seed-only');
const sizes = (quick ? [2_000, 20_000] : [10_000, 100_000, 1_000_000]).filter((n) => n <= max && n >= min);
const requests = quick ? 30 : 200;

// ---- serving and measuring ------------------------------------------------------------------------------------

function serve(root: string, db: string): Promise<{ child: ChildProcess; url: string }> {
  return serveProcess(db, { COUNCILS_FROM_SOURCE: '1' }, join(root, 'bin', 'councils.js'));
}

async function get(
  base: string,
  token: string,
  path: string,
): Promise<{ ms: number; bytes: number; body: unknown }> {
  const t = performance.now();
  const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = performance.now() - t;
  if (!res.ok) throw new Error(`GET ${path} → ${res.status} ${text.slice(0, 200)}`);
  return { ms, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

interface PageResult {
  p50: number;
  p99: number;
  bytes: number;
  n: number;
  /** The server's CPU time (user + system) per load, ms: what a page costs its one thread, however busy the cores. */
  cpu: number;
}

/** The serving process, whose CPU time `measure` reads. */
let serverPid: number | undefined;

/** CPU time (user + system) of the serving process so far, in ms (/proc/PID/stat, in clock ticks of 10 ms). */
function serverCpuMs(): number {
  if (serverPid === undefined) return 0;
  const stat = readFileSync(`/proc/${serverPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/** Loads a page (its requests one after another) `n` times after a warm-up; p50/p99 of the whole page. */
async function measure(n: number, load: () => Promise<{ ms: number; bytes: number }>): Promise<PageResult> {
  for (let i = 0; i < Math.min(3, n); i++) await load();
  const times: number[] = [];
  let bytes = 0;
  const cpu = serverCpuMs();
  for (let i = 0; i < n; i++) {
    const r = await load();
    times.push(r.ms);
    bytes = r.bytes;
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), bytes, n, cpu: (serverCpuMs() - cpu) / n };
}

type Pages = Record<string, PageResult | null>;

/** A page's requests in sequence: their times and bytes added. */
async function page(steps: (() => Promise<{ ms: number; bytes: number }>)[]) {
  let ms = 0;
  let bytes = 0;
  for (const s of steps) {
    const r = await s();
    ms += r.ms;
    bytes += r.bytes;
  }
  return { ms, bytes };
}

async function measurePages(base: string, s: Seeded, old: boolean): Promise<Pages> {
  const g = (path: string) => () => get(base, s.token, path);
  const org = `/orgs/${s.orgId}`;
  // The first read that needs the organisation's state loads its log into the server (replay): not part of a
  // page. The record's page needs it (who may read the entries); the landing no longer does.
  const warm = performance.now();
  await get(base, s.token, org);
  await get(base, s.token, `${org}/log?from=0&limit=1`);
  console.error(
    `  first read (the server loads the log): ${((performance.now() - warm) / 1000).toFixed(1)} s`,
  );
  // The code before: fewer loads (its landing cost most of a second at 1,000,000 members).
  const n = old ? Math.min(requests, 50) : requests;
  const motionPath = `${org}/motions/${s.decided}`;
  const from = Math.max(0, s.size - 50);
  const actors = async () => {
    const log = await get(base, s.token, `${org}/log?from=${from}&limit=50`);
    const ids = [
      ...new Set((log.body as { entries: { actor: string | null }[] }).entries.flatMap((e) => e.actor ?? [])),
    ];
    return { log, ids };
  };
  const pages: Pages = {
    // The same-run baseline: a request that reads nothing of the organisation (the shared cores' noise).
    'baseline (GET /health)': await measure(n, () => page([g('/health')])),
    landing: await measure(n, () => page([g('/me'), g(org)])),
    'base council': await measure(n, () => page([g(`${org}/councils/b0`)])),
    'region council': await measure(n, () => page([g(`${org}/councils/r0`)])),
    'record, first page': null,
    'motion with its vote': await measure(n, () => page([g(motionPath)])),
    'whole tree (a list)': null,
  };
  pages['record, first page'] = await measure(n, async () => {
    const t = performance.now();
    const { log, ids } = await actors();
    const names = await get(base, s.token, `${org}/names?members=${ids.join(',')}`);
    return { ms: performance.now() - t, bytes: log.bytes + names.bytes };
  });
  pages['whole tree (a list)'] = await measure(Math.min(n, 50), () => page([g(`${org}/tree`)]));
  return pages;
}

/**
 * Brings a copy up to the name search's migration with this tree's fill, so that the code before (which fills
 * those keys one statement a row: 825 s at 1,000,000 members on SQLite) finds it done, and this tree then adds only
 * what came after (a database this tree migrated further would be refused by the code before's migrator).
 */
async function toNameSearch(url: string): Promise<void> {
  const kysely = url.startsWith('postgres')
    ? new Kysely<any>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
      })
    : new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(url) }) });
  try {
    const t = performance.now();
    const { error } = await new Migrator({ db: kysely, provider: migrationProvider }).migrateTo(
      '2026-12-07T0700-name-search',
    );
    if (error) throw error;
    await fillNameKeys(kysely);
    console.error(`  migrated to the name search: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await kysely.destroy();
  }
}

async function run(root: string, url: string, s: Seeded, old: boolean): Promise<Pages> {
  const server = await serve(root, url);
  serverPid = server.child.pid;
  try {
    return await measurePages(server.url, s, old);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
}

interface Row {
  database: string;
  members: number;
  councils: number;
  entries: number;
  seedSeconds: number;
  /** The 1-minute load average when this size's pages were measured (the shared cores). */
  load: number;
  after: Pages;
  before: Pages | null;
}

/** A founded organisation: its database URL (a copy when kept) and what `seed` returned. */
interface Founded {
  url: string;
  s: Seeded;
  councils: number;
}

async function found(url: string, members: number): Promise<Founded> {
  const db = await openDatabase(url);
  const s = await seed(db, members);
  const councils = Number(
    (
      await db.kysely
        .selectFrom('councils')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await db.close();
  return { url, s, councils };
}

async function benchSize(database: string, f: Founded, members: number): Promise<Row> {
  const { url, s, councils } = f;
  console.error(`${database} ${members}: founded in ${s.seconds.toFixed(0)} s (${s.size} entries)`);
  let before: Pages | null = null;
  if (beforeDir) {
    await toNameSearch(url);
    console.error(`  before (${beforeDir})`);
    before = await run(beforeDir, url, s, true);
  }
  console.error('  after');
  const load = os.loadavg()[0]!;
  const after = await run(join(import.meta.dirname, '..'), url, s, false);
  for (const [label, pages] of [
    ['before', before],
    ['after', after],
  ] as const) {
    if (!pages) continue;
    const parts = Object.entries(pages).map(([k, r]) =>
      r
        ? `${k} ${r.p50.toFixed(1)}/${r.p99.toFixed(1)} ms ${r.bytes} B cpu ${r.cpu.toFixed(1)} ms`
        : `${k} —`,
    );
    console.error(`  ${label}: ${parts.join('; ')}`);
  }
  return { database, members, councils, entries: s.size, seedSeconds: s.seconds, load, after, before };
}

async function adminQuery(baseUrl: string, text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

interface Kept {
  s: Seeded;
  councils: number;
}
const keptFile = (database: string, members: number) => join(keepDir!, `${database}-${members}.json`);
const readKept = (database: string, members: number): Kept | null =>
  keepDir && existsSync(keptFile(database, members))
    ? (JSON.parse(readFileSync(keptFile(database, members), 'utf8')) as Kept)
    : null;
const writeKept = (database: string, members: number, f: Founded) =>
  writeFileSync(keptFile(database, members), JSON.stringify({ s: f.s, councils: f.councils }));

/** SQLite: the kept file copied into `dir` (founded and kept first if absent), or a fresh founding there. */
async function sqliteOrg(dir: string, members: number): Promise<Founded> {
  const file = join(dir, `scale-${members}.db`);
  if (!keepDir) return found(file, members);
  const kept = join(keepDir, `sqlite-${members}.db`);
  let k = readKept('sqlite', members);
  if (!k) {
    const f = await found(kept, members); // closing checkpoints the WAL into the file
    writeKept('sqlite', members, f);
    k = f;
  }
  if (!seedOnly) copyFileSync(kept, file);
  return { url: file, s: k.s, councils: k.councils };
}

/** PostgreSQL: a copy (CREATE DATABASE … TEMPLATE) of the kept database, founded first if absent. */
async function postgresOrg(baseUrl: string, members: number): Promise<Founded> {
  const run = `councils_scale_${members}`;
  await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${run}`);
  if (!keepDir) {
    await adminQuery(baseUrl, `CREATE DATABASE ${run}`);
    return found(withDatabase(baseUrl, run), members);
  }
  const kept = `councils_kept_${members}`;
  let k = readKept('postgres', members);
  if (!k) {
    await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${kept}`);
    await adminQuery(baseUrl, `CREATE DATABASE ${kept}`);
    const f = await found(withDatabase(baseUrl, kept), members);
    writeKept('postgres', members, f);
    k = f;
  }
  if (!seedOnly) await adminQuery(baseUrl, `CREATE DATABASE ${run} TEMPLATE ${kept}`);
  return { url: withDatabase(baseUrl, run), s: k.s, councils: k.councils };
}

const rows: Row[] = [];
const dir = mkdtempSync(join(os.tmpdir(), 'councils-scale-'));
const load = os.loadavg()[0]!.toFixed(1);
if (keepDir) mkdirSync(keepDir, { recursive: true });
try {
  for (const members of postgresOnly ? [] : sizes) {
    const file = join(dir, `scale-${members}.db`);
    try {
      const f = await sqliteOrg(dir, members);
      if (!seedOnly) rows.push(await benchSize('SQLite', f, members));
    } finally {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
    }
  }
  const cluster = sqliteOnly
    ? undefined
    : keepDir
      ? keptPostgres(join(keepDir, 'postgres'))
      : process.env.DATABASE_URL
        ? { url: process.env.DATABASE_URL, stop: () => {} }
        : startThrowawayPostgres();
  if (cluster) {
    try {
      for (const members of sizes) {
        const f = await postgresOrg(cluster.url, members);
        if (!seedOnly) rows.push(await benchSize('PostgreSQL', f, members));
        if (keepDir) await adminQuery(cluster.url, `DROP DATABASE IF EXISTS councils_scale_${members}`);
      }
    } finally {
      cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (seedOnly) process.exit(0);

// ---- memory of a closed vote in the process's state ---------------------------------------------------------

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/**
 * Bytes of the process's state per ballot of a closed open vote (its elector entry and its ballot): one council of
 * n members votes, every member casts, the vote closes; the heap after, less the heap before the vote opened.
 */
async function closedBallotBytes(n: number): Promise<number> {
  const state = emptyState();
  let ids = 0;
  const now = new Date().toISOString();
  const run = (command: Command, actor: string | null): Entry[] => {
    const d = decide(state, command, { actor, now, newId: (kind) => `${kind}_${++ids}` });
    if (!d.ok) throw new Error(`${command.type}: ${d.code}`);
    return d.entries.map((ne) => {
      const e = { ...ne, seq: state.size } as Entry;
      apply(state, e);
      return e;
    });
  };
  run(
    {
      type: 'found_organisation',
      name: 'Memory',
      constitution: immediateProcedure,
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: Array.from({ length: n }, (_, i) => ({
        memberId: `m${i}`,
        name: `Member ${i}`,
        councilId: 'all',
      })),
    },
    null,
  );
  const [moved] = run({ type: 'move_motion', councilId: 'all', title: 'T', text: '' }, 'm0');
  const motionId = (moved as Extract<Entry, { act: 'motion_moved' }>).payload.motionId;
  const before = heap();
  const [opened] = run({ type: 'open_vote', motionId }, 'm0');
  const voteId = (opened as Extract<Entry, { act: 'vote_opened' }>).payload.voteId;
  for (let i = 0; i < n; i++) run({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, `m${i}`);
  if (state.votes.get(voteId)?.closedAt === null) throw new Error('the vote did not close');
  return (heap() - before) / n;
}
const ballotBytes = await closedBallotBytes(quick ? 20_000 : 200_000);

// ---- the report -------------------------------------------------------------------------------------------------

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const kb = (b: number) => (b >= 10_240 ? `${(b / 1024).toFixed(0)} KB` : `${(b / 1024).toFixed(1)} KB`);
const cell = (r: PageResult | null | undefined) =>
  r ? `${ms(r.p50)} / ${ms(r.p99)} · ${kb(r.bytes)} · cpu ${ms(r.cpu)}` : '—';
const names = Object.keys(rows[0]?.after ?? {});

console.log(`## Reads at scale: the pages a member loads

${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${load} at the start (seven engineers share the 2 cores) · \`bench/scale-reads.bench.ts\`

Organisations generated (seeded): a root, regions of up to 100 base councils, base councils of ${perBase} members;
the log built through the core and the store in transactions of ${chunk.toLocaleString('en')} entries. A
\`councils serve\` process of its own per database, sequential requests on one connection, ${requests} loads per
page after a warm-up. Each cell: **p50 / p99 ms · bytes** of the page's requests together **· cpu**: the server's
CPU time per load (user + system, from /proc; what the page costs its one thread however busy the shared cores are).

| database | members | councils | entries | founded in | load | ${names.join(' | ')} |
|---|---|---|---|---|---|${names.map(() => '---').join('|')}|
${rows
  .map(
    (r) =>
      `| ${r.database} | ${r.members.toLocaleString('en')} | ${r.councils.toLocaleString('en')} | ${r.entries.toLocaleString('en')} | ${r.seedSeconds.toFixed(0)} s | ${r.load.toFixed(1)} | ${names.map((n) => cell(r.after[n])).join(' | ')} |`,
  )
  .join('\n')}
${
  rows.some((r) => r.before)
    ? `
Before this change (the code of \`--before\`, the same databases, same run;
${Math.min(requests, 50)} loads per page):

| database | members | ${names.join(' | ')} |
|---|---|${names.map(() => '---').join('|')}|
${rows
  .filter((r) => r.before)
  .map(
    (r) =>
      `| ${r.database} | ${r.members.toLocaleString('en')} | ${names.map((n) => cell(r.before![n])).join(' | ')} |`,
  )
  .join('\n')}
`
    : ''
}
A closed open vote keeps **${ballotBytes.toFixed(0)} bytes per ballot** in the process's state (its elector entry and
its ballot: heap after the vote closed less before it opened, ${(quick ? 20_000 : 200_000).toLocaleString('en')} electors,
\`closedBallotBytes\`).

Ratios of p99 and of the server's CPU per load, largest size against the smallest (target: landing and council
page ≤ 2×, and < 50 ms p99 at 1,000,000 members):

| database | ${names.join(' | ')} |
|---|${names.map(() => '---').join('|')}|
${['SQLite', 'PostgreSQL']
  .map((d) => {
    const mine = rows.filter((r) => r.database === d);
    if (mine.length < 2) return null;
    const [small, large] = [mine[0]!, mine[mine.length - 1]!];
    return `| ${d} (${large.members.toLocaleString('en')} ÷ ${small.members.toLocaleString('en')}) | ${names
      .map((n) => {
        const a = small.after[n];
        const b = large.after[n];
        return a && b
          ? `${(b.p99 / a.p99).toFixed(2)}× · cpu ${(b.cpu / Math.max(a.cpu, 0.1)).toFixed(2)}×`
          : '—';
      })
      .join(' | ')} |`;
  })
  .filter((x) => x !== null)
  .join('\n')}
`);
