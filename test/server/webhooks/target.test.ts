// Where webhooks may go (src/server/webhooks/target.ts): public unicast addresses only, unless the operator allows
// private ones. Checked when an endpoint is requested and again in the lookup of every connection that sends.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postWebhook } from '../../../src/server/webhooks/sender.ts';
import { checkTarget, isPublicAddress } from '../../../src/server/webhooks/target.ts';
import { apiOrg, type ApiOrg } from '../../support/api-org.ts';
import { foundCollective, type Collective } from '../../support/collective.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.ts';

const privateAddresses = [
  '127.0.0.1',
  '127.1.2.3',
  '0.0.0.0',
  '10.0.0.1',
  '172.16.5.4',
  '192.168.1.1',
  '169.254.169.254', // cloud metadata
  '100.64.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '::1',
  '::',
  'fe80::1',
  'fc00::1',
  'fd12:3456::1',
  '::ffff:127.0.0.1',
  '::ffff:10.0.0.1',
  'ff02::1',
];

describe('webhook targets', () => {
  test('private, loopback, link-local and reserved addresses are not public; global ones are', () => {
    for (const a of privateAddresses) assert.equal(isPublicAddress(a), false, a);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:8.8.8.8'])
      assert.equal(isPublicAddress(a), true, a);
    assert.equal(isPublicAddress('not an address'), false);
  });

  test('checkTarget refuses a private host, by address or by a name resolving to one', async () => {
    for (const a of privateAddresses) {
      const host = a.includes(':') ? `[${a}]` : a;
      await assert.rejects(
        checkTarget(`http://${host}:8080/hook`, false),
        /private, loopback or reserved/,
        a,
      );
      await checkTarget(`http://${host}:8080/hook`, true);
    }
    await assert.rejects(checkTarget('http://localhost/hook', false), /localhost is .*private, loopback/);
    await checkTarget('https://93.184.216.34/hook', false);
  });

  describe('against a receiver on 127.0.0.1', () => {
    let rx: WebhookReceiver;
    let o: ApiOrg;
    let c: Collective;
    before(async () => {
      rx = await startWebhookReceiver();
      o = await apiOrg(); // the operator has not allowed private targets
      c = await foundCollective(o.service, o.app, 'Guarded');
    });
    after(async () => {
      await o.close();
      await rx.close();
    });

    test('the sender does not connect to it unless allowed, by address or by name', async () => {
      const settings = { allowPrivate: false, timeoutMs: 5_000 };
      const port = new URL(rx.url).port;
      const byAddress = await postWebhook(`${rx.url}/a`, {}, '{}', settings);
      assert.equal(byAddress.status, null);
      assert.match(byAddress.error!, /127\.0\.0\.1 is a private, loopback or reserved address/);
      const byName = await postWebhook(`http://localhost:${port}/b`, {}, '{}', settings);
      assert.equal(byName.status, null);
      assert.match(byName.error!, /private, loopback or reserved/);
      assert.equal(rx.received.length, 0);
      const allowed = await postWebhook(`http://localhost:${port}/c`, {}, '{}', {
        ...settings,
        allowPrivate: true,
      });
      assert.equal(allowed.status, 200);
      assert.deepEqual(
        rx.received.map((r) => r.path),
        ['/c'],
      );
    });

    test('an endpoint on a private address is refused when requested, and nothing is written', async () => {
      for (const url of [
        `${rx.url}/hook`,
        'http://localhost/hook',
        'http://[::1]/',
        'http://169.254.169.254/latest',
      ])
        await c.people.ana.fails(
          'POST',
          `/orgs/${c.orgId}/webhooks`,
          { url, events: ['vote.opened'] },
          400,
          'webhook_target_refused',
        );
      const requests = await c.people.ana.ok<{ requests: unknown[] }>('GET', `/orgs/${c.orgId}/requests`);
      assert.deepEqual(requests.requests, []);
    });
  });
});
