// A petition from below in the browser: a member starts one for an agenda item, others sign it from the council
// page, and when enough have signed the item opens by itself and the petition links to its motion.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, joinByApi, personPage, screenshot, startWeb, type WebFixture } from './harness.ts';

describe('petitions', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('start a petition, sign it, and follow it to the motion it opened', async () => {
    const pages = [];
    for (const who of ['ana', 'ben', 'cai']) {
      const page = await personPage(f);
      await joinByApi(f, page, who);
      pages.push(page);
    }
    const [ana] = pages;
    await ana!.goto('/councils/docks');
    await ana!.getByRole('button', { name: 'Start a petition' }).click();
    const form = ana!.getByRole('form', { name: 'Start a petition' });
    await form.getByLabel('Title', { exact: true }).fill('Lockers for the night crew');
    await form.getByLabel('Text', { exact: true }).fill('Put it on the agenda.');
    await form.getByRole('button', { name: 'Start the petition' }).click();
    const line = ana!.locator('.petition', { hasText: 'Lockers for the night crew' });
    await line.waitFor();
    assert.match(await line.innerText(), /1 of \d+ signatures?/);
    await assertAccessible(ana!, 'council page with a petition');

    // The others sign until it succeeds (the constitution says how many are needed).
    for (const page of pages.slice(1)) {
      await page.goto('/councils/docks');
      const mine = page.locator('.petition', { hasText: 'Lockers for the night crew' });
      await mine.waitFor();
      if (await mine.getByText('Enough signed').count()) break;
      await mine.getByRole('button', { name: 'Sign' }).click();
      await mine.getByText(/[2-9] of \d+ signatures/).waitFor();
    }
    const last = pages[2]!;
    await last.goto('/councils/docks');
    const petition = last.locator('.petition', { hasText: 'Lockers for the night crew' });
    await petition.getByText('Enough signed: the item is open.').waitFor();
    await screenshot(last, 'petition');
    await petition.getByRole('link', { name: 'Go to it' }).click();
    await last.getByRole('heading', { level: 1 }).waitFor();
    assert.match(await last.getByRole('heading', { level: 1 }).innerText(), /Lockers for the night crew/);

    // The transparency report counts it.
    await last.getByRole('link', { name: 'Transparency' }).click();
    await last.getByRole('heading', { name: 'Transparency report' }).waitFor();
    const total = last.getByRole('row', { name: /^Total/ });
    const cells = await total.locator('td').allInnerTexts();
    assert.equal(cells[0], '1', 'one petition opened');
    assert.equal(cells[1], '1', 'one petition succeeded');
    await assertAccessible(last, 'transparency page');
    await screenshot(last, 'transparency');
  });
});
