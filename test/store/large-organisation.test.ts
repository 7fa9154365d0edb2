// An organisation at real size through the real store, on SQLite and PostgreSQL: `councils init` of a file of
// 1,000 councils and 10,000 founders, a checkpoint, `councils export --bundle` and `councils verify` (with the
// core's replay); then a council of 2,000 members decides a ranked motion of 50 alternatives whose report is
// written in parts, opens a petition and requests an expulsion. Every entry fits the record's 65,535
// bytes, a rebuild equals the live tables, and the replay passes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  apply,
  countBallots,
  emptyState,
  maxEntryBytes,
  replayEntries,
  type Command,
  type Entry,
} from '../../src/core/index.ts';
import { canonicalJson } from '../../src/record/index.ts';
import { inlineResultBytes } from '../../src/core/votes/result-parts.ts';
import { defaultPowerRules, requiredOf } from '../../src/core/kernel/power-rules.ts';
import { initCommand } from '../../src/cli/commands/init.ts';
import { writeBundle } from '../../src/cli/commands/export.ts';
import { makeVerifyCommand } from '../../src/cli/commands/verify.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { foundOrganisation, type OrgLedger } from '../../src/store/ledger.ts';
import { readEntries, readRawEntries } from '../../src/store/log-repository.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { TestClock, withDatabase } from '../support/databases.ts';
import { type Founding, organisation } from '../support/factory.ts';

const io = (sink: { out: string; err: string }) => ({
  out: (t: string) => void (sink.out += t),
  err: (t: string) => void (sink.err += t),
});

/** A federation: 9 regions of 110 workplaces (1,000 councils, the most allowed), 10,000 founders. */
function organisationFile(): string {
  const lines = [
    'name: A federation of ten thousand',
    'council:',
    '  name: Federation Council',
    '  children:',
  ];
  let person = 0;
  for (let r = 0; r < 9; r++) {
    lines.push(`    - name: Region ${r} of the federation`, '      seats: 2', '      children:');
    for (let w = 0; w < 110; w++) {
      lines.push(
        `        - name: Workplace council ${r}-${w} of the metal and timber works`,
        '          members:',
      );
      const n = 9 + (((r * 110 + w) * 7) % 3); // 9 to 11 people each
      for (let k = 0; k < n && person < 10_000; k++) lines.push(`            - Founding member ${++person}`);
    }
  }
  while (person < 10_000) lines.push(`            - Founding member ${++person}`);
  return lines.join('\n') + '\n';
}

interface Target {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

function targets(dir: string): Target[] {
  const list: Target[] = [{ name: 'sqlite', url: join(dir, 'councils.db'), drop: async () => {} }];
  const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (base) {
    const name = `councils_large_${process.pid}_${Date.now().toString(36)}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(sql);
      await c.end();
    };
    list.push({
      name: 'postgres',
      url: withDatabase(base, name),
      drop: () => admin(`DROP DATABASE IF EXISTS ${name}`),
    });
    before(() => admin(`CREATE DATABASE ${name}`));
  } else if (process.env.CI) throw new Error('CI must run the store suite on PostgreSQL');
  return list;
}

const dir = mkdtempSync(join(tmpdir(), 'councils-large-'));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const target of targets(dir)) {
  describe(`a large organisation on ${target.name}`, () => {
    const keyDir = join(dir, `keys-${target.name}`);
    let db: Db;
    before(() => {
      process.env.COUNCILS_KEY_DIR = keyDir;
    });
    after(async () => {
      await db?.close();
      await target.drop();
      delete process.env.COUNCILS_KEY_DIR;
    });

    test('councils init with 1,000 councils and 10,000 founders, then export --bundle and verify', async () => {
      const file = join(dir, `federation-${target.name}.yaml`);
      writeFileSync(file, organisationFile());
      const init = { out: '', err: '' };
      assert.equal(await initCommand([file, '--db', target.url, '--json'], io(init)), 0, init.err);
      const { orgId, invitations } = JSON.parse(init.out) as { orgId: string; invitations: unknown[] };
      assert.equal(invitations.length, 10_000);

      db = await openDatabase(target.url);
      const raw: string[] = [];
      for await (const r of readRawEntries(db.kysely, orgId)) raw.push(r.body);
      const acts = raw.map((b) => (JSON.parse(b) as Entry).act);
      assert.equal(acts[0], 'org_founded');
      assert.ok(
        acts.filter((a) => a === 'councils_founded').length >= 1,
        'the tree continues in more entries',
      );
      assert.equal(acts.filter((a) => a === 'invitation_issued').length, 10_000);
      const largest = Math.max(...raw.map((b) => Buffer.byteLength(b)));
      assert.ok(largest <= maxEntryBytes, `largest entry ${largest} bytes`);
      const councils = await db.kysely
        .selectFrom('councils')
        .select('id')
        .where('org_id', '=', orgId)
        .execute();
      assert.equal(councils.length, 1000);

      // The server would sign a checkpoint; here the record keeper signs one of everything.
      const service = new CouncilsService(db, undefined, { keyDir });
      assert.ok(await service.record.issue(orgId, true), 'a checkpoint is signed');
      const bundle = join(dir, `bundle-${target.name}`);
      await writeBundle(db, orgId, bundle, io({ out: '', err: '' }));
      const vkey = readFileSync(join(bundle, 'vkey'), 'utf8').trim();
      const verify = makeVerifyCommand({ replay: (e) => replayEntries(e) });
      const out = { out: '', err: '' };
      const code = await verify([bundle, '--no-state', '--key', vkey, '--json'], io(out));
      assert.equal(code, 0, out.out + out.err);
      const report = JSON.parse(out.out) as { size: number; checks: { id: string; status: string }[] };
      assert.equal(report.size, raw.length);
      assert.ok(
        report.checks.some((c) => c.id === 'replay_apply' && c.status === 'pass'),
        'the replay ran',
      );

      const live = await dumpProjections(db.kysely, orgId);
      await rebuildOrg(db, orgId);
      assert.deepEqual(await dumpProjections(db.kysely, orgId), live);
    });

    test('a council of 2,000: a 50-alternative Schulze vote, a petition and an expulsion request', async () => {
      db ??= await openDatabase(target.url);
      const clock = new TestClock();
      const members = Array.from({ length: 2_000 }, (_, i) => `m${i}`);
      const founding: Founding = organisation({
        name: 'A large works',
        councils: [
          { id: `fed-${target.name}`, name: 'Federation', parentId: null, seatsInParent: 0 },
          { id: `works-${target.name}`, name: 'Works', parentId: `fed-${target.name}`, seatsInParent: 1 },
        ],
        founders: members.map((m) => ({
          memberId: m,
          name: `Member ${m}`,
          councilId: `works-${target.name}`,
        })),
      });
      const { ledger, outcome } = await foundOrganisation(db, founding, clock);
      assert.ok(outcome.ok, 'founded');
      const must = async (l: OrgLedger, c: Command, actor: string) => {
        const r = await l.execute(c, actor);
        assert.ok(r.ok, `${c.type}: ${!r.ok ? r.code + ' ' + r.message : ''}`);
        return r.entries;
      };
      const works = `works-${target.name}`;
      const moved = await must(
        ledger,
        {
          type: 'move_motion',
          councilId: works,
          title: 'Which plan',
          text: 'Fifty plans',
          alternatives: Array.from({ length: 50 }, (_, i) => ({ title: `Plan ${i}`, text: `Plan ${i}` })),
          method: 'schulze',
        },
        'm0',
      );
      const motionId = (moved[0]!.payload as { motionId: string }).motionId;
      const opened = await must(ledger, { type: 'open_vote', motionId }, 'm0');
      const voteId = (opened[0]!.payload as { voteId: string }).voteId;
      const options = (await ledger.current()).votes.get(voteId)!.options;
      let seed = 11;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      // All at once: the ledger commits them in batches (group commit); the last ballot closes the vote.
      await Promise.all(
        members.map((m) => {
          const order = [...options].sort(() => rnd() - 0.5);
          const ranking = order.slice(0, 1 + Math.floor(rnd() * order.length)).map((o) => [o]);
          return must(ledger, { type: 'cast_ballot', voteId, ballot: { ranking } }, m);
        }),
      );
      const petition = await must(
        ledger,
        { type: 'open_petition', kind: 'agenda', councilId: works, title: 'Agenda', text: 'Put it on' },
        'm1',
      );
      const requested = await must(
        ledger,
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'm7', reason: 'Fraud' } },
        'm2',
      );

      const log: Entry[] = [];
      for await (const e of readEntries(db.kysely, ledger.orgId)) log.push(e);
      for (const e of log) {
        const n = Buffer.byteLength(canonicalJson(e));
        assert.ok(n <= maxEntryBytes, `${e.act} at ${e.seq}: ${n} bytes`);
      }
      assert.ok(
        log.some((e) => e.act === 'vote_result_part'),
        'the report is in parts',
      );
      const state = await ledger.current();
      const vote = state.votes.get(voteId)!;
      assert.ok(vote.closedAt !== null, 'the last ballot closed the vote');
      // A closed vote keeps its counts, not its ballots (votes/settled.ts): recount it as it stood before its closing.
      assert.equal(vote.ballots, null);
      const beforeClosing = emptyState();
      for (const e of log) {
        if (e.act === 'vote_closed' && e.payload.voteId === voteId) break;
        apply(beforeClosing, e);
      }
      const recount = countBallots(
        beforeClosing.votes.get(voteId)!,
        state.motions.get(motionId)!.decision,
        false,
      );
      assert.ok(typeof recount !== 'string', 'the vote recounts');
      const reportBytes = Buffer.byteLength(canonicalJson(recount.report));
      assert.ok(reportBytes > inlineResultBytes, `the report is ${reportBytes} bytes`);
      const row = (await dumpProjections(db.kysely, ledger.orgId)).votes!.find(
        (v) => (v as { id: string }).id === voteId,
      ) as { result: string };
      assert.equal(canonicalJson(JSON.parse(row.result)), canonicalJson(recount.report));
      const petitionId = (petition[0]!.payload as { petitionId: string }).petitionId;
      assert.deepEqual(state.power.petitions.get(petitionId)!.required, {
        [works]: requiredOf(defaultPowerRules.petitions.threshold, 2_000),
      });
      const requestId = (requested[0]!.payload as { requestId: string }).requestId;
      assert.equal(state.power.requests.get(requestId)!.approvers.length, 1_999);

      const checks = await replayEntries(log);
      assert.ok(
        checks.every((c) => c.status === 'pass'),
        JSON.stringify(checks),
      );
      const live = await dumpProjections(db.kysely, ledger.orgId);
      await rebuildOrg(db, ledger.orgId);
      assert.deepEqual(await dumpProjections(db.kysely, ledger.orgId), live);
    });
  });
}
