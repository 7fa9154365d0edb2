// An ended secret vote's pages after a restart (issue #18, docs/SCALE.md "Closing a vote"): one homomorphic
// (yes/no) vote of N ballots, ended, in a SQLite database; a process starts, loads the organisation (the log
// replayed, the vote settled: its aggregate computed from the ballots when the replay did not cache it), then
// reads GET …/secret?board=key and checks receipts (GET …/secret/receipts/:code). This code against `--before
// <dir>` (a checkout of the code before, node_modules reachable from it; /work/wt/base) on the same database file
// in the same run, the two alternating child by child so that both meet the same load.
//
// The log is made once through the core with real blind signatures, ballots and proofs
// (bench/support/secret-vote-log.ts, cached in the temporary directory) and written through this code's store
// (appendEntries in transactions of 20,000 entries, then the projections from the log: rebuildOrg), which also
// writes the board's index (secret_board) and, where this code keeps them, the vote's sums (secret_sums) as its
// close would have. Each child opens the file with a plain handle, no migration (code before reads the tables it
// knows and ignores the others), and answers through Fastify's inject (no socket).
//
// `--mixed`: one ended mixed (ranked) vote of N ballots instead, three shuffles, and its mix pages after a restart:
// the first page of the final list (GET …/secret/mix/list?limit=100) and later pages, the first page of a shuffle
// (…/mix/shuffles/1?limit=100, which the code before does not have), and the whole mix board (…/mix/board).
// Usage: npx tsx bench/ended-secret-pages.bench.ts [--quick] [--mixed] [--before DIR] [--sizes 1000,10000]
// [--rounds 3] [--repeats 30]
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Entry } from '../src/core/index.ts';
import {
  answer,
  beforeDir,
  child as runChild,
  codes,
  flag,
  has,
  isChild,
  middle as median,
  quantile,
  spread,
  type Spread,
} from './support/codes.ts';
import { secretVoteLog } from './support/secret-vote-log.ts';

const quick = has('--quick');
const mixed = has('--mixed');
/** Reads of each kind after the first, per child (their p50 and p99 are over every child's). */
const repeats = Number(flag('--repeats') ?? (quick ? 5 : 30));

interface Measured {
  /** ms to load the organisation (replay and settling), at each of the child's two starts. */
  open: number[];
  firstKey: number;
  keys: number[];
  firstReceipt: number;
  receipts: number[];
}

/** In a child: the code at `root`'s server started on the database `file`, as `start` in `measure` below. */
async function opener(root: string, file: string, orgId: string, voteId: string) {
  const from = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { CouncilsService } = await from('src/server/service.ts');
  const { buildApp } = await from('src/server/app.ts');
  const { systemClock } = await from('src/store/ledger.ts');
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  const db = { kysely, dialect: 'sqlite', description: file, close: () => kysely.destroy() };
  const base = `/api/v1/orgs/${orgId}/votes/${voteId}/secret`;
  /** A start: a new service and server over the file; the organisation loaded (timed). */
  const start = async () => {
    const service = new CouncilsService(db, systemClock, {});
    const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
    await app.ready();
    const t = performance.now();
    await service.ledger(orgId).current();
    const open = performance.now() - t;
    const get = async (url: string) => {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url: `${base}${url}` });
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return { ms, json: res.json() as Record<string, unknown> };
    };
    return { app, open, get };
  };
  return { start, close: () => db.close() };
}

/** In a child: the code at `root` started twice on the database `file`; what each start's reads took. */
async function measure(root: string, file: string, orgId: string, voteId: string, codes: string[]) {
  const { start, close } = await opener(root, file, orgId, voteId);
  const m: Measured = { open: [], firstKey: 0, keys: [], firstReceipt: 0, receipts: [] };
  const a = await start();
  m.open.push(a.open);
  const key = await a.get('?board=key');
  if (!Array.isArray(key.json.board) || key.json.board.length === 0) throw new Error('board=key is empty');
  m.firstKey = key.ms;
  for (let i = 0; i < repeats; i++) m.keys.push((await a.get('?board=key')).ms);
  await a.app.close();
  const b = await start();
  m.open.push(b.open);
  for (const [i, code] of codes.entries()) {
    const r = await b.get(`/receipts/${code}`);
    if (r.json.status !== 'counted') throw new Error(`receipt ${code}: ${JSON.stringify(r.json)}`);
    if (i === 0) m.firstReceipt = r.ms;
    else m.receipts.push(r.ms);
  }
  await b.app.close();
  await close();
  return m;
}

/** A mixed vote's pages, in a child: ms of each first read after a start, and of the later ones. */
interface MixMeasured {
  open: number[];
  firstList: number;
  lists: number[];
  firstShuffle: number | null;
  shuffles: number[];
  firstBoard: number;
  boards: number[];
}

/**
 * In a child: the code at `root` started three times on the database `file` (the board of the ended mixed vote never
 * in memory at a page's first read): pages of the final list, of shuffle 1 (when the code has the route), the board.
 */
async function measureMix(root: string, file: string, orgId: string, voteId: string): Promise<MixMeasured> {
  const { start, close } = await opener(root, file, orgId, voteId);
  const m: MixMeasured = {
    open: [],
    firstList: 0,
    lists: [],
    firstShuffle: null,
    shuffles: [],
    firstBoard: 0,
    boards: [],
  };
  const page = 100;
  const a = await start();
  m.open.push(a.open);
  const first = await a.get(`/mix/list?limit=${page}`);
  const count = (first.json.ciphertexts as unknown[]).length;
  if (count === 0 || first.json.stage !== 'done') throw new Error(`mix/list: ${JSON.stringify(first.json)}`);
  m.firstList = first.ms;
  // later pages, spread over the list (the code before answers the whole list whatever the query)
  for (let i = 0; i < repeats; i++) m.lists.push((await a.get(`/mix/list?after=${i * 7}&limit=${page}`)).ms);
  await a.app.close();
  const b = await start();
  m.open.push(b.open);
  const has = await b.app.inject({
    method: 'GET',
    url: `/api/v1/orgs/${orgId}/votes/${voteId}/secret/mix/shuffles`,
  });
  if (has.statusCode === 200) {
    m.firstShuffle = (await b.get(`/mix/shuffles/1?limit=${page}`)).ms;
    for (let i = 0; i < repeats; i++)
      m.shuffles.push((await b.get(`/mix/shuffles/${1 + (i % 3)}?after=${i * 7}&limit=${page}`)).ms);
  }
  await b.app.close();
  const c = await start();
  m.open.push(c.open);
  const board = await c.get('/mix/board');
  if ((board.json.shuffles as unknown[]).length !== 3) throw new Error('mix/board: not three shuffles');
  m.firstBoard = board.ms;
  for (let i = 0; i < Math.min(repeats, 5); i++) m.boards.push((await c.get('/mix/board')).ms);
  await c.app.close();
  await close();
  return m;
}

if (isChild) {
  const [root, file, org, vote] = ['--root', '--file', '--org', '--vote'].map((f) => flag(f)!) as [
    string,
    string,
    string,
    string,
  ];
  await answer(() =>
    mixed ? measureMix(root, file, org, vote) : measure(root, file, org, vote, flag('--codes')!.split(',')),
  );
}

const sizes = (flag('--sizes') ?? (quick ? '200' : '1000,10000')).split(',').map(Number);
const rounds = Number(flag('--rounds') ?? (quick ? 1 : 3));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const loadStart = load();
const dir = mkdtempSync(join(os.tmpdir(), 'councils-ended-pages-'));

/** The database of the vote's log (this code's store), and `count` of its ballots' confirmation codes, spread. */
async function database(electors: number) {
  const log = await secretVoteLog(electors, { publicRecord: true, ranked: mixed });
  const { openDatabase } = await import('../src/store/database.ts');
  const { appendEntries } = await import('../src/store/log-repository.ts');
  const { rebuildOrg } = await import('../src/store/rebuild.ts');
  const file = join(dir, `ended-${electors}.db`);
  const db = await openDatabase(file);
  const all: string[] = [];
  let batch: Entry[] = [];
  const write = async () => {
    const entries = batch;
    batch = [];
    await db.kysely.transaction().execute((trx) => appendEntries(trx, log.orgId, entries));
  };
  for await (const line of createInterface({ input: createReadStream(log.file), crlfDelay: Infinity })) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.act === 'board_posted' && /^(ranked-)?ballot$/.test(e.payload.kind)) all.push(e.payload.body.code);
    batch.push(e);
    if (batch.length === 20_000) await write();
  }
  await write();
  await rebuildOrg(db, log.orgId);
  await db.close();
  const count = Math.min(all.length, repeats + 1);
  const spread = Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]!);
  return { file, orgId: log.orgId, voteId: log.voteId, codes: spread, ballots: all.length };
}

const child = <T = Measured>(root: string, d: Awaited<ReturnType<typeof database>>): T =>
  runChild<T>(import.meta.filename, root, [
    ...(mixed ? ['--mixed'] : []),
    ...['--file', d.file, '--org', d.orgId, '--vote', d.voteId, '--codes', d.codes.join(',')],
  ]);

const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
/** A figure: one value, or the median of the children with their least and most. */
type Figure = number | Spread | null;
const cell = (x: Figure | undefined) =>
  x == null ? '—' : typeof x === 'number' ? f(x) : `${f(x.median)} (${f(x.min)}–${f(x.max)})`;
const mid = (x: Figure | undefined) => (x == null ? null : typeof x === 'number' ? x : x.median);
const row = (ballots: number, what: string, before: Figure | undefined, after: Figure) => {
  const [b, a] = [mid(before), mid(after)];
  return `| ${ballots.toLocaleString('en')} | ${what} | ${cell(before)} | ${cell(after)} | ${b === null || a === null ? '—' : (b / a).toFixed(1) + '×'} |`;
};

if (mixed) {
  const rows: string[] = [];
  try {
    for (const size of sizes) {
      const d = await database(size);
      const per = new Map<string, MixMeasured[]>(codes.map((c) => [c.label, []]));
      for (let r = 0; r < rounds; r++)
        for (const c of codes) per.get(c.label)!.push(child<MixMeasured>(c.root, d));
      const figures = (label: string) => {
        const ms = per.get(label)!;
        const firstShuffles = ms.flatMap((m) => (m.firstShuffle === null ? [] : [m.firstShuffle]));
        return {
          open: spread(ms.flatMap((m) => m.open)),
          firstList: spread(ms.map((m) => m.firstList)),
          list50: median(ms.flatMap((m) => m.lists)),
          list99: quantile(
            ms.flatMap((m) => m.lists),
            0.99,
          ),
          firstShuffle: firstShuffles.length ? spread(firstShuffles) : null,
          shuffle50: firstShuffles.length ? median(ms.flatMap((m) => m.shuffles)) : null,
          firstBoard: spread(ms.map((m) => m.firstBoard)),
          board50: median(ms.flatMap((m) => m.boards)),
        };
      };
      const after = figures('after');
      const before = beforeDir ? figures('before') : undefined;
      for (const [what, k] of [
        ['open the organisation (replay, settling)', 'open'],
        ['first page of the final list (`…/mix/list?limit=100`)', 'firstList'],
        ['later pages of the list, p50', 'list50'],
        ['later pages of the list, p99', 'list99'],
        ['first page of shuffle 1 (`…/mix/shuffles/1?limit=100`)', 'firstShuffle'],
        ['later shuffle pages, p50', 'shuffle50'],
        ['first `…/mix/board` (whole)', 'firstBoard'],
        ['later `…/mix/board`, p50', 'board50'],
      ] as const)
        rows.push(row(d.ballots, what, before?.[k], after[k]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`## An ended mixed vote's mix pages after a restart

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${loadStart} at the start, ${load()} at the end · \`bench/ended-secret-pages.bench.ts --mixed\`${beforeDir ? ` · before: \`${beforeDir}\`` : ''}

One ended mixed (ranked, Schulze among three) secret vote of N ballots (every elector issued a credential and
casting once, the list shuffled by its three mixers in turn, decrypted by two of three trustees), its log made
through the core with real blind signatures, ballots, shuffles and proofs, written through the store into one SQLite
file read by both codes. Each child process starts three times on it (a new service and server each time, the
vote's board never in memory at a page's first read): the first start reads the final list's first page of 100
and ${repeats} later pages (the code before answers the whole list whatever the query); the second a page of a shuffle
(after only: the route is new); the third the whole mix board, then 5 more times. ${rounds} children per code and
size, the codes alternating; "first" and "open" are medians over the children (least–most in brackets), p50 and p99
over every later read.
Fastify's inject, no socket. Milliseconds.

| ballots | what | before | after | before / after |
|---|---|---:|---:|---:|
${rows.join('\n')}
`);
  process.exit(0);
}

const rows: string[] = [];
try {
  for (const size of sizes) {
    const d = await database(size);
    const per = new Map<string, Measured[]>(codes.map((c) => [c.label, []]));
    for (let r = 0; r < rounds; r++) for (const c of codes) per.get(c.label)!.push(child(c.root, d));
    const figures = (label: string) => {
      const ms = per.get(label)!;
      return {
        open: spread(ms.flatMap((m) => m.open)),
        firstKey: spread(ms.map((m) => m.firstKey)),
        key50: median(ms.flatMap((m) => m.keys)),
        key99: quantile(
          ms.flatMap((m) => m.keys),
          0.99,
        ),
        firstReceipt: spread(ms.map((m) => m.firstReceipt)),
        receipt50: median(ms.flatMap((m) => m.receipts)),
        receipt99: quantile(
          ms.flatMap((m) => m.receipts),
          0.99,
        ),
      };
    };
    const after = figures('after');
    const before = beforeDir ? figures('before') : undefined;
    for (const [what, k] of [
      ['open the organisation (replay, settling)', 'open'],
      ['first `board=key`', 'firstKey'],
      ['`board=key` p50', 'key50'],
      ['`board=key` p99', 'key99'],
      ['first receipt check', 'firstReceipt'],
      ['receipt check p50', 'receipt50'],
      ['receipt check p99', 'receipt99'],
    ] as const)
      rows.push(row(d.ballots, what, before?.[k], after[k]));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`## An ended secret vote's pages after a restart

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${loadStart} at the start, ${load()} at the end · \`bench/ended-secret-pages.bench.ts\`${beforeDir ? ` · before: \`${beforeDir}\`` : ''}

One ended homomorphic (yes/no) secret vote of N ballots (every elector issued a credential and casting once,
decrypted by two of three trustees), its log made through the core with real blind signatures, ballots and proofs
and written through the store into one SQLite file, read by both codes. Each child process starts twice on it
(a new service and server each time): the first start loads the organisation (timed: "open"), reads \`GET
…/secret?board=key\` once ("first") and ${repeats} more times; the second loads it again and checks ${repeats + 1} receipts
of ballots spread over the board (all "counted"), the first timed apart. ${rounds} children per code and size, the
codes alternating; "first" and "open" are medians over the children (open: both starts; least–most in brackets),
p50 and p99 over every read after the first. Fastify's inject, no socket. Milliseconds.

| ballots | what | before | after | before / after |
|---|---|---:|---:|---:|
${rows.join('\n')}
`);
