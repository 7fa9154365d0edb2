// Start-up of the command and the server, compiled build (what `npm install` makes and `councils` runs) against the
// sources through tsx (the path before issue #19, and still the fallback for a stale build), with `node -e 0` as
// the same-run baseline. Runs alternate; medians. Wall and CPU time (user + system) of each whole process from GNU
// time; the server's start is the wall time from spawn to its "serving http://…" line, on a fresh SQLite file.
// Usage: npx tsx bench/startup.bench.ts [--quick]   (prints a Markdown section)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { build, buildIsFresh } from '../scripts/build-node.mjs';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 15;
const SERVER_RUNS = quick ? 2 : 7;
const bin = join(import.meta.dirname, '..', 'bin', 'councils.js');
const tmp = mkdtempSync(join(os.tmpdir(), 'councils-startup-'));
if (!buildIsFresh()) build();

const compiled = { ...process.env, COUNCILS_FROM_SOURCE: '0' };
const source = { ...process.env, COUNCILS_FROM_SOURCE: '1' };

function timed(cmd: string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number; rss: number } {
  const report = join(tmp, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', report, '-f', '%e %U %S %M', ...cmd], {
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr}`);
  const [wall, user, sys, kb] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + sys!, rss: kb! / 1024 };
}

function serverStart(env: NodeJS.ProcessEnv, n: number): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', join(tmp, `s${n}.db`)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (/serving http/.test(out)) {
        const ms = performance.now() - t0;
        child.kill();
        resolve(ms / 1000);
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const loadBefore = load();
const started = new Date().toISOString().slice(0, 16).replace('T', ' ');

const rows = {
  baseline: [] as ReturnType<typeof timed>[],
  compiled: [] as ReturnType<typeof timed>[],
  source: [] as ReturnType<typeof timed>[],
};
for (let i = 0; i < RUNS; i++) {
  rows.baseline.push(timed([process.execPath, '-e', '0'], compiled));
  if (!buildIsFresh()) throw new Error('a source changed during the benchmark, so the build is stale');
  rows.compiled.push(timed([process.execPath, bin, '--help'], compiled));
  rows.source.push(timed([process.execPath, bin, '--help'], source));
}
const serve = { compiled: [] as number[], source: [] as number[] };
for (let i = 0; i < SERVER_RUNS; i++) {
  serve.compiled.push(await serverStart(compiled, 2 * i));
  serve.source.push(await serverStart(source, 2 * i + 1));
}

const ms = (s: number) => `${Math.round(s * 1000)} ms`;
const base = median(rows.baseline.map((r) => r.wall));
const out: string[] = [];
out.push('## Start-up: the compiled build against the sources through tsx');
out.push('');
out.push(`Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}, ${started} UTC.`);
out.push(
  `Load average (1/5/15 min) at the start: ${loadBefore}; at the end: ${load()} (the 2 cores are shared).`,
);
out.push(
  `Medians of ${RUNS} runs of each command (alternating) and ${SERVER_RUNS} server starts of each. \`npx tsx bench/startup.bench.ts\`.`,
);
out.push('');
out.push('| What | wall (median) | × `node -e 0` | CPU (user + system) | peak RSS | target |');
out.push('|---|---:|---:|---:|---:|---|');
for (const [label, key, target] of [
  ['baseline: `node -e 0`', 'baseline', ''],
  ['`councils --help`, compiled (dist/node)', 'compiled', '< 150 ms'],
  ['`councils --help`, sources through tsx (before)', 'source', ''],
] as const) {
  const r = rows[key];
  const w = median(r.map((x) => x.wall));
  out.push(
    `| ${label} | ${ms(w)} | ${(w / base).toFixed(2)} | ${ms(median(r.map((x) => x.cpu)))} | ${median(r.map((x) => x.rss)).toFixed(0)} MiB | ${target ? `${target} ${w < 0.15 ? '✓' : '✗'}` : ''} |`,
  );
}
out.push(
  `| \`councils serve\` until it listens, compiled | ${ms(median(serve.compiled))} | ${(median(serve.compiled) / base).toFixed(2)} | | | faster than tsx ${median(serve.compiled) < median(serve.source) ? '✓' : '✗'} |`,
);
out.push(
  `| \`councils serve\` until it listens, sources through tsx (before) | ${ms(median(serve.source))} | ${(median(serve.source) / base).toFixed(2)} | | | |`,
);
out.push('');
out.push(
  'Reading the figures. The compiled build adds ' +
    ms(median(rows.compiled.map((r) => r.cpu)) - median(rows.baseline.map((r) => r.cpu))) +
    ' of CPU to a bare `node -e 0`; the sources through tsx add ' +
    ms(median(rows.source.map((r) => r.cpu)) - median(rows.baseline.map((r) => r.cpu))) +
    '. On a loaded machine wall time is mostly waiting for a core (compare the baseline row with the ~40 ms ' +
    'a bare Node start takes on an idle core), so the ratio to `node -e 0` in the same run and the CPU column are ' +
    'the figures to compare. `councils` runs the build only when it is fresh (scripts/build-node.mjs): after any ' +
    'change to src/ it runs the sources through tsx until `npm run build` (or `npm start`, or `npm install`).',
);
console.log(out.join('\n'));
