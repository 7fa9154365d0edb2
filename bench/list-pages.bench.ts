// The lists paged for issue #18 item 1 (docs/API.md "Paging"), their first page as the web loads it, at 1,000 and
// 10,000 rows, on SQLite and PostgreSQL, against the code before the paging (`--before DIR`: a checkout of cd7b215,
// node_modules reachable from it, where each route answered the whole list) in the same run:
//
// - the requests of a state (GET …/requests?state=pending);
// - the committees page: GET …/committees and the acts committees carried out (after: …/requests?by=committee; before:
//   …/requests?state=done and …?state=reversed, which the page filtered);
// - a council's petitions (…/petitions?council=big);
// - a petition's page (…/petitions/:petition, whose signatures it carried whole; after: the first 100);
// - a motion's page (…/motions/:motion, its debate whole; after: the first 100 comments);
// - a payroll (…/councils/big/pay/payroll?period=…, every payslip; after: the first 100, the report whole);
// - the transparency report (…/transparency, every council's row; after: the first 100 councils').
// And GET /health, which reads nothing of the organisation: what the load and the server's heap (the organisation's
// state, which grows with N) add to every request, the same on both codes.
//
// One organisation per size N, generated (seeded) through this code's core (decide, apply; real Ed25519 approvals):
// N pending requests, N acts carried out by the root council's committee, N petitions of the council `big`, one of
// them signed by its N members, a motion with N comments, a payroll of N workers, N councils with a petition each.
// Its log is written into one database per code, by that code's store (appendEntries, then rebuildOrg: each code's
// own schema and indexes), which a `councils serve` process of that code then serves. Measured through HTTP on
// 127.0.0.1, the two servers' requests alternating (A B A B): p50 and p99 of `--requests` loads of each page after a
// warm-up, its bytes, and the server's CPU time per load (/proc).
//
//   npx tsx bench/list-pages.bench.ts --before /work/wt/base12 [--sizes 1000,10000] [--requests 100]
//     [--sqlite-only | --postgres-only] [--quick]
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  apply,
  approvalMessage,
  contentHash,
  decide,
  emptyState,
  keyProofMessage,
  publicKeyOf,
  signMessage,
  type Command,
  type Entry,
  type OrgState,
} from '../src/core/index.ts';
import type * as Service from '../src/server/service.ts';
import type * as Accounts from '../src/store/account-repository.ts';
import type * as Database from '../src/store/database.ts';
import type * as Log from '../src/store/log-repository.ts';
import type * as Workforce from '../src/store/pay-workforce.ts';
import type * as Rebuild from '../src/store/rebuild.ts';
import { emptyPostgres } from '../test/support/databases.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { serveProcess } from '../test/support/serve-process.ts';
import { prng } from '../test/support/mulberry32.ts';
import { scheme, workforceCsv } from '../test/support/workforce.ts';
import { chunk, immediateProcedure, perBase } from './scale-org.ts';
import { codes, flag, has, quantile, type Code } from './support/codes.ts';

const quick = has('--quick');
const sizes = (flag('--sizes') ?? (quick ? '200' : '1000,10000')).split(',').map(Number);
const requests = Number(flag('--requests') ?? (quick ? 20 : 100));
const period = '2026-11';

// ---- the organisation's log ------------------------------------------------------------------------------------

/** What the pages are read on: the log, and the ids it made. */
interface ListLog {
  orgId: string;
  entries: Entry[];
  petitionId: string;
  motionId: string;
  workforce: { csv: string; sha256: string; workers: number };
}

/** The key of the root council's one member, who sits on its committee and approves its acts. */
const chairSecret = createHash('sha256').update('list-pages bench chair').digest('hex');

function listLog(n: number): ListLog {
  let tp = performance.now();
  /** A line on stderr per part of the log made (at 10,000 rows it takes minutes). */
  const phase = (what: string) => {
    console.error(`  ${n}: ${what} made in ${((performance.now() - tp) / 1000).toFixed(1)} s`);
    tp = performance.now();
  };
  const state: OrgState = emptyState();
  const entries: Entry[] = [];
  let ids = 0;
  const now = new Date().toISOString();
  const run = (command: Command, actor: string | null): Entry[] => {
    const d = decide(state, command, { actor, now, newId: (kind) => `${kind}_${++ids}` });
    if (!d.ok) throw new Error(`${command.type} by ${actor}: ${d.code} ${d.message}`);
    return d.entries.map((ne) => {
      const e = { ...ne, seq: state.size } as Entry;
      apply(state, e);
      entries.push(e);
      return e;
    });
  };
  const payload = (e: Entry[], act: string, field: string) =>
    (e.find((x) => x.act === act)!.payload as Record<string, string>)[field]!;
  const random = prng(n);
  const regions = Math.max(1, Math.ceil(n / perBase));
  const member = (i: number) => `m${i}`;
  run(
    {
      type: 'found_organisation',
      name: `Lists of ${n}`,
      constitution: {
        ...immediateProcedure,
        payVisibility: 'individuals',
        power: {
          // the root council's committee changes the witnesses alone; no petition reaches its threshold
          acts: { change_witnesses: { by: 'committee', council: 'root', k: 1 } },
          petitions: { threshold: { kind: 'absolute', count: 10 * n } },
        },
      },
      councils: [
        { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
        { id: 'big', name: 'Big Works', parentId: 'fed', seatsInParent: 1 },
        { id: 'home', name: 'Chair House', parentId: 'fed', seatsInParent: 1 },
        ...Array.from({ length: regions }, (_, r) => ({
          id: `r${r}`,
          name: `Region ${r}`,
          parentId: 'fed',
          seatsInParent: 1,
        })),
        ...Array.from({ length: n }, (_, t) => ({
          id: `t${t}`,
          name: `Workplace ${t}`,
          parentId: `r${t % regions}`,
          seatsInParent: 1,
        })),
      ],
      founders: [
        { memberId: 'chair', name: 'Chair', councilId: 'home' },
        ...Array.from({ length: n }, (_, i) => ({
          memberId: member(i),
          name: `Member ${String(Math.floor(random() * 1e6)).padStart(6, '0')}`,
          councilId: 'big',
        })),
        ...Array.from({ length: n }, (_, t) => ({
          memberId: `u${t}`,
          name: `Worker ${t}`,
          councilId: `t${t}`,
        })),
      ],
    } as Command,
    null,
  );
  const orgId = state.org!.id;
  // the chair, alone in her council, elected its deputy to the root council
  const election = payload(
    run({ type: 'call_election', councilId: 'home' }, 'chair'),
    'motion_moved',
    'motionId',
  );
  run(
    { type: 'propose_alternative', motionId: election, title: 'Chair', text: '', candidateId: 'chair' },
    'chair',
  );
  const ballot = payload(run({ type: 'open_vote', motionId: election }, 'chair'), 'vote_opened', 'voteId');
  run({ type: 'cast_ballot', voteId: ballot, ballot: { choice: 'a1' } }, 'chair');
  // the committee: its one member registers a key and approves every act herself
  const publicKey = publicKeyOf(chairSecret);
  run(
    {
      type: 'register_key',
      publicKey,
      proof: signMessage(keyProofMessage(orgId, 'chair', publicKey), chairSecret),
    },
    'chair',
  );
  const carry = (kind: string, content: Record<string, unknown>) => {
    const requestId = payload(
      run({ type: 'request_act', kind, content } as Command, 'chair'),
      'privileged_act_requested',
      'requestId',
    );
    const message = approvalMessage(orgId, requestId, contentHash(kind, content), 0);
    run({ type: 'approve_request', requestId, signature: signMessage(message, chairSecret) }, 'chair');
  };
  carry('elect_committee', { councilId: 'fed', memberIds: ['chair'] });
  for (let i = 0; i < n; i++)
    carry('change_witnesses', { witnesses: [`w${i}.example+${10_000_000 + i}+AQID`] });
  phase('committee');
  // pending requests
  // Pending requests, of the committee's kind (an act a council decides lists every member of the council as an
  // approver in each request). The first is decided; the others are its entry with another id and content, as
  // decide would make them: decide hashes the content of every pending request of the same kind again for each new
  // one (approvals.ts, pendingSame), which would make N pending requests O(N²) hashes to make.
  const witnesses = (i: number) => ({ witnesses: [`p${i}.example+${20_000_000 + i}+AQID`] });
  const [first] = run(
    { type: 'request_act', kind: 'change_witnesses', content: witnesses(0) } as Command,
    'chair',
  );
  for (let i = 1; i < n; i++) {
    const e = structuredClone(first!) as Entry & { payload: Record<string, unknown> };
    e.seq = state.size;
    e.payload.requestId = `request_${++ids}`;
    e.payload.content = witnesses(i);
    e.payload.contentHash = contentHash('change_witnesses', witnesses(i));
    apply(state, e);
    entries.push(e);
  }
  phase('pending');
  // a council's petitions, the first signed by every member of the council
  let petitionId = '';
  for (let i = 0; i < n; i++) {
    const opened = run(
      { type: 'open_petition', kind: 'agenda', councilId: 'big', title: `Item ${i}`, text: 'Generated.' },
      member(i),
    );
    if (i === 0) petitionId = payload(opened, 'petition_opened', 'petitionId');
  }
  phase('petitions');
  for (let i = 1; i < n; i++) run({ type: 'sign_petition', petitionId }, member(i));
  phase('signatures');
  // a motion's debate
  const motionId = payload(
    run({ type: 'move_motion', councilId: 'big', title: 'Debated', text: 'Generated.' }, member(0)),
    'motion_moved',
    'motionId',
  );
  for (let i = 0; i < n; i++)
    run(
      { type: 'post_comment', motionId, stance: i % 2 ? 'for' : 'against', text: `Comment ${i}.` },
      member(i),
    );
  phase('comments');
  // the pay scheme, adopted by the council's members; the workforce recorded (its file stored with each database)
  const payMotion = payload(
    run(
      {
        type: 'move_pay_motion',
        councilId: 'big',
        title: 'Pay scheme',
        text: 'Adopt it.',
        scheme,
      } as Command,
      member(0),
    ),
    'motion_moved',
    'motionId',
  );
  const voteId = payload(run({ type: 'open_vote', motionId: payMotion }, member(0)), 'vote_opened', 'voteId');
  for (let i = 0; i < n; i++) run({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, member(i));
  const csv = workforceCsv(n);
  const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
  run({ type: 'record_workforce', councilId: 'big', sha256, workers: n }, member(0));
  phase('pay');
  // the transparency report's councils: a petition in each workplace
  for (let t = 0; t < n; t++)
    run(
      { type: 'open_petition', kind: 'agenda', councilId: `t${t}`, title: `Petition ${t}`, text: '' },
      `u${t}`,
    );
  phase('transparency');
  return { orgId, entries, petitionId, motionId, workforce: { csv, sha256, workers: n } };
}

// ---- one database per code -------------------------------------------------------------------------------------

/** The store a database is written with, from the code at `root`. */
async function storeAt(root: string) {
  const from = (path: string) => import(pathToFileURL(join(root, path)).href);
  return {
    ...((await from('src/store/database.ts')) as Pick<typeof Database, 'openDatabase'>),
    ...((await from('src/store/log-repository.ts')) as Pick<typeof Log, 'appendEntries'>),
    ...((await from('src/store/rebuild.ts')) as Pick<typeof Rebuild, 'rebuildOrg'>),
    ...((await from('src/store/pay-workforce.ts')) as Pick<typeof Workforce, 'storeWorkforce'>),
    ...((await from('src/store/account-repository.ts')) as Pick<typeof Accounts, 'insertApiToken'>),
    ...((await from('src/server/service.ts')) as Pick<typeof Service, 'hashSecret' | 'secretToken'>),
  };
}

/** The log written into the database `url` by the code at `root`; a member's API token (m0, of `big`). */
async function write(root: string, url: string, log: ListLog): Promise<{ token: string; seconds: number }> {
  const started = performance.now();
  const store = await storeAt(root);
  const db = await store.openDatabase(url);
  try {
    for (let i = 0; i < log.entries.length; i += chunk) {
      const entries = log.entries.slice(i, i + chunk);
      await db.kysely.transaction().execute((trx) => store.appendEntries(trx, log.orgId, entries));
    }
    await store.rebuildOrg(db, log.orgId);
    await store.storeWorkforce(db.kysely, {
      orgId: log.orgId,
      councilId: 'big',
      ...log.workforce,
      at: log.entries.at(-1)!.time,
    });
    const token = `cnl_${store.secretToken()}`;
    await store.insertApiToken(db.kysely, store.hashSecret(token), {
      id: 'bench',
      memberId: 'm0',
      orgId: log.orgId,
      name: 'bench',
      createdAt: new Date().toISOString(),
    });
    return { token, seconds: (performance.now() - started) / 1000 };
  } finally {
    await db.close();
  }
}

// ---- serving and measuring -------------------------------------------------------------------------------------

interface Served {
  code: Code;
  child: ChildProcess;
  url: string;
  token: string;
}

/** CPU time (user + system) of a process so far, in ms (/proc/PID/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function get(s: Served, path: string): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const res = await fetch(`${s.url}/api/v1${path}`, { headers: { authorization: `Bearer ${s.token}` } });
  const text = await res.text();
  const ms = performance.now() - t;
  if (!res.ok) throw new Error(`${s.code.label}: GET ${path} → ${res.status} ${text.slice(0, 200)}`);
  return { ms, bytes: Buffer.byteLength(text) };
}

/** A page: the paths the web fetches for it, by code (the code before fetched other paths for some). */
interface Page {
  name: string;
  paths: (code: Code) => string[];
}

function pages(log: ListLog): Page[] {
  const org = `/orgs/${log.orgId}`;
  const same =
    (...paths: string[]) =>
    () =>
      paths.map((p) => `${org}${p}`);
  return [
    // a request that reads nothing of the organisation: what the load and the server's heap add to every request
    { name: 'baseline (`GET /health`)', paths: () => ['/health'] },
    { name: 'requests (`?state=pending`)', paths: same('/requests?state=pending') },
    {
      name: 'committees page (`/committees`, `?by=committee`)',
      paths: (c) =>
        c.label === 'after'
          ? [`${org}/committees`, `${org}/requests?by=committee`]
          : [`${org}/committees`, `${org}/requests?state=done`, `${org}/requests?state=reversed`],
    },
    { name: "a council's petitions (`?council=`)", paths: same('/petitions?council=big') },
    { name: "a petition's page, its signatures", paths: same(`/petitions/${log.petitionId}`) },
    { name: "a motion's page, its comments", paths: same(`/motions/${log.motionId}`) },
    { name: "a payroll's payslips", paths: same(`/councils/big/pay/payroll?period=${period}`) },
    { name: "the transparency report's councils", paths: same('/transparency') },
  ];
}

interface Figures {
  p50: number;
  p99: number;
  bytes: number;
  /** The server's CPU time per load, ms. */
  cpu: number;
}

/** Every page loaded `requests` times on each server after a warm-up of 3, the servers alternating load by load. */
async function measure(served: Served[], list: Page[]): Promise<Map<string, Map<string, Figures>>> {
  const out = new Map<string, Map<string, Figures>>();
  for (const page of list) {
    const load = async (s: Served) => {
      let ms = 0;
      let bytes = 0;
      for (const path of page.paths(s.code)) {
        const r = await get(s, path);
        ms += r.ms;
        bytes += r.bytes;
      }
      return { ms, bytes };
    };
    for (let i = 0; i < 3; i++) for (const s of served) await load(s);
    const times = served.map(() => [] as number[]);
    const bytes = served.map(() => 0);
    const cpu = served.map((s) => cpuMs(s.child.pid!));
    for (let i = 0; i < requests; i++)
      for (const [k, s] of served.entries()) {
        const r = await load(s);
        times[k]!.push(r.ms);
        bytes[k] = r.bytes;
      }
    const byCode = new Map<string, Figures>();
    for (const [k, s] of served.entries())
      byCode.set(s.code.label, {
        p50: quantile(times[k]!, 0.5),
        p99: quantile(times[k]!, 0.99),
        bytes: bytes[k]!,
        cpu: (cpuMs(s.child.pid!) - cpu[k]!) / requests,
      });
    out.set(page.name, byCode);
    const line = [...byCode].map(
      ([label, f]) =>
        `${label} ${f.p50.toFixed(1)}/${f.p99.toFixed(1)} ms ${f.bytes} B cpu ${f.cpu.toFixed(1)}`,
    );
    console.error(`  ${page.name}: ${line.join('; ')}`);
  }
  return out;
}

interface Row {
  database: string;
  size: number;
  entries: number;
  loads: [number, number];
  written: Record<string, number>;
  figures: Map<string, Map<string, Figures>>;
}

async function benchDatabase(database: string, log: ListLog, urls: string[], size: number): Promise<Row> {
  const served: Served[] = [];
  const written: Record<string, number> = {};
  try {
    for (const [i, code] of codes.entries()) {
      const { token, seconds } = await write(code.root, urls[i]!, log);
      written[code.label] = seconds;
      console.error(`${database} ${size}: written by ${code.label} in ${seconds.toFixed(1)} s`);
      const { child, url } = await serveProcess(
        urls[i]!,
        { COUNCILS_FROM_SOURCE: '1' },
        join(code.root, 'bin', 'councils.js'),
      );
      served.push({ code, child, url, token });
    }
    // the first read of the organisation loads its log into the server (replay): not part of a page
    for (const s of served) await get(s, `/orgs/${log.orgId}/transparency`);
    const start = os.loadavg()[0]!;
    const figures = await measure(served, pages(log));
    return {
      database,
      size,
      entries: log.entries.length,
      loads: [start, os.loadavg()[0]!],
      written,
      figures,
    };
  } finally {
    for (const s of served) {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
  }
}

// ---- the run ---------------------------------------------------------------------------------------------------

const rows: Row[] = [];
const loadStart = os.loadavg()[0]!.toFixed(1);
const dir = mkdtempSync(join(os.tmpdir(), 'councils-list-pages-'));
const cluster = has('--sqlite-only') ? undefined : startThrowawayPostgres();
try {
  for (const size of sizes) {
    const t = performance.now();
    const log = listLog(size);
    console.error(
      `${size}: ${log.entries.length} entries made in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    if (!has('--postgres-only'))
      rows.push(
        await benchDatabase(
          'SQLite',
          log,
          codes.map((c) => join(dir, `${c.label}-${size}.db`)),
          size,
        ),
      );
    if (cluster) {
      const dbs = [];
      for (const c of codes) dbs.push(await emptyPostgres(cluster.url, `councils_lists_${c.label}_${size}`));
      try {
        rows.push(
          await benchDatabase(
            'PostgreSQL',
            log,
            dbs.map((d) => d.url),
            size,
          ),
        );
      } finally {
        for (const d of dbs) await d.drop();
      }
    }
  }
} finally {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}

// ---- the report ------------------------------------------------------------------------------------------------

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const kb = (b: number) => (b >= 10_240 ? `${(b / 1024).toFixed(0)} KB` : `${(b / 1024).toFixed(1)} KB`);
const cell = (f: Figures | undefined) =>
  f ? `${ms(f.p50)} / ${ms(f.p99)} · ${kb(f.bytes)} · cpu ${ms(f.cpu)}` : '—';
const before = codes.some((c) => c.label === 'before');
const table = rows.flatMap((r) =>
  [...r.figures].map(([name, byCode]) => {
    const a = byCode.get('after');
    const b = byCode.get('before');
    const ratio = a && b ? `${(b.p50 / a.p50).toFixed(1)}× · ${(b.bytes / a.bytes).toFixed(0)}×` : '—';
    return `| ${r.database} | ${r.size.toLocaleString('en')} | ${name} | ${before ? `${cell(b)} | ` : ''}${cell(a)} | ${ratio} |`;
  }),
);

console.log(`## The paged lists' first pages (issue #18 item 1)

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${loadStart} at the start; ${rows.map((r) => `${r.database} ${r.size.toLocaleString('en')}: ${r.loads.map((l) => l.toFixed(1)).join('–')}`).join(', ')} ·
\`bench/list-pages.bench.ts\`${before ? ` · before: \`${codes.find((c) => c.label === 'before')!.root}\`` : ''}

One organisation per size N, generated (seeded) through the core: N pending requests, N acts carried out by the root
council's committee (each approved with a real Ed25519 signature), N petitions of one council, the first signed by
its N members, a motion with N comments, a payroll of N workers (payslips shown to members), N councils with a
petition each (the transparency report's rows). Its log (${rows
  .map((r) => r.entries.toLocaleString('en'))
  .filter((x, i, a) => a.indexOf(x) === i)
  .join(' / ')} entries) is written by each code's own store into a
database of its own (its schema, its indexes), served by a \`councils serve\` of that code; the pages are read
through HTTP on 127.0.0.1 as the web loads them, the two servers' loads alternating, ${requests} loads each after a
warm-up. Each cell: **p50 / p99 ms · bytes · cpu** (the server's CPU time per load, from /proc). "before ÷ after":
of the p50, and of the bytes. The committees page before fetched the done and the reversed requests whole (it
filtered the committees' acts itself); after, the acts committees carried out, a page.

| database | N | page | ${before ? 'before (whole list) | ' : ''}after (first page) | before ÷ after |
|---|---|---|${before ? '---|' : ''}---|---|
${table.join('\n')}
`);
