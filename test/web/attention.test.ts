// The attention inbox in the browser (docs/NOTIFICATIONS.md): a deputy's home page tells her of a recall petition
// about her mandate while it runs, with its signatures; the navigation counts what is unread.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withInstantProcedure } from '../support/factory.ts';
import {
  assertAccessible,
  federation,
  joinByApi,
  personPage,
  screenshot,
  startWeb,
  type WebFixture,
} from './harness.ts';

describe('the attention inbox', () => {
  let f: WebFixture;
  before(async () => {
    // Two signatures of the docks' three members carry a petition.
    f = await startWeb({
      ...federation,
      constitution: withInstantProcedure({
        power: { petitions: { threshold: { kind: 'absolute', count: 2 } } },
      }),
    });
  });
  after(async () => {
    await f?.close();
  });

  test("the deputy's home page shows the recall petition about her mandate while it runs", async () => {
    const ana = await personPage(f);
    const a = await joinByApi(f, ana, 'ana');
    const b = await joinByApi(f, await personPage(f), 'ben');
    const c = await joinByApi(f, await personPage(f), 'cai');

    // The docks elect Ana to the Federation Council.
    const { motionId } = await b.post<{ motionId: string }>('/councils/docks/elections', {});
    await b.post(`/motions/${motionId}/alternatives`, { title: 'Ana', text: '', candidateId: a.memberId });
    await b.post(`/motions/${motionId}/vote`, {});
    const election = await b.get<{ vote: { id: string } }>(`/motions/${motionId}`);
    for (const who of [a, b, c]) await who.post(`/votes/${election.vote.id}/ballots`, { choice: 'a1' });
    const me = await (await ana.request.get('/api/v1/me')).json();
    const mandateId = (me.mandates as { id: string; endedAt: string | null }[]).find((m) => !m.endedAt)!.id;

    await ana.goto('/');
    await ana.getByRole('heading', { name: 'Needs your attention' }).waitFor();
    await ana.getByRole('button', { name: 'Mark all read' }).click();
    await ana.getByRole('button', { name: 'Mark all read' }).waitFor({ state: 'detached' });
    // The count goes with them (waited for: a live update may load the inbox again meanwhile).
    await ana.locator('nav .unread-count').waitFor({ state: 'detached' });

    // Ben starts a recall petition: Ana sees it, unread, with one of two signatures.
    await b.post('/petitions', {
      kind: 'recall',
      councilId: 'docks',
      mandateId,
      title: 'Recall Ana',
      text: 'She stopped reporting back to us.',
    });
    await ana.goto('/');
    const line = ana.getByText('A recall petition about your mandate: 1 of 2 signatures');
    await line.waitFor();
    assert.equal(await ana.locator('nav .unread-count').innerText(), '1 unread');
    await assertAccessible(ana, 'home page with a recall petition');
    await screenshot(ana, 'attention');

    // Cai signs: the petition has succeeded and the recall is under way; the inbox says so instead.
    await c.post(
      `/petitions/${(await b.get<{ petitions: { id: string }[] }>('/petitions')).petitions[0]!.id}/signatures`,
    );
    await ana.goto('/');
    // (The inbox says it, and so does the notice every page of hers shows: docs/PROCEDURE.md "Recall".)
    await ana
      .getByText(/A recall of your mandate is under way/)
      .first()
      .waitFor();
    assert.equal(await line.count(), 0);
  });
});
