// Two processes sending one PostgreSQL database's e-mail outbox (docs/NOTIFICATIONS.md "The outbox"): no message is
// sent twice. A process sends only the messages of the organisations whose scheduler lease it holds, and a claim
// holds its message for the whole send (its deadline and a margin), so a message the relay has not answered past
// the first retry's 5 s is not sent again by the other process, even once the lease has passed to it. Two services
// with their own connections on one real PostgreSQL database and a real SMTP server; PostgreSQL only (an SQLite
// file has one process).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { smtpTransport } from '../../src/server/mail/mailer.ts';
import { sendDueMail, startMailer } from '../../src/server/mail/notifier.ts';
import { queueMessage } from '../../src/server/mail/outbox.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase } from '../../src/store/database.ts';
import { apiOrg } from '../support/api-org.ts';
import { sharedDatabase } from '../support/crash-runs.ts';
import { TestClock } from '../support/databases.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';

const pgUrl = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const publicUrl = 'http://councils.test';

describe('the e-mail outbox with two processes on one PostgreSQL database', { skip: !pgUrl }, () => {
  test('a message in flight is sent by one process only, before and after the lease changes hands', async () => {
    const shared = await sharedDatabase('postgres', pgUrl);
    const sink = await startSmtpSink();
    const mailOf = () => ({
      transport: smtpTransport(sink.url),
      from: 'Councils <c@councils.test>',
      publicUrl,
    });
    const a = await apiOrg(await openDatabase(shared.url), undefined, {}, { mail: mailOf() });
    const clockB = new TestClock(a.clock.t);
    const b = new CouncilsService(await openDatabase(shared.url), clockB, {
      keyDir: a.keyDir,
      mail: mailOf(),
    });
    const stops: (() => Promise<void>)[] = [];
    try {
      const queue = (subject: string) =>
        queueMessage(
          a.service.mail,
          a.db.kysely,
          { orgId: a.orgId, kind: 'test', to: 'someone@example.org', subject, text: subject },
          a.service.now(),
        );
      const withSubject = (subject: string) =>
        sink.received.filter((m) => m.headers.get('subject') === subject);

      sink.hold();
      await queue('Held');
      const round = sendDueMail(a.service, a.service.mail!);
      for (let i = 0; i < 1200 && sink.heldCount() === 0; i++) await sleep(25);
      assert.equal(sink.heldCount(), 1, 'process A handed the message to the relay');
      // Past the first retry's time (5 s) while A's message is in flight: B, without the lease, sends nothing.
      clockB.t = a.clock.t + 10_000;
      assert.equal(await sendDueMail(b, b.mail!), 0);
      // A's lease passes to B (as when A's lease connection is lost): B takes it, and the claim still holds.
      await a.service.leases.release();
      clockB.t = a.clock.t + 15_000;
      assert.equal(await sendDueMail(b, b.mail!), 0);
      assert.equal(sink.heldCount(), 1, 'nobody sent it again');
      sink.release();
      assert.equal(await round, 1);
      clockB.t = a.clock.t + 2 * 3600_000;
      assert.equal(await sendDueMail(b, b.mail!), 0, 'sent: nothing is due');
      assert.equal(withSubject('Held').length, 1);

      // Both senders running, as two `councils serve` do: every message reaches the relay once.
      clockB.t = a.clock.t;
      stops.push(startMailer(a.service, 20), startMailer(b, 20));
      const subjects = Array.from({ length: 8 }, (_, i) => `Message ${i}`);
      for (const s of subjects) await queue(s);
      await sink.waitFor(1 + subjects.length, 60_000);
      const rows = () => a.db.kysely.selectFrom('mail_outbox').select(['attempts', 'sent_at']).execute();
      for (let i = 0; i < 2400 && (await rows()).some((r) => r.sent_at === null); i++) await sleep(25);
      assert.deepEqual(
        subjects.map((s) => withSubject(s).length),
        subjects.map(() => 1),
      );
      const done = await rows();
      assert.equal(done.length, subjects.length + 1);
      assert.ok(done.every((r) => r.sent_at !== null && Number(r.attempts) === 1));
    } finally {
      await Promise.all(stops.map((stop) => stop()));
      a.service.mail?.transport.close();
      b.mail?.transport.close();
      await b.leases.release();
      await b.db.close();
      await a.close();
      await sink.close();
      await shared.drop();
    }
  });
});
