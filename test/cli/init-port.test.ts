// `councils init` prints invitation links for the server that will serve them: --port (as `councils serve
// --port`), --url, or $PORT; and says so, so links are not sent out pointing at port 3000 by mistake (issue #17).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { councilsBin as bin } from '../support/serve-process.ts';

function councils(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PORT: '', COUNCILS_PUBLIC_URL: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('councils init: the links name the server’s port', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'councils-init-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--port 8123 gives links on port 8123, and the output says how to change it', () => {
    const r = councils(['init', 'examples/federation.yaml', '--db', join(dir, 'a.db'), '--port', '8123']);
    assert.equal(r.code, 0, r.err);
    const links = r.out.match(/http:\/\/\S+\/invite\/\S+/g) ?? [];
    assert.equal(links.length, 5, r.out);
    for (const l of links) assert.match(l, /^http:\/\/127\.0\.0\.1:8123\/invite\//);
    assert.match(r.out, /--port/);
  });

  test('$PORT, as `councils serve` reads it, when no flag is given', () => {
    const r = councils(['init', 'examples/federation.yaml', '--db', join(dir, 'b.db'), '--json'], {
      PORT: '4567',
    });
    assert.equal(r.code, 0, r.err);
    const { invitations } = JSON.parse(r.out) as { invitations: { link: string }[] };
    for (const i of invitations) assert.match(i.link, /^http:\/\/127\.0\.0\.1:4567\/invite\//);
  });
});
