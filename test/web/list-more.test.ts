// Lists that come a page at a time in the browser (issue #18 item 1, docs/WEB.md "Lists the web app loads"): a
// motion's debate shows its first 100 comments and "More" the rest, oldest first; a payroll's payslips the first
// 100 and "More" the next page; the last page has no "More".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { withInstantProcedure } from '../support/factory.ts';
import { assertAccessible, federation, joinByApi, personPage, startWeb, type WebFixture } from './harness.ts';

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
});
