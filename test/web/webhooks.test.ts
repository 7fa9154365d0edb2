// The webhooks page in Chromium (docs/NOTIFICATIONS.md "Webhooks"): a member requests an endpoint and sees its
// signing secret once; once two approve, the server delivers to a real receiver on 127.0.0.1 with that secret; the
// deliveries are listed, one is sent again with the same webhook-id, and the endpoint is disabled from the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Webhook } from 'standardwebhooks';
import { keyProofMessage, publicKeyOf, signMessage } from '../../src/core/index.ts';
import { organisation } from '../support/factory.ts';
import { startWebhookReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { assertAccessible, joinByApi, personPage, startWeb, type Api, type WebFixture } from './harness.ts';

const utf8 = new TextEncoder();
const secretOf = (who: string) => bytesToHex(sha256(utf8.encode(`web webhook key of ${who}`)));

describe('the webhooks page', () => {
  let f: WebFixture;
  let rx: WebhookReceiver;
  before(async () => {
    rx = await startWebhookReceiver();
    f = await startWeb(
      organisation({
        name: 'Hooked collective',
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong'].map((name) => ({ name, councilId: 'all' })),
      }) as unknown as Parameters<typeof startWeb>[0],
      { webhooksAllowPrivate: true },
    );
  });
  after(async () => {
    await f?.close();
    await rx?.close();
  });

  test('request an endpoint, see its secret once, get signed deliveries once approved, replay, disable', async () => {
    const ana = await personPage(f);
    const ben = await personPage(f);
    const apis: Record<string, Api> = {
      ana: await joinByApi(f, ana, 'ana'),
      ben: await joinByApi(f, ben, 'ben'),
    };
    for (const who of ['ana', 'ben']) {
      const publicKey = publicKeyOf(secretOf(who));
      const proof = signMessage(keyProofMessage(f.orgId, apis[who]!.memberId, publicKey), secretOf(who));
      await apis[who]!.post('/keys', { publicKey, proof });
    }

    await ana.goto('/webhooks');
    await ana.getByText('No webhook endpoint is registered.').waitFor();
    await ana.getByRole('button', { name: 'Request an endpoint' }).click();
    await ana.getByLabel('Address (URL) of the receiver').fill(`${rx.url}/hook`);
    await ana.getByLabel('motion.moved').check();
    await ana.getByRole('button', { name: 'Request it' }).click();
    const secret = (await ana.locator('code.secret').innerText()).trim();
    assert.match(secret, /^whsec_/);
    const href = await ana.getByRole('link', { name: 'The request and its approvals' }).getAttribute('href');
    const requestId = decodeURIComponent(href!.split('/').at(-1)!);
    await assertAccessible(ana, 'the webhooks page with a secret shown');

    for (const who of ['ana', 'ben']) {
      const r = await apis[who]!.get<{ signing: { message: string } }>(`/requests/${requestId}`);
      await apis[who]!.post(`/requests/${requestId}/approvals`, {
        signature: signMessage(utf8.encode(r.signing.message), secretOf(who)),
      });
    }
    await apis.ben!.post('/councils/all/motions', { title: 'Hooked motion', text: 'T.' });
    // the server's sender runs every second; the delivery is found by what it carries, not by its place
    const [delivered] = await rx.waitForMatching(
      (r) => r.body.includes('"title":"Hooked motion"'),
      1,
      30_000,
    );
    new Webhook(secret).verify(delivered!.body, {
      'webhook-id': String(delivered!.headers['webhook-id']),
      'webhook-timestamp': String(delivered!.headers['webhook-timestamp']),
      'webhook-signature': String(delivered!.headers['webhook-signature']),
    });

    // A reload: the secret is gone from the page; the endpoint is listed.
    await ana.reload();
    await ana.getByRole('heading', { name: `${rx.url}/hook` }).waitFor();
    assert.equal(await ana.locator('code.secret').count(), 0);
    await ana.getByRole('button', { name: 'Deliveries' }).click();
    await ana.getByRole('cell', { name: 'Delivered' }).waitFor();
    await ana.getByRole('button', { name: 'Send again' }).click();
    // the replay: a second request under the same webhook-id, with the same body
    const sameId = (r: Received) => r.headers['webhook-id'] === delivered!.headers['webhook-id'];
    const both = await rx.waitForMatching(sameId, 2, 30_000);
    assert.equal(both.length, 2);
    assert.equal(both[1]!.body, delivered!.body);

    await ana.getByRole('button', { name: 'Disable' }).click();
    await ana.getByText('Disabled (manual): nothing is sent until it is enabled.').waitFor();
    await ana.getByRole('button', { name: 'Enable' }).waitFor();
    await assertAccessible(ana, 'the webhooks page');
  });
});
