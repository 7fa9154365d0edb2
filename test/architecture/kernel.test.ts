// The core's kernel is generic (docs/ARCHITECTURE.md "The core"): no file of src/core/kernel imports a feature
// folder or the model that joins them, and the import graph of src has no cycle, type-only imports included; the
// cycle check that `npm run lint` runs fails on one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../support/paths.ts';

const root = repoRoot;
const kernel = join(root, 'src/core/kernel');

/** Every module a file names: imports, type imports, re-exports and dynamic imports. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

test('the kernel imports nothing from the feature folders of src/core', () => {
  const files = readdirSync(kernel).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 10, `the kernel's files: ${files.join(', ')}`);
  const upward: string[] = [];
  for (const f of files) {
    for (const spec of importsOf(join(kernel, f))) {
      if (!spec.startsWith('.')) continue; // a package
      const target = relative(root, resolve(kernel, spec));
      const inKernel = target.startsWith('src/core/kernel/');
      const below = /^src\/(lib|count|record|ballot)\//.test(target);
      if (!inKernel && !below) upward.push(`src/core/kernel/${f} → ${target}`);
    }
  }
  assert.deepEqual(upward, []);
});

test("the test's reading of imports sees type-only imports and re-exports", () => {
  const dir = mkdtempSync(join(tmpdir(), 'councils-imports-'));
  try {
    const file = join(dir, 'x.ts');
    writeFileSync(
      file,
      "import type { Motion } from '../motions/types.ts';\nexport { emptyState } from '../model.ts';\n",
    );
    assert.deepEqual(importsOf(file), ['../motions/types.ts', '../model.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const depcruise = join(root, 'node_modules/.bin/depcruise');

test("npm run lint's cycle check runs on src with no list of tolerated cycles, and npm test runs it", () => {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  // `lint`, `check` and `test` (through `check`, as .ci/run) run every lint:* script (run-p, `check` in parallel with
  // the type check)
  assert.match(scripts.lint!, /run-p .*"lint:\*"/);
  assert.match(scripts.check!, /run-p .*typecheck "lint:\*"/);
  assert.match(scripts.test!, /^npm run check && /);
  assert.match(readFileSync(join(root, '.ci', 'run'), 'utf8'), /^npm run check\b/m);
  const cycles = scripts['lint:cycles']!;
  assert.match(cycles, /depcruise src --config \.dependency-cruiser\.cjs( |$)/);
  assert.doesNotMatch(cycles, /--ignore-known|--baseline/);
});

test('the cycle check fails on a cycle made of type-only imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'councils-cycle-'));
  try {
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.ts';\nexport interface A { b?: B }\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a.ts';\nexport interface B { a?: A }\n");
    let out = '';
    let failed = false;
    try {
      execFileSync(depcruise, [dir, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch (e) {
      failed = true;
      out = String((e as { stdout?: string }).stdout);
    }
    assert.ok(failed, 'depcruise exits with an error');
    assert.match(out, /no-cycle/);
    assert.match(out, /a\.ts →\s+\S*b\.ts →\s+\S*a\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
