// A send cut by its deadline is given up for real (docs/NOTIFICATIONS.md "The outbox"). E-mail
// (src/server/mail/notifier.ts withDeadline): with a real SMTP server that holds its answer, the sender counts the
// message failed when its send is cut (by the stop signal here, the deadline's own path) and closes the connection
// carrying it, so the relay, which had not been sent the end of the message, cannot accept it afterwards; sent
// again, it is delivered once (before, the exchange went on in the background and the message came twice).
// Webhooks (src/server/webhooks/sender.ts postWebhook): with a real receiver that hangs, the request is destroyed
// when cut (the stop signal, the deadline's path), and an answer given later reaches nobody. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { smtpTransport } from '../../src/server/mail/mailer.ts';
import { sendDueMail } from '../../src/server/mail/notifier.ts';
import { queueMessage } from '../../src/server/mail/outbox.ts';
import { sendDueWebhooks } from '../../src/server/webhooks/sender.ts';
import { apiOrg } from '../support/api-org.ts';
import { foundCollective } from '../support/collective.ts';
import { testDatabases } from '../support/databases.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const database of testDatabases()) {
  describe(`a send past its deadline on ${database.name}`, () => {
    test('e-mail: aborted: the connection closes, the held message is not accepted, and the next attempt delivers it once', async () => {
      const sink = await startSmtpSink();
      const transport = smtpTransport(sink.url);
      const mail = {
        transport,
        from: 'Councils <c@councils.test>',
        publicUrl: 'http://councils.test',
        // the cut comes from the stop signal once the relay holds the message, not from a deadline the exchange
        // must beat (the same giveUp path): no dependence on the machine's speed
        timeoutMs: 600_000,
      };
      const o = await apiOrg(await database.open(), undefined, {}, { mail });
      try {
        await queueMessage(
          mail,
          o.db.kysely,
          { orgId: o.orgId, kind: 'test', to: 'someone@example.org', subject: 'Held', text: 'Held.' },
          o.service.now(),
        );
        sink.hold();
        const stopping = new AbortController();
        const sending = sendDueMail(o.service, mail, 20, stopping.signal);
        for (let i = 0; i < 4800 && sink.heldCount() < 1; i++) await sleep(25);
        assert.equal(sink.heldCount(), 1, 'the message reached the relay, which holds its answer');
        stopping.abort();
        assert.equal(await sending, 0, 'the relay did not answer before the send was cut');
        const row = await o.db.kysely
          .selectFrom('mail_outbox')
          .select(['attempts', 'sent_at', 'last_error'])
          .where('kind', '=', 'test')
          .executeTakeFirstOrThrow();
        assert.equal(Number(row.attempts), 1);
        assert.equal(row.sent_at, null);
        assert.match(String(row.last_error), /the server stopped before the relay answered/);
        // the exchange is given up: the sender closes its connection (waited for, under load, up to 30 s)
        for (let i = 0; i < 1200 && sink.openConnections() > 0; i++) await sleep(25);
        assert.equal(sink.openConnections(), 0, 'the connection carrying the cut send is closed');
        sink.release();
        // the next attempt, once due, delivers it (the held one's sender has gone: its answer accepts nothing)
        o.clock.advanceMinutes(60);
        assert.equal(await sendDueMail(o.service, mail), 1);
        await sink.waitFor(1);
        assert.deepEqual(
          sink.received.map((m) => m.headers.get('subject')),
          ['Held'],
        );
      } finally {
        transport.close();
        await o.close();
        await sink.close();
      }
    });

    test('webhooks: the request is destroyed, and a late answer from the receiver reaches nobody', async () => {
      const rx = await startWebhookReceiver();
      const o = await apiOrg(
        await database.open(),
        undefined,
        {},
        { webhooks: { allowPrivate: true, timeoutMs: 600_000 } },
      );
      try {
        const c = await foundCollective(o.service, o.app, 'Deadline');
        await c.registerKeys();
        await c.addWebhook(`${rx.url}/hook`);
        rx.hold();
        await c.people.ben.ok('POST', `/orgs/${c.orgId}/councils/all/motions`, { title: 'Held', text: 'T.' });
        const stopping = new AbortController();
        const sending = sendDueWebhooks(o.service, 50, stopping.signal);
        for (let i = 0; i < 4800 && rx.heldCount() < 1; i++) await sleep(25);
        assert.equal(rx.heldCount(), 1, 'the request reached the receiver, which holds its answer');
        stopping.abort();
        assert.equal(await sending, 1, 'one attempt made');
        const row = await o.db.kysely
          .selectFrom('webhook_deliveries')
          .select(['attempts', 'delivered_at'])
          .executeTakeFirstOrThrow();
        assert.equal(Number(row.attempts), 1);
        assert.equal(row.delivered_at, null);
        await rx.heldClosed(30_000);
        rx.release();
        assert.equal(rx.received[0]!.answered, null, 'the connection was closed before the answer');
      } finally {
        await o.close();
        await rx.close();
      }
    });
  });
}
