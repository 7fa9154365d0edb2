// The compiled build is run only when it is fresh: bin/councils.js asks buildIsFresh, and a source changed, added,
// deleted or moved since the build started makes it stale (the command then runs the sources through tsx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIsFresh, sources } from '../../scripts/build-node.mjs';

test('a build is fresh until a source is changed, added, deleted or moved', () => {
  const root = mkdtempSync(join(tmpdir(), 'councils-build-'));
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(join(root, 'src', 'web'), { recursive: true });
  mkdirSync(join(root, 'dist', 'node'), { recursive: true });
  const t0 = new Date('2026-01-01T00:00:00Z');
  for (const f of ['src/a.ts', 'src/cli/main.ts']) {
    writeFileSync(join(root, f), '');
    utimesSync(join(root, f), t0, t0);
  }
  writeFileSync(join(root, 'src', 'web', 'app.ts'), ''); // src/web is Vite's, not this build's
  const stamp = (startedAt: number) =>
    writeFileSync(
      join(root, 'dist', 'node', '.build-stamp.json'),
      JSON.stringify({ startedAt, sources: sources(root).count, paths: sources(root).paths }),
    );

  assert.equal(buildIsFresh(root), false, 'no build yet');
  assert.equal(sources(root).count, 2);
  assert.equal(sources(root).newest, t0.getTime());
  stamp(t0.getTime() + 1000);
  assert.equal(buildIsFresh(root), true);

  const later = new Date(t0.getTime() + 2000);
  utimesSync(join(root, 'src', 'a.ts'), later, later);
  assert.equal(buildIsFresh(root), false, 'a source changed after the build started');
  utimesSync(join(root, 'src', 'a.ts'), t0, t0);
  assert.equal(buildIsFresh(root), true);

  writeFileSync(join(root, 'src', 'b.ts'), '');
  utimesSync(join(root, 'src', 'b.ts'), t0, t0);
  assert.equal(buildIsFresh(root), false, 'a source added, even with an old time');
  rmSync(join(root, 'src', 'b.ts'));
  assert.equal(buildIsFresh(root), true);
  rmSync(join(root, 'src', 'a.ts'));
  assert.equal(buildIsFresh(root), false, 'a source deleted');
  writeFileSync(join(root, 'src', 'a.ts'), '');
  utimesSync(join(root, 'src', 'a.ts'), t0, t0);
  assert.equal(buildIsFresh(root), true);
  renameSync(join(root, 'src', 'a.ts'), join(root, 'src', 'cli', 'a.ts'));
  assert.equal(buildIsFresh(root), false, 'a source moved, keeping its time');
});
