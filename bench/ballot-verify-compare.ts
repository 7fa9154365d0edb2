// Same-run comparison of the per-ballot CPU time of verifyBallotChunk (checks 5.1–5.7 with batch verification, one
// thread) between this tree and another checkout of the project (e.g. the commit before a change), alternating,
// on the board of bench/ballot-election.bench.ts (run it first, e.g. with --quick, to cache the board).
// Usage: npx tsx bench/ballot-verify-compare.ts BASELINE_CHECKOUT [BOARD.jsonl] [--rounds N]
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import * as ballot from '../src/ballot/index.ts';
import { nativeSha256 } from '../src/node/ballot-crypto.ts';
import type { BoardEntry } from '../src/ballot/index.ts';

// positional arguments: not flags, and not the value of --rounds
const [baseline, boardArg] = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--rounds');
const at = process.argv.indexOf('--rounds');
const ROUNDS = at > 0 ? Number(process.argv[at + 1]) : 7;
if (!baseline) {
  console.error('usage: npx tsx bench/ballot-verify-compare.ts BASELINE_CHECKOUT [BOARD.jsonl] [--rounds N]');
  process.exit(2);
}
const cache = join(import.meta.dirname, '.cache');
const boardFile =
  boardArg ?? join(cache, readdirSync(cache).find((f) => /^election-\d+x3-.*\.jsonl$/.test(f)) ?? 'missing');
const board = readFileSync(boardFile, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as BoardEntry);
type Ballot = typeof ballot;
const trees: Record<string, Ballot> = {
  baseline: (await import(join(baseline, 'src', 'ballot', 'index.ts'))) as Ballot,
  this: ballot,
};
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const setups = await Promise.all(
  Object.entries(trees).map(async ([name, m]) => {
    // each tree as `councils verify` runs it: with node:crypto's SHA-256 where the tree takes one (withSha256)
    const sodium = await m.sodiumGroup();
    const g = 'withSha256' in m ? m.withSha256(sodium, nativeSha256) : sodium;
    const prep = m.prepareBoard(g, board);
    return { name, m, g, election: prep.election!, items: prep.items.filter((i) => i.kind === 'ballot') };
  }),
);
const times: Record<string, number[]> = { baseline: [], this: [] };
const loadBefore = os.loadavg();
for (let r = 0; r <= ROUNDS; r++) {
  for (const s of setups) {
    const items = JSON.parse(JSON.stringify(s.items)) as typeof s.items; // fresh objects: nothing cached
    const t = cpu();
    // CSPRNG weights (a checkout from before they existed ignores the fourth argument)
    const failures = s.m.verifyBallotChunk(s.g, s.election, items, { randomBytes });
    if (failures.length) throw new Error(`${s.name}: ${failures.length} ballots failed`);
    if (r > 0) times[s.name]!.push((cpu() - t) / items.length); // round 0 warms up
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
console.log(
  `${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC, load ${load(loadBefore)} → ${load(os.loadavg())}`,
);
console.log(`board ${boardFile}: ${setups[0]!.items.length} ballots, ${ROUNDS} rounds alternating (medians)`);
for (const s of setups) {
  const ms = median(times[s.name]!);
  console.log(`${s.name}: ${ms.toFixed(3)} ms CPU per ballot (${(1000 / ms).toFixed(0)} ballots/s per core)`);
}
console.log(`baseline ÷ this: ${(median(times.baseline!) / median(times.this!)).toFixed(2)}`);
