// A restore cannot fork the record (docs/OPERATIONS.md "Restore"): real backups (SQLite's online backup,
// pg_dump / pg_restore) restored under the live keys directory. The log key refuses to sign below its signing
// mark or on another root there, writes are refused naming the cause, a recorded rotation of the log key
// continues the record, and `councils verify` with the state it kept from before the restore reports the restore.
// Restored without its keys, the server says so at start and refuses writes until the key is rotated.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { backupSqlite } from '../../src/cli/commands/backup.ts';
import { writeBundle } from '../../src/cli/commands/export.ts';
import { startServer, type RunningServer } from '../../src/cli/commands/serve.ts';
import { makeVerifyCommand } from '../../src/cli/commands/verify.ts';
import { replayEntries } from '../../src/core/index.ts';
import { openCheckpoint, parseVerifierKey, type KeyHistoryDocument } from '../../src/record/index.ts';
import { logOrigin, RecordHeld, RecordKeeper } from '../../src/node/record-keeper.ts';
import { markFile, readMark } from '../../src/node/signing-mark.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { OrgLedger } from '../../src/store/ledger.ts';
import { latestCheckpoint, recordKey } from '../../src/store/record-repository.ts';
import { foundCollective, type Collective } from '../support/collective.ts';
import { TestClock, withDatabase } from '../support/databases.ts';

const quiet = { out: () => {}, err: () => {} };

/** A database that can be backed up and restored with the database's own tools. */
interface Restorable {
  name: string;
  open(): Promise<Db>;
  backup(): void | Promise<void>;
  /** A new database holding the backup (the live one is left as it is). */
  restore(): Promise<Db>;
  dispose(): Promise<void>;
}

function sqlite(dir: string): Restorable {
  let n = 0;
  return {
    name: 'sqlite',
    open: () => openDatabase(join(dir, 'live.db')),
    backup: () => backupSqlite(join(dir, 'live.db'), join(dir, 'backup.db')),
    restore: () => {
      const file = join(dir, `restored-${n++}.db`);
      copyFileSync(join(dir, 'backup.db'), file);
      return openDatabase(file);
    },
    dispose: async () => {},
  };
}

function postgres(base: string, dir: string): Restorable {
  const names: string[] = [];
  const create = async () => {
    const name = `councils_restore_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    names.push(name);
    return withDatabase(base, name);
  };
  let live = '';
  const dump = join(dir, 'councils.dump');
  return {
    name: 'postgres',
    open: async () => openDatabase((live = await create())),
    backup: () => void execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, `--dbname=${live}`]),
    restore: async () => {
      const url = await create();
      execFileSync('pg_restore', ['--no-owner', `--dbname=${url}`, dump]);
      return openDatabase(url);
    },
    dispose: async () => {
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

function restorables(dir: string): Restorable[] {
  const list = [sqlite(dir)];
  const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (base) list.push(postgres(base, dir));
  return list;
}

const scratch = mkdtempSync(join(tmpdir(), 'councils-restore-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

for (const [i, database] of restorables(scratch).entries()) {
  describe(`a restore cannot fork the record on ${database.name}`, () => {
    const dir = mkdtempSync(join(scratch, `${database.name}-${i}-`));
    const keyDir = join(dir, 'keys');
    const clock = new TestClock();
    let live: RunningServer;
    let restored: RunningServer;
    let org: string;
    let motionId: string;
    let firstKey: string;
    let newKey: string;
    let published: { size: number; note: string };
    let backupSize: number;
    const state = join(dir, 'verify-state.json');
    let people: Collective['people'];
    let approve: Collective['approve'];

    const serve = async (db: Db, keys = keyDir) =>
      startServer({ db, host: '127.0.0.1', port: 0, schedulerMs: 3_600_000, keyDir: keys, clock });
    /** The same people, signed in, on another server over the same (restored) accounts. */
    const moveTo = (server: RunningServer) => {
      for (const p of Object.values(people)) Object.assign(p, { app: server.app });
    };
    const comment = (who: string, text: string) =>
      people[who as 'ana']!.request('POST', `/orgs/${org}/motions/${motionId}/comments`, {
        stance: 'neutral',
        text,
      });
    const verify = async (args: string[], replay = true) => {
      let out = '';
      const io = { out: (t: string) => void (out += t), err: (t: string) => void (out += t) };
      const command = makeVerifyCommand(replay ? { replay: (e) => replayEntries(e) } : {});
      return { code: await command(args, io), out };
    };

    before(async () => {
      live = await serve(await database.open());
      const c = await foundCollective(live.service, live.app, 'Restored');
      ({ orgId: org, people, approve } = c);
      await c.registerKeys();
      ({ motionId } = await people.ana!.ok<{ motionId: string }>(
        'POST',
        `/orgs/${org}/councils/all/motions`,
        { title: 'Talk', text: '' },
      ));
      firstKey = (await recordKey(live.db.kysely, org))!;
      await live.service.record.issue(org, true);
      for (let n = 0; n < 3; n++)
        assert.equal((await comment('ben', `before the backup ${n}`)).statusCode, 201);
      await database.backup(); // three entries after the last checkpoint: the backup holds more than it covers
      backupSize = (await live.service.ledger(org).current()).size;
      for (let n = 0; n < 5; n++)
        assert.equal((await comment('cai', `after the backup ${n}`)).statusCode, 201);
      await live.service.record.issue(org, true);
      published = (await latestCheckpoint(live.db.kysely, org))!;
      // A member who follows the record verifies the live one and keeps its state.
      await writeBundle(live.db, org, join(dir, 'live-bundle'), quiet);
      const r = await verify([join(dir, 'live-bundle'), '--state', state, '--key', firstKey]);
      assert.equal(r.code, 0, r.out);
      await live.stop();
    });
    after(async () => {
      await restored?.stop();
      await database.dispose();
    });

    test('every checkpoint moved the mark beside the key first', () => {
      const mark = readMark(markFile(keyDir, org, firstKey))!;
      assert.equal(mark.size, published.size);
      assert.ok(backupSize < published.size);
    });

    test('restored from an older backup: the server says so at start and refuses writes, naming the cause', async () => {
      restored = await serve(await database.restore());
      moveTo(restored);
      assert.equal((await restored.service.ledger(org).current()).size, backupSize);
      assert.deepEqual(
        restored.held.map((h) => [h.orgId, h.code]),
        [[org, 'record_restored']],
      );
      assert.match(
        restored.held[0]!.message,
        new RegExp(`signed size ${published.size}.*only ${backupSize} entries`),
      );
      const res = await comment('ana', 'after the restore');
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.json().error, 'record_restored');
      assert.match(res.json().message, /restored from an older state.*rotation of the log key/);
      assert.equal((await restored.service.ledger(org).current()).size, backupSize, 'nothing was written');
    });

    test('the key refuses to sign below its mark (rollback) or another tree at its size (fork)', async () => {
      await assert.rejects(restored.service.record.issue(org, true), (e: unknown) => {
        assert.ok(e instanceof RecordHeld);
        assert.match(e.message, /a rollback/);
        return true;
      });
      // An older server without marks wrote on past the published size: another tree at that size.
      const unguarded = new OrgLedger(restored.db, org, clock);
      while ((await unguarded.current()).size < published.size + 2) {
        const r = await unguarded.execute(
          { type: 'post_comment', motionId, stance: 'neutral', text: 'written by an older server' },
          people.ana!.memberId!,
        );
        assert.ok(r.ok);
      }
      await assert.rejects(restored.service.record.issue(org, true), /a fork/);
      const last = (await latestCheckpoint(restored.db.kysely, org))!;
      assert.ok(last.size < backupSize, 'no checkpoint was issued');
      assert.equal(readMark(markFile(keyDir, org, firstKey))!.size, published.size, 'the mark did not move');
    });

    test('a recorded rotation of the log key continues the record under the new key', async () => {
      ({ verifierKey: newKey } = await people.ana!.ok<{ verifierKey: string }>(
        'POST',
        `/orgs/${org}/record/next-key`,
      ));
      const { requestId } = await people.ana!.ok<{ requestId: string }>('POST', `/orgs/${org}/requests`, {
        kind: 'rotate_log_key',
        content: { verifierKey: newKey },
      });
      assert.equal((await comment('ben', 'not yet')).json().error, 'record_restored');
      for (const who of ['ana', 'ben']) await approve(who, requestId);
      const handover = (await restored.service.record.issue(org, true))!;
      const size = (await latestCheckpoint(restored.db.kysely, org))!.size;
      // The old key never signs again: the new key signs the checkpoint that covers its own rotation.
      openCheckpoint(handover, logOrigin(org), parseVerifierKey(newKey));
      assert.throws(() => openCheckpoint(handover, logOrigin(org), parseVerifierKey(firstKey)));
      const doc = await people.cai!.ok<KeyHistoryDocument>('GET', `/orgs/${org}/record/keys.json`);
      assert.deepEqual(
        doc.keys.map((k) => [k.verifierKey, k.fromSize]),
        [
          [firstKey, 0],
          [newKey, size],
        ],
      );
      assert.equal(readMark(markFile(keyDir, org, newKey))!.size, size);
      assert.equal(await restored.service.record.hold(org), undefined);
      assert.equal((await comment('ben', 'the record goes on')).statusCode, 201);
      const next = (await restored.service.record.issue(org, true))!;
      openCheckpoint(next, logOrigin(org), parseVerifierKey(newKey));
    });

    test('councils verify: the state kept from before the restore reports it; a fresh verifier is told', async () => {
      await writeBundle(restored.db, org, join(dir, 'restored-bundle'), quiet);
      const bundle = join(dir, 'restored-bundle');
      const before = await verify([bundle, '--state', state, '--key', firstKey]);
      assert.equal(before.code, 1, before.out);
      assert.match(before.out, /FAIL .*\n\s+fork: checkpoint #\d+ \(size \d+\)/);
      assert.match(before.out, /restored from an earlier state and continued under the key/);
      const fresh = await verify([bundle, '--no-state', '--key', firstKey]);
      assert.equal(fresh.code, 0, fresh.out);
      assert.match(fresh.out, /signed its own handover at size \d+ .*continued from an earlier state/);
      // Without the replay nothing checks the rotation's approvals, on which a restored handover rests.
      const structural = await verify([bundle, '--no-state', '--key', firstKey], false);
      assert.equal(structural.code, 1, structural.out);
      assert.match(structural.out, /verify with the replay/);
    });

    test('a key without a mark (the first start after an upgrade) takes it from the latest checkpoint', async () => {
      const file = markFile(keyDir, org, newKey);
      const before = readMark(file)!;
      rmSync(file);
      const keeper = new RecordKeeper(restored.db, { keyDir }); // as a new process would
      assert.equal(await keeper.hold(org), undefined);
      const again = readMark(file)!;
      assert.equal(again.size, before.size);
      assert.deepEqual(again.rootHash, before.rootHash);
    });

    test('restored without its keys: the server says so at start, refuses writes, and a rotation continues', async () => {
      await restored.stop();
      const emptyKeys = join(dir, 'no-keys');
      restored = await serve(await database.restore(), emptyKeys);
      moveTo(restored);
      assert.deepEqual(
        restored.held.map((h) => [h.orgId, h.code]),
        [[org, 'log_key_missing']],
      );
      assert.match(restored.held[0]!.message, /no log key for .*keys directory/);
      const res = await comment('ana', 'after losing the key');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().error, 'log_key_missing');
      const { verifierKey } = await people.ana!.ok<{ verifierKey: string }>(
        'POST',
        `/orgs/${org}/record/next-key`,
      );
      const { requestId } = await people.ana!.ok<{ requestId: string }>('POST', `/orgs/${org}/requests`, {
        kind: 'rotate_log_key',
        content: { verifierKey },
      });
      for (const who of ['ana', 'cai']) await approve(who, requestId);
      const handover = (await restored.service.record.issue(org, true))!;
      openCheckpoint(handover, logOrigin(org), parseVerifierKey(verifierKey));
      assert.equal((await comment('ben', 'signed again')).statusCode, 201);
      assert.ok(readdirSync(emptyKeys).some((f) => f.endsWith('.mark')));
      assert.ok(existsSync(join(emptyKeys, `${org}.key`)));
      assert.ok(readFileSync(join(emptyKeys, `${org}.key`), 'utf8').startsWith('PRIVATE+KEY+'));
    });
  });
}
