// Webhooks end to end over a real HTTP receiver on 127.0.0.1 (docs/NOTIFICATIONS.md "Webhooks"), on SQLite and
// PostgreSQL: registration only by k of n approvals, deliveries signed so that the standardwebhooks library verifies
// them, a receiver failing three times served on the fourth try with the same webhook-id, the delivery log, replay,
// secret rotation with both secrets signing for a day, an endpoint disabled after failing for the whole schedule
// and enabled again, removal, and targets on private addresses refused unless the operator allows them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import {
  makeAttempts,
  maxAttempts,
  retryDelaysSeconds,
  sendDueWebhooks,
} from '../../src/server/webhooks/sender.ts';
import { claimWebhookDelivery, dueWebhookDeliveries } from '../../src/store/webhook-repository.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { foundCollective, type Collective } from '../support/collective.ts';
import { testDatabases } from '../support/databases.ts';
import { startWebhookReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver.ts';

interface Requested {
  requestId: string;
  endpointId: string;
  secret: string | null;
}
interface Delivery {
  id: string;
  seq: number;
  eventType: string;
  attempts: number;
  deliveredAt: string | null;
  failedAt: string | null;
  lastStatus: number | null;
}

const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  });

for (const database of testDatabases()) {
  describe(`webhooks on ${database.name}`, () => {
    let o: ApiOrg;
    let c: Collective;
    let org: string;
    let rx: WebhookReceiver;
    let endpoint: Requested;

    /** Runs the sender until nothing is due now (the clock does not move). */
    const send = async () => {
      while ((await sendDueWebhooks(o.service)) > 0);
    };
    /** Moves the clock past the retry delay after attempt `n` (with its jitter), then sends what is due. */
    const afterAttempt = async (n: number) => {
      o.clock.t += Math.ceil(retryDelaysSeconds[n - 1]! * 1.1 + 1) * 1000;
      await send();
    };
    const move = (title: string) =>
      c.people.ben.ok<{ motionId: string; seq: number }>('POST', `/orgs/${org}/councils/all/motions`, {
        title,
        text: 'Text.',
      });
    const deliveries = (id = endpoint.endpointId) =>
      c.people.ana.ok<{ deliveries: Delivery[] }>('GET', `/orgs/${org}/webhooks/${id}/deliveries`);
    const of = (title: string) => rx.received.filter((r) => r.body.includes(`"title":"${title}"`));

    before(async () => {
      rx = await startWebhookReceiver();
      o = await apiOrg(await database.open(), undefined, {}, { webhooks: { allowPrivate: true } });
      c = await foundCollective(o.service, o.app, 'Hooked');
      org = c.orgId;
      await c.registerKeys();
    });
    after(async () => {
      await o.close();
      await rx.close();
    });

    test('an endpoint is registered only when two of the council approve; nothing is sent before', async () => {
      const { ana } = c.people;
      // The generic request route does not make webhook acts (they need their secret made with them).
      await ana.fails(
        'POST',
        `/orgs/${org}/requests`,
        { kind: 'register_webhook', content: { endpointId: 'x', url: rx.url, events: ['motion.moved'] } },
        400,
        'invalid_request',
      );
      await ana.fails(
        'POST',
        `/orgs/${org}/webhooks`,
        { url: 'ftp://x.example/', events: ['motion.moved'] },
        400,
        'invalid_request',
      );
      await ana.fails(
        'POST',
        `/orgs/${org}/webhooks`,
        { url: 'http://user:pw@127.0.0.1/', events: ['motion.moved'] },
        400,
        'invalid_request',
      );
      endpoint = await ana.ok<Requested>('POST', `/orgs/${org}/webhooks`, {
        url: `${rx.url}/hooks/councils`,
        events: ['motion.moved', 'privileged_act.done'],
      });
      assert.match(endpoint.secret!, /^whsec_/);
      // The secret is not in the log, nor shown again.
      const request = await ana.ok<{ content: Record<string, unknown> }>(
        'GET',
        `/orgs/${org}/requests/${endpoint.requestId}`,
      );
      assert.ok(!JSON.stringify(request).includes(endpoint.secret!.slice(6)));
      assert.deepEqual(
        (await ana.ok<{ endpoints: unknown[] }>('GET', `/orgs/${org}/webhooks`)).endpoints,
        [],
      );

      await move('Before approval');
      await c.approve('ana', endpoint.requestId);
      // One approval is not enough, even the requester's.
      await move('After one approval');
      await send();
      assert.equal(rx.received.length, 0);

      await c.approve('ben', endpoint.requestId);
      const list = await ana.ok<{ endpoints: { id: string; url: string; mayManage: boolean }[] }>(
        'GET',
        `/orgs/${org}/webhooks`,
      );
      assert.deepEqual(
        list.endpoints.map((e) => [e.id, e.url, e.mayManage]),
        [[endpoint.endpointId, `${rx.url}/hooks/councils`, true]],
      );
      // The first delivery announces the registration itself; the motions moved before it are not sent.
      await send();
      assert.equal(rx.received.length, 1);
      const first = verify(endpoint.secret!, rx.received[0]!) as { type: string; data: { payload: unknown } };
      assert.equal(first.type, 'privileged_act.done');
      assert.deepEqual(first.data.payload, { requestId: endpoint.requestId });
      assert.equal(rx.received[0]!.path, '/hooks/councils');
    });

    test('a delivery verifies with the standardwebhooks library and carries the entry as the record has it', async () => {
      const moved = await move('Verified');
      await send();
      const [r] = of('Verified');
      assert.ok(r, 'the motion was delivered');
      const body = verify(endpoint.secret!, r) as {
        type: string;
        timestamp: string;
        data: {
          organisation: string;
          council: string;
          seq: number;
          act: string;
          actor: string;
          payload: unknown;
        };
      };
      assert.equal(body.type, 'motion.moved');
      assert.equal(body.data.organisation, org);
      assert.equal(body.data.council, 'all');
      assert.equal(body.data.seq, moved.seq);
      assert.equal(body.data.actor, c.people.ben.memberId);
      const [entry] = await o.service.db.kysely
        .selectFrom('log_entries')
        .select('body')
        .where('org_id', '=', org)
        .where('seq', '=', moved.seq)
        .execute();
      assert.deepEqual(body.data.payload, JSON.parse(entry!.body).payload);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.match(String(r.headers['webhook-id']), /^msg_[A-Za-z0-9_-]+$/);
    });

    test('a receiver that fails three times gets the delivery on the fourth try, with the same webhook-id', async () => {
      rx.answerNext(3, 500);
      await move('Flaky');
      await send();
      for (let n = 1; n <= 3; n++) await afterAttempt(n);
      const tries = of('Flaky');
      assert.deepEqual(
        tries.map((t) => t.answered),
        [500, 500, 500, 200],
      );
      assert.equal(new Set(tries.map((t) => t.headers['webhook-id'])).size, 1);
      for (const t of tries) verify(endpoint.secret!, t);
      const d = (await deliveries()).deliveries.find((x) => x.id === tries[0]!.headers['webhook-id'])!;
      assert.equal(d.attempts, 4);
      assert.ok(d.deliveredAt);
      assert.equal(d.lastStatus, 200);
      const detail = await c.people.cai.ok<{
        attemptLog: { attempt: number; status: number | null }[];
        body: string;
      }>('GET', `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries/${d.id}`);
      assert.deepEqual(
        detail.attemptLog.map((a) => [a.attempt, a.status]),
        [
          [1, 500],
          [2, 500],
          [3, 500],
          [4, 200],
        ],
      );
      assert.equal(detail.body, tries[0]!.body);
      // Nothing more comes once delivered.
      await afterAttempt(4);
      assert.equal(of('Flaky').length, 4);
    });

    test('a failed attempt whose claim ran out and was taken by another sender leaves that claim alone', async () => {
      await move('Claimed twice');
      const q = o.service.db.kysely;
      const [d] = (await dueWebhookDeliveries(q, o.service.now(), 50)).filter((x) =>
        x.body.includes('"title":"Claimed twice"'),
      );
      assert.ok(d, 'the delivery is due');
      const at = (s: number) => new Date(o.clock.t + s * 1000).toISOString();
      // sender A claims attempt 1; its claim runs out (A hangs) and sender B claims attempt 2, held 20 s more
      assert.ok(await claimWebhookDelivery(q, d.id, 0, at(20)));
      o.clock.t += 21_000;
      assert.ok(await claimWebhookDelivery(q, d.id, 1, at(20)));
      // A's request is then answered 500: its attempt is logged, but B's claim still holds the delivery
      rx.answerNext(1, 500);
      await makeAttempts(o.service, [{ d, attempt: 1, replayedBy: null }]);
      const [row] = await q
        .selectFrom('webhook_deliveries')
        .select(['attempts', 'next_attempt_at', 'delivered_at'])
        .where('id', '=', d.id)
        .execute();
      assert.deepEqual(
        { ...row, attempts: Number(row!.attempts) },
        {
          attempts: 2,
          next_attempt_at: at(20),
          delivered_at: null,
        },
      );
      o.clock.t += 10_000;
      await send();
      assert.equal(of('Claimed twice').length, 1, 'not sent again while B holds it');
      // B's attempt is answered 200: delivered
      await makeAttempts(o.service, [{ d, attempt: 2, replayedBy: null }]);
      assert.deepEqual(
        of('Claimed twice').map((r) => r.answered),
        [500, 200],
      );
      const [done] = (await deliveries()).deliveries.filter((x) => x.id === d.id);
      assert.equal(done!.attempts, 2);
      assert.ok(done!.deliveredAt);
    });

    test('the due deliveries of more leased organisations than a statement may bind', async () => {
      await move('Among many');
      const many = Array.from({ length: 70_000 }, (_, i) => `made-up-${i}`);
      const due = await dueWebhookDeliveries(o.service.db.kysely, o.service.now(), 50, [...many, org]);
      assert.ok(due.some((x) => x.body.includes('"title":"Among many"')));
      assert.ok(due.every((x) => x.org_id === org));
      assert.deepEqual(await dueWebhookDeliveries(o.service.db.kysely, o.service.now(), 50, many), []);
      await send();
      assert.equal(of('Among many').length, 1);
    });

    test('a 429 or 503 with Retry-After puts the next attempt off as asked, in seconds or as a date, at most an hour', async () => {
      const ticks = async (seconds: number) => {
        o.clock.t += seconds * 1000;
        await send();
      };
      // Retry-After in seconds on a 429: not at the schedule's 5 s, but after the 120 asked for.
      rx.answerNext(1, 429, { 'retry-after': '120' });
      await move('Busy');
      await send();
      await ticks(10);
      assert.deepEqual(
        of('Busy').map((r) => r.answered),
        [429],
      );
      await ticks(111);
      assert.deepEqual(
        of('Busy').map((r) => r.answered),
        [429, 200],
      );
      // An HTTP-date on a 503, ten minutes on (by the server's clock).
      rx.answerNext(1, 503, { 'retry-after': new Date(o.clock.t + 600_000).toUTCString() });
      await move('Down for maintenance');
      await send();
      await ticks(590);
      assert.equal(of('Down for maintenance').length, 1);
      await ticks(11);
      assert.equal(of('Down for maintenance').length, 2);
      // Ten days asked: capped at an hour, so a receiver cannot hold its deliveries for days.
      rx.answerNext(1, 429, { 'retry-after': String(10 * 86_400) });
      await move('Stalling');
      await send();
      await ticks(3500);
      assert.equal(of('Stalling').length, 1);
      await ticks(101);
      assert.deepEqual(
        of('Stalling').map((r) => r.answered),
        [429, 200],
      );
      // Retry-After on another failure (500) is not a reason to wait: the schedule's 5 s hold.
      rx.answerNext(1, 500, { 'retry-after': '3000' });
      await move('Broken');
      await send();
      await ticks(7);
      assert.equal(of('Broken').length, 2);
    });

    test('a delivery is replayed with the same webhook-id and body, and the replay is in the log', async () => {
      const d = (await deliveries()).deliveries.find((x) => x.eventType === 'motion.moved')!;
      const before = rx.received.filter((r) => r.headers['webhook-id'] === d.id);
      const r = await c.people.cai.ok<{ delivered: boolean; status: number }>(
        'POST',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries/${d.id}/replay`,
      );
      assert.deepEqual(r, { delivered: true, status: 200, error: null });
      const now = rx.received.filter((x) => x.headers['webhook-id'] === d.id);
      assert.equal(now.length, before.length + 1);
      assert.equal(now.at(-1)!.body, before[0]!.body);
      verify(endpoint.secret!, now.at(-1)!);
      const detail = await c.people.ana.ok<{ attemptLog: { attempt: number; replayedBy: string | null }[] }>(
        'GET',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries/${d.id}`,
      );
      // the replay is attempt 0 of the log, by its member (found by what it is, not by its place: it may share
      // its time with the delivery's last attempt)
      assert.deepEqual(
        detail.attemptLog.filter((a) => a.replayedBy !== null).map((a) => [a.attempt, a.replayedBy]),
        [[0, c.people.cai.memberId]],
      );
      await c.people.cai.fails(
        'POST',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries/msg_nosuchthing/replay`,
        undefined,
        404,
        'not_found',
      );
    });

    test('a rotated secret: both sign for a day, then only the new one', async () => {
      const rotation = await c.people.cai.ok<Requested>(
        'POST',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/rotate`,
      );
      assert.match(rotation.secret!, /^whsec_/);
      assert.notEqual(rotation.secret, endpoint.secret);
      await move('Before rotation');
      await send();
      assert.equal(String(of('Before rotation')[0]!.headers['webhook-signature']).split(' ').length, 1);
      await c.approve('cai', rotation.requestId);
      await c.approve('ana', rotation.requestId);
      await move('During rotation');
      await send();
      const during = of('During rotation')[0]!;
      assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
      verify(endpoint.secret!, during);
      verify(rotation.secret!, during);
      o.clock.t += 25 * 3600 * 1000;
      await move('After rotation');
      await send();
      const later = of('After rotation')[0]!;
      verify(rotation.secret!, later);
      assert.throws(() => verify(endpoint.secret!, later));
      endpoint = { ...endpoint, secret: rotation.secret };
    });

    test('an endpoint failing for the whole schedule is disabled; enabled again, it sends what waited', async () => {
      rx.answerAlways(503);
      await move('Never answered');
      await send();
      for (let n = 1; n < maxAttempts; n++) await afterAttempt(n);
      assert.equal(of('Never answered').length, maxAttempts);
      const d = (await deliveries()).deliveries[0]!;
      assert.equal(d.attempts, maxAttempts);
      assert.ok(d.failedAt, 'given up');
      const list = await c.people.ana.ok<{ endpoints: { disabledReason: string | null }[] }>(
        'GET',
        `/orgs/${org}/webhooks`,
      );
      assert.equal(list.endpoints[0]!.disabledReason, 'failing');
      // Disabled: a new event waits, unsent.
      rx.answerAlways(null);
      await move('While disabled');
      await afterAttempt(1);
      assert.equal(of('While disabled').length, 0);
      await c.people.ben.ok('PUT', `/orgs/${org}/webhooks/${endpoint.endpointId}/enabled`, { enabled: true });
      await send();
      assert.equal(of('While disabled').length, 1);
      // The given-up one is replayed by hand.
      const r = await c.people.ben.ok<{ delivered: boolean }>(
        'POST',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries/${d.id}/replay`,
      );
      assert.equal(r.delivered, true);
      const after = (await deliveries()).deliveries.find((x) => x.id === d.id)!;
      assert.ok(after.deliveredAt);
      assert.equal(after.failedAt, null);
    });

    test('a receiver answering 410 Gone disables the endpoint at once', async () => {
      rx.answerNext(1, 410);
      await move('Gone');
      await send();
      const list = await c.people.ana.ok<{ endpoints: { disabledReason: string | null }[] }>(
        'GET',
        `/orgs/${org}/webhooks`,
      );
      assert.equal(list.endpoints[0]!.disabledReason, 'gone');
      await c.people.ana.ok('PUT', `/orgs/${org}/webhooks/${endpoint.endpointId}/enabled`, { enabled: true });
      await send();
      assert.equal(of('Gone').length, 1, 'a delivery refused with 410 is not retried');
    });

    test('the delivery log comes a page at a time, newest first, each delivery once', async () => {
      const all = (await deliveries()).deliveries;
      assert.ok(all.length > 5);
      const seen: number[] = [];
      let after: string | null = '';
      while (after !== null) {
        const page: { deliveries: Delivery[]; next: string | null } = await c.people.ana.ok(
          'GET',
          `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries?limit=2${after ? `&after=${after}` : ''}`,
        );
        assert.ok(page.deliveries.length <= 2);
        seen.push(...page.deliveries.map((d) => d.seq));
        after = page.next;
      }
      assert.deepEqual(
        seen,
        all.map((d) => d.seq),
      );
      assert.deepEqual(
        seen,
        [...seen].sort((a, b) => b - a),
      );
      await c.people.ana.fails(
        'GET',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries?after=x`,
        undefined,
        400,
        'invalid_request',
      );
    });

    test('a removed endpoint is sent nothing more', async () => {
      const removal = await c.people.ana.ok<Requested>(
        'POST',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/remove`,
      );
      assert.equal(removal.secret, null);
      rx.hold();
      await move('Just before removal');
      await c.approve('ana', removal.requestId);
      await c.approve('cai', removal.requestId);
      rx.release();
      await send();
      assert.equal(of('Just before removal').length, 0);
      await move('After removal');
      await send();
      assert.equal(of('After removal').length, 0);
      assert.deepEqual(
        (await c.people.ana.ok<{ endpoints: unknown[] }>('GET', `/orgs/${org}/webhooks`)).endpoints,
        [],
      );
      await c.people.ana.fails(
        'GET',
        `/orgs/${org}/webhooks/${endpoint.endpointId}/deliveries`,
        undefined,
        404,
        'not_found',
      );
    });
  });
}
