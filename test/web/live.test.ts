// Live pages in the browser (docs/NOTIFICATIONS.md "Live pages"): Ana keeps a motion page and a council page open;
// what Ben does — speak in the debate, open the vote, vote, move another motion — appears on her pages without a
// reload, and her unread count in the navigation follows. The record page and a secret vote's panel follow too:
// new entries appear on the record, and each trustee's key-generation step in the secret vote's progress table.
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ballot from '../../src/ballot/index.ts';
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

describe('the record and a secret vote, live in the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test("the record page and a secret vote's trustee table follow new entries without a reload", async () => {
    const ana = await personPage(f);
    const benPage = await personPage(f);
    const caiPage = await personPage(f);
    const anaApi = await joinByApi(f, ana, 'ana');
    const ben = await joinByApi(f, benPage, 'ben');
    const cai = await joinByApi(f, caiPage, 'cai');

    // The record: Ana keeps its latest page open; Ben moves a motion and it appears there.
    const loads = navigations(ana);
    await ana.goto('/record');
    await ana.getByRole('heading', { name: 'The record', level: 1 }).waitFor();
    const rows = ana.locator('table.log tbody tr');
    const before = await rows.count();
    await ben.post('/councils/docks/motions', {
      title: 'Benches',
      text: 'Along the quay.',
      alternatives: [],
    });
    await ana.locator('table.log tbody tr td', { hasText: 'Benches' }).first().waitFor();
    assert.ok((await rows.count()) > before || before >= 50);

    // A secret vote: Ana keeps its page open while its trustees commit, one by one.
    const trustees = [anaApi, ben, cai];
    const { motionId } = await ben.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Secret awnings',
      text: 'Shall we?',
      alternatives: [],
      secret: { trustees: trustees.map((t) => t.memberId), threshold: 2 },
    });
    await ben.post(`/motions/${motionId}/vote`, {});
    const { voteId } = await ben.get<{ voteId: string }>(`/motions/${motionId}`);
    await ana.goto(`/motions/${motionId}`);
    const table = ana.getByRole('table').filter({ hasText: 'Done so far' });
    await table.waitFor();
    const g = await ballot.sodiumGroup();
    const view = await ben.get<{ board: ballot.BoardEntry[] }>(`/votes/${voteId}/secret?board=key`);
    const setup = view.board[0]!.body as ballot.SetupBody;
    const rnd = (n: number) => new Uint8Array(randomBytes(n));
    for (const [i, t] of trustees.entries()) {
      if (i === 0) continue; // Ana's own row: she would commit in the page
      const { message } = ballot.dkgCommit(g, setup, i + 1, rnd);
      await t.post(`/votes/${voteId}/secret/trustee`, { kind: 'dkg-commit', body: message });
      const row = table
        .getByRole('row')
        .filter({ has: ana.getByRole('cell', { name: String(i + 1), exact: true }) });
      await row.getByRole('cell', { name: 'committed', exact: true }).waitFor();
    }
    assert.equal(loads(), 2, 'each page was loaded once, and updated in place');
  });
});
