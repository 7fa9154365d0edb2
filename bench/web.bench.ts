// The web app's first load on 127.0.0.1: the gzip size of the JS and CSS the first page loads (target < 250 kB),
// and time to interactive in headless Chromium — from navigation start until the sign-in form (anonymous) or
// "My councils" (signed in) can be used — median of several cold loads, each in a fresh browser context (no
// cache). Baseline in the same run: a cold load of a static JSON document from the same server.
// `npx tsx bench/web.bench.ts [--quick]` prints a Markdown section.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebIfStale, webDist } from '../src/web/build-web.ts';
import { chromiumArgs, chromiumPath, federation } from '../test/web/harness.ts';
import { median, startBenchServer } from './support/server.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 15;

function firstPageAssets(): { file: string; raw: number; gzip: number }[] {
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return refs.map((file) => {
    const bytes = readFileSync(join(webDist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

async function timeLoad(browser: Browser, url: string, ready: (p: Page) => Promise<void>, cookie?: string) {
  const context = await browser.newContext({ baseURL: url });
  if (cookie) await context.addCookies([{ name: 'councils_session', value: cookie, url }]);
  const page = await context.newPage();
  await page.goto('/', { waitUntil: 'commit' });
  await ready(page);
  const ms = await page.evaluate(() => performance.now());
  await context.close();
  return ms;
}

await buildWebIfStale({ quiet: true });
const assets = firstPageAssets();
const { url, sessionToken, stop } = await startBenchServer(federation, { name: 'web' });
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });

const anonymous: number[] = [];
const signedIn: number[] = [];
const baseline: number[] = [];
await timeLoad(browser, url, (p) => p.getByRole('button', { name: 'Sign in' }).waitFor()); // warm-up
for (let i = 0; i < runs; i++) {
  anonymous.push(
    await timeLoad(browser, url, async (p) => {
      await p.getByRole('button', { name: 'Sign in' }).waitFor();
    }),
  );
  signedIn.push(
    await timeLoad(
      browser,
      url,
      async (p) => {
        await p.getByRole('heading', { name: 'My councils' }).waitFor();
      },
      sessionToken,
    ),
  );
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${url}/api/v1/openapi.json`, { waitUntil: 'load' });
  baseline.push(await page.evaluate(() => performance.now()));
  await ctx.close();
}
const version = browser.version();
await browser.close();
await stop();

const kb = (n: number) => (n / 1000).toFixed(1);
const total = assets.reduce((s, a) => s + a.gzip, 0);
const base = median(baseline);
const lines = [
  '## Web app: first load',
  '',
  `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}; Node ${process.version}; Chromium ${version}` +
    ` (headless); ${new Date().toISOString().slice(0, 10)}. \`npx tsx bench/web.bench.ts${quick ? ' --quick' : ''}\`.`,
  '',
  '| asset of the first page | bytes | gzip (level 9) |',
  '|---|---:|---:|',
  ...assets.map(
    (a) => `| \`${a.file.replace(/-[A-Za-z0-9_-]{8}\./, '-….')}\` | ${kb(a.raw)} kB | ${kb(a.gzip)} kB |`,
  ),
  `| **total** | ${kb(assets.reduce((s, a) => s + a.raw, 0))} kB | **${kb(total)} kB** (target < 250 kB) |`,
  '',
  `Time to interactive on 127.0.0.1, median of ${runs} cold loads (fresh context, empty cache), from navigation` +
    ' start until the page can be used:',
  '',
  '| page | median | min | max | × baseline |',
  '|---|---:|---:|---:|---:|',
  ...(
    [
      ['sign-in (anonymous: app + GET /me)', anonymous],
      ['my councils (signed in: app + /me + /orgs/:org)', signedIn],
      ['baseline: a static JSON document, same server', baseline],
    ] as const
  ).map(
    ([name, xs]) =>
      `| ${name} | ${median(xs).toFixed(0)} ms | ${Math.min(...xs).toFixed(0)} ms | ${Math.max(...xs).toFixed(0)} ms | ${(median(xs) / base).toFixed(1)} |`,
  ),
];
console.log(lines.join('\n'));
