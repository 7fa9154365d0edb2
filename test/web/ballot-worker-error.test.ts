// A ballot worker that cannot load (its script refused here; in life a network failure, a content policy, a stale
// deploy) used to leave the trustee's or voter's button busy for ever: the page had no onerror. Now the waiting
// request fails with a sentence the page shows, nothing is sent, and the next try starts a new worker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { joinByApi, personPage, startWeb, type WebFixture } from './harness.ts';

describe('the ballot worker fails to load', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('the trustee is told, nothing is sent, and trying again once it loads works', async () => {
    const ana = await personPage(f);
    const a = await joinByApi(f, ana, 'ana');
    const b = await joinByApi(f, await personPage(f), 'ben');
    const { motionId } = await a.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Night shift rota',
      text: '',
      alternatives: [{ title: 'Weekly', text: '' }],
      secret: { trustees: [a.memberId, b.memberId], threshold: 2, registrationMinutes: 10 },
    });
    await a.post(`/motions/${motionId}/vote`, { minutes: 30 });

    const workerScript = /\/assets\/ballot-worker-[^/]*\.js$/;
    await ana.route(workerScript, (route) => route.fulfill({ status: 404, body: 'not here' }));
    const posts: string[] = [];
    ana.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));

    await ana.goto(`/motions/${motionId}`);
    const form = ana.getByRole('form', { name: 'Generate my part of the election key' });
    await form.getByLabel('Choose a passphrase').fill('ana keeps the night key');
    await form.getByLabel('Repeat the passphrase').fill('ana keeps the night key');
    await form.getByRole('button', { name: 'Generate my part of the election key' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: 'This browser could not start the part of the page that encrypts' })
      .waitFor();
    assert.equal(posts.length, 0, `nothing was sent: ${posts.join(', ')}`);

    // the script is back: the same button now starts a new worker, which commits
    await ana.unroute(workerScript);
    await form.getByLabel('Choose a passphrase').fill('ana keeps the night key');
    await form.getByLabel('Repeat the passphrase').fill('ana keeps the night key');
    await form.getByRole('button', { name: 'Generate my part of the election key' }).click();
    await ana.getByText(/Waiting for the other trustees to commit/).waitFor();
    assert.ok(posts.some((u) => u.endsWith('/secret/trustee')));
  });
});
