// `councils export` and `councils verify` of a very long log, in bounded memory (issue #18 item 4 and its evidence:
// "export and verify of a 10,000,000-entry log in bounded memory, report peak RSS"), against the same at 100,000
// entries in the same run. The log (SQLite) is an organisation of 100 members, one motion and one vote whose
// ballots may be changed (procedure.ballotsChangeable), then ballot after ballot, each replacing its caster's
// last: a log as long as asked whose state stays small, so that what grows is the record, not the organisation.
// The founding, the motion, the vote and each member's first ballot go through the core (decide, apply); the
// replacing ballots are written straight through the store (appendEntries: the tree grows in the same
// transaction) in transactions of 50,000 entries, their canonical JSON checked against canonicalEntry on the first
// thousand. Their projections are not written (export and verify read only the log). A checkpoint of the whole
// log is signed by the record keeper. Each command runs in a process of its own under /usr/bin/time (%M, %e).
// Usage: npx tsx bench/record-large.bench.ts [--sizes 100000,10000000] [--before DIR [--before-up-to N]] [--tmp DIR]
//   --before DIR: also verify with the code in DIR (a checkout of the commit before), for a baseline, on sizes ≤ N.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { canonicalEntry, type Entry } from '../src/core/index.ts';
import { RecordKeeper } from '../src/node/record-keeper.ts';
import { openDatabase, type Db } from '../src/store/database.ts';
import { appendEntries } from '../src/store/log-repository.ts';
import { insertRecordKey } from '../src/store/record-repository.ts';
import { build, buildIsFresh } from '../scripts/build-node.mjs';
import { prng } from '../test/support/mulberry32.ts';
import { BulkLog, founding, immediateProcedure } from './scale-org.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (flag('--sizes') ?? '100000,10000000').split(',').map(Number);
const beforeDir = flag('--before');
/** The largest size verified with the code before too (the old verifier keeps 64 bytes an entry). */
const beforeUpTo = Number(flag('--before-up-to') ?? Infinity);
const here = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(flag('--tmp') ?? os.tmpdir(), 'councils-record-large-'));
const MEMBERS = 100;
const CHUNK = 50_000;

/** Founds the organisation, opens the vote and casts each member's first ballot through the core. */
async function seedVote(db: Db, now: string) {
  const log = new BulkLog(db, now);
  const f = founding(MEMBERS);
  const procedure = { ...immediateProcedure.procedure, ballotsChangeable: true };
  await log.run({ ...f, constitution: { ...immediateProcedure, procedure } }, null);
  const [moved] = await log.run(
    { type: 'move_motion', councilId: 'b0', title: 'Long', text: 'Generated.' },
    'm0',
  );
  const motionId = (moved as Extract<Entry, { act: 'motion_moved' }>).payload.motionId;
  const [opened] = await log.run({ type: 'open_vote', motionId }, 'm0');
  const voteId = (opened as Extract<Entry, { act: 'vote_opened' }>).payload.voteId;
  for (let i = 0; i < MEMBERS; i++)
    await log.run({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, `m${i}`);
  const [again] = await log.run({ type: 'cast_ballot', voteId, ballot: { choice: 'against' } }, 'm0');
  await log.flush();
  return { orgId: log.state.org!.id, size: log.state.size, voteId, sample: again! };
}

/** A log of `size` entries in a new database; returns its path, organisation and the seconds it took. */
async function generate(size: number) {
  const started = performance.now();
  const file = join(dir, `log-${size}.db`);
  const db = await openDatabase(file);
  const now = new Date().toISOString();
  const { orgId, size: seeded, voteId, sample } = await seedVote(db, now);
  const random = prng(size);
  // ballot_cast as canonicalEntry writes it (RFC 8785: keys sorted), each replacing its caster's last ballot
  const text = (seq: number, actor: string, choice: string) =>
    `{"act":"ballot_cast","actor":"${actor}","payload":{"ballot":{"choice":"${choice}"},"replaces":true,"voteId":"${voteId}"},"seq":${seq},"time":"${now}"}`;
  if (text(sample.seq, 'm0', 'against') !== canonicalEntry(sample))
    throw new Error(`the template is not canonicalEntry's: ${canonicalEntry(sample)}`);
  for (let at = seeded; at < size;) {
    const entries: Entry[] = [];
    const texts: string[] = [];
    for (const end = Math.min(size, at + CHUNK); at < end; at++) {
      const actor = `m${Math.floor(random() * MEMBERS)}`;
      const choice = random() < 0.5 ? 'a1' : 'against';
      const e = {
        seq: at,
        act: 'ballot_cast',
        actor,
        time: now,
        payload: { voteId, ballot: { choice }, replaces: true },
      } as Entry;
      texts.push(text(at, actor, choice));
      if (at < seeded + 1000 && texts.at(-1) !== canonicalEntry(e)) throw new Error(`entry ${at} differs`);
      entries.push(e);
    }
    await db.kysely.transaction().execute((trx) => appendEntries(trx, orgId, entries, texts));
    if (at % 1_000_000 < CHUNK) console.error(`  ${at.toLocaleString('en')} entries`);
  }
  const keyDir = join(dir, `keys-${size}`);
  const keeper = new RecordKeeper(db, { keyDir });
  const verifierKey = keeper.newKeyFile(orgId);
  await insertRecordKey(db.kysely, orgId, { verifierKey, fromSize: 0 }, new Date().toISOString());
  if (!(await keeper.issue(orgId, true))) throw new Error('no checkpoint was issued');
  await db.close();
  return { file, orgId, keyDir, seconds: (performance.now() - started) / 1000 };
}

interface Timed {
  mib: number;
  seconds: number;
  cpu: number;
  out: string;
}

/** Peak RSS (MiB), wall and CPU seconds of `councils …` run by the compiled build in `root`. */
function timed(root: string, argv: string[], keyDir: string): Timed {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'peak %M %e %U %S', process.execPath, join(root, 'bin', 'councils.js'), ...argv],
    {
      encoding: 'utf8',
      env: { ...process.env, COUNCILS_KEY_DIR: keyDir },
      maxBuffer: 64 << 20,
    },
  );
  const m = /peak (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`councils ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return {
    mib: Number(m[1]) / 1024,
    seconds: Number(m[2]),
    cpu: Number(m[3]) + Number(m[4]),
    out: r.stdout,
  };
}

for (const root of [here, beforeDir].filter((d): d is string => !!d)) if (!buildIsFresh(root)) build(root);

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const loadBefore = load();
const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
const rows: string[] = [];
try {
  for (const size of sizes) {
    const g = await generate(size);
    console.error(`${size.toLocaleString('en')} entries generated in ${g.seconds.toFixed(0)} s`);
    const db = statSync(g.file).size / 2 ** 30;
    const out = join(dir, 'entries.jsonl');
    const bundle = join(dir, 'bundle');
    const base = ['--db', g.file, '--org', g.orgId];
    const exportOut = timed(here, ['export', ...base, '--out', out], g.keyDir);
    rmSync(out, { force: true });
    const exportBundle = timed(here, ['export', ...base, '--bundle', bundle], g.keyDir);
    const verify = timed(here, ['verify', bundle, '--no-state'], g.keyDir);
    if (!verify.out.includes(`OK: ${size} entries verified`)) throw new Error(`verify:\n${verify.out}`);
    const old =
      beforeDir && size <= beforeUpTo
        ? timed(beforeDir, ['verify', bundle, '--no-state'], g.keyDir)
        : undefined;
    const cell = (t: Timed) =>
      `${t.mib.toFixed(0)} MiB, ${t.seconds.toFixed(0)} s (CPU ${t.cpu.toFixed(0)} s)`;
    const row = `| ${size.toLocaleString('en')} | ${g.seconds.toFixed(0)} s, ${db.toFixed(2)} GiB | ${cell(exportOut)} | ${cell(exportBundle)} | ${cell(verify)} | ${old ? cell(old) : '—'} |`;
    console.error(row);
    rows.push(row);
    rmSync(bundle, { recursive: true, force: true });
    for (const f of [g.file, `${g.file}-wal`, `${g.file}-shm`]) rmSync(f, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`## Export and verify of a very long log (issue #18 item 4)

${started} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} · load average ${loadBefore}
at the start, ${load()} at the end (the 2 cores are shared) · \`npx tsx bench/record-large.bench.ts --sizes ${sizes.join(',')}${beforeDir ? ' --before DIR' : ''}\`

Peak RSS, wall time and CPU time of each command in a process of its own (the compiled build, \`/usr/bin/time\`),
SQLite. The log: 100 members, one vote whose ballots may be changed, then ballots replacing ballots up to the size
(the organisation's state stays small, so what grows is the record). verify is \`councils verify BUNDLE
--no-state\` with the core's replay (every entry decided again), after \`export --bundle\`.

| entries | generated, database | export --out | export --bundle | verify the bundle | verify, code before |
|---|---|---|---|---|---|
${rows.join('\n')}
`);
