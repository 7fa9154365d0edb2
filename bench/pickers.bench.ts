// What the committees and pay pages fetch for their council and member names and pickers, at 10,101 councils
// (10,000 base councils of one member each under 100 regions), before and after the search pickers (issue #18
// item 1; docs/SCALE.md "Searching for a member or a council"). The requests are those each version of the page
// makes, sent over real HTTP to one server in the same run: before (d7088f7), the whole tree (`GET …/tree`, by
// useWholeOrg) and, on the committees page, every base council's page (the people directory); after, the names of
// the rows shown (`GET …/names`) and, when a picker is used, one search of 10 matches. Both also fetch /me and
// /orgs/:org, which are not counted. Bytes are the response bodies; time is the wall clock of the requests sent one
// after another from a fresh log (the tree's cache is filled by the first run, as in a served page). Baseline:
// GET /health in the same run. `npx tsx bench/pickers.bench.ts [--quick]` prints a Markdown section.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/cli/commands/serve.ts';
import { openDatabase } from '../src/store/database.ts';
import { organisation } from '../test/support/factory.ts';
import { password } from '../test/web/harness.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 7;
const regions = 100;
const bases = quick ? 1_000 : 10_000;

const founding = organisation({
  name: 'Wide Federation',
  councils: [
    { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
    ...Array.from({ length: regions }, (_, r) => ({
      id: `r${r}`,
      name: `Region ${r}`,
      parentId: 'fed',
      seatsInParent: 1,
    })),
    ...Array.from({ length: bases }, (_, b) => ({
      id: `b${b}`,
      name: `Workplace ${b}`,
      parentId: `r${b % regions}`,
      seatsInParent: 1,
    })),
  ],
  founders: Array.from({ length: bases }, (_, b) => ({
    memberId: `m${b}`,
    name: `Worker ${b}`,
    councilId: `b${b}`,
  })),
  invitations: [{ name: 'Ana Ruiz', councilId: 'b0' }],
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const dir = mkdtempSync(join(os.tmpdir(), 'councils-pickers-bench-'));
const server = await startServer({
  db: await openDatabase(join(dir, 'bench.db')),
  host: '127.0.0.1',
  port: 0,
  schedulerMs: 60_000,
  keyDir: join(dir, 'keys'),
} as Parameters<typeof startServer>[0]);
const { orgId, invitations } = await server.service.foundWithInvitations(founding);
const accepted = await server.service.acceptInvitation(invitations[0]!.token, {
  email: 'ana@example.org',
  password,
});
const headers = { cookie: `councils_session=${accepted.sessionToken}` };
const api = `${server.url}/api/v1`;
const org = `/orgs/${orgId}`;

/** Sends the paths one after another; the bytes of their bodies and the milliseconds they took. */
async function fetchAll(paths: readonly string[]) {
  const t0 = performance.now();
  let bytes = 0;
  for (const path of paths) {
    const res = await fetch(`${api}${path}`, { headers });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    bytes += (await res.arrayBuffer()).byteLength;
  }
  return { bytes, ms: performance.now() - t0 };
}

const baseCouncils = Array.from({ length: bases }, (_, b) => `b${b}`);
const sets: [string, string[]][] = [
  ['pay page, before: the whole tree', [`${org}/tree`]],
  ["pay page, after: its council's name", [`${org}/names?councils=b17`]],
  [
    "committees page, before: the whole tree and every base council's page",
    [`${org}/tree`, ...baseCouncils.map((c) => `${org}/councils/${c}`)],
  ],
  [
    'committees page, after: the names shown and one search of each picker',
    [
      `${org}/names?members=m1,m2,m3&councils=b1,b2`,
      `${org}/councils?q=workplace%2012&limit=10`,
      `${org}/members?q=worker%2012&limit=10`,
    ],
  ],
  ['baseline: GET /health', ['/health']],
];
const results = new Map<string, { bytes: number; ms: number[] }>();
for (let i = 0; i < runs; i++)
  for (const [name, paths] of sets) {
    const r = await fetchAll(paths);
    const entry = results.get(name) ?? { bytes: r.bytes, ms: [] };
    entry.ms.push(r.ms);
    results.set(name, entry);
  }
await server.stop();
rmSync(dir, { recursive: true, force: true });

const base = median(results.get('baseline: GET /health')!.ms);
const lines = [
  `## Pickers and names at ${(bases + regions + 1).toLocaleString('en')} councils`,
  '',
  `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}; Node ${process.version}; ` +
    `${new Date().toISOString().slice(0, 16)}Z; load average ${os.loadavg()[0]!.toFixed(1)}. ` +
    `SQLite. \`npx tsx bench/pickers.bench.ts${quick ? ' --quick' : ''}\`; median of ${runs} runs.`,
  '',
  '| requests a page load makes for names and pickers | requests | bytes | median | × baseline |',
  '|---|---:|---:|---:|---:|',
  ...sets.map(([name, paths]) => {
    const r = results.get(name)!;
    const ms = median(r.ms);
    return `| ${name} | ${paths.length.toLocaleString('en')} | ${r.bytes.toLocaleString('en')} | ${ms.toFixed(1)} ms | ${(ms / base).toFixed(0)} |`;
  }),
];
console.log(lines.join('\n'));
