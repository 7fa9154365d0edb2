// The record streamed from the database (docs/SCALE.md "Streaming the record"), on SQLite and PostgreSQL: the log's
// JSON lines come a page at a time and equal the entries; entries.jsonl over HTTP is exactly the entries the latest
// checkpoint covers; `export --bundle`, which writes each file from storage on its own, writes byte for byte the
// files the in-memory builder (staticRecordFiles, over every entry at once) makes, and the bundle verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeBundle } from '../../src/cli/commands/export.ts';
import { makeVerifyCommand } from '../../src/cli/commands/verify.ts';
import { replayEntries } from '../../src/core/index.ts';
import { staticRecordFiles } from '../../src/record/index.ts';
import { logOrigin } from '../../src/node/record-keeper.ts';
import { entryLines, readRawEntries } from '../../src/store/log-repository.ts';
import { listCheckpoints, recordKeyHistory } from '../../src/store/record-repository.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

const utf8 = new TextEncoder();

/** Every file under `dir`, by its path relative to `dir`. */
function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out.set(relative(dir, path).split('\\').join('/'), readFileSync(path));
    }
  }
  return out;
}

for (const database of testDatabases()) {
  describe(`the record streamed on ${database.name}`, () => {
    let o: ApiOrg;
    let org: string;
    let dir: string;
    before(async () => {
      o = await apiOrg(await database.open());
      org = o.orgId;
      dir = mkdtempSync(join(tmpdir(), 'councils-record-stream-'));
      const ana = o.people.ana!;
      const { motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
        title: 'Bread',
        text: 'More bread.',
      });
      assert.ok(await o.service.record.issue(org, true));
      for (let i = 0; i < 12; i++)
        await ana.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, { text: `c${i}`, stance: 'for' });
      assert.ok(await o.service.record.issue(org, true));
      await ana.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, { text: 'after', stance: 'for' });
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await o.close();
    });

    const bodies = async () => {
      const out: string[] = [];
      for await (const e of readRawEntries(o.db.kysely, org)) out.push(e.body);
      return out;
    };

    test('the JSON lines come a page at a time and are the entries, up to a size', async () => {
      const all = await bodies();
      const chunks: string[] = [];
      for await (const c of entryLines(o.db.kysely, org, Infinity, 4)) chunks.push(c);
      assert.equal(chunks.length, Math.ceil(all.length / 4));
      assert.equal(chunks.join(''), all.map((b) => `${b}\n`).join(''));
      let upTo = '';
      for await (const c of entryLines(o.db.kysely, org, 7, 4)) upTo += c;
      assert.equal(
        upTo,
        all
          .slice(0, 7)
          .map((b) => `${b}\n`)
          .join(''),
      );
    });

    test('entries.jsonl over HTTP is every entry the latest checkpoint covers', async () => {
      const [latest] = (await listCheckpoints(o.db.kysely, org)).slice(-1);
      const size = Number(/\n(\d+)\n/.exec(latest!)![1]);
      const all = await bodies();
      assert.ok(size < all.length, 'an entry after the latest checkpoint is not served');
      const res = await o.people.ben!.request('GET', `/orgs/${org}/record/entries.jsonl`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.equal(
        res.body,
        all
          .slice(0, size)
          .map((b) => `${b}\n`)
          .join(''),
      );
    });

    test('export --bundle writes what the in-memory builder makes, and it verifies', async () => {
      const bundle = join(dir, 'bundle');
      await writeBundle(o.db, org, bundle, { out: () => {}, err: () => {} });
      const keys = await recordKeyHistory(o.db.kysely, org);
      const expected = staticRecordFiles(
        (await bodies()).map((b) => utf8.encode(b)),
        await listCheckpoints(o.db.kysely, org),
        { logKey: keys.at(-1)!.verifierKey, keyHistory: { origin: logOrigin(org), keys } },
      );
      const written = filesOf(bundle);
      assert.deepEqual([...written.keys()].sort(), [...expected.keys()].sort());
      for (const [path, bytes] of expected)
        assert.ok(Buffer.from(bytes).equals(written.get(path)!), `${path} differs`);
      let out = '';
      const code = await makeVerifyCommand({ replay: (e) => replayEntries(e) })([bundle, '--no-state'], {
        out: (t) => void (out += t),
        err: () => {},
      });
      assert.equal(code, 0, out);
    });
  });
}
