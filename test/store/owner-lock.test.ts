// On SQLite one process owns the database file (src/store/owner-lock.ts): a second `councils serve` on the same
// file is refused at start with a message that says so, and once the first is killed (kill -9, so nothing of its
// own cleans up) a new server starts on the file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exited } from '../support/multi-process.ts';
import { serveProcess } from '../support/serve-process.ts';

test('a second councils serve on one SQLite file is refused at start; after kill -9 of the first, one starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'councils-owner-'));
  const db = join(dir, 'councils.db');
  const env = { COUNCILS_KEY_DIR: join(dir, 'keys') };
  try {
    const first = await serveProcess(db, env);
    await assert.rejects(serveProcess(db, env), (e: Error) => {
      assert.match(e.message, /serve exited 1/);
      assert.match(
        e.message,
        /another process is serving .*councils\.db: on SQLite one process owns the database file/,
      );
      return true;
    });
    const health = await fetch(`${first.url}/api/v1/health`);
    assert.equal(health.status, 200, 'the first server still serves');
    first.child.kill('SIGKILL');
    await exited(first.child);
    const next = await serveProcess(db, env);
    assert.equal((await fetch(`${next.url}/api/v1/health`)).status, 200);
    next.child.kill('SIGTERM');
    await exited(next.child);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
