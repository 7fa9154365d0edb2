// One scheduler pass with nothing due (#18, docs/SCALE.md "The scheduler's scans"): the CPU of `runDueActs` and
// `revealDueRecords` (the organisation's due acts, the secret votes' acts, the reveals) for an organisation with
// N ended votes, N expired petitions and N expired requests in its history, against the code before in the same
// run. The log is made once per N through the core (decide, apply) with the code before and written straight
// through its store (appendEntries, then every touched projection row but the ballots' from the final state) to a
// SQLite file;
// each code then opens its own copy (the newer one migrates it forward), loads the organisation (a replay of the
// log) and runs passes. Each (code, N) is a child process of its own; a pass's CPU is process.cpuUsage() around it,
// the median of the passes after two to warm up.
// Usage: npx tsx bench/scheduler.bench.ts [--before DIR] [--sizes 1000,10000,100000] [--passes 30] [--rounds 3]
//   [--quick]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const here = resolve(import.meta.dirname, '..');
const before = resolve(flag('--before') ?? join(here, '..', 'base'));
const sizes = (flag('--sizes') ?? (quick ? '100,1000' : '1000,10000,100000')).split(',').map(Number);
const passes = Number(flag('--passes') ?? (quick ? 10 : 30));
const rounds = Number(flag('--rounds') ?? (quick ? 1 : 3));
const start = Date.parse('2026-01-05T09:00:00.000Z');
const day = 86_400_000;

const load = (root: string, path: string) => import(pathToFileURL(join(root, path)).href);

/** In a child: N votes (two members, both vote, so each closes), N petitions and N requests left to expire. */
async function seed(root: string, file: string, n: number): Promise<void> {
  const core = await load(root, 'src/core/index.ts');
  const { openDatabase } = await load(root, 'src/store/database.ts');
  const { appendEntries } = await load(root, 'src/store/log-repository.ts');
  const { writeProjections } = await load(root, 'src/store/projection-repository.ts');
  const db = await openDatabase(file);
  const state = core.emptyState();
  let t = start;
  let ids = 0;
  let pending: { entries: unknown[]; texts: string[] } = { entries: [], texts: [] };
  const touched = new Map<string, { table: string; key: string }>();
  const flush = async () => {
    const { entries, texts } = pending;
    pending = { entries: [], texts: [] };
    if (entries.length > 0)
      await db.kysely
        .transaction()
        .execute((trx: unknown) => appendEntries(trx, state.org.id, entries, texts));
  };
  const run = async (command: Record<string, unknown>, actor: string | null) => {
    const now = new Date(t).toISOString();
    const d = core.decide(state, command, { actor, now, newId: (kind: string) => `${kind}_${++ids}` });
    if (!d.ok) throw new Error(`${String(command.type)}: ${d.code} ${d.message}`);
    const out = [];
    for (const ne of d.entries) {
      const e = { ...ne, seq: state.size };
      // a settled vote's ballot rows cannot be projected from the final state: the pass reads none
      for (const k of core.apply(state, e)) if (k.table !== 'ballots') touched.set(`${k.table} ${k.key}`, k);
      core.settleVotes?.(state);
      pending.entries.push(e);
      pending.texts.push(core.canonicalEntry(e));
      out.push(e);
    }
    if (pending.entries.length >= 20_000) await flush();
    return out;
  };
  await run(
    {
      type: 'found_organisation',
      name: 'History',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: [
        { memberId: 'm0', name: 'M0', councilId: 'all' },
        { memberId: 'm1', name: 'M1', councilId: 'all' },
      ],
      constitution: {
        procedure: {
          seconders: { kind: 'absolute', count: 0 },
          debateMinimumMinutes: 0,
          votingMinimumMinutes: 1,
        },
        power: { petitions: { threshold: { kind: 'absolute', count: 2 } } },
      },
    },
    null,
  );
  for (let i = 0; i < n; i++) {
    const [moved] = await run({ type: 'move_motion', councilId: 'all', title: `M${i}`, text: '' }, 'm0');
    const opened = await run({ type: 'open_vote', motionId: moved.payload.motionId, minutes: 60 }, 'm0');
    const voteId = opened.find((e: { act: string }) => e.act === 'vote_opened').payload.voteId;
    await run({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, 'm0');
    await run({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, 'm1');
    await run({ type: 'open_petition', kind: 'agenda', councilId: 'all', title: `P${i}`, text: '' }, 'm0');
    await run(
      { type: 'request_act', kind: 'expel_member', content: { memberId: 'm1', reason: `r${i}` } },
      'm0',
    );
    t += 1000;
  }
  t += 60 * day;
  // the expiries, 500 a decision (expiriesPerDecision)
  for (;;) {
    const due = core.dueExpiries(state, new Date(t).toISOString());
    if (due.petitions.length + due.requests.length === 0) break;
    await run({ type: 'expire_petitions_and_requests' }, null);
  }
  await flush();
  const keys = [...touched.values()];
  for (let i = 0; i < keys.length; i += 20_000)
    await db.kysely
      .transaction()
      .execute((trx: unknown) => writeProjections(trx, state, keys.slice(i, i + 20_000)));
  await db.close();
  process.stdout.write(JSON.stringify({ entries: state.size, at: new Date(t).toISOString() }));
}

/** In a child: the code in `root` opens `file`, loads the organisation, then times passes. */
async function measure(root: string, file: string, at: string): Promise<void> {
  const { openDatabase } = await load(root, 'src/store/database.ts');
  const { CouncilsService } = await load(root, 'src/server/service.ts');
  const { runDueActs } = await load(root, 'src/server/scheduler.ts');
  const { revealDueRecords } = await load(root, 'src/server/sealed-records.ts');
  const db = await openDatabase(file);
  const keyDir = mkdtempSync(join(os.tmpdir(), 'councils-bench-keys-'));
  const service = new CouncilsService(db, { now: () => new Date(Date.parse(at) + 3_600_000) }, { keyDir });
  const ids = await service.orgIds();
  const loadStarted = performance.now();
  await service.ledger(ids[0]).current();
  const loadMs = performance.now() - loadStarted;
  const cpu: number[] = [];
  for (let i = 0; i < passes + 2; i++) {
    const c = process.cpuUsage();
    const acts = (await runDueActs(service, ids)) + (await revealDueRecords(service, ids));
    const used = process.cpuUsage(c);
    if (acts !== 0) throw new Error(`a pass with nothing due did ${acts} acts`);
    if (i >= 2) cpu.push((used.user + used.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  await db.close();
  rmSync(keyDir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ ms: cpu[cpu.length >> 1], loadMs }));
}

function child(...rest: string[]): Record<string, number | string> {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--max-old-space-size=8192', import.meta.filename, ...rest],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`child ${rest.join(' ')} failed (${r.status})`);
  return JSON.parse(r.stdout);
}

if (args[0] === '--seed') await seed(args[1]!, args[2]!, Number(args[3]));
else if (args[0] === '--measure') await measure(args[1]!, args[2]!, args[3]!);
else {
  if (!existsSync(join(before, 'src/server/scheduler.ts'))) throw new Error(`no code before in ${before}`);
  const tmp = mkdtempSync(join(os.tmpdir(), 'councils-scheduler-bench-'));
  const loadAvg = os.loadavg().map((x) => x.toFixed(1));
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const seedFile = join(tmp, `seed-${n}.db`);
      const seeded = child('--seed', before, seedFile, String(n));
      const files = { before: join(tmp, `before-${n}.db`), after: join(tmp, `after-${n}.db`) };
      copyFileSync(seedFile, files.before);
      copyFileSync(seedFile, files.after);
      rmSync(seedFile);
      // before and after alternate, three children each, so both share the machine's load
      const got: { before: number[]; after: number[]; loadBefore: number[]; loadAfter: number[] } = {
        before: [],
        after: [],
        loadBefore: [],
        loadAfter: [],
      };
      for (let round = 0; round < rounds; round++) {
        const b = child('--measure', before, files.before, String(seeded.at));
        const a = child('--measure', here, files.after, String(seeded.at));
        got.before.push(Number(b.ms));
        got.after.push(Number(a.ms));
        got.loadBefore.push(Number(b.loadMs));
        got.loadAfter.push(Number(a.loadMs));
      }
      const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
      rows.push(
        `| ${n.toLocaleString('en')} | ${Number(seeded.entries).toLocaleString('en')} | ${med(got.before).toFixed(3)} | ${med(got.after).toFixed(3)} | ${(med(got.after) / med(got.before)).toFixed(3)} | ${(med(got.loadBefore) / 1000).toFixed(1)} / ${(med(got.loadAfter) / 1000).toFixed(1)} |`,
      );
      console.error(rows.at(-1));
      rmSync(files.before);
      rmSync(files.after);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const first = rows[0]!.split('|')[4]!.trim();
  console.log(`## The scheduler's pass with nothing due

${new Date().toISOString().slice(0, 16)} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average at start ${loadAvg.join(' / ')} · \`bench/scheduler.bench.ts\` against ${before} (the code before) in the
same run.

An organisation (SQLite) with N ended votes (each moved, opened and closed by its two electors' ballots), N
petitions and N privileged requests expired in its history, nothing due. One pass is \`runDueActs\` and
\`revealDueRecords\` for it (the scheduler's work for an organisation, less its lease and checkpoint); CPU
(user + system) is the median of ${passes} passes in a child process, the median of ${rounds} children per
code, before and after alternating. Loading the organisation (the log's replay, once per process) is shown for
what it costs beside.

| N | entries | pass CPU before (ms) | pass CPU after (ms) | after ÷ before | load before / after (s) |
|---|---|---|---|---|---|
${rows.join('\n')}

The pass after is flat: from ${sizes[0]!.toLocaleString('en')} to ${sizes.at(-1)!.toLocaleString('en')} its CPU goes
from ${first} ms to ${rows.at(-1)!.split('|')[4]!.trim()} ms; before, it grew with the history.`);
}
