// Two costs of issue #18 (docs/SCALE.md, docs/performance/unknown-council.md), on SQLite and PostgreSQL, the code
// before (`--before DIR`: a checkout of the commit before, with node_modules) and this tree on the same database in
// the same run:
//
// 1. A council's page (GET /orgs/:org/councils/:council) for a council that does not exist (a 404) and for a base
//    council and a region that do, at `--members` (10,000) members: p50 / p99 of sequential requests on one
//    connection through a `councils serve` process of its own, and the server's CPU time per request (/proc).
// 2. The name keys' fills that the store runs at every open (fillNameKeys, fillMembershipKeys), with no key
//    missing, at `--fill-members` (100,000) members: the median of `--fills` runs, the plan of their reads, and the
//    time of migration 2026-12-07T1300-missing-name-keys (its partial indexes built over the tables).
//
//   npx tsx bench/unknown-council.bench.ts --before /work/wt/base [--sqlite-only | --postgres-only] [--requests 300]
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../src/store/database.ts';
import type { Database } from '../src/store/schema.ts';
import { fillNameKeys } from '../src/store/migrations/2026-12-07T0700-name-search.ts';
import { fillMembershipKeys } from '../src/store/migrations/2026-12-07T1015-membership-name-key.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { emptyPostgres } from '../test/support/databases.ts';
import { serveProcess } from '../test/support/serve-process.ts';
import { seed } from './scale-org.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
// `--before` or COUNCILS_BENCH_BEFORE (through `npm run bench`); `--quick`: 2,000 and 20,000 members, fewer runs.
const beforeFlag = flag('--before') ?? process.env.COUNCILS_BENCH_BEFORE;
if (!beforeFlag) throw new Error('--before DIR: a checkout of the commit before, with node_modules');
const before = resolve(beforeFlag);
const here = join(import.meta.dirname, '..');
const quick = args.includes('--quick');
const members = Number(flag('--members') ?? (quick ? 2_000 : 10_000));
const fillMembers = Number(flag('--fill-members') ?? (quick ? 20_000 : 100_000));
const requests = Number(flag('--requests') ?? (quick ? 50 : 300));
const fills = Number(flag('--fills') ?? (quick ? 20 : 100));

type Open = (url: string) => Promise<Db>;
type Fill = (db: Kysely<never>) => Promise<number>;
/**
 * A database opened (migrated) by the code before, so that the code before can serve it, with this tree's Kysely
 * for this tree's `seed` (whose reads tell the databases apart by this tree's Kysely classes); `kysely` closes
 * with it. `opened.kysely` is the code before's, for its own fills.
 */
async function openedBefore(url: string) {
  const opened = await old.open(url);
  const kysely = new Kysely<Database>({
    dialect: url.startsWith('postgres')
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) })
      : new SqliteDialect({ database: new BetterSqlite3(url) }),
  });
  const db: Db = {
    ...opened,
    kysely,
    close: async () => {
      await kysely.destroy();
      await opened.close();
    },
  };
  return { db, opened };
}

/** The code before's store: a database it opens is at its schema, which the code before can serve. */
const old = {
  open: (await import(join(before, 'src/store/database.ts'))).openDatabase as Open,
  fillNameKeys: (await import(join(before, 'src/store/migrations/2026-12-07T0700-name-search.ts')))
    .fillNameKeys as Fill,
  fillMembershipKeys: (
    await import(join(before, 'src/store/migrations/2026-12-07T1015-membership-name-key.ts'))
  ).fillMembershipKeys as Fill,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const cpuMs = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

interface Timing {
  p50: number;
  p99: number;
  cpu: number;
}

/** A `councils serve` process of the code in `root` on `url`, and a timed GET of it that expects `status`. */
async function server(root: string, url: string, token: string) {
  const { child, url: base } = await serveProcess(
    url,
    { COUNCILS_FROM_SOURCE: '1' },
    join(root, 'bin', 'councils.js'),
  );
  const get = async (path: string, status: number) => {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== status) throw new Error(`GET ${path} → ${res.status}, not ${status}`);
    return performance.now() - t;
  };
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  return { get, cpu: () => cpuMs(child.pid!), stop };
}

/**
 * The council pages served by the code before and by this tree at once (the code before started first, on the
 * schema it knows; this tree's migration then adds indexes only), each request sent to both in turn, which goes
 * first alternating, so that the shared cores' load falls on both alike: each path's p50 / p99 and the server's
 * CPU per request.
 */
async function pages(urls: [string, string], token: string, paths: Record<string, [string, number]>) {
  const servers = [await server(before, urls[0], token), await server(here, urls[1], token)] as const;
  try {
    const out: Record<string, [Timing, Timing]> = {};
    for (const [label, [path, status]] of Object.entries(paths)) {
      for (let i = 0; i < 20; i++) for (const s of servers) await s.get(path, status);
      const cpu = servers.map((s) => s.cpu());
      const times: [number[], number[]] = [[], []];
      for (let i = 0; i < requests; i++)
        for (const k of i % 2 ? [1, 0] : [0, 1]) times[k]!.push(await servers[k]!.get(path, status));
      const timing = (k: 0 | 1): Timing => ({
        p50: quantile(times[k], 0.5),
        p99: quantile(times[k], 0.99),
        cpu: (servers[k].cpu() - cpu[k]!) / requests,
      });
      out[label] = [timing(0), timing(1)];
    }
    return out;
  } finally {
    for (const s of servers) await s.stop();
  }
}

/** Median ms of the two fills with nothing missing, `fills` times, after a warm-up. */
async function fillTime(db: Kysely<never>, nameKeys: Fill, membershipKeys: Fill) {
  const times: number[] = [];
  for (let i = 0; i < fills + 5; i++) {
    const t = performance.now();
    const filled = (await nameKeys(db)) + (await membershipKeys(db));
    if (filled !== 0) throw new Error(`${filled} keys were missing`);
    if (i >= 5) times.push(performance.now() - t);
  }
  return median(times);
}

/** The plan of each read of the fills (the same statements as theirs, the first batch). */
async function fillPlans(db: Db) {
  const reads = [
    sql`select org_id, id, name from members where name_key is null order by org_id, id limit 10000`,
    sql`select org_id, id, name from councils where name_key is null order by org_id, id limit 10000`,
    sql`select org_id, council_id, member_id from memberships where name_key is null
      order by org_id, council_id, member_id limit 10000`,
  ];
  const lines: string[] = [];
  for (const read of reads) {
    const { rows } = await (
      db.dialect === 'postgres'
        ? sql<Record<string, string>>`explain (analyze, buffers, costs off, timing off) ${read}`
        : sql<Record<string, string>>`explain query plan ${read}`
    ).execute(db.kysely);
    lines.push(rows.map((r) => r['QUERY PLAN'] ?? r.detail).join(' / '));
  }
  return lines;
}

const fmt = (t: Timing) => `${t.p50.toFixed(2)} / ${t.p99.toFixed(2)} ms · cpu ${t.cpu.toFixed(2)} ms`;
const report: string[] = [];
const say = (line: string) => {
  report.push(line);
  console.error(line);
};

/**
 * Both measures on one database kind; `fresh()` gives an empty database's URL and how to drop it, `twin(url)` the
 * URL the second server serves the same database by (on SQLite one process owns a file: a copy of it).
 */
async function bench(
  kind: string,
  fresh: () => Promise<{ url: string; drop: () => Promise<unknown> }>,
  twin: (url: string) => string,
) {
  // 1. the council page, on a database the code before made (this tree migrates it further when it serves it)
  {
    const place = await fresh();
    try {
      const { db } = await openedBefore(place.url);
      const s = await seed(db, members);
      await db.close();
      const paths: Record<string, [string, number]> = {
        'unknown council (404)': [`/orgs/${s.orgId}/councils/nowhere`, 404],
        'base council': [`/orgs/${s.orgId}/councils/b0`, 200],
        region: [`/orgs/${s.orgId}/councils/r0`, 200],
      };
      say(`${kind}, ${members.toLocaleString('en')} members, load ${os.loadavg()[0]!.toFixed(1)}:`);
      for (const [label, [was, now]] of Object.entries(
        await pages([place.url, twin(place.url)], s.token, paths),
      ))
        say(`  ${label}: before ${fmt(was)}; after ${fmt(now)}; p50 ${(now.p50 / was.p50).toFixed(2)}×`);
    } finally {
      await place.drop();
    }
  }
  // 2. the fills at an open with nothing missing
  const place = await fresh();
  try {
    const o = await openedBefore(place.url);
    await seed(o.db, fillMembers);
    const was = await fillTime(o.opened.kysely as Kysely<never>, old.fillNameKeys, old.fillMembershipKeys);
    await o.db.close();
    const t = performance.now();
    const db = await openDatabase(place.url);
    const migrated = performance.now() - t;
    try {
      const now = await fillTime(
        db.kysely as Kysely<never>,
        fillNameKeys as Fill,
        fillMembershipKeys as Fill,
      );
      say(
        `${kind}, ${fillMembers.toLocaleString('en')} members, load ${os.loadavg()[0]!.toFixed(1)}: the fills with nothing missing ` +
          `before ${was.toFixed(2)} ms (they stop at their index), after ${now.toFixed(2)} ms (a probe a table); ` +
          `the open that migrates (the partial indexes built) and fills ${migrated.toFixed(0)} ms`,
      );
      for (const line of await fillPlans(db)) say(`  plan: ${line}`);
    } finally {
      await db.close();
    }
  } finally {
    await place.drop();
  }
}

const dir = mkdtempSync(join(os.tmpdir(), 'councils-404-'));
try {
  let n = 0;
  if (!args.includes('--postgres-only'))
    await bench(
      'SQLite',
      async () => {
        // a directory a database, its copy beside it
        const sub = join(dir, `c${n++}`);
        mkdirSync(sub);
        return { url: join(sub, 'c.db'), drop: async () => rmSync(sub, { recursive: true, force: true }) };
      },
      (file) => {
        copyFileSync(file, `${file}-twin.db`);
        return `${file}-twin.db`;
      },
    );
  if (!args.includes('--sqlite-only')) {
    const cluster = startThrowawayPostgres();
    if (!cluster) throw new Error('no PostgreSQL binaries on PATH (--sqlite-only)');
    try {
      await bench(
        'PostgreSQL',
        () => emptyPostgres(cluster.url, 'councils_404'),
        (url) => url,
      );
    } finally {
      cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`## A council's 404 and the name keys' fill at each start

${new Date().toISOString().slice(0, 16)} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
\`bench/unknown-council.bench.ts\`, the code before: ${before}. Each page: p50 / p99 of ${requests} requests a server,
both servers at once, requests alternating; the server's CPU per request.

\`\`\`
${report.join('\n')}
\`\`\`
`);
