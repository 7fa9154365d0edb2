// Pay in the browser (docs/WEB.md "Pay"): import the workforce, propose a new scheme, see its projected effect
// on the motion page before the vote (who gains, who loses, every measure, the Lorenz curves), vote, see it
// adopted, and run the payroll with its report and Lorenz chart; axe-core clean, on a desktop and a phone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  joinByApi,
  personPage,
  screenshot,
  startWeb,
  type Api,
  type WebFixture,
} from './harness.ts';

const current = JSON.parse(readFileSync('examples/pay/current-scheme.json', 'utf8')) as unknown;
const proposed = readFileSync('examples/pay/proposed-scheme.json', 'utf8');
const workers = readFileSync('examples/pay/workers.csv', 'utf8');

async function castChoice(page: Page, option: string) {
  const form = page.getByRole('form', { name: 'Vote' });
  await form.getByLabel(option, { exact: true }).check();
  await form.getByRole('button', { name: 'Cast my ballot' }).click();
  await page
    .getByText('You have voted.')
    .or(page.getByRole('heading', { name: 'Result' }))
    .first()
    .waitFor();
}

/** Adopts `scheme` in Docks by the API: the scene before the test's own proposal. */
async function adoptByApi(apis: Api[], scheme: unknown): Promise<void> {
  const [ana] = apis;
  const { motionId } = await ana!.post<{ motionId: string }>('/councils/docks/pay/motions', {
    title: 'The tariff we have',
    text: '',
    scheme,
  });
  await ana!.post(`/motions/${motionId}/vote`, {});
  const { voteId } = await ana!.get<{ voteId: string }>(`/motions/${motionId}`);
  for (const a of apis) await a.post(`/votes/${voteId}/ballots`, { choice: 'a1' });
}

describe('pay and pensions in the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('import → propose → see the effect → vote → adopted → run the payroll', async () => {
    const ana = await personPage(f);
    const ben = await personPage(f);
    const cai = await personPage(f, { width: 390, height: 844 });
    const apis = [
      await joinByApi(f, ana, 'ana'),
      await joinByApi(f, ben, 'ben'),
      await joinByApi(f, cai, 'cai'),
    ];

    // The workforce, imported in the page: a bad file first (its line and column are named), then the good one.
    await ana.goto('/councils/docks');
    await ana.getByRole('link', { name: 'Pay and pensions' }).click();
    await ana.getByRole('heading', { name: 'Pay and pensions of Dockworkers' }).waitFor();
    await ana.getByText('No pay scheme has been adopted yet.').first().waitFor();
    const importForm = ana.getByRole('form', { name: 'Import the workforce' });
    await importForm.getByLabel('Or paste the CSV').fill('id,grade,hours,output\nw1,1,176,1\nw2,1,lots,1\n');
    await importForm.getByRole('button', { name: 'Import' }).click();
    await importForm.getByText(/Line 3, column 3 \(hours\): “lots” is not a number of hours/).waitFor();
    await ana.getByText('No workforce has been imported yet.').waitFor();
    await importForm.getByLabel('Or paste the CSV').fill(workers);
    await importForm.getByRole('button', { name: 'Import' }).click();
    await ana.getByText(/^28 workers, imported/).waitFor();
    await assertAccessible(ana, 'pay page with a workforce');

    await adoptByApi(apis, current);
    await ana.reload();
    await ana.getByText('version 1', { exact: true }).waitFor();

    // Propose the reform from the pay page, in the form (it starts from the current scheme, money in roubles).
    const title =
      'Time wage, lowest categories raised by a third, pensions favouring low earnings (the 1956 reform)';
    await ana.getByRole('button', { name: 'Propose a new scheme' }).click();
    const propose = ana.getByRole('form', { name: 'Propose a new scheme' });
    await propose.getByLabel('Title', { exact: true }).fill('The 1956 reform');
    await propose
      .getByLabel('Text', { exact: true })
      .fill('Time wage; the lowest categories raised by a third.');
    const baseRate = propose.getByLabel('Base rate an hour (RUB)');
    assert.equal(await baseRate.inputValue(), '2.50', 'the current 250 minor units, in roubles');
    await propose.getByLabel('Name of the scheme').fill(title);
    // A rate with more decimals than the rouble has is named before anything is sent.
    await baseRate.fill('2.755');
    await propose.getByRole('button', { name: 'Move the pay motion' }).click();
    await propose.getByText('The base rate: write an amount, such as 2.75.').waitFor();
    await baseRate.fill('2,75');
    await propose.getByLabel('Payment system').selectOption({ label: 'time wage' });
    await propose.getByLabel('Coefficient 1', { exact: true }).fill('1');
    await propose.getByLabel('Coefficient 2', { exact: true }).fill('1.2');
    await propose.getByLabel('Payment 8', { exact: true }).selectOption({ label: 'as the scheme' });
    await propose.getByLabel('Percent or amount 1', { exact: true }).fill('5');
    await propose.getByLabel('Minimum pay').selectOption({ label: 'for each hour worked' });
    await propose.getByLabel('Minimum (RUB)').fill('2.50');
    await propose
      .getByLabel('Cap on the highest pay as a multiple of the lowest')
      .selectOption({ label: 'for each hour worked' });
    await propose.getByLabel('At most this many times the lowest').fill('3');
    await propose.getByLabel('Minimum pension (RUB)').fill('300');
    await propose.getByLabel('Maximum pension (RUB; optional)').fill('1200');
    await propose.getByLabel('Indexation factor (such as 1.02)').fill('1.02');
    // The same document as JSON: money in minor units.
    await propose.getByLabel('Edit as JSON').check();
    const doc = JSON.parse(await propose.getByLabel('The scheme as JSON').inputValue()) as Record<
      string,
      unknown
    >;
    const expected = JSON.parse(proposed) as Record<string, unknown>;
    for (const k of ['baseRate', 'grades', 'payment', 'bonuses', 'minimumPay', 'ratioCap', 'name', 'version'])
      assert.deepEqual(doc[k], expected[k], k);
    assert.deepEqual(doc.pension, {
      ...(current as { pension: object }).pension,
      minimum: 30000,
      maximum: 120000,
      indexationFactor: '1.02',
    });
    await propose.getByLabel('Edit as JSON').uncheck();
    assert.equal(await baseRate.inputValue(), '2.75');
    await assertAccessible(ana, 'pay scheme form');
    await propose.getByRole('button', { name: 'Move the pay motion' }).click();
    await ana.getByRole('heading', { level: 1, name: 'The 1956 reform' }).waitFor();

    // Before the vote: the projected effect.
    const effect = ana.locator('section.pay-effect-section');
    await effect
      .getByText(/^Of 28 workers, \d+ would gain, \d+ would lose and \d+ would keep their pay\.$/)
      .waitFor();
    const gini = effect.getByRole('row', { name: /^Gini coefficient/ }).first();
    const [now, then, change] = await gini.locator('td').allInnerTexts();
    assert.ok(Number(then) < Number(now), `the reform lowers the Gini (${now} → ${then})`);
    assert.match(change!, /^-0\.\d{1,4}$/);
    // Money in roubles, the English way, never in minor units.
    const mean = await effect
      .getByRole('row', { name: /^Mean pay/ })
      .first()
      .locator('td')
      .allInnerTexts();
    for (const x of mean.slice(0, 2)) assert.match(x, /^RUB\s[\d,]+\.\d{2}$/);
    assert.match(mean[2]!, /^[+-]RUB\s[\d,]+\.\d{2}$/);
    const curves = await effect
      .locator('figure.lorenz svg path')
      .evaluateAll((ps) => ps.map((x) => x.getAttribute('d')!));
    assert.equal(curves.length, 2, 'two Lorenz curves');
    for (const d of curves) {
      assert.ok(!d.includes('NaN'), d);
      // Under aggregates no step of the curve is fewer than 5 workers: 0, 5, 10, 15, 20 and all 28.
      assert.equal(d.split(/[ML]/).filter(Boolean).length, 6, d);
    }
    assert.notEqual(curves[0], curves[1]);
    // The constitution shows aggregates only (the default): no worker id on the page.
    assert.ok(!(await effect.innerText()).includes('w001'));
    // …and no figure of fewer than 5 workers (the default minimum group): grades 3–8 (4, 4, 3, 3, 2, 2 workers)
    // are one row of smaller grades; the biggest changes name grades 1 and 2 only.
    const byGrade = effect.getByRole('table', { name: 'By grade' });
    assert.deepEqual(await byGrade.locator('tbody th').allInnerTexts(), [
      '1',
      '2',
      'Smaller grades (6 merged)',
    ]);
    assert.equal(
      (
        await byGrade
          .getByRole('row', { name: /^Smaller grades/ })
          .locator('td')
          .allInnerTexts()
      )[0],
      '18',
    );
    // …and no single worker's gain or loss.
    assert.equal(await effect.getByRole('table', { name: /^The biggest (gains|losses)$/ }).count(), 0);
    await effect.getByText(/No figure of fewer than 5 workers is shown/).waitFor();
    const motionUrl = ana.url();
    await assertAccessible(ana, 'pay motion with its projected effect');
    await screenshot(ana, 'pay-effect');

    // The vote.
    await ana.getByRole('button', { name: 'Open the vote' }).click();
    await ana.getByRole('button', { name: 'Cast my ballot' }).waitFor();
    await castChoice(ana, title);
    await ben.goto(ana.url());
    await castChoice(ben, title);
    await cai.goto(ana.url());
    await cai.locator('section.pay-effect-section figure.lorenz').waitFor();
    await assertAccessible(cai, 'pay motion on a phone');
    await screenshot(cai, 'pay-effect-phone');
    await castChoice(cai, 'Against (keep things as they are)');
    await ana.reload();
    await ana.getByRole('heading', { name: 'Result' }).waitFor();

    // Adopted: version 2 is current; run the payroll.
    await ana.getByRole('link', { name: 'Pay and pensions' }).first().click();
    await ana.getByRole('heading', { name: 'Pay and pensions of Dockworkers' }).waitFor();
    await ana.getByText('version 2', { exact: true }).waitFor();
    assert.match(await ana.locator('#pay-current ~ p strong').first().innerText(), /1956 reform/);
    assert.equal(
      await ana
        .getByRole('listitem')
        .filter({ hasText: /^Version \d:/ })
        .count(),
      2,
    );
    const run = ana.getByRole('form', { name: 'Run the payroll' });
    await run.getByLabel('Period').fill('2026-11');
    await run.getByRole('button', { name: 'Run' }).click();
    await ana.getByText(/^28 workers; total pay/).waitFor();
    const report = ana.getByRole('table', { name: 'Inequality of pay, 2026-11' });
    assert.match(await report.getByRole('row', { name: /^Gini coefficient/ }).innerText(), /0\.\d{1,4}$/);
    assert.match(await report.getByRole('row', { name: /^Median pay/ }).innerText(), /RUB\s[\d,]+\.\d{2}$/);
    assert.match(
      await report.getByRole('row', { name: /^Share of the top 10/ }).innerText(),
      /\d+(\.\d+)?%$/,
    );
    assert.equal(await ana.locator('.payroll figure.lorenz svg path').count(), 1);
    assert.equal(
      await ana.getByRole('table', { name: 'Payslips' }).count(),
      0,
      'no payslips under aggregates',
    );
    assert.equal(await ana.getByRole('link', { name: 'Download the payslips (CSV)' }).count(), 0);
    const csv = await ana.request.get(
      (await ana.getByRole('link', { name: 'Download the report (CSV)' }).getAttribute('href'))!,
    );
    assert.match(await csv.text(), /^measure,value,exact\r\n/);
    await assertAccessible(ana, 'pay page with the payroll report');
    await screenshot(ana, 'pay');

    // A workforce of three: the payroll and the projected effect show only the count, and say why.
    await ana
      .getByText(/No figure of fewer than 5 workers is shown/)
      .first()
      .waitFor();
    const three = 'id,grade,hours,output\nx1,1,176,1\nx2,2,170,1.1\nx3,8,120.01,1.07\n';
    await importForm.getByLabel('Or paste the CSV').fill(three);
    await importForm.getByRole('button', { name: 'Import' }).click();
    await ana.getByText(/^3 workers, imported/).waitFor();
    await run.getByRole('button', { name: 'Run' }).click();
    await ana.getByText('3 workers (scheme version 2).').waitFor();
    await ana
      .getByText(
        'Only the count is shown: 3 workers are fewer than the 5 the constitution requires before any pay figure is shown.',
      )
      .waitFor();
    assert.equal(await ana.getByRole('table', { name: 'Inequality of pay, 2026-11' }).count(), 0);
    assert.equal(await ana.locator('.payroll figure.lorenz').count(), 0);
    await assertAccessible(ana, 'pay page with a workforce below the minimum group');
    await ana.goto(motionUrl);
    await ana
      .locator('section.pay-effect-section')
      .getByText(/^Only the count is shown: 3 workers are fewer than the 5/)
      .waitFor();
    assert.equal(await ana.locator('section.pay-effect-section figure.lorenz').count(), 0);
    await assertAccessible(ana, 'pay motion with a workforce below the minimum group');
  });
});
