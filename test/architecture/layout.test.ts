// Tests mirror src (docs/ARCHITECTURE.md "Folder map"): the tests of src/x/y.ts live in test/x/, so every folder of
// test/ other than its own (architecture, support, vectors) names a folder of src/.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.ts';

const root = repoRoot;
const own = new Set(['test/architecture', 'test/support', 'test/vectors']);

function folders(dir: string): string[] {
  const rel = relative(root, dir);
  if (own.has(rel)) return [];
  const below = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory());
  return [rel, ...below.flatMap(folders)];
}

test('every folder of test/ mirrors a folder of src/', () => {
  const tests = folders(join(root, 'test')).filter((f) => f !== 'test');
  assert.ok(tests.includes('test/core/secret'), tests.join(', '));
  const unmirrored = tests.filter((f) => !existsSync(join(root, 'src', f.slice('test/'.length))));
  assert.deepEqual(unmirrored, []);
});
