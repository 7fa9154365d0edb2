// Invitations by e-mail (docs/NOTIFICATIONS.md "Invitations by e-mail") through a real SMTP server, on SQLite and
// PostgreSQL: an invitation with an address sends one message with the link, in the inviter's language, and the
// link admits the person; without an address nothing is sent; a bad address is refused and writes nothing; with
// e-mail off the reply says nothing was sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runMail } from '../../src/server/mail/notifier.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, apiOrgWithMail, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import type { SmtpSink } from '../support/smtp-sink.ts';

interface Invited {
  invitationId: string;
  token: string;
  link: string;
  emailed: boolean;
}

/** The message's text with quoted-printable soft breaks and escapes undone (enough for ASCII links). */
const plain = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

for (const database of testDatabases()) {
  describe(`invitations by e-mail on ${database.name}`, () => {
    let sink: SmtpSink;
    let o: ApiOrg;
    let close: () => Promise<void>;
    before(async () => {
      ({ o, sink, close } = await apiOrgWithMail(await database.open()));
    });
    after(() => close());

    test('one message with the link, in the inviter’s language; the link admits; no address, no message', async () => {
      const ana = o.people.ana!;
      const path = `/orgs/${o.orgId}/councils/north/invitations`;
      const before = sink.received.length;
      const zoe = await ana.ok<Invited>('POST', path, { name: 'Zoe', email: ' Zoe@Example.org ' });
      assert.equal(zoe.emailed, true);
      await runMail(o.service);
      await sink.waitFor(before + 1);
      const [m] = sink.received.slice(before);
      assert.equal(m!.to, 'zoe@example.org');
      assert.equal(m!.headers.get('subject'), 'Ana invites you to Federation of Workers');
      const text = plain(m!.raw);
      assert.ok(text.includes(zoe.link), 'the link is in the message');
      assert.match(text, /to join North in Federation of Workers/);
      assert.match(text, /within 14 days/);
      // The link works: Zoe accepts with it.
      const joined = await new ApiClient(o.app).join(zoe.token, 'zoe@example.org');
      assert.ok(joined.memberId);

      // Sending again sends nothing more (one message per invitation).
      await runMail(o.service);
      assert.equal(sink.received.length, before + 1);
      // Once sent, the outbox keeps who and when, not the body: the link was readable there by anyone reading the
      // database for as long as the row stayed.
      const kept = await o.db.kysely
        .selectFrom('mail_outbox')
        .selectAll()
        .where('to_address', '=', 'zoe@example.org')
        .execute();
      assert.equal(kept.length, 1);
      assert.ok(kept[0]!.sent_at);
      assert.ok(!JSON.stringify(kept[0]).includes(zoe.token), 'no token in the sent row');

      // Without an address: the link only.
      const yan = await ana.ok<Invited>('POST', path, { name: 'Yan' });
      assert.equal(yan.emailed, false);

      // In Spanish when the inviter reads Spanish.
      await ana.ok('PUT', '/me/locale', { locale: 'es' });
      await ana.ok<Invited>('POST', path, { name: 'Xu', email: 'xu@example.org' });
      await runMail(o.service);
      await sink.waitFor(before + 2);
      const xu = sink.received.slice(before + 1);
      assert.deepEqual(
        xu.map((x) => [x.to, x.headers.get('subject')]),
        [['xu@example.org', 'Ana te invita a Federation of Workers']],
      );
      await ana.ok('PUT', '/me/locale', { locale: 'en' });
    });

    test('a bad address is refused naming the field, and nothing is written or sent', async () => {
      const ana = o.people.ana!;
      const logSize = async () => (await ana.ok<{ size: number }>('GET', `/orgs/${o.orgId}`)).size;
      const size = await logSize();
      const before = sink.received.length;
      const res = await ana.request('POST', `/orgs/${o.orgId}/councils/north/invitations`, {
        name: 'Wen',
        email: 'not an address',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_request');
      assert.equal(res.json().field, 'email');
      await runMail(o.service);
      assert.equal(await logSize(), size);
      assert.equal(sink.received.length, before);
    });
  });
}

describe('invitations when e-mail is off', () => {
  test('the reply says nothing was sent, and the link is given', async () => {
    const o = await apiOrg();
    try {
      const r = await o.people.ana!.ok<Invited>('POST', `/orgs/${o.orgId}/councils/north/invitations`, {
        name: 'Vic',
        email: 'vic@example.org',
      });
      assert.equal(r.emailed, false);
      assert.match(r.link, /\/invite\//);
    } finally {
      await o.close();
    }
  });
});
