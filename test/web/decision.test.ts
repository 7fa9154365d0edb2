// The first end-to-end path, in real Chromium: invitation → sign-in → motion → debate → open vote by
// three members → result; with errors shown beside their controls, and axe-core on every page it passes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  joinByApi,
  password,
  personPage,
  screenshot,
  startWeb,
  type WebFixture,
} from './harness.ts';

describe('a decision taken in the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('invitation → sign-in → motion → debate → open vote by three members → result', async () => {
    const ana = await personPage(f);
    await ana.goto(`/invite/${f.tokens.ana}`);
    await ana.getByRole('heading', { name: 'Join Dockworkers' }).waitFor();
    await assertAccessible(ana, 'invitation page');
    await screenshot(ana, 'invitation');

    // A password the API refuses: the error is beside the password field, and what was typed stays.
    await ana.getByLabel('E-mail address').fill('ana@example.org');
    await ana.getByLabel(/^Password/).fill('short');
    await ana.getByRole('button', { name: 'Accept and join' }).click();
    const passwordError = ana.locator('.field', { has: ana.getByLabel(/^Password/) }).locator('.error');
    await passwordError.waitFor();
    assert.match(await passwordError.innerText(), /The password must have at least 10 characters/);
    assert.equal(await ana.getByLabel('E-mail address').inputValue(), 'ana@example.org');
    assert.equal(await ana.getByLabel(/^Password/).getAttribute('aria-invalid'), 'true');
    await assertAccessible(ana, 'invitation page with an error');

    await ana.getByLabel(/^Password/).fill(password);
    await ana.getByRole('button', { name: 'Accept and join' }).click();
    await ana.getByRole('heading', { name: 'Dockworkers', exact: true }).waitFor();

    // Sign out, a wrong password (said in plain words, e-mail kept), then sign in.
    await ana.getByRole('button', { name: 'Sign out' }).click();
    await ana.getByRole('heading', { name: 'Sign in' }).waitFor();
    await assertAccessible(ana, 'sign-in page');
    await screenshot(ana, 'sign-in');
    await ana.getByLabel('E-mail address').fill('ana@example.org');
    await ana.getByLabel('Password').fill('not the password');
    await ana.getByRole('button', { name: 'Sign in' }).click();
    await ana.getByText('That e-mail address and password do not match.').waitFor();
    assert.equal(await ana.getByLabel('E-mail address').inputValue(), 'ana@example.org');
    await ana.getByLabel('Password').fill(password);
    await ana.getByRole('button', { name: 'Sign in' }).click();
    await ana.getByRole('heading', { name: 'My councils' }).waitFor();
    assert.ok(await ana.getByRole('link', { name: 'Dockworkers' }).isVisible());
    await assertAccessible(ana, 'home page');
    await screenshot(ana, 'home');

    await ana.getByRole('link', { name: 'Council tree' }).click();
    await ana.getByRole('heading', { name: /Council tree/ }).waitFor();
    await assertAccessible(ana, 'tree page');

    // Move a motion with two alternatives.
    await ana.goto('/councils/docks');
    await ana.getByRole('button', { name: 'Move a motion' }).click();
    const motionForm = ana.getByRole('form', { name: 'Move a motion' });
    await motionForm.getByLabel('Title', { exact: true }).fill('Shift lengths');
    await motionForm.getByLabel('Text', { exact: true }).fill('How long is a shift on the docks?');
    await motionForm.getByLabel('Title of alternative 1').fill('Eight hours');
    await motionForm.getByLabel('Text of alternative 1').fill('Shifts of eight hours, three a day.');
    await motionForm.getByRole('button', { name: 'Add an alternative' }).click();
    await motionForm.getByLabel('Title of alternative 2').fill('Six hours');
    await motionForm.getByLabel('Text of alternative 2').fill('Shifts of six hours, four a day.');
    await assertAccessible(ana, 'council page with the motion form');
    await motionForm.getByRole('button', { name: 'Move the motion' }).click();
    await ana.getByRole('heading', { name: 'Shift lengths' }).waitFor();
    const motionUrl = new URL(ana.url()).pathname;

    // Debate: Ana for, Ben against, Cai neutral; Ben proposes an amendment.
    const ben = await personPage(f);
    await joinByApi(f, ben, 'ben');
    const cai = await personPage(f, { width: 390, height: 844 }); // a phone
    await joinByApi(f, cai, 'cai');
    await speak(ana, 'For', 'Eight hours keeps the crews together.');
    await ben.goto(motionUrl);
    await speak(ben, 'Against', 'Six hours is safer with heavy loads.');
    await ben.getByRole('button', { name: 'Propose an alternative or an amendment' }).click();
    await ben.getByLabel('Title', { exact: true }).fill('Eight hours with a long break');
    await ben.getByLabel('It amends').selectOption({ label: 'Eight hours' });
    await ben.getByRole('button', { name: 'Propose', exact: true }).click();
    await ben.getByRole('heading', { name: 'Eight hours with a long break' }).waitFor();
    await cai.goto(motionUrl);
    await speak(cai, 'Neutral', 'Either works if the pay is the same.');
    await ana.reload();
    const forColumn = ana.locator('section.stance-for');
    const againstColumn = ana.locator('section.stance-against');
    assert.match(await forColumn.innerText(), /Eight hours keeps the crews together/);
    assert.match(await againstColumn.innerText(), /Six hours is safer/);
    assert.match(await ana.locator('section.stance-neutral').innerText(), /Either works/);
    assert.match(await ana.getByText('amends “Eight hours”').innerText(), /amends/);

    // Open the vote; three members vote.
    await ana.getByRole('button', { name: 'Open the vote' }).click();
    await ana.getByRole('button', { name: 'Cast my ballot' }).waitFor();
    await assertAccessible(ana, 'motion page with the ballot');
    await castChoice(ana, 'Eight hours');
    await ben.reload();
    await castChoice(ben, 'Eight hours');
    await cai.reload();
    await assertAccessible(cai, 'motion page on a phone');
    await castChoice(cai, 'Against (keep things as they are)');

    await ana.reload();
    await ana.getByRole('heading', { name: 'Result' }).waitFor();
    assert.match(await ana.locator('.outcome').innerText(), /Adopted.*Winners: Eight hours/);
    const row = ana.getByRole('row', { name: /^Eight hours\b/ }).first();
    assert.match(await row.innerText(), /2/);
    assert.match(await ana.getByRole('row', { name: /^Against/ }).innerText(), /1/);
    assert.equal(await ana.locator('figure.chart svg rect').count(), 4);
    await assertAccessible(ana, 'motion page with the result');
    await screenshot(ana, 'motion');
    await screenshot(cai, 'motion-phone');

    await ana.goto('/councils/docks');
    await ana.getByRole('heading', { name: 'Past decisions' }).waitFor();
    assert.ok(await ana.getByRole('link', { name: 'Shift lengths' }).isVisible());
    await assertAccessible(ana, 'council page');
    await screenshot(ana, 'council');

    await ana.getByRole('link', { name: 'My receipts' }).click();
    await ana.getByText('No secret ballot was cast from this browser.').waitFor();
    await assertAccessible(ana, 'receipts page');

    await ana.goto('/record');
    await ana.getByRole('cell', { name: 'vote closed' }).waitFor();
    await assertAccessible(ana, 'record page');
  });
});

async function speak(page: Page, stance: string, text: string) {
  const form = page.getByRole('form', { name: 'Speak in the debate' });
  await form.getByLabel(stance, { exact: true }).check();
  await form.getByLabel('What you say').fill(text);
  await form.getByRole('button', { name: 'Post' }).click();
  await page.locator('.comment', { hasText: text }).waitFor();
}

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
