// `npm run bench`: runs every bench/*.bench.ts in its own process (so peak memory is each one's own), writes
// each one's Markdown to docs/performance/<name>.md, and assembles docs/PERFORMANCE.md from them.
// `npm run bench -- api count` runs only those; `-- --quick` passes --quick to each (small sizes, not written).
// COUNCILS_BENCH_BEFORE=DIR (a checkout of the code before, node_modules reachable from it) is read by the benches
// that measure against the code before in the same run (api, closed-votes, ended-secret-pages and list-pages through
// bench/support/codes.ts; scale-reads, unknown-council).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
const docs = join(here, '..', 'docs');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();

mkdirSync(join(docs, 'performance'), { recursive: true });
let failed = false;
for (const name of benches) {
  console.error(`# bench ${name}${quick ? ' (quick)' : ''}`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, `${name}.bench.ts`), ...(quick ? ['--quick'] : [])],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  process.stdout.write(r.stdout);
  if (r.status !== 0) {
    failed = true;
    console.error(`# bench ${name} failed (exit ${r.status})`);
    continue;
  }
  if (!quick) writeFileSync(join(docs, 'performance', `${name}.md`), r.stdout.trim() + '\n');
}

const sections = readdirSync(join(docs, 'performance'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => readFileSync(join(docs, 'performance', f), 'utf8').trim());
writeFileSync(
  join(docs, 'PERFORMANCE.md'),
  `# Performance

Written by \`npm run bench\` (each benchmark's own section is kept in \`docs/performance/\`). Machines here are
noisy: every figure is a median over several runs, with a baseline measured in the same run. Targets come from
the issues; speed is never asserted by a test. Last assembled ${new Date().toISOString().slice(0, 10)} on
${os.cpus()[0]?.model} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB.

${sections.join('\n\n')}
`,
);
process.exit(failed ? 1 : 0);
