// Standard Webhooks signatures (src/server/webhooks/signing.ts): the published vector, and the scheme's own library
// (standardwebhooks, an independent implementation) accepting what we sign and refusing what we did not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, webhookHeaders, webhookSignature } from '../../../src/server/webhooks/signing.ts';

const vector = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../vectors/standard-webhooks/sign-vector.json'), 'utf8'),
) as { secret: string; msgId: string; timestamp: number; payload: string; signature: string };

describe('Standard Webhooks signing', () => {
  test("the library's published vector", () => {
    assert.equal(
      webhookSignature(vector.secret, vector.msgId, vector.timestamp, vector.payload),
      vector.signature,
    );
    // The secret without its whsec_ prefix signs the same.
    assert.equal(
      webhookSignature(vector.secret.slice(6), vector.msgId, vector.timestamp, vector.payload),
      vector.signature,
    );
  });

  test('a new secret is whsec_ and 32 random bytes, never the same twice', () => {
    const a = newWebhookSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    assert.notEqual(a, newWebhookSecret());
  });

  test('the standardwebhooks verifier accepts our headers, with one secret or two', () => {
    const [s1, s2] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({
      type: 'vote.opened',
      timestamp: '2026-12-06T21:00:00.000Z',
      data: { seq: 4 },
    });
    const now = Math.floor(Date.now() / 1000);
    const one = webhookHeaders([s1], 'msg_abc', now, body);
    assert.deepEqual(new Webhook(s1).verify(body, one), JSON.parse(body));
    // During a rotation both sign: a receiver with either secret accepts.
    const both = webhookHeaders([s2, s1], 'msg_abc', now, body);
    assert.equal(both['webhook-signature'].split(' ').length, 2);
    assert.doesNotThrow(() => new Webhook(s1).verify(body, both));
    assert.doesNotThrow(() => new Webhook(s2).verify(body, both));
  });

  test('the verifier refuses another secret, a changed body, id or timestamp', () => {
    const s = newWebhookSecret();
    const body = '{"type":"vote.closed"}';
    const now = Math.floor(Date.now() / 1000);
    const h = webhookHeaders([s], 'msg_abc', now, body);
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, h));
    assert.throws(() => new Webhook(s).verify('{"type":"vote.opened"}', h));
    assert.throws(() => new Webhook(s).verify(body, { ...h, 'webhook-id': 'msg_abd' }));
    assert.throws(() => new Webhook(s).verify(body, { ...h, 'webhook-timestamp': String(now + 1) }));
  });
});
