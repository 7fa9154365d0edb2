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
import { withInstantProcedure } from '../test/support/factory.ts';
import {
  apply,
  attentionByScan,
  attentionFor,
  decide,
  emptyState,
  type Command,
  type Entry,
  type OrgState,
} from '../src/core/index.ts';

const quick = process.argv.includes('--quick');
const electors = quick ? 10_000 : 100_000;
const mailed = quick ? 300 : 2_000;
const rounds = quick ? 3 : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!;
const ms = (x: number) => `${x.toFixed(3)} ms`;

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
    constitution: withInstantProcedure({}),
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

// The attention inbox per request (docs/NOTIFICATIONS.md "Cost"): an organisation of `councilsN` base councils of
// `perCouncil` members each, with `motionsPer` motions per council of which half are being voted on and a quarter
// were voted on and closed (the pure core, in memory). Each sample asks the inbox of one member: through the
// state's attention index, and (the same-run baseline) by walking every vote, motion, petition and request.
const councilsN = quick ? 40 : 200;
const perCouncil = quick ? 250 : 500;
const motionsPer = quick ? 8 : 12;
const attention = buildBusyOrg(councilsN, perCouncil, motionsPer);
const samples = quick ? 200 : 1_000;
const indexed: number[] = [];
const scanned: number[] = [];
let itemsSeen = 0;
for (let i = 0; i < samples; i++) {
  const member = `m${(i * 7919) % (councilsN * perCouncil)}`;
  const t1 = performance.now();
  const a = attentionFor(attention.state, member, attention.now);
  indexed.push(performance.now() - t1);
  const t2 = performance.now();
  const b = attentionByScan(attention.state, member, attention.now);
  scanned.push(performance.now() - t2);
  if (a.length !== b.length)
    throw new Error(`inbox of ${member}: ${a.length} items indexed, ${b.length} scanned`);
  itemsSeen += a.length;
}

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
| opening command (motion + vote), with the notice outbox | ${median(opening).toFixed(0)} ms | ${max(opening).toFixed(0)} ms |
| baseline: ${electors.toLocaleString('en')} per-elector rows in one transaction (the design not taken) | ${median(baseline).toFixed(0)} ms | ${max(baseline).toFixed(0)} ms |

Rows notifications add to the opening's transaction: **${noticeRows}** (one notice per notifying entry, whatever
the audience). Background expansion of the ${rounds * 2} notices (${rounds} votes × ${electors.toLocaleString('en')}
electors, of whom ${mailed.toLocaleString('en')} have an address and chose "immediately"): ${(expandMs / 1000).toFixed(1)} s,
${queued.toLocaleString('en')} messages queued. Sending them to a local SMTP sink (smtp-server, one pooled
nodemailer transport of 4 connections, batches of 20): ${(queued / (sendMs / 1000)).toFixed(0)} messages/s.

### The attention inbox per request

An organisation of ${(councilsN * perCouncil).toLocaleString('en')} members in ${councilsN} base councils of ${perCouncil}, with
${motionsPer} motions in each council (${(councilsN * motionsPer).toLocaleString('en')} in all): ${attention.open.toLocaleString('en')} votes open, ${attention.closed.toLocaleString('en')} closed, the rest in
debate. ${samples} members' inboxes (${(itemsSeen / samples).toFixed(1)} items each on average), each computed both ways
in the same run:

| | median | p99 | max |
|---|---|---|---|
| through the attention index (\`attentionFor\`) | ${ms(median(indexed))} | ${ms(p99(indexed))} | ${ms(max(indexed))} |
| baseline: walking the whole state (\`attentionByScan\`, the old path) | ${ms(median(scanned))} | ${ms(p99(scanned))} | ${ms(max(scanned))} |

Ratio of medians (scan ÷ index): **${(median(scanned) / median(indexed)).toFixed(0)}×**.
`);
process.exit(0);

/** A busy organisation built in memory with the pure core: decide, then apply, with a moving clock. */
function buildBusyOrg(councilsN: number, perCouncil: number, motionsPer: number) {
  const state: OrgState = emptyState();
  let t = Date.parse('2026-01-05T09:00:00.000Z');
  let n = 0;
  const now = () => new Date(t).toISOString();
  const run = (command: Command, actor: string | null): Entry[] => {
    const d = decide(state, command, { actor, now: now(), newId: (kind) => `${kind}_${++n}` });
    if (!d.ok) throw new Error(`${command.type}: ${d.code} ${d.message}`);
    return d.entries.map((ne) => {
      const e = { ...ne, seq: state.size } as Entry;
      apply(state, e);
      return e;
    });
  };
  const councils = Array.from({ length: councilsN }, (_, c) => ({
    id: `c${c}`,
    name: `Council ${c}`,
    parentId: 'all',
    seatsInParent: 1,
  }));
  run(
    {
      type: 'found_organisation',
      name: 'Busy',
      constitution: withInstantProcedure({}),
      councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }, ...councils],
      founders: Array.from({ length: councilsN * perCouncil }, (_, i) => ({
        memberId: `m${i}`,
        name: `M ${i}`,
        councilId: `c${Math.floor(i / perCouncil)}`,
      })),
    },
    null,
  );
  let open = 0;
  let closed = 0;
  const toClose: string[] = [];
  for (let c = 0; c < councilsN; c++) {
    const mover = `m${c * perCouncil}`;
    for (let k = 0; k < motionsPer; k++) {
      const moved = run(
        { type: 'move_motion', councilId: `c${c}`, title: `Motion ${c}.${k}`, text: '' },
        mover,
      );
      const motionId = (moved[0]!.payload as { motionId: string }).motionId;
      if (k % 2 === 1) continue; // in debate
      const opened = run({ type: 'open_vote', motionId, minutes: k % 4 === 0 ? 60 : 60 * 24 * 7 }, mover);
      const voteId = (opened.find((e) => e.act === 'vote_opened')!.payload as { voteId: string }).voteId;
      if (k % 4 !== 0) {
        open++;
        continue;
      }
      toClose.push(voteId);
      // A third of the council votes in the votes that will close (they see the result).
      for (let i = 0; i < perCouncil; i += 3)
        run({ type: 'cast_ballot', voteId, ballot: { choice: null } }, `m${c * perCouncil + i}`);
    }
  }
  t += 2 * 60 * 60_000; // the hour-long votes are over
  for (const voteId of toClose) {
    run({ type: 'close_vote', voteId }, null);
    closed++;
  }
  return { state, now: now(), open, closed };
}
