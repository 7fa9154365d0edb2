// The CLI as a user runs it: init from the example file, serve, a full decision over real HTTP, export, rebuild.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HttpClient } from '../support/http-client.ts';
import { councilsBin as bin, serveProcess } from '../support/serve-process.ts';

function councils(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const serve = serveProcess;

describe('councils CLI', () => {
  let dir: string;
  let db: string;
  let server: { child: ChildProcess; url: string };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'councils-cli-'));
    db = join(dir, 'councils.db');
  });
  after(() => {
    server?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('usage errors exit 2, bad files exit 1 with a message', () => {
    assert.equal(councils('frobnicate').code, 2);
    const missing = councils('init', join(dir, 'none.yaml'), '--db', db);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read/);
    assert.equal(councils('export', '--db', db).code, 2);
  });

  test('init, serve, a full decision over HTTP, export and rebuild', async () => {
    // the example as it is, with a procedure fast enough for a test (no seconders, no minimum debate, votes of a
    // minute); a new organisation on the defaults is tested in test/server/procedure.test.ts
    const file = join(dir, 'federation.yaml');
    writeFileSync(
      file,
      readFileSync('examples/federation.yaml', 'utf8').replace(
        /^constitution:\n/m,
        'constitution:\n  procedure: { seconders: { kind: absolute, count: 0 }, debateMinimumMinutes: 0, votingMinimumMinutes: 1 }\n',
      ),
    );
    const init = councils('init', file, '--db', db, '--json');
    assert.equal(init.code, 0, init.err);
    const { orgId, invitations } = JSON.parse(init.out) as {
      orgId: string;
      invitations: { name: string; token: string }[];
    };
    assert.equal(invitations.length, 5);

    server = await serve(db);
    const people: HttpClient[] = [];
    for (const [i, inv] of invitations.entries()) {
      people.push(await new HttpClient(server.url).join(inv.token, `p${i}@example.org`));
    }
    const [ana, ben, cai] = people as [HttpClient, HttpClient, HttpClient];
    const org = await ana.ok('GET', `/orgs/${orgId}/tree`);
    assert.deepEqual(
      org.councils.map((c: { id: string }) => c.id),
      ['federation', 'north', 'south'],
    );

    const { motionId } = await ana.ok('POST', `/orgs/${orgId}/councils/north/motions`, {
      title: 'Canteen',
      text: 'Who runs the canteen?',
      alternatives: [
        { title: 'Ourselves', text: 'A rota of members.' },
        { title: 'A contractor', text: 'Tender it out.' },
      ],
    });
    await ben.ok('POST', `/orgs/${orgId}/motions/${motionId}/comments`, { stance: 'for', text: 'Cheaper.' });
    await ana.ok('POST', `/orgs/${orgId}/motions/${motionId}/vote`, {});
    const { voteId } = await ben.ok('GET', `/orgs/${orgId}/motions/${motionId}`);
    await ana.ok('POST', `/orgs/${orgId}/votes/${voteId}/ballots`, { choice: 'a1' });
    await ben.ok('POST', `/orgs/${orgId}/votes/${voteId}/ballots`, { choice: 'a1' });
    await cai.ok('POST', `/orgs/${orgId}/votes/${voteId}/ballots`, { choice: 'a2' });
    const decided = await cai.ok('GET', `/orgs/${orgId}/motions/${motionId}`);
    assert.equal(decided.state, 'decided');
    assert.equal(decided.adoptedAlternativeId, 'a1');

    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));

    const out = join(dir, 'log.jsonl');
    const exp = councils('export', '--db', db, '--out', out);
    assert.equal(exp.code, 0, exp.err);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(JSON.parse(lines[0]!).act, 'org_founded');
    assert.ok(lines.some((l) => JSON.parse(l).act === 'motion_decided'));
    assert.ok(!readFileSync(out, 'utf8').includes('@example.org'));

    const rebuilt = councils('rebuild', '--db', db);
    assert.equal(rebuilt.code, 0, rebuilt.err);
    assert.match(rebuilt.out, new RegExp(`rebuilt ${orgId} from ${lines.length} entries`));

    // The server signed a checkpoint of everything as it stopped; the static record verifies offline.
    const bundle = join(dir, 'record');
    const exported = councils('export', '--db', db, '--bundle', bundle);
    assert.equal(exported.code, 0, exported.err);
    const vkey = readFileSync(join(bundle, 'vkey'), 'utf8').trim();
    const state = ['--state', join(dir, 'verify-state.json')];
    const ok = councils('verify', bundle, '--key', vkey, ...state, '--json');
    assert.equal(ok.code, 0, ok.out + ok.err);
    const report = JSON.parse(ok.out);
    assert.equal(report.size, lines.length);
    assert.ok(report.checks.some((c: { id: string }) => c.id === 'replay_recount'));

    // One byte of one entry changed: verify fails and names the entry.
    const entries = readFileSync(join(bundle, 'entries.jsonl'), 'utf8').split('\n');
    entries[7] = entries[7]!.replace('"seq":7', '"seq":7 ');
    writeFileSync(join(bundle, 'entries.jsonl'), entries.join('\n'));
    const bad = councils('verify', bundle, '--key', vkey, '--no-state', '--json');
    assert.equal(bad.code, 1, bad.out + bad.err);
    assert.equal(JSON.parse(bad.out).firstFailure.where.entry, 7);
  });
});
