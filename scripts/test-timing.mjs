// A node:test reporter: each test file's wall time (its process, from start to exit), longest first, with when it
// started and ended in the run. scripts/run-tests.ts adds it beside the spec reporter when COUNCILS_TEST_TIMING
// names a file (`COUNCILS_TEST_TIMING=/tmp/t.txt npm test`, or `… npx tsx scripts/run-tests.ts web/`); its lines
// are what scripts/test-timings.txt holds, the order the runner starts the files in (docs/ARCHITECTURE.md "Tests").
//
// The figure is the `test:complete` event node:test emits for the file itself (data.name === data.file), whose
// duration is the file's process's; the span between a file's first and last test events is not: node:test
// reports the events of every file but the one whose turn it is later, in a burst. Plain JavaScript (node loads a
// reporter without tsx).
import { relative } from 'node:path';

/** test/x/y.test.ts for a file of the compiled run (dist/tests/run-PID/test/x/y.test.js) or of the sources. */
export function sourceName(file, cwd = process.cwd()) {
  const path = relative(cwd, file).split('\\').join('/');
  // started through its place in the order (scripts/run-tests.ts `orderedEntry`): the path is in the name
  const ordered = /^dist\/tests\/run-\d+\/order\/\d+--(.*)\.test\.mjs$/.exec(path);
  if (ordered) return `${ordered[1].split('--').join('/')}.ts`;
  const m = /^dist\/tests\/run-\d+\/(.*)\.js$/.exec(path);
  return m ? `${m[1]}.ts` : path;
}

const s = (ms) => (ms / 1000).toFixed(1);

export default async function* timing(source) {
  const t0 = Date.now();
  const started = new Map();
  const rows = [];
  for await (const event of source) {
    const d = event.data;
    if (!d?.file || d.name !== d.file || d.nesting !== 0) continue;
    if (event.type === 'test:dequeue' && !started.has(d.file)) started.set(d.file, Date.now() - t0);
    if (event.type === 'test:complete') {
      const end = Date.now() - t0;
      const ms = d.details?.duration_ms ?? end - (started.get(d.file) ?? 0);
      rows.push({
        file: sourceName(d.file),
        ms,
        start: Math.max(0, end - ms),
        end,
        passed: d.details?.passed !== false,
      });
    }
  }
  rows.sort((a, b) => b.ms - a.ms);
  const wall = Math.max(0, ...rows.map((r) => r.end));
  const sum = rows.reduce((n, r) => n + r.ms, 0);
  const lastStart = Math.max(0, ...rows.map((r) => r.start));
  yield `# node:test files by wall time, longest first (scripts/test-timing.mjs, ${new Date(t0).toISOString()})\n`;
  yield `# ${rows.length} files, ${s(sum)} s of files in ${s(wall)} s of wall; the last file started at ${s(lastStart)} s\n`;
  yield `# seconds  file  (started–ended in the run, s)\n`;
  for (const r of rows)
    yield `${s(r.ms).padStart(7)} s  ${r.file}  (${s(r.start)}–${s(r.end)})${r.passed ? '' : '  failed'}\n`;
}
