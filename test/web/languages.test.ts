// Every page in every language: opened by a browser whose language is English, Spanish or Russian (so the app
// starts in it from navigator.languages), each page must say no English sentence of the catalogue that its
// language words otherwise, leave no placeholder unfilled, carry its own <title> and be axe-clean. The switcher
// changes the language at once and a signed-in member's choice is kept by the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { catalogues, type Locale } from '../../src/i18n/index.ts';
import { assertAccessible, joinByApi, password, screenshot, startWeb, type WebFixture } from './harness.ts';

const browserLanguage: Record<Locale, string> = { en: 'en-GB', es: 'es-ES', ru: 'ru-RU' };

/** English sentences that a page in `locale` must not show: those the catalogue words otherwise there. */
function englishOnly(locale: Locale): string[] {
  if (locale === 'en') return [];
  const theirs = catalogues[locale] as Readonly<Record<string, string>>;
  return Object.entries(catalogues.en as Readonly<Record<string, string>>)
    .filter(([key, en]) => !/[{}'#]/.test(en) && en.length >= 12 && theirs[key] !== en)
    .map(([, en]) => en);
}

async function signIn(page: Page, who: string): Promise<void> {
  const r = await page.request.post('/api/v1/session', { data: { email: `${who}@example.org`, password } });
  assert.equal(r.status(), 201, await r.text());
}

async function checkPage(page: Page, locale: Locale, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('main h1').first().waitFor();
  // the page's data has arrived: no "Loading…" left
  await page.waitForFunction(
    (loading) => !(globalThis as any).document.querySelector('main')?.innerText.includes(loading),
    (catalogues[locale] as Record<string, string>).loading,
  );
  const text = await page.locator('body').innerText();
  assert.equal(await page.evaluate(() => (globalThis as any).document.documentElement.lang), locale, path);
  const title = await page.title();
  assert.match(title, /^.+ — Councils$/, `${locale} ${path}: title ${title}`);
  const leftovers = englishOnly(locale).filter((en) => text.includes(en));
  assert.deepEqual(leftovers, [], `${locale} ${path}: English sentences on the page`);
  assert.doesNotMatch(
    text,
    /\{[a-zA-Z]+(, (plural|number)[^}]*)?\}/,
    `${locale} ${path}: a placeholder unfilled`,
  );
  await assertAccessible(page, `${locale} ${path}`);
}

describe('every page in every language', () => {
  let f: WebFixture;
  let motionPath: string;
  let petitionPath: string;
  let requestPath: string;
  before(async () => {
    f = await startWeb();
    const setup = await f.browser.newContext({ baseURL: f.url });
    const page = await setup.newPage();
    const ana = await joinByApi(f, page, 'ana');
    const { motionId } = await ana.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Lockers for the night crew',
      text: 'Forty lockers by the east gate.',
      alternatives: [{ title: 'Forty lockers', text: '' }],
    });
    await ana.post(`/motions/${motionId}/comments`, { stance: 'for', text: 'Long overdue.' });
    motionPath = `/motions/${motionId}`;
    const { petitionId } = await ana.post<{ petitionId: string }>('/petitions', {
      kind: 'agenda',
      councilId: 'docks',
      title: 'A kettle in the break room',
      text: 'Put it on the agenda.',
    });
    petitionPath = `/petitions/${petitionId}`;
    const ben = await joinByApi(f, await (await f.browser.newContext({ baseURL: f.url })).newPage(), 'ben');
    const { requestId } = await ana.post<{ requestId: string }>('/requests', {
      kind: 'expel_member',
      content: { memberId: ben.memberId, reason: 'never came' },
    });
    requestPath = `/requests/${requestId}`;
    // Fay is invited and accepts: the council page shows her admission, waiting for approvals.
    const { token } = await ana.post<{ token: string }>('/councils/docks/invitations', { name: 'Fay Lind' });
    const fay = await (await f.browser.newContext({ baseURL: f.url })).newPage();
    const joined = await fay.request.post(`/api/v1/invitations/${token}/accept`, {
      data: { email: 'fay@example.org', password },
    });
    assert.equal(joined.status(), 201, await joined.text());
    await setup.close();
  });
  after(async () => {
    await f?.close();
  });

  for (const locale of ['en', 'es', 'ru'] as const) {
    test(`${locale}: signed out, signed in, every page`, async () => {
      const context = await f.browser.newContext({ baseURL: f.url, locale: browserLanguage[locale] });
      const page = await context.newPage();
      page.on('pageerror', (e) => {
        throw e;
      });
      await checkPage(page, locale, '/sign-in');
      await checkPage(page, locale, `/invite/${f.tokens.cai}`);
      await checkPage(page, locale, '/forgot-password');
      await checkPage(page, locale, `/reset/${'x'.repeat(43)}`);
      await checkPage(page, locale, `/confirm-email/${'x'.repeat(43)}`);
      // Cai and Dan join here; Ana joined in the set-up and signs in (Dan sits in another council: every page
      // below is open to any member).
      if (locale === 'ru') await signIn(page, 'ana');
      else await joinByApi(f, page, locale === 'en' ? 'cai' : 'dan');
      for (const path of [
        '/',
        '/tree',
        '/councils/docks',
        '/councils/docks/pay',
        motionPath,
        '/record',
        '/transparency',
        '/receipts',
        '/requests',
        requestPath,
        petitionPath,
        '/committees',
        '/key',
        '/record/settings',
        '/account',
        '/no/such/page',
      ])
        await checkPage(page, locale, path);
      // The parts of pages that came later: a motion's timeline and a council's admissions, in this language.
      const words = catalogues[locale] as Record<string, string>;
      await page.goto(motionPath);
      await page.locator('section.timeline').getByRole('heading', { name: words.timeline }).waitFor();
      await page.goto('/councils/docks');
      await page.getByRole('heading', { name: words.admissionsTitle }).waitFor();
      await page.locator('.admission-awaiting_approvals').first().waitFor();
      await page.goto('/councils/docks');
      await page.locator('main h1').first().waitFor();
      await screenshot(page, `council-${locale}`);
      await context.close();
    });
  }

  test('the switcher changes the language at once; a member’s choice follows them to a new browser', async () => {
    const context = await f.browser.newContext({ baseURL: f.url, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, 'ben');
    await page.goto('/tree');
    await page.getByRole('heading', { name: /Council tree of/ }).waitFor();
    // the choice is saved on the server (PUT /me/locale): waited for from before the change, so that it is not missed
    // (the PUT's answer whatever it is: a refusal fails here at once instead of waiting out the timeout)
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/me/locale') && r.request().method() === 'PUT',
    );
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('heading', { name: /Дерево советов/ }).waitFor();
    assert.match(await page.title(), /^Дерево советов: .+ — Councils$/);
    assert.match(await page.locator('nav').first().innerText(), /Журнал/);
    // A fresh browser whose own language is English: the server's preference wins once Ben signs in.
    const put = await saved;
    assert.ok(put.ok(), `PUT /me/locale answered ${put.status()}`);
    const other = await f.browser.newContext({ baseURL: f.url, locale: 'en-US' });
    const again = await other.newPage();
    await signIn(again, 'ben');
    await again.goto('/tree');
    await again.getByRole('heading', { name: /Дерево советов/ }).waitFor();
    await other.close();
    await context.close();
  });
});
