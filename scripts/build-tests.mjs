// Compiles the TypeScript that the test suite runs (src, test, scripts, bench) into dist/tests/run-PID once per run
// (a folder per run, so that two runs in one checkout do not pull each other's files away), so that
// node:test runs plain JavaScript: each test file's process then starts without tsx's loader (its hooks thread,
// esbuild and a resolve and load round trip for every module), which cost ≈ 0.4 s of CPU an empty file and ≈ 0.9 s
// one that imports the server (docs/ARCHITECTURE.md "Tests"). esbuild transpiles each file on its own (no bundle,
// no type check: `npm test` type-checks first), with source maps, so a failure's stack names the .ts file and line
// (the runner gives node --enable-source-maps).
//
// The layout mirrors the repository (dist/tests/src, dist/tests/test, …) so that the tests' paths relative to
// import.meta.dirname still work: relative imports of .ts/.tsx files become .js, relative imports of other files
// (JSON, .mjs) point back at the originals, and the folders the tests read beside them (test/vectors, the test
// folders' JSON files, docs, bin, examples) are links to the originals. Plain JavaScript, as scripts/build-node.mjs:
// it runs before anything is compiled.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const runs = join(root, 'dist', 'tests');
const compiled = ['src', 'test', 'scripts', 'bench'];
const linked = ['bin', 'docs', 'examples'];

function walk(dir, out = { code: [], other: [] }) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.name === 'node_modules' || e.name === '.cache') continue;
    if (path === join(root, 'test', 'vectors')) continue;
    if (e.isDirectory()) walk(path, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.code.push(path);
    else if (dir.startsWith(join(root, 'test'))) out.other.push(path);
  }
  return out;
}

/** Every relative import stays outside the bundle: a .ts/.tsx one as its .js, any other as the original file. */
const rewriteImports = (testBuild) => ({
  name: 'rewrite-imports',
  setup(b) {
    const outputOf = (source) => join(testBuild, relative(root, source)).replace(/\.tsx?$/, '.js');
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      if (/\.tsx?$/.test(args.path)) return { path: args.path.replace(/\.tsx?$/, '.js'), external: true };
      const target = resolve(args.resolveDir, args.path);
      let path = relative(dirname(outputOf(args.importer)), target);
      if (!path.startsWith('.')) path = `./${path}`;
      return { path, external: true };
    });
  },
});

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/**
 * Builds dist/tests/run-`pid` (the running test runner's) anew, after removing the folders of runs whose process
 * has gone; resolves with the folder and the number of files compiled.
 */
export async function buildTests(pid = process.pid) {
  if (existsSync(runs))
    for (const name of readdirSync(runs)) {
      const m = /^run-(\d+)$/.exec(name);
      if (!m || Number(m[1]) === pid || !alive(Number(m[1])))
        rmSync(join(runs, name), { recursive: true, force: true });
    }
  const testBuild = join(runs, `run-${pid}`);
  const files = { code: [], other: [] };
  for (const d of compiled) walk(join(root, d), files);
  await build({
    entryPoints: files.code,
    outbase: root,
    outdir: testBuild,
    bundle: true, // with every import external (above): one output per file, its imports rewritten by esbuild
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [rewriteImports(testBuild)],
  });
  for (const f of files.other) cpSync(f, join(testBuild, relative(root, f)));
  mkdirSync(join(testBuild, 'test'), { recursive: true });
  symlinkSync(join(root, 'test', 'vectors'), join(testBuild, 'test', 'vectors'));
  for (const d of linked) symlinkSync(join(root, d), join(testBuild, d));
  return { dir: testBuild, files: files.code.length };
}

// `node scripts/build-tests.mjs PID`: the runner's build (scripts/run-tests.ts); the folder's path is the last line.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const t = performance.now();
  const { dir, files } = await buildTests(Number(process.argv[2] ?? process.pid));
  console.log(
    `# ${files} files compiled in ${Math.round(performance.now() - t)} ms into\n${relative(root, dir)}`,
  );
}
