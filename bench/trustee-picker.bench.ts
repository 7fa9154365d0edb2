// What the council page's trustee picker fetches at a council of 1,000 members (issue #18 item 1; docs/WEB.md
// "Pickers"), over real HTTP to one server. Before (dfd761e), the picker listed the members the council's page
// carried (its first 100 by id) and fetched nothing more: a member past them could not be a trustee. After, a
// council whose page holds them all is listed as before, and a larger one is searched within the council
// (`GET …/councils/:council/members?q=`, 10 matches) once per text typed. `--root DIR` runs the same requests
// against the code in DIR (e.g. the baseline worktree), whose server answers the search as it does (a 400 before).
// Bytes are the response bodies; time the median wall clock of each request. Baseline: GET /health in the same run.
// `npx tsx bench/trustee-picker.bench.ts [--root DIR]` prints a Markdown table.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const at = process.argv.indexOf('--root');
const root = resolve(at > 0 ? process.argv[at + 1]! : join(import.meta.dirname, '..'));
const from = (path: string) => import(pathToFileURL(join(root, path)).href);
const { startServer } = await from('src/cli/commands/serve.ts');
const { openDatabase } = await from('src/store/database.ts');
const { organisation } = await from('test/support/factory.ts');
const { password } = await from('test/web/harness.ts');

const runs = 7;
const size = 1_000;

const founding = organisation({
  name: 'Large Council',
  councils: [
    { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
    { id: 'big', name: 'Big Works', parentId: 'fed', seatsInParent: 1 },
    { id: 'small', name: 'Small Works', parentId: 'fed', seatsInParent: 1 },
  ],
  founders: [
    ...Array.from({ length: size - 2 }, (_, i) => ({
      memberId: `m${String(i).padStart(4, '0')}`,
      name: `Member ${String(i).padStart(4, '0')}`,
      councilId: 'big',
    })),
    // last by id: past the 100 members the council's page carries
    { memberId: 'zz-zoe', name: 'Zoë Ångström', councilId: 'big' },
    { memberId: 'solo', name: 'Solo Member', councilId: 'small' },
  ],
  invitations: [{ name: 'Ana Ruiz', councilId: 'big' }],
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const dir = mkdtempSync(join(os.tmpdir(), 'councils-trustee-bench-'));
const server = await startServer({
  db: await openDatabase(join(dir, 'bench.db')),
  host: '127.0.0.1',
  port: 0,
  schedulerMs: 60_000,
  keyDir: join(dir, 'keys'),
});
const { orgId, invitations } = await server.service.foundWithInvitations(founding);
const accepted = await server.service.acceptInvitation(invitations[0]!.token, {
  email: 'ana@example.org',
  password,
});
const headers = { cookie: `councils_session=${accepted.sessionToken}` };
const council = `/orgs/${orgId}/councils/big`;

async function get(path: string) {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1${path}`, { headers });
  const body = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(body), ms: performance.now() - t0, body };
}

const sets: [string, string][] = [
  ["the council's page (the picker's list before: its members)", council],
  ['a search within the council: "zo"', `${council}/members?q=zo&limit=10`],
  ['a search within the council: "member 09"', `${council}/members?q=member%2009&limit=10`],
  ['baseline: GET /health', '/health'],
];
const results = new Map<string, { status: number; bytes: number; ms: number[] }>();
for (let i = 0; i < runs; i++)
  for (const [name, path] of sets) {
    const r = await get(path);
    const entry = results.get(name) ?? { status: r.status, bytes: r.bytes, ms: [] };
    entry.ms.push(r.ms);
    results.set(name, entry);
  }
const page = JSON.parse((await get(council)).body) as { members: unknown[]; membersNext: string | null };
await server.stop();
rmSync(dir, { recursive: true, force: true });

const base = median(results.get('baseline: GET /health')!.ms);
console.log(
  [
    `## The council page's trustee picker at a council of ${size.toLocaleString('en')} members (${root})`,
    '',
    `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}; Node ${process.version}; ` +
      `${new Date().toISOString().slice(0, 16)}Z; load average ${os.loadavg()[0]!.toFixed(1)}. SQLite; median of ${runs}.`,
    `The council's page carries ${page.members.length} members (next page: ${page.membersNext === null ? 'none' : 'yes'}).`,
    '',
    '| request | status | bytes | median | × baseline |',
    '|---|---:|---:|---:|---:|',
    ...sets.map(([name]) => {
      const r = results.get(name)!;
      const ms = median(r.ms);
      return `| ${name} | ${r.status} | ${r.bytes.toLocaleString('en')} | ${ms.toFixed(1)} ms | ${(ms / base).toFixed(0)} |`;
    }),
  ].join('\n'),
);
