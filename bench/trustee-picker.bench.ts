// What the council page's trustee picker fetches at a council of 1,000 members (issue #18 item 1; docs/WEB.md
// "Pickers"), over real HTTP to one server. Before (dfd761e), the picker listed the members the council's page
// carried (its first 100 by id) and fetched nothing more: a member past them could not be a trustee. After, a
// council whose page holds them all is listed as before, and a larger one is searched within the council
// (`GET …/councils/:council/members?q=`, 10 matches) once per text typed. `--root DIR` runs the same requests
// against the code in DIR (e.g. the baseline worktree), whose server answers the search as it does (a 400 before).
// Bytes are the response bodies; time the median wall clock of each request. Baseline: GET /health in the same run.
// `npx tsx bench/trustee-picker.bench.ts [--root DIR]` prints a Markdown table.
import { codeAt, largeCouncil, machine, median, rootArg, startBenchServer } from './support/server.ts';

const root = rootArg();
const { organisation } = (await codeAt(root)).factory;

const runs = 7;
const size = 1_000;

// Big Works: 998 members and Zoë, last by id (past the 100 members the council's page carries)
const founding = largeCouncil(organisation, {
  name: 'Large Council',
  members: size - 1,
  digits: 4,
  more: {
    councils: [{ id: 'small', name: 'Small Works', parentId: 'fed', seatsInParent: 1 }],
    founders: [{ memberId: 'solo', name: 'Solo Member', councilId: 'small' }],
  },
});

const { api, orgId, headers, stop } = await startBenchServer(founding, { root, name: 'trustee' });
const council = `/orgs/${orgId}/councils/big`;

async function get(path: string) {
  const t0 = performance.now();
  const res = await fetch(`${api}${path}`, { headers });
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
await stop();

const base = median(results.get('baseline: GET /health')!.ms);
console.log(
  [
    `## The council page's trustee picker at a council of ${size.toLocaleString('en')} members (${root})`,
    '',
    `${machine()} SQLite; median of ${runs}.`,
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
