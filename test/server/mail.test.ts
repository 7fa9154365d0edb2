// E-mail through a real SMTP server (docs/NOTIFICATIONS.md): the electors who chose "immediately" get one message
// each when a vote opens, the rest of the day's notices come in one digest, a refused message is retried, and the
// one-click unsubscribe (RFC 8058) stops that kind; on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { smtpTransport } from '../../src/server/mail/mailer.ts';
import { runMail } from '../../src/server/mail/notifier.ts';
import { queueMessage } from '../../src/server/mail/outbox.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

const publicUrl = 'http://councils.test';

/** The text of a quoted-printable body (soft line breaks joined, =XX bytes decoded as UTF-8). */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');
}

for (const database of testDatabases()) {
  describe(`e-mail on ${database.name}`, () => {
    let sink: SmtpSink;
    let o: ApiOrg;
    before(async () => {
      sink = await startSmtpSink();
      const transport = smtpTransport(sink.url);
      o = await apiOrg(
        await database.open(),
        undefined,
        {},
        {
          mail: { transport, from: 'Councils <councils@councils.test>', publicUrl },
        },
      );
    });
    after(async () => {
      o.service.mail?.transport.close();
      await o.close();
      await sink.close();
    });

    test('a vote opens: each elector who chose "immediately" gets one message; a digest holds the day', async () => {
      const org = o.orgId;
      const { ana, ben, cai, dan } = o.people as Record<string, NonNullable<(typeof o.people)[string]>>;
      const settings = await ana!.ok<{
        enabled: boolean;
        address: string;
        deliveries: Record<string, string>;
      }>('GET', `/orgs/${org}/mail-settings`);
      assert.equal(settings.enabled, true);
      assert.equal(settings.address, 'ana@example.org');
      assert.equal(settings.deliveries.vote_open, 'digest');
      assert.equal(settings.deliveries.recall_petition, 'immediately');
      for (const who of [ana, ben])
        await who!.ok('PUT', `/orgs/${org}/mail-settings`, { deliveries: { vote_open: 'immediately' } });
      await dan!.ok('PUT', `/orgs/${org}/mail-settings`, { deliveries: { vote_open: 'immediately' } });
      await cai!.fails(
        'PUT',
        `/orgs/${org}/mail-settings`,
        { deliveries: { vote_open: 'often' } },
        400,
        'invalid_request',
      );

      const { motionId } = await ben!.ok<{ motionId: string }>(
        'POST',
        `/orgs/${org}/councils/north/motions`,
        {
          title: 'Longer opening hours',
          text: 'Open the hall until ten.',
        },
      );
      await ben!.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
      await runMail(o.service);
      await runMail(o.service); // a second round sends nothing again
      const now = sink.received.map((m) => m.to).sort();
      assert.deepEqual(now, ['ana@example.org', 'ben@example.org']); // Dan is no elector of the north
      const m = sink.received[0]!;
      assert.equal(m.headers.get('subject'), 'Vote open: Longer opening hours');
      assert.match(m.headers.get('message-id')!, /^<[0-9a-f]{32}@councils\.test>$/);
      assert.equal(m.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      assert.match(
        m.headers.get('list-unsubscribe')!,
        /^<http:\/\/councils\.test\/api\/v1\/unsubscribe\/[^>]+>$/,
      );
      assert.match(m.headers.get('content-type')!, /multipart\/alternative/);
      assert.ok(m.raw.includes('text/html') && m.raw.includes('text/plain'));
      assert.ok(m.raw.includes(`${publicUrl}/motions/${motionId}`));
      assert.notEqual(
        sink.received[0]!.headers.get('message-id'),
        sink.received[1]!.headers.get('message-id'),
      );

      // The next day (UTC), the day's other notices come in one digest per member: Cai has the debate and the
      // vote; Ana the debate only (her vote came at once); Ben moved it himself, and chose the vote at once.
      // Cai reads the app in Spanish: her digest is in Spanish.
      await cai!.ok('PUT', '/me/locale', { locale: 'es' });
      o.clock.advanceMinutes(24 * 60);
      await runMail(o.service);
      await runMail(o.service);
      const digests = sink.received.slice(2);
      assert.deepEqual(digests.map((d) => d.to).sort(), ['ana@example.org', 'cai@example.org']);
      const caiDigest = digests.find((d) => d.to === 'cai@example.org')!;
      assert.match(caiDigest.headers.get('subject')!, /^Councils: lo ocurrido en /);
      const caiText = decodeQuotedPrintable(caiDigest.raw);
      assert.ok(caiText.includes('Una moción de tu consejo está en debate: Longer opening hours.'));
      assert.ok(caiText.includes('Hay una votación abierta en la que eres elector: Longer opening hours.'));
      const anaText = decodeQuotedPrintable(digests.find((d) => d.to === 'ana@example.org')!.raw);
      assert.ok(anaText.includes('A motion in your council is in debate: Longer opening hours.'));
      const anaDigest = digests.find((d) => d.to === 'ana@example.org')!;
      assert.ok(!anaDigest.raw.includes('A vote is open'));

      // One-click unsubscribe from Ana's vote message: a POST of the form RFC 8058 gives, no session needed.
      const url = new URL(m.headers.get('list-unsubscribe')!.slice(1, -1));
      const anaMessage = sink.received.find((x) => x.to === 'ana@example.org')!;
      const anaUrl = new URL(anaMessage.headers.get('list-unsubscribe')!.slice(1, -1));
      const r = await o.app.inject({
        method: 'POST',
        url: anaUrl.pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json(), { unsubscribed: ['vote_open'] });
      const after = await ana!.ok<{ deliveries: Record<string, string> }>(
        'GET',
        `/orgs/${org}/mail-settings`,
      );
      assert.equal(after.deliveries.vote_open, 'never');
      // A GET does not unsubscribe (mail scanners follow links); a forged token is refused.
      const page = await o.app.inject({ method: 'GET', url: url.pathname });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /credentials:'omit'/);
      const forged = url.pathname.slice(0, -3) + (url.pathname.endsWith('AAA') ? 'BBB' : 'AAA');
      const bad = await o.app.inject({ method: 'POST', url: forged, payload: '' });
      assert.equal(bad.statusCode, 404);
    });

    test('a message the relay refuses is retried with backoff and delivered once', async () => {
      const org = o.orgId;
      const { cai, ben } = o.people as Record<string, NonNullable<(typeof o.people)[string]>>;
      await cai!.ok('PUT', `/orgs/${org}/mail-settings`, { deliveries: { motion_debate: 'immediately' } });
      const before = sink.received.length;
      sink.refuse(1);
      await ben!.ok('POST', `/orgs/${org}/councils/north/motions`, {
        title: 'Bike racks',
        text: 'Ten of them.',
      });
      await runMail(o.service);
      assert.equal(sink.received.length, before); // refused (451): not yet
      await runMail(o.service);
      assert.equal(sink.received.length, before); // its next attempt is not due yet
      o.clock.advanceMinutes(1);
      await runMail(o.service);
      await runMail(o.service);
      const got = sink.received.slice(before);
      assert.deepEqual(
        got.map((x) => [x.to, x.headers.get('subject')]),
        [['cai@example.org', 'En debate: Bike racks']],
      );
    });
    test("a message queued in an act's transaction is sent once; with e-mail off nothing is queued", async () => {
      const message = {
        orgId: o.orgId,
        kind: 'password_reset',
        to: 'ana@example.org',
        subject: 'Reset your password',
        text: 'Open this link to choose a new password:\n\nhttp://councils.test/reset/abc',
        id: 'password_reset:test-1',
      };
      const before = sink.received.length;
      await o.db.kysely.transaction().execute(async (trx) => {
        assert.equal(await queueMessage(o.service.mail, trx, message, o.service.now()), true);
        assert.equal(await queueMessage(o.service.mail, trx, message, o.service.now()), true); // same id: once
      });
      // A transaction that rolls back queues nothing.
      await assert.rejects(
        o.db.kysely.transaction().execute(async (trx) => {
          await queueMessage(
            o.service.mail,
            trx,
            { ...message, id: 'password_reset:rolled-back' },
            o.service.now(),
          );
          throw new Error('the act failed');
        }),
      );
      assert.equal(
        await queueMessage(null, o.db.kysely, { ...message, id: 'password_reset:off' }, o.service.now()),
        false,
      );
      await runMail(o.service);
      await runMail(o.service);
      const got = sink.received.slice(before);
      assert.deepEqual(
        got.map((m) => [m.to, m.headers.get('subject')]),
        [['ana@example.org', 'Reset your password']],
      );
      assert.match(got[0]!.raw, /<a href=(3D)?"http:\/\/councils\.test\/reset\/abc">/); // quoted-printable
    });
  });
}
