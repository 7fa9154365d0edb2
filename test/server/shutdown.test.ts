// A server's stop does not wait for the webhook and e-mail backlogs (docs/NOTIFICATIONS.md): with a receiver and a
// relay that hang, stopping the background senders ends the exchanges in flight and takes no further batch; what
// was not sent stays queued, due again at once for the next start. Real HTTP receiver, real SMTP server, on SQLite
// and PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { smtpTransport } from '../../src/server/mail/mailer.ts';
import { startMailer } from '../../src/server/mail/notifier.ts';
import { queueMessage } from '../../src/server/mail/outbox.ts';
import { startWebhookSender } from '../../src/server/webhooks/sender.ts';
import { apiOrg } from '../support/api-org.ts';
import { foundCollective } from '../support/collective.ts';
import { testDatabases } from '../support/databases.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `p` does, or fails when it has not within `ms` (a stop that waits for a hanging exchange). */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

for (const database of testDatabases()) {
  describe(`stopping the background senders on ${database.name}`, () => {
    test('webhooks: the requests in flight end, the backlog stays queued and due', async () => {
      const rx = await startWebhookReceiver();
      // a receiver's answer may take ten minutes here: only the stop can end the round in time
      const o = await apiOrg(
        await database.open(),
        undefined,
        {},
        { webhooks: { allowPrivate: true, timeoutMs: 600_000 } },
      );
      let stop: (() => Promise<void>) | undefined;
      try {
        const c = await foundCollective(o.service, o.app, 'Stopping');
        await c.registerKeys();
        await c.addWebhook(`${rx.url}/hook`);
        rx.hold();
        for (const title of ['One', 'Two', 'Three'])
          await c.people.ben.ok('POST', `/orgs/${c.orgId}/councils/all/motions`, { title, text: 'T.' });
        stop = startWebhookSender(o.service, 20);
        for (let i = 0; i < 2400 && rx.heldCount() < 3; i++) await sleep(25);
        assert.equal(rx.heldCount(), 3, 'the three requests are in flight');
        await within(stop(), 60_000, 'the stop');
        stop = undefined;
        const rows = await o.db.kysely
          .selectFrom('webhook_deliveries')
          .select(['attempts', 'delivered_at', 'failed_at', 'next_attempt_at'])
          .execute();
        assert.equal(rows.length, 3);
        for (const r of rows) {
          assert.equal(r.delivered_at, null);
          assert.equal(r.failed_at, null);
          assert.ok(r.next_attempt_at <= o.service.now(), 'due again at once');
        }
      } finally {
        await stop?.();
        await o.close();
        await rx.close();
      }
    });

    test('e-mail: the sends in flight end, the backlog stays queued and due', async () => {
      const sink = await startSmtpSink();
      const transport = smtpTransport(sink.url);
      const o = await apiOrg(
        await database.open(),
        undefined,
        {},
        {
          mail: {
            transport,
            from: 'Councils <c@councils.test>',
            publicUrl: 'http://councils.test',
            timeoutMs: 600_000,
          },
        },
      );
      let stop: (() => Promise<void>) | undefined;
      try {
        sink.hold();
        for (const subject of ['One', 'Two', 'Three'])
          await queueMessage(
            o.service.mail,
            o.db.kysely,
            { orgId: o.orgId, kind: 'test', to: 'someone@example.org', subject, text: subject },
            o.service.now(),
          );
        stop = startMailer(o.service, 20);
        for (let i = 0; i < 2400 && sink.heldCount() < 3; i++) await sleep(25);
        assert.equal(sink.heldCount(), 3, 'the three messages are in flight');
        await within(stop(), 60_000, 'the stop');
        stop = undefined;
        const rows = await o.db.kysely
          .selectFrom('mail_outbox')
          .select(['attempts', 'sent_at', 'failed_at', 'next_attempt_at'])
          .where('kind', '=', 'test')
          .execute();
        assert.equal(rows.length, 3);
        for (const r of rows) {
          assert.equal(r.sent_at, null);
          assert.equal(r.failed_at, null);
          assert.ok(r.next_attempt_at <= o.service.now(), 'due again at once');
        }
      } finally {
        await stop?.();
        transport.close();
        await o.close();
        await sink.close();
      }
    });
  });
}
