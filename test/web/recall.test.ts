// A recall in the browser removes a deputy: a member of the council that sent her petitions for it, her own pages
// tell her, she answers in the debate (the vote cannot open before its minimum), the scheduler opens the vote on
// time, the council votes, and the council tree no longer shows her seat (docs/PROCEDURE.md "Recall").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runDueActs } from '../../src/server/scheduler.ts';
import { TestClock } from '../support/databases.ts';
import {
  assertAccessible,
  joinByApi,
  personPage,
  pick,
  screenshot,
  startWeb,
  type WebFixture,
} from './harness.ts';

describe('recall', () => {
  let f: WebFixture;
  const clock = new TestClock(Date.now());
  before(async () => {
    f = await startWeb(undefined, { clock });
  });
  after(async () => {
    await f?.close();
  });

  test('a recall petitioned, debated (the deputy answers) and voted in the browser removes the deputy', async () => {
    const ana = await personPage(f);
    const ben = await personPage(f);
    const cai = await personPage(f);
    const a = await joinByApi(f, ana, 'ana');
    const b = await joinByApi(f, ben, 'ben');
    const c = await joinByApi(f, cai, 'cai');

    // The scene: the docks elect Ana to the Federation Council (an election stood and voted in the UI).
    await ben.goto('/councils/docks');
    await ben.getByRole('button', { name: 'Call an election' }).click();
    await ben.getByRole('button', { name: 'Call the election' }).click();
    await ben.getByRole('heading', { name: /Election of a deputy/ }).waitFor();
    await ben.getByRole('button', { name: 'Stand a candidate' }).click();
    await pick(ben, 'Candidate', 'ana', 'Ana Ruiz');
    await ben.getByRole('button', { name: 'Propose', exact: true }).click();
    await ben.getByRole('heading', { name: 'Ana Ruiz' }).waitFor();
    const election = new URL(ben.url()).pathname;
    await b.post(`${election}/vote`, {});
    const m = await b.get(election);
    for (const who of [a, b, c]) await who.post(`/votes/${m.vote.id}/ballots`, { choice: 'a1' });
    await ana.goto('/tree');
    await ana.getByText('Ana Ruiz, from Dockworkers').waitFor();
    await assertAccessible(ana, 'tree with a deputy');
    await screenshot(ana, 'tree');
    const phone = await personPage(f, { width: 390, height: 844 });
    await joinByApi(f, phone, 'dan');
    await phone.goto('/tree');
    await phone.getByText('Ana Ruiz, from Dockworkers').waitFor();
    await assertAccessible(phone, 'tree on a phone');
    await screenshot(phone, 'tree-phone');

    // Ben petitions for the recall from the council page; one signature of three is the threshold (a fifth).
    await ben.goto('/councils/docks');
    await ben.getByRole('button', { name: 'Petition for a recall: Ana Ruiz' }).click();
    const petition = ben.getByRole('form', { name: 'Petition for a recall' });
    await petition.getByLabel('Why recall Ana Ruiz?').fill('She stopped reporting back to us.');
    await petition.getByRole('button', { name: 'Start the petition' }).click();

    // Ana's own pages say so at once; the recall names the petition and its signatory as its mover.
    await ana.goto('/');
    // The notice on every page of hers (the attention inbox on the home page says it too).
    const notice = ana
      .locator('.recall-notice')
      .getByRole('link', { name: /A recall of your mandate is under way: Recall Ana Ruiz/ });
    await notice.waitFor();
    await assertAccessible(ana, 'home page with a recall of her mandate under way');
    await notice.click();
    await ana.getByRole('heading', { level: 1, name: /^Recall Ana Ruiz/ }).waitFor();
    await ana.getByText(/put on the agenda by a petition on/).waitFor();
    await ana.locator('p.signatories', { hasText: /^1 signature: Ben Adeyemi$/ }).waitFor();
    const recallUrl = new URL(ana.url()).pathname;

    // The debate comes first: Ana answers; nobody can open the vote before the minimum.
    const speak = ana.getByRole('form', { name: 'Speak in the debate' });
    await speak.getByLabel('Against', { exact: true }).check();
    await speak.getByLabel('What you say').fill('I reported at every meeting; the minutes show it.');
    await speak.getByRole('button', { name: 'Post' }).click();
    await ana.getByText('I reported at every meeting; the minutes show it.').waitFor();
    await ana
      .locator('.comment', { hasText: 'I reported at every meeting' })
      .getByText('the deputy')
      .waitFor();
    await ben.goto(recallUrl);
    await ben.getByRole('button', { name: 'Open the vote' }).click();
    await ben.getByText(/A recall is debated before its vote, so the deputy can answer/).waitFor();

    // Three days on, the scheduler opens the vote; the council votes.
    clock.advanceMinutes(3 * 24 * 60);
    await runDueActs(f.server.service);
    for (const [page, choice] of [
      [ben, 'Recall Ana Ruiz'],
      [cai, 'Recall Ana Ruiz'],
      [ana, 'Against (keep things as they are)'],
    ] as const) {
      await page.goto(recallUrl);
      const form = page.getByRole('form', { name: 'Vote' });
      await form.getByLabel(choice, { exact: true }).check();
      await form.getByRole('button', { name: 'Cast my ballot' }).click();
      await page
        .getByText('You have voted.')
        .or(page.getByRole('heading', { name: 'Result' }))
        .first()
        .waitFor();
    }
    await ben.reload();
    await ben.getByRole('heading', { name: 'Result' }).waitFor();
    assert.match(await ben.locator('.outcome').innerText(), /Adopted/);

    // The seat is empty: the tree and the council page show no deputy, and Ana's mandate has ended.
    await ana.goto('/tree');
    await ana.getByRole('heading', { name: /Council tree/ }).waitFor();
    assert.equal(await ana.getByText('Ana Ruiz, from Dockworkers').count(), 0);
    const me = await (await ana.request.get('/api/v1/me')).json();
    assert.equal(me.mandates.length, 1);
    assert.equal(me.mandates[0].endReason, 'recalled');
    await ana.goto('/');
    await ana.getByText(/ended .*recalled/).waitFor();

    // The seat is filled again by an election (through the API); Ben, elected, resigns from his home page.
    const { motionId } = await c.post<{ motionId: string }>('/councils/docks/elections', {});
    await c.post(`/motions/${motionId}/alternatives`, { title: 'Ben', text: '', candidateId: b.memberId });
    await c.post(`/motions/${motionId}/vote`, {});
    const second = await c.get(`/motions/${motionId}`);
    for (const who of [a, b, c]) await who.post(`/votes/${second.vote.id}/ballots`, { choice: 'a1' });
    await ben.goto('/');
    await ben.getByRole('button', { name: 'Resign this mandate' }).click();
    await assertAccessible(ben, 'home page asking to confirm a resignation');
    await ben.getByRole('button', { name: 'Yes, resign' }).click();
    await ben.getByText(/ended .*resign/).waitFor();
  });
});
