// Builds the browser app (src/web → dist/web) when it is missing or older than its sources: `npm start` runs
// this first (prestart) so a fresh clone serves the app, and the browser tests call buildWebIfStale().
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';

// src/web itself, found from the package root (the nearest folder above with a package.json), so that this file
// finds the app's sources whether it runs from them or compiled with the tests (scripts/build-tests.mjs).
let root = import.meta.dirname;
while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
const here = join(root, 'src', 'web');
export const webSource = here;
export const webDist = join(here, '..', '..', 'dist', 'web');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** The pure layers the app bundles besides its own folder (the ballot worker, the record check, counting). */
const bundledLayers = ['ballot', 'count', 'record', 'core'].map((d) => join(here, '..', d));

export function webIsStale(): boolean {
  const index = join(webDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return [webSource, ...bundledLayers].some((dir) => existsSync(dir) && newest(dir) > built);
}

/** Type-checks src/web (its own tsconfig, with DOM types) and builds it with Vite. Throws when either fails. */
export async function buildWeb(options: { typecheck?: boolean; quiet?: boolean } = {}): Promise<void> {
  if (options.typecheck !== false) {
    const tsc = join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`src/web does not type-check:\n${r.stdout}${r.stderr}`);
  }
  const { build } = await import('vite');
  await build({ configFile: join(here, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info' });
}

/**
 * Builds when stale. Test files run in parallel processes, so one builds while the others wait on a lock
 * directory (mkdir is atomic), then find the build fresh. A lock older than five minutes is taken as abandoned.
 */
export async function buildWebIfStale(options: { quiet?: boolean } = {}): Promise<boolean> {
  const lock = join(webDist, '..', '.web-build.lock');
  mkdirSync(join(webDist, '..'), { recursive: true });
  for (;;) {
    if (!webIsStale()) return false;
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000)
        rmSync(lock, { force: true, recursive: true });
      await sleep(200);
      continue;
    }
    try {
      if (!webIsStale()) return false;
      await buildWeb(options);
      return true;
    } finally {
      rmSync(lock, { force: true, recursive: true });
    }
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale) {
    if (await buildWebIfStale()) console.log('built the web app into dist/web');
  } else await buildWeb();
}
