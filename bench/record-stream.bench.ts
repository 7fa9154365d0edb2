// Peak memory of the record's readers against the log's length (issue #18 item 4, docs/SCALE.md "Streaming the
// record"): `councils export --out`, `councils export --bundle`, `GET …/record/entries.jsonl` from a `councils
// serve` process, and `councils verify` of the bundle, on logs of 1,000,000 and 3,000,000 entries (SQLite; the
// generated federation of bench/scale-org.ts, one entry a member, with a log key and a checkpoint of the whole log).
// Each command runs in a process of its own under /usr/bin/time (its peak RSS, %M); the server's is its VmHWM
// after the download less before it. `--before <dir>` (or COUNCILS_BENCH_BEFORE): the same with the code in <dir>
// (a checkout of the commit before, with node_modules), on a copy of the database without the migrations it
// does not know, for a same-run baseline. `--quick`: 20,000 and 60,000 entries. `--sizes 1000000,3000000`.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { RecordKeeper } from '../src/node/record-keeper.ts';
import { openDatabase } from '../src/store/database.ts';
import { insertRecordKey } from '../src/store/record-repository.ts';
import { seed, type Seeded } from './scale-org.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const beforeDir = flag('--before') ?? process.env.COUNCILS_BENCH_BEFORE;
const sizes = flag('--sizes')?.split(',').map(Number) ?? (quick ? [20_000, 60_000] : [1_000_000, 3_000_000]);
const here = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(os.tmpdir(), 'councils-record-stream-'));
/** Where the log key of the size being measured is (each generated organisation is org_1). */
let keyDir = join(dir, 'keys');
const load = os.loadavg()[0]!.toFixed(1);

/** The migrations the code before does not know (its migrations' folder names the ones it does). */
const unknownToBefore = (names: string[]) => {
  if (!beforeDir) return [];
  const known = new Set(
    readdirSync(join(beforeDir, 'src', 'store', 'migrations')).map((f) => f.replace(/\.ts$/, '')),
  );
  return names.filter((n) => !known.has(n));
};

/** Peak RSS (MiB) and wall seconds of `councils …` run by the code in `root`. */
function timed(root: string, argv: string[]): { mib: number; seconds: number } {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'peak %M %e', process.execPath, join(root, 'bin', 'councils.js'), ...argv],
    {
      encoding: 'utf8',
      env: { ...process.env, COUNCILS_FROM_SOURCE: '1', COUNCILS_KEY_DIR: keyDir },
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const m = /peak (\d+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`councils ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { mib: Number(m[1]) / 1024, seconds: Number(m[2]) };
}

const hwm = (pid: number) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** A server's peak RSS (MiB) before and after one download of entries.jsonl, and the bytes it sent. */
async function servedEntries(root: string, db: string, s: Seeded) {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'councils.js'), 'serve', '--port', '0', '--db', db],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, COUNCILS_FROM_SOURCE: '1', COUNCILS_KEY_DIR: keyDir },
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /serving (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const get = (path: string) =>
      fetch(`${url}/api/v1/orgs/${s.orgId}${path}`, { headers: { authorization: `Bearer ${s.token}` } });
    // The first read loads the organisation's state (the replay): its memory is the state's, not the download's.
    await (await get('')).text();
    const before = hwm(child.pid!);
    const res = await get('/record/entries.jsonl');
    if (!res.ok) throw new Error(`entries.jsonl: HTTP ${res.status}`);
    let bytes = 0;
    for await (const chunk of res.body!) bytes += (chunk as Uint8Array).length;
    return { before, after: hwm(child.pid!), bytes };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

interface Measured {
  exportOut: number;
  exportBundle: number;
  bundleSeconds: number;
  served: { before: number; after: number; bytes: number };
  verify: number;
  verifySeconds: number;
}

async function measure(root: string, db: string, s: Seeded): Promise<Measured> {
  const out = join(dir, 'entries.jsonl');
  const bundle = join(dir, 'bundle');
  rmSync(bundle, { recursive: true, force: true });
  const exportOut = timed(root, ['export', '--db', db, '--org', s.orgId, '--out', out]).mib;
  const b = timed(root, ['export', '--db', db, '--org', s.orgId, '--bundle', bundle]);
  const served = await servedEntries(root, db, s);
  const v = timed(root, ['verify', bundle, '--no-state']);
  rmSync(out, { force: true });
  return {
    exportOut,
    exportBundle: b.mib,
    bundleSeconds: b.seconds,
    served,
    verify: v.mib,
    verifySeconds: v.seconds,
  };
}

const rows: { entries: number; after: Measured; before?: Measured }[] = [];
try {
  for (const members of sizes) {
    const file = join(dir, `log-${members}.db`);
    keyDir = join(dir, `keys-${members}`);
    const db = await openDatabase(file);
    const s = await seed(db, members);
    // A log key and a checkpoint of the whole log, as `councils init` and the server's schedule make them.
    const keeper = new RecordKeeper(db, { keyDir });
    const verifierKey = keeper.newKeyFile(s.orgId);
    await insertRecordKey(db.kysely, s.orgId, { verifierKey, fromSize: 0 }, new Date().toISOString());
    if (!(await keeper.issue(s.orgId, true))) throw new Error('no checkpoint was issued');
    await db.close();
    console.error(`${s.size} entries generated in ${s.seconds.toFixed(0)} s`);
    const row: (typeof rows)[number] = { entries: s.size, after: await measure(here, file, s) };
    console.error(`  after: ${JSON.stringify(row.after)}`);
    if (beforeDir) {
      const old = join(dir, `before-${members}.db`);
      copyFileSync(file, old);
      const odb = await openDatabase(old);
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(odb.kysely);
      for (const name of unknownToBefore(applied.rows.map((r) => r.name)))
        await sql`delete from kysely_migration where name = ${name}`.execute(odb.kysely);
      await odb.close();
      row.before = await measure(beforeDir, old, s);
      console.error(`  before: ${JSON.stringify(row.before)}`);
      rmSync(old, { force: true });
    }
    rows.push(row);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const mib = (x: number) => `${x.toFixed(0)} MiB`;
const line = (label: string, r: Measured, entries: number) =>
  `| ${entries.toLocaleString('en')} | ${label} | ${mib(r.exportOut)} | ${mib(r.exportBundle)} (${r.bundleSeconds.toFixed(0)} s) | ${mib(r.served.before)} → ${mib(r.served.after)} (${(r.served.bytes / 2 ** 20).toFixed(0)} MiB sent) | ${mib(r.verify)} (${r.verifySeconds.toFixed(0)} s) |`;
console.log(`## The record streamed: peak memory against the log's length

${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${load} at the start (the 2 cores are shared) · \`bench/record-stream.bench.ts\`

Peak RSS of each command in a process of its own (\`/usr/bin/time\` %M), SQLite, logs of the generated federation
(one entry a member) with a checkpoint of the whole log. The server's column: its peak RSS once it has loaded the
organisation, then after one download of entries.jsonl.

| entries | code | export --out | export --bundle | serve: entries.jsonl | verify the bundle |
|---|---|---|---|---|---|
${rows.flatMap((r) => [...(r.before ? [line('before', r.before, r.entries)] : []), line('after', r.after, r.entries)]).join('\n')}
`);
