// What every browser test needs: the app built (dist/web), a fresh server on port 0 with its own SQLite file and
// a founded organisation, Chromium's headless shell driven by playwright-core, axe-core, and screenshots for the docs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/cli/commands/serve.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { Clock } from '../../src/store/ledger.ts';
import { buildWebIfStale } from '../../src/web/build-web.ts';
import { organisation } from '../support/factory.ts';
import { testPasswordHashCost } from '../support/password-cost.ts';
import { repoRoot } from '../support/paths.ts';

export const password = 'correct horse battery';
/** Debian's Chromium, as members run it: what the benchmarks drive (bench/*.bench.ts). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * What the tests drive: Chromium's headless shell (Debian's `chromium-headless-shell`, the same version's Blink and
 * V8 without the browser's windows), as Playwright does by default, when it is installed (`.ci/run` installs it);
 * otherwise the browser above. The full browser in headless mode costs ≈ 1 s of CPU more for each browser context
 * (a window with its omnibox pop-up, a WebUI page in a renderer of its own) and more for each page it shows
 * (docs/ARCHITECTURE.md "Tests"). CHROMIUM_PATH chooses either.
 */
const headlessShell = '/usr/bin/chromium-headless-shell';
const testChromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync(headlessShell) ? headlessShell : chromiumPath);
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const federation = organisation({
  name: 'Harbour Workers Federation',
  councils: [
    { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
    { id: 'docks', name: 'Dockworkers', parentId: 'fed', seatsInParent: 1 },
    { id: 'cranes', name: 'Crane Operators', parentId: 'fed', seatsInParent: 1 },
  ],
  founders: [],
  invitations: [
    { name: 'Ana Ruiz', councilId: 'docks' },
    { name: 'Ben Adeyemi', councilId: 'docks' },
    { name: 'Cai Wong', councilId: 'docks' },
    { name: 'Dan Novak', councilId: 'cranes' },
  ],
});

export interface WebFixture {
  server: RunningServer;
  url: string;
  orgId: string;
  /** Invitation tokens by first name in lower case ("ana", "ben", …). */
  tokens: Record<string, string>;
  browser: Browser;
  close(): Promise<void>;
}

/** `founding`: the organisation to found (the federation above unless a test needs another). */
export async function startWeb(
  founding: typeof federation & { constitution?: unknown } = federation,
  options: { clock?: Clock; webhooksAllowPrivate?: boolean } = {},
): Promise<WebFixture> {
  await buildWebIfStale({ quiet: true });
  const dir = mkdtempSync(join(tmpdir(), 'councils-web-'));
  const db = await openDatabase(join(dir, 'councils.db'));
  // keyDir: where the server keeps the record's signing key (a fresh one per test server).
  const server = await startServer({
    db,
    host: '127.0.0.1',
    port: 0,
    schedulerMs: 60_000,
    keyDir: join(dir, 'keys'),
    // members' passwords hashed at the tests' argon2id cost, the operator's setting (test/support/password-cost.ts)
    passwordHash: testPasswordHashCost,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.webhooksAllowPrivate ? { webhooksAllowPrivate: true } : {}),
  } as Parameters<typeof startServer>[0]);
  const { orgId, invitations } = await server.service.foundWithInvitations(
    founding as Parameters<typeof server.service.foundWithInvitations>[0],
  );
  const tokens: Record<string, string> = {};
  for (const i of invitations) tokens[i.name.split(' ')[0]!.toLowerCase()] = i.token;
  const browser = await chromium.launch({ executablePath: testChromiumPath, args: chromiumArgs });
  return {
    server,
    url: server.url,
    orgId,
    tokens,
    browser,
    close: async () => {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A browser context for one person; page errors fail the test. */
export async function personPage(f: WebFixture, viewport = { width: 1200, height: 900 }): Promise<Page> {
  const context: BrowserContext = await f.browser.newContext({ baseURL: f.url, viewport });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

/** Accepts `who`'s invitation through the API from inside the page's context (so the cookie is the page's). */
export async function joinByApi(f: WebFixture, page: Page, who: string): Promise<Api> {
  const r = await page.request.post(`/api/v1/invitations/${f.tokens[who]}/accept`, {
    data: { email: `${who}@example.org`, password },
  });
  assert.equal(r.status(), 201, await r.text());
  const { csrfToken, memberId } = (await r.json()) as { csrfToken: string; memberId: string };
  return new Api(page, f.orgId, csrfToken, memberId);
}

/** The public API as one signed-in person, for setting a scene quickly (what the test proves is done in the UI). */
export class Api {
  constructor(
    readonly page: Page,
    readonly orgId: string,
    readonly csrf: string,
    readonly memberId: string,
  ) {}
  async post<T = any>(path: string, data: unknown = {}): Promise<T> {
    const r = await this.page.request.post(`/api/v1/orgs/${this.orgId}${path}`, {
      data,
      headers: { 'x-csrf-token': this.csrf },
    });
    assert.ok(r.ok(), `POST ${path}: ${r.status()} ${await r.text()}`);
    return (await r.json()) as T;
  }
  async get<T = any>(path: string): Promise<T> {
    const r = await this.page.request.get(`/api/v1/orgs/${this.orgId}${path}`);
    assert.ok(r.ok(), `GET ${path}: ${r.status()} ${await r.text()}`);
    return (await r.json()) as T;
  }
}

/**
 * Chooses in a search picker (components/search-picker.tsx): types `text` into the combobox labelled `label` and
 * clicks the match named `option` once the search has shown it.
 */
export async function pick(
  scope: Page | Locator,
  label: string,
  text: string,
  option: string,
): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).fill(text);
  await scope.getByRole('option', { name: option }).click();
}

export async function signInByUi(page: Page, who: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(`${who}@example.org`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My councils' }).waitFor();
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeServed: Promise<string> | undefined;

/**
 * axe-core's address on a loopback server of this test process, started at the first check. A page loads it as a
 * script the browser may keep (immutable), so each check after a context's first compiles it from Chromium's code
 * cache instead of from 650 kB of source sent over the DevTools protocol and parsed anew (≈ 0.07 s less CPU a check;
 * docs/ARCHITECTURE.md "Tests"). The same file, run the same way.
 */
function axeUrl(): Promise<string> {
  axeServed ??= new Promise((resolve, reject) => {
    const body = readFileSync(axePath);
    const server = createServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
        connection: 'close',
      });
      response.end(body);
    });
    server.unref(); // it does not keep the test process alive
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/axe.min.js`),
    );
  });
  return axeServed;
}

/** Runs axe-core on the page; fails on any serious or critical violation, naming it and where. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ url: await axeUrl() });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o?: unknown): Promise<any> } }).axe;
    const r = await axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')),
    }));
  });
  const bad = violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${what}: axe-core found ${JSON.stringify(bad, null, 2)}`);
}

const shots = join(repoRoot, 'docs', 'screenshots');

/**
 * Saves the page for docs/screenshots (the README shows them) when COUNCILS_SCREENSHOTS=1; otherwise it still
 * renders the image, so a page that cannot be drawn fails the test, but leaves the committed files alone.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.COUNCILS_SCREENSHOTS !== '1') {
    await page.screenshot({ fullPage: true, animations: 'disabled' });
    return;
  }
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true, animations: 'disabled' });
}
