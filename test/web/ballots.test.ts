// Every ballot shape in the browser: rank by keyboard, by drag and by buttons (IRV, counted in several rounds,
// shown as a table and a line chart), approve, and score; axe-core on each panel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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

describe('ballots of every shape', () => {
  let f: WebFixture;
  const pages: Record<string, Page> = {};
  const apis: Record<string, Api> = {};
  before(async () => {
    f = await startWeb();
    for (const who of ['ana', 'ben', 'cai']) {
      pages[who] = await personPage(f);
      apis[who] = await joinByApi(f, pages[who]!, who);
    }
  });
  after(async () => {
    await f?.close();
  });

  /** A motion in voting with alternatives A, B, C, moved by Ana through the API. */
  async function votingMotion(method: string, extra: Record<string, unknown> = {}): Promise<string> {
    const { motionId } = await apis.ana!.post<{ motionId: string }>('/councils/docks/motions', {
      title: `Choose by ${method}`,
      text: '',
      alternatives: ['Apples', 'Bread', 'Cheese'].map((title) => ({ title, text: '' })),
      method,
      ...extra,
    });
    await apis.ana!.post(`/motions/${motionId}/vote`, {});
    return `/motions/${motionId}`;
  }

  const ranking = (page: Page) => page.locator('ol.rank-list > li .rank-label').allInnerTexts();

  test('ranking by keyboard, by drag and by buttons; IRV rounds as a table and a chart', async () => {
    const url = await votingMotion('irv');
    const [ana, ben, cai] = [pages.ana!, pages.ben!, pages.cai!];

    // Ana: keyboard only. Focus Cheese, pick it up, move it up twice, put it down.
    await ana.goto(url);
    const cheese = ana.locator('ol.rank-list > li', { hasText: 'Cheese' });
    await cheese.focus();
    await ana.keyboard.press('Space');
    assert.equal(await cheese.getAttribute('data-grabbed'), 'true');
    assert.match(await ana.locator('.rank [aria-live]').innerText(), /Cheese picked up, position 3 of 4/);
    await ana.keyboard.press('ArrowUp');
    await ana.keyboard.press('ArrowUp');
    await ana.keyboard.press('Space');
    assert.deepEqual((await ranking(ana)).slice(0, 3), ['Cheese', 'Apples', 'Bread']);
    assert.match(await ana.locator('.rank [aria-live]').innerText(), /Cheese put down at position 1 of 4/);
    await assertAccessible(ana, 'ranked ballot');
    await screenshot(ana, 'ballot-ranked');
    await ana.getByRole('button', { name: 'Cast my ballot' }).click();
    await ana.getByText('You have voted.').waitFor();

    // Ben: drag Bread onto the first place.
    await ben.goto(url);
    await ben
      .locator('ol.rank-list > li', { hasText: 'Bread' })
      .dragTo(ben.locator('ol.rank-list > li', { hasText: 'Apples' }));
    assert.deepEqual((await ranking(ben)).slice(0, 3), ['Bread', 'Apples', 'Cheese']);
    await ben.getByRole('button', { name: 'Cast my ballot' }).click();
    await ben.getByText('You have voted.').waitFor();

    // Cai: buttons; leaves "against" out and moves Bread below Cheese.
    await cai.goto(url);
    await cai.getByRole('button', { name: 'Leave Against (keep things as they are) out' }).click();
    await cai.getByRole('button', { name: 'Move Bread down' }).click();
    assert.deepEqual(await ranking(cai), ['Apples', 'Cheese', 'Bread']);
    await cai.getByRole('button', { name: 'Cast my ballot' }).click();
    await cai.getByRole('heading', { name: 'Result' }).waitFor();

    // First preferences 1 / 1 / 1 prove each ranking arrived as arranged; IRV then needs more rounds.
    const firstRound = async (label: string) =>
      (
        await cai
          .getByRole('row', { name: new RegExp(`^${label}`) })
          .locator('td')
          .first()
          .innerText()
      ).trim();
    assert.match(await firstRound('Apples'), /^1\b/);
    assert.match(await firstRound('Bread'), /^1\b/);
    assert.match(await firstRound('Cheese'), /^1\b/);
    assert.ok((await cai.getByRole('columnheader', { name: /^Round \d+$/ }).count()) >= 2);
    assert.ok((await cai.locator('figure.chart svg polyline').count()) >= 3);
    await assertAccessible(cai, 'IRV result');
    await screenshot(cai, 'result-rounds');
  });

  test('approval and score ballots', async () => {
    const approvalUrl = await votingMotion('approval');
    const ana = pages.ana!;
    await ana.goto(approvalUrl);
    const form = ana.getByRole('form', { name: 'Vote' });
    await form.getByLabel('Apples').check();
    await form.getByLabel('Cheese').check();
    await assertAccessible(ana, 'approval ballot');
    await form.getByRole('button', { name: 'Cast my ballot' }).click();
    await ana.getByText('You have voted.').waitFor();

    const scoreUrl = await votingMotion('score', { maxScore: 5 });
    await ana.goto(scoreUrl);
    await ana.getByLabel('Score for Bread').fill('4');
    await ana.getByLabel('Score for Apples').fill('9'); // above the highest score: the form will not send it
    await ana.getByRole('button', { name: 'Cast my ballot' }).click();
    assert.equal(
      await ana
        .getByLabel('Score for Apples')
        .evaluate((e) => (e as unknown as { validity: { valid: boolean } }).validity.valid),
      false,
    );
    assert.equal(await ana.getByLabel('Score for Bread').inputValue(), '4', 'nothing typed is lost');
    await ana.getByLabel('Score for Apples').fill('2');
    await assertAccessible(ana, 'score ballot');
    await ana.getByRole('button', { name: 'Cast my ballot' }).click();
    await ana.getByText('You have voted.').waitFor();

    for (const url of [approvalUrl, scoreUrl]) {
      const m = await apis.ana!.get(url);
      assert.equal(m.vote.ballotCount, 1);
    }
  });
});
