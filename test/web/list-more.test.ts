// Lists that come a page at a time in the browser (issue #18 item 1, docs/WEB.md "Lists the web app loads"): a
// motion's debate shows its first 100 comments and "More" the rest, oldest first; a payroll's payslips the first
// 100 and "More" the next page; the last page has no "More". A council's petitions page on too, and a page "More"
// asked for while the list was reloading is not added to the reloaded list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { withInstantProcedure } from '../support/factory.ts';
import type { Route } from 'playwright-core';
import {
  Api,
  assertAccessible,
  federation,
  joinByApi,
  password,
  personPage,
  startWeb,
  type WebFixture,
} from './harness.ts';

const scheme = JSON.parse(readFileSync('examples/pay/current-scheme.json', 'utf8')) as unknown;
const workforce = (n: number) =>
  ['id,grade,hours,output', ...Array.from({ length: n }, (_, i) => `w${1000 + i},${1 + (i % 8)},160,1`)].join(
    '\n',
  ) + '\n';

describe('"More" under a paged list', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb({
      ...federation,
      constitution: withInstantProcedure({ payVisibility: 'individuals' }),
    });
  });
  after(async () => {
    await f?.close();
  });

  test('a motion\'s debate: 100 comments, then "More" loads the rest in the order they were posted', async () => {
    const page = await personPage(f);
    const ana = await joinByApi(f, page, 'ana');
    const { motionId } = await ana.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Longer breaks',
      text: 'Twenty minutes.',
    });
    for (let i = 0; i < 104; i++)
      await ana.post(`/motions/${motionId}/comments`, { text: `Point ${i}.`, stance: 'neutral' });
    await page.goto(`/motions/${motionId}`);
    const comments = page.locator('li.comment');
    await page.getByText('Point 99.', { exact: true }).waitFor();
    assert.equal(await comments.count(), 100);
    assert.equal(await page.getByText('Point 100.', { exact: true }).count(), 0);
    await assertAccessible(page, 'a debate with more comments to load');
    // A comment posted meanwhile comes at the end, once.
    await ana.post(`/motions/${motionId}/comments`, { text: 'Point 104.', stance: 'neutral' });
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByText('Point 104.', { exact: true }).waitFor();
    assert.equal(await comments.count(), 105);
    const texts = await comments.locator('p:first-child').allInnerTexts();
    assert.deepEqual(
      texts,
      Array.from({ length: 105 }, (_, i) => `Point ${i}.`),
    );
    // Once the live page has read the motion again, "More" goes on after the last comment shown.
    await ana.post(`/motions/${motionId}/comments`, { text: 'Point 105.', stance: 'neutral' });
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByText('Point 105.', { exact: true }).waitFor();
    assert.deepEqual(
      await comments.locator('p:first-child').allInnerTexts(),
      Array.from({ length: 106 }, (_, i) => `Point ${i}.`),
    );
  });

  test('a payroll\'s payslips: the first 100, then "More" loads the next page', async () => {
    const page = await personPage(f);
    const apis = [
      await joinByApi(f, page, 'ben'),
      await joinByApi(f, await personPage(f), 'cai'),
      await joinByApi(f, await personPage(f), 'dan').catch(() => null),
    ];
    const [ben, cai] = apis as [NonNullable<(typeof apis)[0]>, NonNullable<(typeof apis)[0]>];
    const upload = await page.request.post(`/api/v1/orgs/${f.orgId}/councils/docks/pay/workforce`, {
      data: workforce(130),
      headers: { 'content-type': 'text/csv', 'x-csrf-token': ben.csrf },
    });
    assert.equal(upload.status(), 201, await upload.text());
    const { motionId } = await ben.post<{ motionId: string }>('/councils/docks/pay/motions', {
      title: 'The tariff',
      text: '',
      scheme,
    });
    await ben.post(`/motions/${motionId}/vote`, {});
    const { voteId } = await ben.get<{ voteId: string }>(`/motions/${motionId}`);
    // ana joined in the test before; Docks' three members adopt it (ana signs in again in her own page)
    const anaPage = await personPage(f);
    const r = await anaPage.request.post('/api/v1/session', {
      data: { email: 'ana@example.org', password: 'correct horse battery' },
    });
    const anaCsrf = ((await r.json()) as { csrfToken: string }).csrfToken;
    for (const [p, csrf] of [
      [page, ben.csrf],
      [cai.page, cai.csrf],
      [anaPage, anaCsrf],
    ] as const) {
      const cast = await p.request.post(`/api/v1/orgs/${f.orgId}/votes/${voteId}/ballots`, {
        data: { choice: 'a1' },
        headers: { 'x-csrf-token': csrf },
      });
      assert.ok(cast.ok(), await cast.text());
    }
    await page.goto('/councils/docks/pay');
    const run = page.getByRole('form', { name: 'Run the payroll' });
    await run.getByLabel('Period').fill('2026-11');
    await run.getByRole('button', { name: 'Run' }).click();
    const table = page.getByRole('table', { name: /^Payslips/ });
    await table.getByRole('rowheader', { name: 'w1099', exact: true }).waitFor();
    assert.equal(await table.locator('tbody tr').count(), 100);
    await page.getByText('Payslips (the first 100 of 130; download them all as CSV)').waitFor();
    await page.getByRole('button', { name: 'More' }).click();
    await table.getByRole('rowheader', { name: 'w1129', exact: true }).waitFor();
    assert.deepEqual(
      await table.locator('tbody th').allInnerTexts(),
      Array.from({ length: 130 }, (_, i) => `w${1000 + i}`),
    );
    assert.equal(await page.getByRole('button', { name: 'More' }).count(), 0);
    await assertAccessible(page, 'payslips after "More"');
  });

  test('a council\'s petitions: "More" pages on, and a page asked for while the list reloads is not added to it', async () => {
    const page = await personPage(f);
    // Ana joined in the first test (she joins here when this test runs alone)
    const session = await page.request.post('/api/v1/session', {
      data: { email: 'ana@example.org', password },
    });
    const signedIn = (await session.json()) as { csrfToken: string; memberId: string };
    const ana = session.ok()
      ? new Api(page, f.orgId, signedIn.csrfToken, signedIn.memberId)
      : await joinByApi(f, page, 'ana');
    for (let i = 0; i < 5; i++)
      await ana.post('/petitions', { kind: 'agenda', councilId: 'docks', title: `Petition ${i}`, text: '' });
    // Pages of 2 (the app asks for 100); the answers held while `held` is set. No live stream: the list reloads
    // only when the test says (the form's own reload), so no other reload can drop the late page for it.
    let held: { route: Route; url: URL; deliver: () => Promise<void> }[] | null = null;
    await page.route(/\/live$/, (route) => route.abort());
    await page.route(/\/api\/v1\/orgs\/[^/]+\/petitions\?/, async (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '2');
      const response = await route.fetch({ url: url.toString() });
      const deliver = () => route.fulfill({ response });
      if (held) held.push({ route, url, deliver });
      else await deliver();
    });
    const section = page.locator('section[aria-labelledby="petitions"]');
    const titles = () => section.locator('.petition strong').allInnerTexts();
    const more = section.getByRole('button', { name: 'More' });
    await page.goto('/councils/docks');
    await section.getByText('Petition 3', { exact: true }).waitFor();
    assert.deepEqual(await titles(), ['Petition 4', 'Petition 3']);
    await more.click();
    await section.getByText('Petition 1', { exact: true }).waitFor();
    assert.deepEqual(await titles(), ['Petition 4', 'Petition 3', 'Petition 2', 'Petition 1']);

    // Ana starts a petition: the list reads its first page again. "More" is pressed before that page has come, and
    // its page comes after it.
    held = [];
    const waiting = held;
    const heldCount = async (n: number) => {
      while (waiting.length < n) await new Promise((r) => setTimeout(r, 20));
    };
    await section.getByRole('button', { name: 'Start a petition' }).click();
    const form = section.getByRole('form', { name: 'Start a petition' });
    await form.getByLabel('Title', { exact: true }).fill('Petition 5');
    await form.getByLabel('Text', { exact: true }).fill('Put it on the agenda.');
    await form.getByRole('button', { name: 'Start the petition' }).click();
    await heldCount(1);
    assert.equal(waiting[0]!.url.searchParams.get('after'), null, 'the first page, read again');
    await more.click();
    await heldCount(2);
    assert.notEqual(waiting[1]!.url.searchParams.get('after'), null, 'the page after the old list');
    held = null;
    await waiting[0]!.deliver();
    await section.getByText('Petition 5', { exact: true }).waitFor();
    await waiting[1]!.deliver();
    // the late page handled: "More" no longer busy (or gone, had the page been added)
    await section.locator('button.more:disabled').waitFor({ state: 'detached' });
    assert.deepEqual(await titles(), ['Petition 5', 'Petition 4'], 'the reloaded list alone');
    // "More" goes on after the reloaded list's last row: every petition once, newest first
    while ((await more.count()) > 0) {
      const shown = (await titles()).length;
      await more.click();
      await section.locator('.petition').nth(shown).waitFor();
    }
    assert.deepEqual(
      await titles(),
      [5, 4, 3, 2, 1, 0].map((i) => `Petition ${i}`),
    );
  });
});
