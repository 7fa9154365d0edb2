// A recall in the browser removes a deputy: the members of the council that sent her move it, vote, and the
// council tree no longer shows her seat.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, joinByApi, personPage, screenshot, startWeb, type WebFixture } from './harness.ts';

describe('recall', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('a recall moved and voted in the browser removes the deputy', async () => {
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
    await ben.getByLabel('Candidate', { exact: true }).selectOption({ label: 'Ana Ruiz' });
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

    // Ben moves the recall from the council page.
    await ben.goto('/councils/docks');
    await ben.getByRole('button', { name: 'Move a recall: Ana Ruiz' }).click();
    await ben
      .getByRole('form', { name: 'Move a recall' })
      .getByLabel('Why recall Ana Ruiz?')
      .fill('She stopped reporting back to us.');
    await assertAccessible(ben, 'council page with the recall form');
    await ben.getByRole('button', { name: 'Move a recall', exact: true }).click();
    await ben.getByRole('heading', { level: 1, name: /^Recall Ana Ruiz/ }).waitFor();
    await ben.getByRole('button', { name: 'Open the vote' }).click();
    const recallUrl = new URL(ben.url()).pathname;
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
