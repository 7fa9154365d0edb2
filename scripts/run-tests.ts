// Runs every test file with node's test runner. When no DATABASE_URL is given and PostgreSQL's binaries are on
// PATH, a throwaway cluster is started for the run so the store suite runs against real PostgreSQL too.
//
// The files run compiled: scripts/build-tests.mjs first compiles src, test, scripts and bench into dist/tests (a
// few seconds), then node:test runs the JavaScript with source maps, so that no test process starts tsx's loader
// and failures still name the .ts file and line (docs/ARCHITECTURE.md "Tests"). COUNCILS_TEST_FROM_SOURCE=1 runs
// the .ts files through tsx instead, as before. Either way the arguments filter the files by substring of their
// path (test/x/y.test.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

// The files that take longest start first, so that the run does not end on one of them alone (times of the quiet
// full run of 2026-12-07 09:17, the kill tests' halves now side by side; docs/ARCHITECTURE.md "Tests"). Most of
// their time is waiting (for child processes, Chromium, a scheduler's tick), yet three files at a time already keep
// two cores nearly busy (COUNCILS_TEST_CONCURRENCY to change it).
const longest = [
  'test/web/languages.test.ts',
  'test/server/crash.test.ts',
  'test/web/ranked-election.test.ts',
  'test/web/ranked-secret.test.ts',
  'test/web/power.test.ts',
  'test/server/webhooks-crash.test.ts',
  'test/server/ballot-queue.test.ts',
  'test/server/mail-crash.test.ts',
  'test/web/accounts.test.ts',
  'test/server/mixnet-vote.test.ts',
  'test/web/trustees.test.ts',
  'test/web/decision.test.ts',
  'test/web/secret-ballot.test.ts',
  'test/web/live.test.ts',
  'test/server/idempotency.test.ts',
];
const rank = (f: string) => {
  const i = longest.indexOf(f);
  return i < 0 ? longest.length : i;
};
const filters = process.argv.slice(2);
const files = findTests('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .sort((a, b) => rank(a) - rank(b));
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
const paths = compiled ? files.map((f) => join(built, f.replace(/\.ts$/, '.js'))) : files;
const env = { ...process.env };
let stop: (() => void) | undefined;
if (!env.DATABASE_URL && !env.COUNCILS_TEST_NO_POSTGRES) {
  const pg = startThrowawayPostgres();
  if (pg) {
    env.TEST_DATABASE_URL = pg.url;
    stop = pg.stop;
    console.log(`# PostgreSQL for the store suite: ${pg.url}`);
  } else {
    console.log('# PostgreSQL binaries not found: the store suite runs on SQLite only');
  }
} else if (env.DATABASE_URL) {
  env.TEST_DATABASE_URL = env.DATABASE_URL;
}
const result = spawnSync(
  process.execPath,
  [...loader, '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...paths],
  { stdio: 'inherit', env },
);
stop?.();
if (built) rmSync(built, { recursive: true, force: true });
process.exit(result.status ?? 1);
