// Two processes sending one PostgreSQL database's webhook outbox (docs/NOTIFICATIONS.md "Deliveries"): no delivery is
// sent twice. A process sends only the deliveries of the organisations whose scheduler lease it holds, and a claim
// holds its delivery for the whole exchange, so a request still in flight past the first retry's 5 s is not sent
// again by the other process, even once the lease has passed to it. Two services with their own connections on one
// real PostgreSQL database and a real receiver; PostgreSQL only (an SQLite file has one process).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CouncilsService } from '../../src/server/service.ts';
import { sendDueWebhooks, startWebhookSender } from '../../src/server/webhooks/sender.ts';
import { openDatabase } from '../../src/store/database.ts';
import { apiOrg } from '../support/api-org.ts';
import { foundCollective } from '../support/collective.ts';
import { sharedDatabase } from '../support/crash-runs.ts';
import { TestClock } from '../support/databases.ts';
import { startWebhookReceiver, type Received } from '../support/webhook-receiver.ts';

const pgUrl = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the webhook outbox with two processes on one PostgreSQL database', { skip: !pgUrl }, () => {
  test('a delivery in flight is sent by one process only, before and after the lease changes hands', async () => {
    const shared = await sharedDatabase('postgres', pgUrl);
    const rx = await startWebhookReceiver();
    const a = await apiOrg(
      await openDatabase(shared.url),
      undefined,
      {},
      { webhooks: { allowPrivate: true } },
    );
    const clockB = new TestClock(a.clock.t);
    const b = new CouncilsService(await openDatabase(shared.url), clockB, {
      keyDir: a.keyDir,
      webhooks: { allowPrivate: true },
    });
    const stops: (() => void)[] = [];
    try {
      const c = await foundCollective(a.service, a.app, 'Paired');
      const org = c.orgId;
      await c.registerKeys();
      await c.addWebhook(`${rx.url}/hook`);
      const move = (title: string) =>
        c.people.ben.ok('POST', `/orgs/${org}/councils/all/motions`, { title, text: 'T.' });
      const titled = (title: string) => (r: Received) => r.body.includes(`"title":"${title}"`);

      rx.hold();
      await move('Held');
      const round = sendDueWebhooks(a.service);
      for (let i = 0; i < 1200 && rx.heldCount() === 0; i++) await sleep(25);
      assert.equal(rx.heldCount(), 1, 'process A sent the delivery');
      // Past the first retry's time (5 s) while A's request is in flight: B, without the lease, sends nothing.
      clockB.t = a.clock.t + 10_000;
      assert.equal(await sendDueWebhooks(b), 0);
      // A's lease passes to B (as when A's lease connection is lost): B takes it, and the claim still holds.
      await a.service.leases.release();
      clockB.t = a.clock.t + 15_000;
      assert.equal(await sendDueWebhooks(b), 0);
      assert.equal(rx.matching(titled('Held')).length, 1);
      rx.release();
      assert.equal(await round, 1);
      clockB.t = a.clock.t + 2 * 3600_000;
      assert.equal(await sendDueWebhooks(b), 0, 'delivered: nothing is due');
      assert.deepEqual(
        rx.matching(titled('Held')).map((r) => r.answered),
        [200],
      );

      // Both senders running, as two `councils serve` do: every delivery reaches the receiver once.
      clockB.t = a.clock.t;
      stops.push(startWebhookSender(a.service, 20), startWebhookSender(b, 20));
      const titles = Array.from({ length: 8 }, (_, i) => `Motion ${i}`);
      for (const t of titles) await move(t);
      await rx.waitForMatching((r) => titles.some((t) => titled(t)(r)), titles.length, 60_000);
      const ids = rx.received.map((r) => String(r.headers['webhook-id']));
      assert.equal(new Set(ids).size, ids.length, 'no webhook-id came twice');
      // the receiver answers before the sender writes the outcome: wait for the rows, within a deadline
      const rows = () =>
        a.db.kysely.selectFrom('webhook_deliveries').select(['attempts', 'delivered_at']).execute();
      for (let i = 0; i < 2400 && (await rows()).some((r) => r.delivered_at === null); i++) await sleep(25);
      const done = await rows();
      assert.equal(done.length, titles.length + 1);
      assert.ok(done.every((r) => r.delivered_at !== null && Number(r.attempts) === 1));
    } finally {
      for (const stop of stops) stop();
      await b.leases.release();
      await b.db.close();
      await a.close();
      await rx.close();
      await shared.drop();
    }
  });
});
