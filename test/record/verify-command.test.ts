// `councils verify` end to end: an export bundle directory, an entries file, a tile server over real HTTP on
// 127.0.0.1, the state file (rollback caught on a later run), JSON output and exit codes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeVerifyCommand, verifyCommand } from '../../src/cli/commands/verify.ts';
import { staticRecordFiles } from '../../src/record/static-record.ts';
import { encodeKeyPair } from '../../src/record/note-keys.ts';
import { logKeys, makeCheckpoints, makeEntries, ORIGIN, policy, tilesOnly } from './fixtures.ts';

let dir: string;
const COUNT = 300;
const entries = makeEntries(COUNT);
const files = staticRecordFiles(entries, makeCheckpoints(entries, 40), { logKey: logKeys.verifierKey });
const older = staticRecordFiles(entries.slice(0, 200), makeCheckpoints(entries.slice(0, 200), 40));

async function writeTree(root: string, tree: Map<string, Uint8Array>) {
  for (const [path, bytes] of tree) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
}

async function run(args: string[], command = verifyCommand) {
  let out = '';
  let err = '';
  const code = await command(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const witnessArgs = policy.witnesses.flatMap((w) => ['--witness', w]);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'councils-verify-'));
  await writeTree(join(dir, 'bundle'), files);
  await writeTree(join(dir, 'older'), older);
});
after(async () => rm(dir, { recursive: true, force: true }));

describe('councils verify', () => {
  test('an export bundle verifies, prints numbered checks and saves the state; a rollback is caught next time', async () => {
    const state = join(dir, 'state.json');
    const ok = await run([
      join(dir, 'bundle'),
      '--key',
      logKeys.verifierKey,
      ...witnessArgs,
      '--state',
      state,
    ]);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /^ {2}1\. ok +every checkpoint is signed/m);
    assert.match(ok.out, /OK: 300 entries/);
    const saved = JSON.parse(await readFile(state, 'utf8'));
    assert.equal(saved.logs[ORIGIN].key, logKeys.verifierKey);
    assert.equal(saved.sources[join(dir, 'bundle')], ORIGIN);
    // The same source verified again: the pinned key, checkpoint and witness policy are used (no flags).
    const again = await run([join(dir, 'bundle'), '--state', state]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /seen before: size 300/);
    assert.match(again.out, /2 of 2 required/); // the witness policy is remembered too
    // An older copy of the same log, from anywhere: the state file catches the rollback.
    const rolled = await run([join(dir, 'older'), '--key', logKeys.verifierKey, '--state', state]);
    assert.equal(rolled.code, 1);
    assert.match(
      rolled.out,
      /FAILED at check \d+ \(no_rollback\): rollback: the latest checkpoint #5 \(size 200\)/,
    );
    // A different key for the same origin is a failed check (exit 1), not a usage error (2).
    const otherKey = encodeKeyPair(ORIGIN, new Uint8Array(32).fill(77)).verifierKey;
    const conflict = await run([join(dir, 'bundle'), '--key', otherKey, '--state', state]);
    assert.equal(conflict.code, 1, conflict.out);
    assert.match(conflict.out, /FAILED \(key_pinned\): the key given .* is not the key pinned for /);
    const asJson = await run([join(dir, 'bundle'), '--key', otherKey, '--state', state, '--json']);
    assert.equal(asJson.code, 1);
    assert.equal(JSON.parse(asJson.out).firstFailure.id, 'key_pinned');
  });

  test('every tile file of a bundle is checked: a flipped byte in an older partial tile or an entry bundle fails', async () => {
    // Checkpoints every 40 entries: the partial tiles of size 40 and 80 are not tiles of the latest size (300).
    for (const path of ['tile/0/000.p/40', 'tile/entries/000.p/80']) {
      const copy = join(dir, `flipped-${path.replace(/\W/g, '-')}`);
      await writeTree(copy, files);
      const bytes = await readFile(join(copy, path));
      bytes[7] = bytes[7]! ^ 1;
      await writeFile(join(copy, path), bytes);
      const r = await run([copy, '--key', logKeys.verifierKey, '--no-state']);
      assert.equal(r.code, 1, r.out);
      assert.match(
        r.out,
        new RegExp(`FAILED at check \\d+ \\(tiles_match\\): ${path.replace(/\./g, '\\.')} does not match`),
      );
    }
    const clean = await run([join(dir, 'bundle'), '--key', logKeys.verifierKey, '--no-state']);
    assert.match(clean.out, /3 tiles, and \d+ more tile files/);
  });

  test('with no state and no witness, the run says plainly what it cannot detect', async () => {
    const bundle = join(dir, 'bundle');
    const bare = await run([bundle, '--key', logKeys.verifierKey, '--no-state']);
    assert.equal(bare.code, 0);
    assert.match(
      bare.out,
      /WARNING: nothing was seen before and no witness is required: .* rewritten it consistently or rolled it back/,
    );
    const json = JSON.parse((await run([bundle, '--key', logKeys.verifierKey, '--no-state', '--json'])).out);
    assert.equal(json.warnings.length, 1);
    const witnessed = await run([bundle, '--key', logKeys.verifierKey, '--no-state', ...witnessArgs]);
    assert.doesNotMatch(witnessed.out, /WARNING/);
    const state = join(dir, 'warning-state.json');
    assert.match((await run([bundle, '--key', logKeys.verifierKey, '--state', state])).out, /WARNING/);
    assert.doesNotMatch((await run([bundle, '--state', state])).out, /WARNING/);
  });

  test('an entries file with checkpoints.jsonl beside it; JSON report; a flipped byte names the entry range', async () => {
    const file = join(dir, 'bundle', 'entries.jsonl');
    const ok = await run([file, '--key', logKeys.verifierKey, '--no-state', '--json']);
    assert.equal(ok.code, 0, ok.out);
    const report = JSON.parse(ok.out);
    assert.equal(report.ok, true);
    assert.equal(report.checks.find((c: { id: string }) => c.id === 'witness_policy').status, 'skip');
    const bytes = await readFile(file);
    const at = bytes.indexOf('comment 150');
    bytes[at + 8] = bytes[at + 8]! ^ 1;
    const tampered = join(dir, 'tampered.jsonl');
    await writeFile(tampered, bytes);
    const bad = await run([
      tampered,
      '--key',
      logKeys.verifierKey,
      '--no-state',
      '--checkpoints',
      join(dir, 'bundle', 'checkpoints.jsonl'),
      '--json',
    ]);
    assert.equal(bad.code, 1);
    const where = JSON.parse(bad.out).firstFailure.where;
    assert.deepEqual([where.entry, where.entryEnd], [120, 159]);
    assert.match(bad.err, /entries 120\.\.159/);
  });

  test('a tile server over HTTP on 127.0.0.1, key trusted on first use and then pinned', async () => {
    const served = tilesOnly(files);
    const server: Server = createServer((req, res) => {
      const path = (req.url ?? '').replace(/^\/api\/v1\/orgs\/acme\/record\//, '');
      const body = served.get(path);
      res.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/orgs/acme/record`;
      const state = join(dir, 'http-state.json');
      const first = await run([url, '--state', state]);
      assert.equal(first.code, 0, first.out);
      assert.match(first.out, /trust on first use/);
      assert.match(first.out, /tiles match/);
      served.set('vkey', new TextEncoder().encode('someone.else+00000000+AAAA\n'));
      const second = await run([url, '--state', state]);
      assert.equal(second.code, 0, second.out);
      assert.doesNotMatch(second.out, /trust on first use/);
      assert.match(second.out, /seen before: size 300/);
    } finally {
      server.close();
    }
  });

  test('usage errors and the replay extension point', async () => {
    await assert.rejects(() => run([]), { name: 'UsageError' });
    await assert.rejects(() => run([join(dir, 'nowhere')]), { name: 'UsageError' });
    await assert.rejects(() => run([join(dir, 'older'), '--no-state']), /--key/);
    const withReplay = makeVerifyCommand({
      replay: async () => [
        {
          id: 'recount',
          title: 'every decision recounts the same',
          status: 'fail',
          detail: 'vote 7 differs',
          where: { entry: 42 },
        },
      ],
    });
    const r = await run([join(dir, 'bundle'), '--no-state', '--key', logKeys.verifierKey], withReplay);
    assert.equal(r.code, 1);
    assert.match(r.out, /FAILED at check \d+ \(recount\): vote 7 differs/);
  });
});
