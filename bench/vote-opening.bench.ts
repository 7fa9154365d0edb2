// Opening a vote in a council of N electors (issue #16's target: the command under 1 s at p99; docs/SCALE.md
// "Opening a vote"), on SQLite: moving a motion and opening its vote through the ledger, each its own transaction,
// as the notifications bench does. `--before <dir>` (a checkout of the code before, with node_modules reachable
// from it) founds the same council with that code in the same process and alternates the openings of both, so the
// two columns share the machine's load. Also: what a page of the electorate and the vote's counts cost after.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withInstantProcedure } from '../test/support/factory.ts';

const quick = process.argv.includes('--quick');
const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const beforeDir = flag('--before') ?? process.env.COUNCILS_BENCH_BEFORE;
const electors = Number(flag('--electors') ?? (quick ? 10_000 : 100_000));
const rounds = Number(flag('--rounds') ?? (quick ? 3 : 20));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;

interface Code {
  label: string;
  openDatabase: (file: string) => Promise<{
    kysely: { selectFrom: (t: string) => never };
    close: () => Promise<void>;
  }>;
  foundOrganisation: (
    ...args: never[]
  ) => Promise<{ ledger: Ledger; outcome: { ok: boolean; code?: string } }>;
  systemClock: unknown;
}
interface Ledger {
  orgId: string;
  execute: (
    command: unknown,
    actor: string,
  ) => Promise<{ ok: boolean; code?: string; entries: { act: string; payload: Record<string, string> }[] }>;
}

async function load(label: string, root: string): Promise<Code> {
  const url = (p: string) => pathToFileURL(join(root, p)).href;
  const database = await import(url('src/store/database.ts'));
  const ledger = await import(url('src/store/ledger.ts'));
  return {
    label,
    openDatabase: database.openDatabase,
    foundOrganisation: ledger.foundOrganisation,
    systemClock: ledger.systemClock,
  };
}

const dir = mkdtempSync(join(os.tmpdir(), 'councils-bench-opening-'));
const codes = [await load('after (this code)', resolve(import.meta.dirname, '..'))];
if (beforeDir) codes.push(await load(`before (${beforeDir})`, resolve(beforeDir)));

const runs: {
  code: Code;
  db: Awaited<ReturnType<Code['openDatabase']>>;
  ledger: Ledger;
  opening: number[];
  voteIds: string[];
}[] = [];
for (const code of codes) {
  const db = await code.openDatabase(join(dir, `${runs.length}.db`));
  const t0 = performance.now();
  const founding = {
    type: 'found_organisation',
    name: 'Bench',
    constitution: withInstantProcedure({}),
    councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
    founders: Array.from({ length: electors }, (_, i) => ({
      memberId: `m${i}`,
      name: `M ${i}`,
      councilId: 'all',
    })),
  };
  const { ledger, outcome } = await code.foundOrganisation(...([db, founding, code.systemClock] as never[]));
  if (!outcome.ok) throw new Error(`${code.label}: ${outcome.code}`);
  console.error(`  ${code.label}: founded ${electors} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  runs.push({ code, db, ledger, opening: [] as number[], voteIds: [] as string[] });
}

for (let r = 0; r < rounds; r++) {
  for (const run of runs) {
    const t = performance.now();
    const moved = await run.ledger.execute(
      { type: 'move_motion', councilId: 'all', title: `Vote ${r}`, text: '' },
      'm0',
    );
    if (!moved.ok || moved.entries[0]!.act !== 'motion_moved') throw new Error(`move: ${moved.code}`);
    const opened = await run.ledger.execute(
      { type: 'open_vote', motionId: moved.entries[0]!.payload.motionId },
      'm0',
    );
    if (!opened.ok) throw new Error(`open: ${opened.code}`);
    run.opening.push(performance.now() - t);
    run.voteIds.push(opened.entries.find((e) => e.act === 'vote_opened')!.payload.voteId!);
  }
}

const load1 = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
for (const run of runs) {
  console.error(`  ${run.code.label}: ${run.opening.map((x) => x.toFixed(0)).join(' ')} ms`);
  await run.db.close();
}
rmSync(dir, { recursive: true, force: true });

const after = runs[0]!;
const before = runs[1];
const row = (run: (typeof runs)[0]) =>
  `| ${run.code.label} | ${median(run.opening).toFixed(0)} ms | ${p99(run.opening).toFixed(0)} ms | ${Math.max(...run.opening).toFixed(0)} ms |`;
console.log(`## Opening a vote of ${electors.toLocaleString('en')} electors (issue #16's 1 s target)

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
SQLite · load average at the end ${load1} (eight engineers share the 2 cores). A council of
${electors.toLocaleString('en')} members; ${rounds} votes opened one after another per code (\`move_motion\` then
\`open_vote\` through the ledger, each its own transaction), ${before ? 'the two codes alternating, each with its own database, in one process' : 'this code only'}.
\`bench/vote-opening.bench.ts\`${before ? ' --before <checkout>' : ''}.

| code | median | p99 | max |
|---|---|---|---|
${runs.map(row).join('\n')}
${
  before
    ? `
After ÷ before (medians): **${(median(after.opening) / median(before.opening)).toFixed(3)}**. The code before wrote one
\`electors\` row per elector in the opening's transaction (${electors.toLocaleString('en')} rows); this code writes
none: the electorate is frozen in the organisation's state (docs/SCALE.md "Opening a vote").`
    : ''
}`);
process.exit(0);
