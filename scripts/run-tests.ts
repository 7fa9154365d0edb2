// Runs every test file with node's test runner. When no DATABASE_URL is given and PostgreSQL's binaries are on
// PATH, a throwaway cluster is started for the run so the store suite runs against real PostgreSQL too.
//
// The files run compiled: scripts/build-tests.mjs first compiles src, test, scripts and bench into dist/tests (a
// few seconds), then node:test runs the JavaScript with source maps, so that no test process starts tsx's loader
// and failures still name the .ts file and line (docs/ARCHITECTURE.md "Tests"). COUNCILS_TEST_FROM_SOURCE=1 runs
// the .ts files through tsx instead, as before. Either way the arguments filter the files by substring of their
// path (test/x/y.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { testPasswordHash } from '../test/support/password-cost.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'vectors') continue;
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// The files that take longest start first, so that the run does not end on one of them alone: the order is that
// of scripts/test-timings.txt, the lines of scripts/test-timing.mjs (each file's wall time in a whole run, longest
// first). To bring it up to date, copy a whole run's timing file over it (`COUNCILS_TEST_TIMING=/tmp/t.txt npm test`;
// docs/ARCHITECTURE.md "Tests"). A file it does not name yet (a new one) counts as long as the median file it names.
// Most of the files' time is waiting (for child processes, Chromium, a scheduler's tick), yet three files at a time
// already keep two cores nearly busy (COUNCILS_TEST_CONCURRENCY to change it).
const timings = new Map<string, number>();
try {
  for (const line of readFileSync(join(import.meta.dirname, 'test-timings.txt'), 'utf8').split('\n')) {
    const m = /^\s*(\d+(?:\.\d+)?) s\s+(\S+\.test\.ts)\b/.exec(line);
    if (m && !timings.has(m[2]!)) timings.set(m[2]!, Number(m[1]));
  }
} catch {
  // no timings: the files in their path order
}
const known = [...timings.values()].sort((a, b) => a - b);
const median = known[Math.floor(known.length / 2)] ?? 0;
const seconds = (f: string) => timings.get(f) ?? median;
const filters = process.argv.slice(2);
const files = findTests('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .sort((a, b) => seconds(b) - seconds(a));
const concurrency = process.env.COUNCILS_TEST_CONCURRENCY ?? '3';
const compiled = process.env.COUNCILS_TEST_FROM_SOURCE !== '1';
let built = '';
if (compiled) {
  const b = spawnSync(process.execPath, ['scripts/build-tests.mjs', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (b.status !== 0) process.exit(b.status ?? 1);
  const lines = b.stdout.trim().split('\n');
  built = lines.pop()!;
  console.log(`${lines.join(' ')} ${built}`);
}
const loader = compiled ? ['--enable-source-maps'] : ['--import', 'tsx'];
// node:test (Node 20) sorts the files it is given by path before it starts them, so the order above would be lost:
// each compiled file is started through a one-line module named by its place in the order and its path
// (`order/0001--test--web--languages.test.mjs` imports test/web/languages.test.js), which sorts as the order does.
// A file's tests, source maps and stack traces are its own; scripts/test-timing.mjs reads the path back out of the
// name. The .ts files run from source keep node's order.
const paths = compiled ? files.map((f, i) => orderedEntry(f, i)) : files;
function orderedEntry(file: string, place: number): string {
  const dir = join(built, 'order');
  mkdirSync(dir, { recursive: true });
  const entry = join(
    dir,
    `${String(place).padStart(4, '0')}--${file.replace(/\.ts$/, '').split('/').join('--')}.test.mjs`,
  );
  writeFileSync(
    entry,
    `import ${JSON.stringify(pathToFileURL(resolve(built, file.replace(/\.ts$/, '.js'))).href)};\n`,
  );
  return entry;
}
// Every test process and the servers they start hash passwords cheaply, by the operator's setting
// (test/support/password-cost.ts); one set in the environment is kept.
const env: NodeJS.ProcessEnv = { COUNCILS_PASSWORD_HASH: testPasswordHash, ...process.env };
let stop: (() => void) | undefined;
if (!env.DATABASE_URL && !env.COUNCILS_TEST_NO_POSTGRES) {
  const pg = startThrowawayPostgres();
  if (pg) {
    env.TEST_DATABASE_URL = pg.url;
    stop = pg.stop;
    // the store tests' fresh databases are copies of one migrated here (test/support/databases.ts)
    const { makeTemplate } = await import('../test/support/databases.ts');
    try {
      env.COUNCILS_TEST_PG_TEMPLATE = await makeTemplate(pg.url);
    } catch (e) {
      pg.stop();
      throw e;
    }
    console.log(`# PostgreSQL for the store suite: ${pg.url} (template ${env.COUNCILS_TEST_PG_TEMPLATE})`);
  } else {
    console.log('# PostgreSQL binaries not found: the store suite runs on SQLite only');
  }
} else if (env.DATABASE_URL) {
  env.TEST_DATABASE_URL = env.DATABASE_URL;
}
// COUNCILS_TEST_TIMING=path: each file's wall time into that file too (scripts/test-timing.mjs), beside the spec output.
const timing = env.COUNCILS_TEST_TIMING
  ? [
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(import.meta.dirname, 'test-timing.mjs')}`,
      `--test-reporter-destination=${env.COUNCILS_TEST_TIMING}`,
    ]
  : [];
const result = spawnSync(
  process.execPath,
  [...loader, '--test', '--test-reporter=spec', ...timing, `--test-concurrency=${concurrency}`, ...paths],
  { stdio: 'inherit', env },
);
stop?.();
if (built) rmSync(built, { recursive: true, force: true });
process.exit(result.status ?? 1);
