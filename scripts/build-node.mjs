// The compiled build that `councils` runs: tsc compiles src/ (not src/web, which Vite builds) into dist/node, with
// the `.ts` of relative imports rewritten to `.js` (tsconfig.build.json). `npm install` and `npm ci` run it (the
// package's own `prepare` script), `npm start` runs it when the build is stale, `npm run build` by hand.
// Plain JavaScript on purpose: bin/councils.js imports buildIsFresh before anything is compiled.
//
// A build is fresh when it was started after the newest change to any source file and saw the same files (a file
// added, deleted or moved counts as a change); the stamp dist/node/.build-stamp.json holds what it saw. The
// command runs a stale build never: it falls back to the sources through tsx. `prepare` builds with --no-check
// (tsc --noCheck, the same output): `npm run typecheck` is the type check, of src and more.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const packageRoot = join(import.meta.dirname, '..');
const STAMP = join('dist', 'node', '.build-stamp.json');

/**
 * The source files the build compiles: how many, a hash of their paths (so a moved file counts as a change) and the
 * newest modification time among them (ms).
 */
export function sources(root = packageRoot) {
  let count = 0;
  let newest = 0;
  const paths = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (path !== join(root, 'src', 'web')) walk(path);
      } else if (e.name.endsWith('.ts')) {
        count++;
        paths.push(path.slice(root.length));
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(join(root, 'src'));
  let h = 0x811c9dc5; // FNV-1a over the sorted paths
  for (const ch of paths.sort().join('\n')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return { count, newest, paths: h };
}

/** True when dist/node holds a build of the current sources (see above). */
export function buildIsFresh(root = packageRoot) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return false;
  }
  const now = sources(root);
  return now.count === stamp.sources && now.paths === stamp.paths && now.newest <= stamp.startedAt;
}

/**
 * Compile src/ into a clean dist/node and write the stamp; false (with a message) when typescript is absent. With
 * `check: false`, tsc emits without type-checking (`--noCheck`: the same files, ≈ 11 s of CPU instead of ≈ 26): what
 * `prepare` (npm install, npm ci) does, since `npm run typecheck` checks src with the same options, and more.
 */
export function build(root = packageRoot, { check = true } = {}) {
  const startedAt = Date.now();
  const { count, paths } = sources(root);
  let tsc;
  try {
    tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    console.error('councils build: typescript is not installed; `councils` will run the sources through tsx');
    return false;
  }
  rmSync(join(root, 'dist', 'node'), { recursive: true, force: true });
  const r = spawnSync(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), ...(check ? [] : ['--noCheck'])],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`councils build: tsc failed (exit ${r.status})`);
  writeFileSync(join(root, STAMP), JSON.stringify({ startedAt, sources: count, paths }) + '\n');
  return true;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  // --if-stale: only when the build is not fresh; --no-check: emit without type-checking (see build)
  if (!(process.argv.includes('--if-stale') && buildIsFresh()))
    build(packageRoot, { check: !process.argv.includes('--no-check') });
}
