// What the committees and pay pages fetch for their council and member names and pickers, at 10,101 councils
// (10,000 base councils of one member each under 100 regions), before and after the search pickers (issue #18
// item 1; docs/SCALE.md "Searching for a member or a council"). The requests are those each version of the page
// makes, sent over real HTTP to one server in the same run: before (d7088f7), the whole tree (`GET …/tree`, by
// useWholeOrg) and, on the committees page, every base council's page (the people directory); after, the names of
// the rows shown (`GET …/names`) and, when a picker is used, one search of 10 matches. Both also fetch /me and
// /orgs/:org, which are not counted. Bytes are the response bodies; time is the wall clock of the requests sent one
// after another from a fresh log (the tree's cache is filled by the first run, as in a served page). Baseline:
// GET /health in the same run.
//
// Then the election motion page's candidate picker at a council of 10,000 members, in headless Chromium, before and
// after it searched (the code before is another tree's, `--before DIR`, e.g. the baseline worktree /work/wt/base at
// c0d1710, served by its own server in the same run; without it only after is measured): before, the page loaded
// the council's first 500 members (`GET …/members?limit=500`) into a <select>, and a member past them could not be
// chosen; after, it loads no member and searches the council when a name is typed (10 matches). Time to
// interactive: navigation start until the form can take a candidate (the list filled, or the search box there), a
// median of cold loads (fresh context, empty cache); bytes: the bodies as transferred of every request the page
// made until none had been made for 300 ms (not the live stream), and those of the API. Baseline: a cold load of /api/v1/openapi.json from the same server.
// `npx tsx bench/pickers.bench.ts [--quick] [--before DIR] [--candidate-only]` prints a Markdown section.
import { chromium, type Browser, type Request } from 'playwright-core';
import { organisation } from '../test/support/factory.ts';
import { chromiumArgs, chromiumPath } from '../test/web/harness.ts';
import { codeAt, here, largeCouncil, machine, median, startBenchServer } from './support/server.ts';

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

/** The requests for names and pickers, before and after (the first section). */
async function namesAndPickers() {
  const { api, orgId, headers, stop } = await startBenchServer(founding, { name: 'pickers' });
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
  await stop();

  const base = median(results.get('baseline: GET /health')!.ms);
  const lines = [
    `## Pickers and names at ${(bases + regions + 1).toLocaleString('en')} councils`,
    '',
    `${machine()} SQLite. \`npx tsx bench/pickers.bench.ts${quick ? ' --quick' : ''}\`; median of ${runs} runs.`,
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
}
if (!process.argv.includes('--candidate-only')) await namesAndPickers();

// The election motion page's candidate picker.
const members = quick ? 1_000 : 10_000;
const loads = quick ? 3 : 7;
// Big Works: Zoë last by id, past the first 500 the page loaded before
const council = largeCouncil(organisation, { name: 'Big Council', members, digits: 5 });

/** A server of the code at `root` with the council founded and an election called in it. */
async function electionAt(root: string) {
  await (await codeAt(root)).buildWeb.buildWebIfStale({ quiet: true });
  const s = await startBenchServer(council, { root, name: 'candidate' });
  const res = await fetch(`${s.api}/orgs/${s.orgId}/councils/big/elections`, {
    method: 'POST',
    headers: { ...s.headers, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`election: ${res.status} ${await res.text()}`);
  const { motionId } = (await res.json()) as { motionId: string };
  return { ...s, path: `/motions/${motionId}` };
}

interface Load {
  ms: number;
  bytes: number;
  apiBytes: number;
  /** Whether Zoë (past the first 500 by id) can be chosen, and how long finding her took after typing "zoe". */
  zoe: { offered: boolean; ms: number | null };
}

async function loadElection(browser: Browser, e: Awaited<ReturnType<typeof electionAt>>): Promise<Load> {
  const context = await browser.newContext({ baseURL: e.url });
  await context.addCookies([{ name: 'councils_session', value: e.sessionToken, url: e.url }]);
  const page = await context.newPage();
  // Bytes as sent (the bodies' transferred size) of every request the page finished; the live stream
  // (EventSource) never finishes and is not counted.
  let bytes = 0;
  let apiBytes = 0;
  let pending = 0;
  let lastDone = performance.now();
  const counted = (r: Request) => r.resourceType() !== 'eventsource';
  page.on('request', (r) => {
    if (counted(r)) pending++;
  });
  page.on('requestfailed', (r) => {
    if (!counted(r)) return;
    pending--;
    lastDone = performance.now();
  });
  page.on('requestfinished', (r) => {
    if (!counted(r)) return;
    void r.sizes().then((size) => {
      bytes += size.responseBodySize;
      if (new URL(r.url()).pathname.startsWith('/api/')) apiBytes += size.responseBodySize;
      pending--;
      lastDone = performance.now();
    });
  });
  await page.goto(e.path, { waitUntil: 'commit' });
  // the form can take a candidate: its search box is there, or its list has been filled
  await page.waitForFunction(`(() => {
    const form = document.querySelector('form[aria-label="Stand a candidate"]');
    return form !== null && (form.querySelector('[role="combobox"]') !== null || form.querySelector('select option') !== null);
  })()`);
  const ms = await page.evaluate(() => performance.now());
  // then what the page still loads, until nothing has been asked for 300 ms
  for (const t0 = performance.now(); pending > 0 || performance.now() - lastDone < 300;) {
    if (performance.now() - t0 > 30_000) throw new Error(`${pending} requests still loading after 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const sizes = { bytes, apiBytes };
  const form = page.getByRole('form', { name: 'Stand a candidate' });
  await page.getByRole('button', { name: 'Stand a candidate' }).click();
  let zoe: Load['zoe'];
  if ((await form.locator('select').count()) > 0) {
    zoe = { offered: (await form.locator('option', { hasText: 'Zoë Ångström' }).count()) > 0, ms: null };
  } else {
    const t0 = performance.now();
    await form.getByRole('combobox', { name: 'Candidate', exact: true }).fill('zoe');
    await form.getByRole('option', { name: 'Zoë Ångström' }).waitFor();
    zoe = { offered: true, ms: performance.now() - t0 };
  }
  await context.close();
  return { ms, ...sizes, zoe };
}

const at = process.argv.indexOf('--before');
const trees: [string, string][] = [
  ...(at > 0 ? [[`before (${process.argv[at + 1]!})`, process.argv[at + 1]!] as [string, string]] : []),
  ['after (this tree)', here],
];
const elections = [];
for (const [, root] of trees) elections.push(await electionAt(root));
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const measured = trees.map(() => [] as Load[]);
const openapi: number[] = [];
await loadElection(browser, elections.at(-1)!); // warm-up
for (let i = 0; i < loads; i++) {
  for (const [k, e] of elections.entries()) measured[k]!.push(await loadElection(browser, e));
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${elections.at(-1)!.api}/openapi.json`, { waitUntil: 'load' });
  openapi.push(await page.evaluate(() => performance.now()));
  await ctx.close();
}
const version = browser.version();
await browser.close();
for (const e of elections) await e.stop();

const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const tti = median(openapi);
console.log(
  [
    '',
    `## The election page's candidate picker at a council of ${members.toLocaleString('en')} members`,
    '',
    `${machine()} SQLite; Chromium ${version} (headless); median of ${loads} cold loads each, the trees in turn.`,
    '',
    '| code | time to interactive | × baseline | bytes loaded | of which API | Zoë (past the first 500) | finding her after typing "zoe" |',
    '|---|---:|---:|---:|---:|---|---:|',
    ...trees.map(([name], k) => {
      const xs = measured[k]!;
      const ms = median(xs.map((x) => x.ms));
      const found = xs.map((x) => x.zoe.ms).filter((x) => x !== null);
      return (
        `| ${name} | ${ms.toFixed(0)} ms | ${(ms / tti).toFixed(1)} | ${kb(median(xs.map((x) => x.bytes)))} | ` +
        `${kb(median(xs.map((x) => x.apiBytes)))} | ${xs[0]!.zoe.offered ? 'offered' : 'cannot be chosen'} | ` +
        `${found.length > 0 ? `${median(found).toFixed(0)} ms` : '—'} |`
      );
    }),
    `| baseline: a cold load of /api/v1/openapi.json | ${tti.toFixed(0)} ms | 1.0 | | | | |`,
  ].join('\n'),
);
