// Kill -9 between writing an entry and delivering its webhook (docs/NOTIFICATIONS.md "Deliveries"): motions are
// moved (their deliveries written with their entries), then a `councils serve` child is killed while the receiver
// holds its answer, once per motion, or at once; after a restart every delivery reaches the receiver and is
// answered once, under the webhook-id it was first sent with, and the signature verifies. On SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { openDatabase } from '../../src/store/database.ts';
import { apiOrg } from '../support/api-org.ts';
import { foundCollective } from '../support/collective.ts';
import { sharedDatabase } from '../support/crash-runs.ts';
import { serveProcess } from '../support/serve-process.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

const runs = Number(process.env.COUNCILS_CRASH_RUNS ?? 2);
const kinds = (['sqlite', 'postgres'] as const).filter(
  (k) => k === 'sqlite' || process.env.TEST_DATABASE_URL,
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The databases side by side (each its own database, server processes and receiver): most of the test is waiting.
describe('kill -9 before a webhook is delivered', { concurrency: true }, () => {
  for (const kind of kinds) {
    describe(`kill -9 before a webhook is delivered, on ${kind}`, () => {
      test('after a restart each delivery is answered exactly once, under its first webhook-id', async () => {
        const shared = await sharedDatabase(kind, process.env.TEST_DATABASE_URL);
        const rx = await startWebhookReceiver();
        const o = await apiOrg(
          await openDatabase(shared.url),
          undefined,
          {},
          { webhooks: { allowPrivate: true } },
        );
        try {
          const c = await foundCollective(o.service, o.app, 'Crashing');
          const org = c.orgId;
          await c.registerKeys();
          const endpoint = await c.people.ana.ok<{ requestId: string; secret: string }>(
            'POST',
            `/orgs/${org}/webhooks`,
            { url: `${rx.url}/hook`, events: ['motion.moved'] },
          );
          await c.approve('ana', endpoint.requestId);
          await c.approve('ben', endpoint.requestId);
          const env = { COUNCILS_KEY_DIR: o.keyDir, COUNCILS_WEBHOOKS_ALLOW_PRIVATE: '1' };
          rx.hold();
          let killedMidSend = 0;
          for (let run = 0; run < runs; run++) {
            // The entry and its delivery are written (here, by this process); then a server starts sending and dies.
            await c.people.ben.ok('POST', `/orgs/${org}/councils/all/motions`, {
              title: `Motion ${run}`,
              text: 'T.',
            });
            const { child } = await serveProcess(shared.url, env);
            const pending = rx.heldCount();
            // Killed at once, or while the receiver holds a request it has been sent.
            if (run % 2 === 1) {
              // Up to 120 s: its sender's first round and the connection, on a machine under load.
              const until = performance.now() + 120_000;
              while (rx.heldCount() === pending && performance.now() < until) await sleep(25);
              if (rx.heldCount() > pending) killedMidSend++;
            }
            child.kill('SIGKILL');
            await new Promise((r) => child.once('exit', r));
          }
          assert.equal(rx.received.filter((r) => r.answered !== null).length, 0);
          await rx.heldClosed(10_000);
          rx.release(); // the held requests' senders are dead: nobody is answered
          const { child } = await serveProcess(shared.url, env);
          try {
            await rx.waitForAnswered(runs, 60_000);
            await sleep(7_000); // past the first retry delay: a repeat would have come by now
          } finally {
            child.kill('SIGKILL');
          }
          const answered = rx.received.filter((r) => r.answered !== null && r.answered < 300);
          const titles = answered.map(
            (r) => (JSON.parse(r.body) as { data: { payload: { title: string } } }).data.payload.title,
          );
          assert.deepEqual(titles.sort(), [...Array(runs).keys()].map((n) => `Motion ${n}`).sort());
          for (const r of answered)
            new Webhook(endpoint.secret).verify(r.body, {
              'webhook-id': String(r.headers['webhook-id']),
              'webhook-timestamp': String(r.headers['webhook-timestamp']),
              'webhook-signature': String(r.headers['webhook-signature']),
            });
          // A delivery sent before a crash came again with the same webhook-id.
          for (const r of rx.received.filter((x) => x.answered === null))
            assert.ok(answered.some((a) => a.headers['webhook-id'] === r.headers['webhook-id']));
          const rows = await o.db.kysely.selectFrom('webhook_deliveries').select(['delivered_at']).execute();
          assert.equal(rows.length, runs);
          assert.ok(rows.every((r) => r.delivered_at !== null));
          assert.ok(
            killedMidSend > 0 || runs < 2,
            'at least one server was killed while the receiver held a request',
          );
        } finally {
          await o.app.close();
          await o.db.close();
          await rx.close();
          await shared.drop();
        }
      });
    });
  }
});
