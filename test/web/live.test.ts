// Live pages in the browser (docs/NOTIFICATIONS.md "Live pages"): Ana keeps a motion page and a council page open;
// what Ben does — speak in the debate, open the vote, vote, move another motion — appears on her pages without a
// reload, and her unread count in the navigation follows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, joinByApi, personPage, startWeb, type WebFixture } from './harness.ts';

/** Counts the page's navigations, so a test can tell an update in place from a reload. */
function navigations(page: Page): () => number {
  let n = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) n++;
  });
  return () => n;
}

describe('live pages in the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test("another member's acts appear on an open motion page and council page without a reload", async () => {
    const ana = await personPage(f);
    const benPage = await personPage(f);
    await joinByApi(f, ana, 'ana');
    const ben = await joinByApi(f, benPage, 'ben');
    await joinByApi(f, await personPage(f), 'cai');
    const { motionId } = await ben.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Shade on the quay',
      text: 'Put up awnings on the north quay.',
      alternatives: [],
    });

    const loads = navigations(ana);
    await ana.goto(`/motions/${motionId}`);
    await ana.getByRole('heading', { name: 'Shade on the quay', level: 1 }).waitFor();
    await ana.getByText('Nobody has spoken yet.').waitFor();
    const council = await ana.context().newPage();
    const councilLoads = navigations(council);
    await council.goto('/councils/docks');
    await council.getByRole('link', { name: 'Shade on the quay' }).waitFor();

    // Ben speaks: his words appear in Ana's debate.
    await ben.post(`/motions/${motionId}/comments`, { stance: 'for', text: 'The sun is brutal by noon.' });
    await ana.getByText('The sun is brutal by noon.').waitFor();

    // Ben opens the vote: Ana's page shows the turnout, and her count of unread items grows.
    await ben.post(`/motions/${motionId}/vote`, {});
    await ana.getByText('0 of 3 electors have voted.').waitFor();
    await ana.locator('nav .unread-count').waitFor();

    // Ben votes: the turnout on Ana's page follows.
    const { voteId } = await ben.get<{ voteId: string }>(`/motions/${motionId}`);
    await ben.post(`/votes/${voteId}/ballots`, { choice: 'a1' });
    await ana.getByText('1 of 3 electors have voted.').waitFor();
    await assertAccessible(ana, 'motion page updated live');

    // Ben moves another motion in the docks: it appears on the council page Ana keeps open.
    await ben.post('/councils/docks/motions', {
      title: 'Water fountains',
      text: 'Two on each quay.',
      alternatives: [],
    });
    await council.getByRole('link', { name: 'Water fountains' }).waitFor();

    assert.equal(loads(), 1, 'the motion page was loaded once, and updated in place');
    assert.equal(councilLoads(), 1, 'the council page was loaded once, and updated in place');
  });
});
