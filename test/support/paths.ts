// Where things are, whether the tests run from their sources (through tsx) or compiled into dist/tests by
// scripts/build-tests.mjs, as `npm test` runs them (docs/ARCHITECTURE.md "Tests").
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function packageRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The repository's root: the nearest folder above this file with a package.json (dist/tests has none). */
export const repoRoot = packageRoot();

/** True when the tests run compiled (dist/tests), false when they run from their sources through tsx. */
export const compiled = import.meta.url.endsWith('.js');

/**
 * The node arguments that run the support script test/support/`name`.ts in a child process: its compiled .js when
 * the tests run compiled (no loader to start), the source through tsx otherwise.
 */
export function supportScript(name: string): string[] {
  return compiled
    ? ['--enable-source-maps', join(import.meta.dirname, `${name}.js`)]
    : ['--import', 'tsx', join(import.meta.dirname, `${name}.ts`)];
}
