// Account e-mail through a real SMTP server (docs/ACCOUNTS.md): with a relay configured, "forgot my password"
// mails a one-time link (the answer the same whether or not an account has the address, and nothing sent when none
// has), the link resets the password once; an e-mail change waits for the link sent to the new address. On SQLite
// and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { smtpTransport } from '../../src/server/mail/mailer.ts';
import { runMail } from '../../src/server/mail/notifier.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

/** The link to `path` in a received message (quoted-printable soft breaks joined). */
function linkIn(raw: string, path: string): string {
  const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = new RegExp(`http://127\\.0\\.0\\.1:3000/${path}/([A-Za-z0-9_-]{43})`).exec(text);
  assert.ok(m, `no ${path} link in ${raw.slice(0, 400)}`);
  return m[1]!;
}

for (const database of testDatabases()) {
  describe(`account e-mail on ${database.name}`, () => {
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
          mail: { transport, from: 'Councils <councils@councils.test>', publicUrl: 'http://127.0.0.1:3000' },
        },
      );
    });
    after(async () => {
      o.service.mail?.transport.close();
      await o.close();
      await sink.close();
    });

    test('a reset link by e-mail: the same answer for any address, one message, works once', async () => {
      const anon = new ApiClient(o.app);
      await anon.fails('GET', '/account', undefined, 401, 'unauthenticated');
      assert.deepEqual(await o.people.ana!.ok('GET', '/account'), {
        email: 'ana@example.org',
        resetBy: 'email',
      });
      const before = sink.received.length;
      const nobody = await anon.request('POST', '/password-resets', { email: 'nobody@example.org' });
      const ana = await anon.request('POST', '/password-resets', { email: 'Ana@Example.org' });
      assert.deepEqual([nobody.statusCode, nobody.json()], [202, { byEmail: true }]);
      assert.deepEqual([ana.statusCode, ana.json()], [202, { byEmail: true }]);
      await runMail(o.service);
      await sink.waitFor(before + 1);
      const sent = sink.received.slice(before);
      assert.deepEqual(
        sent.map((m) => m.to),
        ['ana@example.org'],
        'nothing is sent for an unknown address',
      );
      assert.equal(sent[0]!.headers.get('subject'), 'Reset your Councils password');
      const token = linkIn(sent[0]!.raw, 'reset');
      await anon.ok('POST', `/password-resets/${token}`, { password: 'gulls over the breakwater' });
      await o.people.ana!.fails('GET', '/me', undefined, 401, 'unauthenticated');
      await anon.fails(
        'POST',
        `/password-resets/${token}`,
        { password: 'another fine password' },
        410,
        'link_used',
      );
      await anon.ok('POST', '/session', { email: 'ana@example.org', password: 'gulls over the breakwater' });
    });

    test('an e-mail change waits for the link sent to the new address', async () => {
      const ben = o.people.ben!;
      const r = await ben.ok('POST', '/account/email', {
        email: 'ben@new.example',
        password: 'correct horse battery',
      });
      assert.deepEqual(r, { email: 'ben@example.org', confirmed: false });
      assert.deepEqual(await ben.ok('GET', '/account'), { email: 'ben@example.org', resetBy: 'email' });
      const before = sink.received.length;
      await runMail(o.service);
      await sink.waitFor(before + 1);
      const mail = sink.received.at(-1)!;
      assert.equal(mail.to, 'ben@new.example');
      const token = linkIn(mail.raw, 'confirm-email');
      const anon = new ApiClient(o.app);
      assert.deepEqual(await anon.ok('POST', `/email-confirmations/${token}`), {
        email: 'ben@new.example',
        confirmed: true,
      });
      await anon.fails('POST', `/email-confirmations/${token}`, undefined, 410, 'link_used');
      await anon.ok('POST', '/session', { email: 'ben@new.example', password: 'correct horse battery' });
    });
  });
}
