// The app on a phone 375 px wide (issue #17 item 5: chart labels about 5 px tall, the record page overflowing after
// "Verify", the navigation in four rows). Every main page: nothing wider than the screen (no sideways scrolling of
// the page; wide tables scroll inside their own focusable region), every control a touch target of at least 24 ×
// 24 px (WCAG 2.2 SC 2.5.8), chart labels at least 10 px tall, and the navigation one row behind a Menu button
// that opens it, leads to a page and folds again. Screenshots docs/screenshots/phone-*.png.
import assert from 'node:assert/strict';
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

const phone = { width: 375, height: 812 };

/**
 * What does not fit a phone on the page shown now: a list of faults, empty when it fits. (Plain JavaScript run in
 * the page, given as text so the test's compiler adds nothing to it.)
 */
const findFaults = `(() => {
  const faults = [];
  const width = window.innerWidth;
  const root = document.documentElement;
  if (root.scrollWidth > width) faults.push('the page is ' + root.scrollWidth + ' px wide on a ' + width + ' px screen');
  const name = (el) =>
    el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40) + '"';
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const controls = 'button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), textarea, nav a';
  for (const el of document.querySelectorAll(controls)) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 24 || r.height < 24) faults.push(name(el) + ' is ' + Math.round(r.width) + ' x ' + Math.round(r.height) + ' px');
    // Outside a region that scrolls sideways, nothing may stick out of the screen.
    if (!el.closest('.table-scroll') && r.right > width + 0.5) faults.push(name(el) + ' reaches ' + Math.round(r.right) + ' px');
  }
  for (const el of document.querySelectorAll('svg text')) {
    if (!shown(el)) continue;
    const h = el.getBoundingClientRect().height;
    if (h < 10) faults.push('chart label "' + el.textContent + '" is ' + h.toFixed(1) + ' px tall');
  }
  return faults;
})()`;

const phoneFaults = (page: Page) => page.evaluate(findFaults) as Promise<string[]>;

async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(
    () => !(globalThis as any).document.querySelector('main')?.innerText.includes('Loading…'),
  );
}

describe('on a phone, 375 px wide', () => {
  let f: WebFixture;
  let ana: Page;
  const apis: Record<string, Api> = {};
  const paths: Record<string, string> = {};
  before(async () => {
    f = await startWeb();
    ana = await personPage(f, phone);
    apis.ana = await joinByApi(f, ana, 'ana');
    for (const who of ['ben', 'cai']) apis[who] = await joinByApi(f, await personPage(f), who);
    // An instant-runoff motion decided over three rounds (a line chart), with long titles.
    const irv = await apis.ana.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Where the new lockers for the night crew should go',
      text: 'Forty lockers, one place.',
      alternatives: [
        'By the east gate, next to the crane operators’ hut',
        'By the west gate',
        'In the canteen',
      ].map((title) => ({ title, text: '' })),
      method: 'irv',
    });
    await apis.ana.post(`/motions/${irv.motionId}/vote`, {});
    const { vote } = await apis.ana.get(`/motions/${irv.motionId}`);
    await apis.ana.post(`/votes/${vote.id}/ballots`, { ranking: [['a1']] });
    await apis.ben!.post(`/votes/${vote.id}/ballots`, { ranking: [['a2'], ['a3']] });
    await apis.cai!.post(`/votes/${vote.id}/ballots`, { ranking: [['a3'], ['a2']] });
    paths.irv = `/motions/${irv.motionId}`;
    // A motion decided by majority (a bar chart) and one in debate with its forms.
    const yes = await apis.ben!.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'A kettle in the break room',
      text: 'One kettle.',
    });
    await apis.ben!.post(`/motions/${yes.motionId}/vote`, {});
    const v2 = (await apis.ben!.get(`/motions/${yes.motionId}`)).vote;
    for (const who of ['ana', 'ben', 'cai'])
      await apis[who]!.post(`/votes/${v2.id}/ballots`, { choice: 'a1' });
    paths.majority = `/motions/${yes.motionId}`;
    const open = await apis.cai!.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Night shift allowance',
      text: 'Ten percent more for hours after ten at night.',
    });
    await apis.ana.post(`/motions/${open.motionId}/comments`, { stance: 'for', text: 'Overdue.' });
    paths.debate = `/motions/${open.motionId}`;
  });
  after(async () => {
    await f?.close();
  });

  test('the navigation is one row behind a Menu button that opens it, leads to a page and folds again', async () => {
    await open(ana, '/');
    const header = ana.locator('header.top');
    const nav = ana.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.isVisible(), false, 'folded');
    const folded = (await header.boundingBox())!.height;
    assert.ok(folded <= 120, `the header is ${folded} px tall folded: more than two rows`);
    const menu = ana.getByRole('button', { name: /^Menu/ });
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await nav.getByRole('link', { name: 'Council tree' }).waitFor();
    assert.deepEqual(await phoneFaults(ana), []);
    await assertAccessible(ana, 'the open menu on a phone');
    await screenshot(ana, 'phone-menu');
    await nav.getByRole('link', { name: 'Council tree' }).click();
    await ana.getByRole('heading', { level: 1, name: /Council tree of/ }).waitFor();
    await nav.waitFor({ state: 'hidden' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  });

  test('every main page fits: no sideways scrolling, touch targets, legible charts', async () => {
    const pages: [string, string][] = [
      ['home', '/'],
      ['tree', '/tree'],
      ['council', '/councils/docks'],
      ['motion-irv', paths.irv!],
      ['motion-majority', paths.majority!],
      ['motion-debate', paths.debate!],
      ['pay', '/councils/docks/pay'],
      ['record', '/record'],
      ['requests', '/requests'],
      ['transparency', '/transparency'],
      ['account', '/account'],
    ];
    const all: string[] = [];
    for (const [name, path] of pages) {
      await open(ana, path);
      if (name === 'motion-irv') await ana.locator('figure.chart svg').first().waitFor();
      all.push(...(await phoneFaults(ana)).map((x) => `${path}: ${x}`));
      await screenshot(ana, `phone-${name}`);
    }
    assert.deepEqual(all, []);
    // The line chart names its options in a legend under it when the lines' ends are too narrow for them.
    await open(ana, paths.irv!);
    await ana.locator('figure.chart .legend').getByText('By the west gate').waitFor();
    await assertAccessible(ana, 'an instant-runoff result on a phone');
  });

  test('the record page still fits after "Verify in my browser"', async (t) => {
    const published = await ana.request.get(`/api/v1/orgs/${f.orgId}/record/vkey`);
    if (published.status() === 404) {
      t.skip('this server does not publish the record');
      return;
    }
    const { issueDueCheckpoints } = await import('../../src/server/scheduler.ts');
    await issueDueCheckpoints(f.server.service, true);
    await open(ana, '/record');
    await ana.getByRole('button', { name: 'Verify in my browser' }).click();
    await ana.getByText(/^Verified in this browser/).waitFor({ timeout: 60_000 });
    await ana
      .locator('table.log')
      .getByRole('button', { name: /^Check entry \d+$/ })
      .first()
      .click();
    await ana.getByText(/Included: its inclusion proof leads to the root/).waitFor();
    assert.deepEqual(await phoneFaults(ana), []);
    await screenshot(ana, 'phone-record-verified');
  });
});
