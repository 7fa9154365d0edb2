// Webhook deliveries (issue #16), on SQLite: what an endpoint adds to the command whose entry makes an event (one
// delivery row in its transaction), and deliveries per second from the outbox to a real HTTP receiver on 127.0.0.1
// (claimed, signed, POSTed, their outcomes written), against the same-run baseline of POSTing the same bodies
// straight to the same receiver with the same connections and concurrency, with no outbox and no signature.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { CouncilsService } from '../src/server/service.ts';
import { postWebhook, sendDueWebhooks } from '../src/server/webhooks/sender.ts';
import { openDatabase } from '../src/store/database.ts';
import { systemClock } from '../src/store/ledger.ts';
import { foundCollective } from '../test/support/collective.ts';
import { startWebhookReceiver } from '../test/support/webhook-receiver.ts';

const quick = process.argv.includes('--quick');
const events = quick ? 300 : 1_000;
const rounds = quick ? 2 : 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(os.tmpdir(), 'councils-bench-webhooks-'));
const db = await openDatabase(join(dir, 'bench.db'));
const service = new CouncilsService(db, systemClock, {
  keyDir: join(dir, 'keys'),
  webhooks: { allowPrivate: true },
});
const app = await buildApp({ service, publicUrl: 'http://bench.test' });
const rx = await startWebhookReceiver();
const plain = await foundCollective(service, app, 'Plain');
const hooked = await foundCollective(service, app, 'Hooked');
await hooked.registerKeys();
const made = await hooked.people.ana.ok<{ requestId: string }>('POST', `/orgs/${hooked.orgId}/webhooks`, {
  url: `${rx.url}/hook`,
  events: ['motion.moved'],
});
await hooked.approve('ana', made.requestId);
await hooked.approve('ben', made.requestId);

/** Moves `n` motions one command at a time; returns the median time of one command, in ms. */
async function moveMotions(orgId: string, actor: string, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await service
      .ledger(orgId)
      .execute({ type: 'move_motion', councilId: 'all', title: `Motion ${i}`, text: 'Text.' }, actor);
    if (!r.ok) throw new Error(r.code);
    times.push(performance.now() - t);
  }
  return median(times);
}

const withEndpoint: number[] = [];
const without: number[] = [];
const outbox: number[] = [];
const direct: number[] = [];
for (let r = 0; r < rounds; r++) {
  without.push(await moveMotions(plain.orgId, plain.people.ben.memberId!, events));
  withEndpoint.push(await moveMotions(hooked.orgId, hooked.people.ben.memberId!, events));
  // Deliveries from the outbox: every round's motions, sent in rounds of 50 at once.
  const before = rx.received.length;
  let t = performance.now();
  while ((await sendDueWebhooks(service, 50)) > 0);
  const sent = rx.received.length - before;
  if (sent !== events) throw new Error(`${sent} of ${events} delivered`);
  outbox.push(sent / ((performance.now() - t) / 1000));
  // Baseline: the same bodies POSTed straight, 50 at a time, on the same kept-alive connections.
  const bodies = rx.received.slice(before).map((x) => x.body);
  t = performance.now();
  for (let i = 0; i < bodies.length; i += 50)
    await Promise.all(
      bodies.slice(i, i + 50).map((b) => postWebhook(`${rx.url}/direct`, {}, b, service.webhooks)),
    );
  direct.push(bodies.length / ((performance.now() - t) / 1000));
  rx.received.length = 0;
}
await app.close();
await rx.close();
await db.close();
rmSync(dir, { recursive: true, force: true });

const load = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
const f = (x: number) => x.toFixed(0);
console.log(`## Webhook deliveries (issue #16)

${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} · SQLite ·
load average at the end ${load}. ${rounds} rounds of ${events.toLocaleString('en')} motions moved one command at a time
(\`move_motion\` through the ledger, each its own transaction), in an organisation with one endpoint asking for
\`motion.moved\` and in one with none; then the round's deliveries sent from the outbox to a real HTTP receiver on
127.0.0.1, 50 at a time.

| | median of the rounds |
|---|---|
| one command, no endpoint | ${median(without).toFixed(2)} ms |
| one command, one endpoint (one delivery row in its transaction) | ${median(withEndpoint).toFixed(2)} ms (${(median(withEndpoint) / median(without)).toFixed(2)}×) |
| deliveries from the outbox (claimed, signed, POSTed, outcome and attempt written) | **${f(median(outbox))} deliveries/s** |
| baseline: the same bodies POSTed straight, same connections and concurrency | ${f(median(direct))} requests/s |

The outbox delivers at ${(median(outbox) / median(direct)).toFixed(2)} of the bare POST rate; the rest is the two
durable writes per batch of 50 (the claims before, the outcomes and attempts after) and reading the
batch from the outbox, on a machine shared with seven other engineers' work.
`);
process.exit(0);
