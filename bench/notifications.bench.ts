// Notification fan-out for a vote opening in a council of N electors (issue #16), on SQLite: the opening command's
// time (moving a motion and opening its vote) with the notice outbox, the rows notifications add to that
// transaction, and as the same-run baseline what the per-elector design would have added: N rows inserted in one
// transaction. Then the background half: expanding the notice for every elector, and e-mail to a local SMTP sink.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.ts';
import { foundOrganisation, systemClock } from '../src/store/ledger.ts';
import { CouncilsService } from '../src/server/service.ts';
import { smtpTransport } from '../src/server/mail/mailer.ts';
import { expandNotices, sendDueMail } from '../src/server/mail/notifier.ts';
import { startSmtpSink } from '../test/support/smtp-sink.ts';

const quick = process.argv.includes('--quick');
const electors = quick ? 10_000 : 100_000;
const mailed = quick ? 300 : 2_000;
const rounds = quick ? 3 : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);

const dir = mkdtempSync(join(tmpdir()));
function tmpdir() {
  return join(os.tmpdir(), 'councils-bench-notify-');
}
const db = await openDatabase(join(dir, 'bench.db'));
const sink = await startSmtpSink();
const transport = smtpTransport(sink.url);
const mail = { transport, from: 'Councils <c@bench.test>', publicUrl: 'http://bench.test' };
const service = new CouncilsService(db, systemClock, { keyDir: join(dir, 'keys'), mail });

const t0 = performance.now();
const { ledger, outcome } = await foundOrganisation(
  db,
  {
    type: 'found_organisation',
    name: 'Bench',
    councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
    founders: Array.from({ length: electors }, (_, i) => ({
      memberId: `m${i}`,
      name: `M ${i}`,
      councilId: 'all',
    })),
  },
  systemClock,
);
if (!outcome.ok) throw new Error(outcome.code);
const orgId = ledger.orgId;
const foundedMs = performance.now() - t0;
// The first `mailed` members have accounts and want votes at once (the rest have no address: no message).
await db.kysely.transaction().execute(async (trx) => {
  for (let i = 0; i < mailed; i += 500) {
    const ids = Array.from({ length: Math.min(500, mailed - i) }, (_, j) => `m${i + j}`);
    await trx
      .insertInto('accounts')
      .values(
        ids.map((id) => ({
          member_id: id,
          org_id: orgId,
          email: `${id}@bench.test`,
          password_hash: 'x',
          created_at: new Date().toISOString(),
        })) as never,
      )
      .execute();
    await trx
      .insertInto('mail_preferences')
      .values(ids.map((id) => ({ org_id: orgId, member_id: id, kind: 'vote_open', delivery: 'immediately' })))
      .execute();
  }
});

const opening: number[] = [];
const baseline: number[] = [];
let noticeRows = 0;
for (let r = 0; r < rounds; r++) {
  const before = Number(
    (
      await db.kysely
        .selectFrom('notice_outbox')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const t = performance.now();
  const moved = await ledger.execute(
    { type: 'move_motion', councilId: 'all', title: `Vote ${r}`, text: '' },
    'm0',
  );
  if (!moved.ok || moved.entries[0]!.act !== 'motion_moved') throw new Error('move');
  const opened = await ledger.execute(
    { type: 'open_vote', motionId: moved.entries[0]!.payload.motionId },
    'm0',
  );
  if (!opened.ok) throw new Error(`open: ${opened.code}`);
  opening.push(performance.now() - t);
  const after = Number(
    (
      await db.kysely
        .selectFrom('notice_outbox')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  noticeRows = after - before;
  // Baseline: one row per elector in one transaction (what writing each elector's notification with the act costs).
  const tb = performance.now();
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < electors; i += 500) {
      const rows = Array.from({ length: Math.min(500, electors - i) }, (_, j) => ({
        org_id: orgId,
        member_id: `m${i + j}`,
        item_id: `vote_open:bench-${r}`,
        read_at: '',
      }));
      await trx.insertInto('attention_reads').values(rows).execute();
    }
  });
  baseline.push(performance.now() - tb);
}

// Background: expand every notice (each vote's N electors), then send what is due to the sink.
const te = performance.now();
while ((await expandNotices(service, mail)) > 0);
const expandMs = performance.now() - te;
const queued = Number(
  (
    await db.kysely
      .selectFrom('mail_outbox')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);
const ts = performance.now();
while ((await sendDueMail(service, mail)) > 0);
const sendMs = performance.now() - ts;
transport.close();
await sink.close();
await db.close();
rmSync(dir, { recursive: true, force: true });

const load = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
console.log(`## Notification fan-out (issue #16)

${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} · SQLite ·
load average at the end ${load}. A council of ${electors.toLocaleString('en')} electors (founded in
${(foundedMs / 1000).toFixed(1)} s); ${rounds} votes opened one after another (move_motion + open_vote through the
ledger, each its own transaction).

| | median | max (p99 of ${rounds}) |
|---|---|---|
| opening command (motion + vote, ${electors.toLocaleString('en')} elector rows), with the notice outbox | ${median(opening).toFixed(0)} ms | ${max(opening).toFixed(0)} ms |
| baseline: ${electors.toLocaleString('en')} per-elector rows in one transaction (the design not taken) | ${median(baseline).toFixed(0)} ms | ${max(baseline).toFixed(0)} ms |

Rows notifications add to the opening's transaction: **${noticeRows}** (one notice per notifying entry, whatever
the audience). Background expansion of the ${rounds * 2} notices (${rounds} votes × ${electors.toLocaleString('en')}
electors, of whom ${mailed.toLocaleString('en')} have an address and chose "immediately"): ${(expandMs / 1000).toFixed(1)} s,
${queued.toLocaleString('en')} messages queued. Sending them to a local SMTP sink (smtp-server, one pooled
nodemailer transport of 4 connections, batches of 20): ${(queued / (sendMs / 1000)).toFixed(0)} messages/s.
`);
process.exit(0);
