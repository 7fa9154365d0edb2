// Petitions and privileged requests that run out of time, through the scheduler over the in-process API on SQLite
// and PostgreSQL with a real SMTP server (src/core/power/expiry.ts, docs/POWER.md "Expiry"): the scheduler records
// each expiry once, when its deadline passes (not a minute before), those who made or backed it receive one e-mail
// in their language, and the record with the new entries replays with every check passing; thousands due at once
// are recorded in passes of 500 without holding up the organisation's other due acts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { replayEntries, type Entry } from '../../src/core/index.ts';
import { runMail } from '../../src/server/mail/notifier.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { apiOrg, apiOrgWithMail, electViaApi } from '../support/api-org.ts';
import type { ApiClient } from '../support/api-client.ts';
import { testDatabases } from '../support/databases.ts';

const day = 24 * 60;

for (const database of testDatabases()) {
  describe(`expiry of petitions and requests on ${database.name}`, () => {
    test('the scheduler records each expiry at its deadline, once, and tells who made or backed it', async () => {
      // North (ana, ben, cai) needs all three signatures; nobody approves anything
      const { o, sink, close } = await apiOrgWithMail(await database.open(), {
        power: { petitions: { threshold: { kind: 'absolute', count: 3 } } },
      });
      try {
        const { ana, ben, cai } = o.people as Record<string, ApiClient>;
        await ben!.ok('PUT', '/me/locale', { locale: 'es' });
        const { petitionId } = await ana!.ok<{ petitionId: string }>('POST', `/orgs/${o.orgId}/petitions`, {
          kind: 'agenda',
          councilId: 'north',
          title: 'A rota',
          text: 'Share the night shifts.',
        });
        await ben!.ok('POST', `/orgs/${o.orgId}/petitions/${petitionId}/signatures`);
        const { requestId } = await ben!.ok<{ requestId: string }>('POST', `/orgs/${o.orgId}/requests`, {
          kind: 'expel_member',
          content: { memberId: cai!.memberId, reason: 'never came' },
        });
        // read from the database: the members' sessions end meanwhile
        const log = async () => {
          const entries: Entry[] = [];
          for await (const e of readEntries(o.db.kysely, o.orgId)) entries.push(e);
          return entries;
        };
        const expiries = async () =>
          (await log()).filter((e) => e.act === 'petition_expired' || e.act === 'privileged_act_expired');

        // the request's 14 days: nothing a minute before, its expiry at the minute, once
        o.clock.advanceMinutes(14 * day - 1);
        await runDueActs(o.service);
        assert.deepEqual(await expiries(), []);
        o.clock.advanceMinutes(1);
        await runDueActs(o.service);
        await runDueActs(o.service);
        assert.deepEqual(
          (await expiries()).map((e) => [e.act, e.actor, e.payload]),
          [['privileged_act_expired', null, { requestId }]],
        );
        // the petition's 30 days
        o.clock.advanceMinutes(16 * day);
        await runDueActs(o.service);
        await runDueActs(o.service);
        assert.deepEqual(
          (await expiries()).map((e) => [e.act, e.actor, e.payload]),
          [
            ['privileged_act_expired', null, { requestId }],
            ['petition_expired', null, { petitionId }],
          ],
        );

        // E-mail ("immediately" by default): the requester of the request; the opener and the signer of the
        // petition, each in their language; the member who did neither, nothing (ana was asked to approve the
        // request when it was made, but gave no approval)
        await runMail(o.service);
        await runMail(o.service);
        const about = (path: string) =>
          sink.received
            .filter((m) => m.raw.includes(path) && /expired|caducad/.test(m.raw))
            .map((m) => m.to)
            .sort();
        assert.deepEqual(about(`/requests/${requestId}`), ['ben@example.org']);
        assert.deepEqual(about(`/petitions/${petitionId}`), ['ana@example.org', 'ben@example.org']);
        const to = (who: string, path: string) =>
          sink.received.find((m) => m.to === who && m.raw.includes(path))!.raw;
        assert.match(to('ana@example.org', `/petitions/${petitionId}`), /A petition expired/);
        assert.match(to('ben@example.org', `/petitions/${petitionId}`), /ha caducado/);

        // The record replays, the expiries checked against their deadlines
        const checks = await replayEntries(await log());
        assert.ok(
          checks.every((c) => c.status === 'pass'),
          JSON.stringify(checks),
        );
      } finally {
        await close();
      }
    });

    test('thousands due at once are recorded 500 a pass, and the steps after run in the same pass', async () => {
      // A record kept before expiries were recorded: 7,000 petitions past their deadline, and a deputy whose
      // term ends. Before, the one transaction of 7,000 expiries and their notice rows failed on SQLite (too
      // many bound parameters), and with it every pass of the organisation's scheduler before the mandates.
      const o = await apiOrg(await database.open(), {
        power: { petitions: { threshold: { kind: 'absolute', count: 3 } } },
      });
      try {
        const mandateId = await electViaApi(o, 'north', 'ana', ['ana', 'ben', 'cai']);
        const ledger = o.service.ledger(o.orgId);
        const opener = o.people.ben!.memberId!;
        const opened = await Promise.all(
          Array.from({ length: 7000 }, (_, i) =>
            ledger.execute(
              { type: 'open_petition', kind: 'agenda', councilId: 'north', title: `P${i}`, text: 'x' },
              opener,
            ),
          ),
        );
        assert.ok(opened.every((r) => r.ok));
        const termEnds = (await ledger.current()).mandates.get(mandateId)!.termEnds;
        o.clock.t = Math.max(Date.parse(termEnds), o.clock.t + 30 * day * 60_000);

        const acts = await runDueActs(o.service);
        const state = await ledger.current();
        assert.notEqual(state.mandates.get(mandateId)!.endedAt, null, 'the term ended in the same pass');
        const expired = async () =>
          [...(await ledger.current()).power.petitions.values()].filter((p) => p.expiredAt !== null).length;
        assert.equal(await expired(), 500);
        assert.ok(acts >= 501);
        for (let pass = 0; pass < 20 && (await expired()) < 7000; pass++) await runDueActs(o.service);
        assert.equal(await expired(), 7000, 'the rest on the passes after');
        const notices = await o.db.kysely
          .selectFrom('notice_outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('act', '=', 'petition_expired')
          .executeTakeFirstOrThrow();
        assert.equal(Number(notices.n), 7000, 'one notice row each');
      } finally {
        await o.close();
      }
    });
  });
}
