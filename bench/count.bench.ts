// Counting at scale: 1,000,000 ranked ballots over 10 candidates, in two profiles from a seeded PRNG:
//   uniform  every full ranking equally likely (almost every ballot distinct: compression cannot help);
//   mallows  a Mallows model (dispersion φ = 0.6 around one reference order, ballots truncated after 1–10 ranks),
//            a realistic skewed electorate with many identical ballots.
// Methods: Schulze and ranked pairs (target < 1 s), Scottish STV and Meek STV with 4 seats (target < 5 s).
// Baselines in the same run: the same count over a store that keeps every ballot separately (no weight
// compression), and for the pairwise matrix a plain per-ballot count over string arrays with bigint cells.
// Medians over several runs; peak memory from process.resourceUsage().maxRSS and heap deltas.
// Usage: npx tsx bench/count.bench.ts [--quick]
import os from 'node:os';
import { BallotStore } from '../src/count/ballot-store.ts';
import { PairwiseMatrix } from '../src/count/pairwise.ts';
import { schulze } from '../src/count/schulze.ts';
import { rankedPairs } from '../src/count/ranked-pairs.ts';
import { scottishStv } from '../src/count/scottish-stv.ts';
import { meekStv } from '../src/count/meek-stv.ts';
import { prng } from '../test/support/mulberry32.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 50_000 : 1_000_000;
const RUNS = quick ? 3 : 5;
const STV_RUNS = quick ? 3 : 3;
const K = 10;
const NAMES = Array.from({ length: K }, (_, i) => `C${i + 1}`);

function uniformBallots(n: number, seed: number): number[][] {
  const rnd = prng(seed);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const p = Array.from({ length: K }, (_, k) => k);
    for (let k = K - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      [p[k], p[j]] = [p[j]!, p[k]!];
    }
    out.push(p);
  }
  return out;
}

/** Mallows model by repeated insertion (Doignon et al. 2004): item i goes to position j with weight φ^(i-j). */
function mallowsBallots(n: number, seed: number, phi: number): number[][] {
  const rnd = prng(seed);
  const weights = Array.from({ length: K }, (_, i) =>
    Array.from({ length: i + 1 }, (_, j) => phi ** (i - j)),
  );
  const out: number[][] = [];
  for (let b = 0; b < n; b++) {
    const r: number[] = [];
    for (let i = 0; i < K; i++) {
      const w = weights[i]!;
      let total = 0;
      for (const x of w) total += x;
      let u = rnd() * total;
      let j = 0;
      while (j < i && (u -= w[j]!) > 0) j++;
      r.splice(j, 0, i);
    }
    // Truncate: most voters rank a few, some rank all.
    const len = 1 + Math.min(K - 1, Math.floor(-Math.log(1 - rnd()) * 3));
    out.push(r.slice(0, len));
  }
  return out;
}

function buildStore(ballots: number[][], compress: boolean): BallotStore {
  const store = new BallotStore(NAMES, { compress });
  for (const b of ballots) store.add(b.map((c) => [c]));
  return store;
}

/** The plain baseline: string ballots, bigint cells, a Map lookup per preference. */
function naivePairwise(ballots: string[][]): bigint[][] {
  const idx = new Map(NAMES.map((n, i) => [n, i]));
  const d = NAMES.map(() => NAMES.map(() => 0n));
  for (const b of ballots) {
    const pos = NAMES.map(() => Infinity);
    b.forEach((name, r) => (pos[idx.get(name)!] = r));
    for (let x = 0; x < K; x++) for (let y = 0; y < K; y++) if (x !== y && pos[x]! < pos[y]!) d[x]![y]! += 1n;
  }
  return d;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (f: () => unknown) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const time = (runs: number, f: () => unknown) => median(Array.from({ length: runs }, () => ms(f)));
const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
/** Heap plus typed-array memory (the store's Int16Array lives outside the JS heap). */
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

say('## Counting (src/count)');
say();
say(
  `Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
);
say(
  `Ballots: ${N.toLocaleString('en')} ranked ballots over ${K} candidates${quick ? ' (--quick)' : ''}; medians of ${RUNS} runs (STV: ${STV_RUNS}).`,
);
say(
  'Baseline "per ballot": the same algorithm over a store that keeps every ballot as its own entry (no weight compression).',
);
say('Baseline "plain pairwise": string-array ballots, one bigint cell update per ordered pair, no store.');
if (!(globalThis as { gc?: unknown }).gc)
  say('(Run with `npx tsx --expose-gc` for exact memory figures; without it they include garbage.)');
say();

for (const [profile, make] of [
  ['uniform', () => uniformBallots(N, 1)],
  ['mallows φ=0.6, truncated', () => mallowsBallots(N, 2, 0.6)],
] as const) {
  gc();
  const ballots = make();
  gc();
  const heap0 = used();
  let store!: BallotStore;
  const buildMs = ms(() => (store = buildStore(ballots, true)));
  gc();
  const storeHeap = used() - heap0;
  let plain!: BallotStore;
  const plainBuildMs = ms(() => (plain = buildStore(ballots, false)));
  gc();
  const plainHeap = used() - heap0 - storeHeap;

  const pairwise = time(RUNS, () => PairwiseMatrix.fromStore(store));
  const schulzeMs = time(RUNS, () => schulze(PairwiseMatrix.fromStore(store)));
  const rpMs = time(RUNS, () =>
    rankedPairs(
      PairwiseMatrix.fromStore(store),
      NAMES.map((_, i) => i),
    ),
  );
  const schulzePlain = time(RUNS, () => schulze(PairwiseMatrix.fromStore(plain)));
  const rpPlain = time(RUNS, () =>
    rankedPairs(
      PairwiseMatrix.fromStore(plain),
      NAMES.map((_, i) => i),
    ),
  );
  const names = ballots.slice(0, quick ? N : 200_000).map((b) => b.map((c) => NAMES[c]!));
  const naiveMs = (time(1, () => naivePairwise(names)) * N) / names.length;
  const scot = time(STV_RUNS, () => scottishStv(store, { seats: 4 }));
  const scotPlain = time(STV_RUNS, () => scottishStv(plain, { seats: 4 }));
  const meek = time(STV_RUNS, () => meekStv(store, { seats: 4 }));
  const meekPlain = time(STV_RUNS, () => meekStv(plain, { seats: 4 }));
  const winnersAgree =
    JSON.stringify(scottishStv(store, { seats: 4 }).winners) ===
      JSON.stringify(scottishStv(plain, { seats: 4 }).winners) &&
    JSON.stringify(meekStv(store, { seats: 4 }).winners) ===
      JSON.stringify(meekStv(plain, { seats: 4 }).winners);

  say(`### Profile: ${profile}`);
  say();
  say(
    `Distinct ballots: ${store.size.toLocaleString('en')} of ${N.toLocaleString('en')}. Store build: ${buildMs.toFixed(0)} ms (per-ballot store ${plainBuildMs.toFixed(0)} ms). Store memory (heap + typed arrays): ${hasGc ? `${mb(storeHeap)} MB (per-ballot ${mb(plainHeap)} MB)` : 'n/a without --expose-gc'}.`,
  );
  say();
  say('| count | compressed store | per-ballot baseline | ratio | target |');
  say('|---|---:|---:|---:|---|');
  const row = (name: string, a: number, b: number, target: string) =>
    say(
      `| ${name} | ${a.toFixed(0)} ms | ${b.toFixed(0)} ms | ${(b / a).toFixed(1)}× | ${target} ${a < Number(target.replace(/\D/g, '')) * 1000 ? '✓' : '✗'} |`,
    );
  row('pairwise matrix', pairwise, naiveMs, '< 1 s');
  row('Schulze (matrix + paths)', schulzeMs, schulzePlain, '< 1 s');
  row('ranked pairs (matrix + locking)', rpMs, rpPlain, '< 1 s');
  row('Scottish STV, 4 seats', scot, scotPlain, '< 5 s');
  row('Meek STV, 4 seats', meek, meekPlain, '< 5 s');
  say();
  say(
    `Plain pairwise baseline (string ballots, bigint cells) extrapolated from ${names.length.toLocaleString('en')} ballots: ${naiveMs.toFixed(0)} ms. Winners agree between stores: ${winnersAgree ? 'yes' : 'NO'}.`,
  );
  say();
  store = undefined as unknown as BallotStore;
  plain = undefined as unknown as BallotStore;
}
say(
  `Peak resident memory of the whole run (process.resourceUsage().maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`,
);
void lines;
