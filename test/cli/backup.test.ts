// `councils backup` while the server writes (docs/OPERATIONS.md "Backup"): SQLite's online backup loses no
// acknowledged entry, is a prefix of the live log, restores with its keys into a server that is not held, and
// verifies. For PostgreSQL the command copies the keys and says how to dump the database.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeBundle } from '../../src/cli/commands/export.ts';
import { startServer } from '../../src/cli/commands/serve.ts';
import { makeVerifyCommand } from '../../src/cli/commands/verify.ts';
import { replayEntries } from '../../src/core/index.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { readRawEntries } from '../../src/store/log-repository.ts';
import { recordKey } from '../../src/store/record-repository.ts';
import { ApiClient } from '../support/api-client.ts';
import { cli } from '../support/cli.ts';
import { organisation } from '../support/factory.ts';

const scratch = mkdtempSync(join(tmpdir(), 'councils-backup-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function bodies(db: Db, orgId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of readRawEntries(db.kysely, orgId)) out.push(e.body);
  return out;
}

describe('councils backup', () => {
  test('while writes go on: no acknowledged entry is lost, the copy restores unheld and verifies', async () => {
    const path = join(scratch, 'councils.db');
    const server = await startServer({
      db: await openDatabase(path),
      host: '127.0.0.1',
      port: 0,
      schedulerMs: 3_600_000,
      keyDir: join(scratch, 'keys'),
    });
    const { orgId, invitations } = await server.service.foundWithInvitations(
      organisation({
        name: 'Backed-up collective',
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: [{ name: 'Ana', councilId: 'all' }],
      }),
    );
    const ana = await new ApiClient(server.app).join(invitations[0]!.token, 'ana@backup.example');
    const { motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${orgId}/councils/all/motions`, {
      title: 'Talk',
      text: '',
    });
    const acknowledged: string[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let n = 0; writing; n++) {
        const text = `writer ${w} comment ${n}`;
        const res = await ana.request('POST', `/orgs/${orgId}/motions/${motionId}/comments`, {
          stance: 'neutral',
          text,
        });
        assert.equal(res.statusCode, 201, res.body);
        acknowledged.push(text);
        if (n % 50 === 0) await server.service.record.issue(orgId, true);
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 10));
    const before = acknowledged.length;
    const plain = join(scratch, 'plain-copy.db');
    copyFileSync(path, plain); // what a plain copy of the file gets (the WAL is elsewhere)
    const out = join(scratch, 'backup');
    const r = await cli('backup', '--db', path, '--out', out);
    const ackedBeforeBackup = acknowledged.slice(0, before);
    const during = acknowledged.length - before;
    writing = false;
    await Promise.all(writers);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /SQLite online backup/);
    assert.ok(during > 0, 'writes went on during the backup');

    const live = await bodies(server.db, orgId);
    const backup = await openDatabase(join(out, 'councils.db'));
    const copied = await bodies(backup, orgId);
    assert.deepEqual(copied, live.slice(0, copied.length), 'the backup is a prefix of the live log');
    const lost = (entries: string[]) => {
      const texts = new Set(
        entries.map((b) => (JSON.parse(b) as { payload: { text?: string } }).payload.text),
      );
      return ackedBeforeBackup.filter((t) => !texts.has(t)).length;
    };
    assert.equal(lost(copied), 0, 'every entry acknowledged before the backup started is in it');
    let plainLost: number | string;
    try {
      const p = await openDatabase(plain);
      plainLost = lost(await bodies(p, orgId));
      await p.close();
    } catch (e) {
      plainLost = `unreadable (${(e as Error).message})`;
    }
    console.log(
      `# backup: ${before} acknowledged before it, ${during} during it; online backup lost 0, a plain copy of the file lost ${plainLost}`,
    );

    // The keys and their marks came with it: a server on the copy signs on, the copy verifies.
    assert.ok(statSync(join(out, 'keys')).mode % 0o1000 === 0o700);
    assert.ok(readdirSync(join(out, 'keys')).some((f) => f.endsWith('.mark')));
    const firstKey = (await recordKey(backup.kysely, orgId))!;
    await server.stop();
    const restored = await startServer({
      db: backup,
      host: '127.0.0.1',
      port: 0,
      schedulerMs: 3_600_000,
      keyDir: join(out, 'keys'),
    });
    assert.deepEqual(restored.held, []);
    await restored.service.record.issue(orgId, true);
    await writeBundle(restored.db, orgId, join(scratch, 'bundle'), { out: () => {}, err: () => {} });
    let said = '';
    const code = await makeVerifyCommand({ replay: (e) => replayEntries(e) })(
      [join(scratch, 'bundle'), '--no-state', '--key', firstKey],
      { out: (t) => void (said += t), err: (t) => void (said += t) },
    );
    assert.equal(code, 0, said);
    await restored.stop();
  });

  test('PostgreSQL: the keys are copied and the command says how to dump the database', async () => {
    const keyDir = join(scratch, 'pg-keys');
    const db = await openDatabase(join(scratch, 'for-keys.db'));
    const server = await startServer({ db, host: '127.0.0.1', port: 0, schedulerMs: 3_600_000, keyDir });
    await server.service.found(
      organisation({
        name: 'Keys only',
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
      }),
    );
    await server.stop();
    process.env.COUNCILS_KEY_DIR = keyDir;
    try {
      const r = await cli(
        'backup',
        '--db',
        'postgres://nobody@localhost/councils',
        '--out',
        join(scratch, 'pg'),
      );
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /pg_dump --format=custom/);
      assert.match(r.out, /point-in-time recovery/);
      assert.ok(readdirSync(join(scratch, 'pg', 'keys')).some((f) => f.endsWith('.key')));
    } finally {
      delete process.env.COUNCILS_KEY_DIR;
    }
    assert.equal(
      (await cli('backup', '--db', join(scratch, 'none.db'), '--out', join(scratch, 'x'))).code,
      2,
    );
  });
});
