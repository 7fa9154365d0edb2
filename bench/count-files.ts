// The ballot files of the whole-process counting benchmark (issue #19), generated from a seeded PRNG so that every
// run counts the same election: 1,000,000 ranked ballots over 10 candidates for 4 seats, from a Mallows model
// (dispersion φ around one reference order, by repeated insertion) truncated after 1–10 ranks, written twice:
//   per-line  one BLT line per ballot ("1 3 1 4 0"), about 16 MB;
//   merged    the same election as its distinct ballots with their counts as weights, about 3.4 MB.
// `npx tsx bench/count-files.ts DIR [--ballots N]` writes DIR/election-per-line.blt and DIR/election-merged.blt.
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../test/support/mulberry32.ts';

export const CANDIDATES = 10;
export const SEATS = 4;
const PHI = 0.5;
const SCALE = 8;

/** Calls `each` with every ballot (candidate numbers from 1, most preferred first), in a fixed order. */
export function generateBallots(n: number, seed: number, each: (ranks: number[]) => void): void {
  const rnd = prng(seed);
  const K = CANDIDATES;
  const weights = Array.from({ length: K }, (_, i) =>
    Array.from({ length: i + 1 }, (_, j) => PHI ** (i - j)),
  );
  const totals = weights.map((w) => w.reduce((s, x) => s + x, 0));
  for (let b = 0; b < n; b++) {
    const r: number[] = [];
    for (let i = 0; i < K; i++) {
      const w = weights[i]!;
      let u = rnd() * totals[i]!;
      let j = 0;
      while (j < i && (u -= w[j]!) > 0) j++;
      r.splice(j, 0, i + 1);
    }
    const len = 1 + Math.min(K - 1, Math.floor(-Math.log(1 - rnd()) * SCALE));
    each(r.slice(0, len));
  }
}

const names = Array.from({ length: CANDIDATES }, (_, i) => `"Candidate ${i + 1}"`).join('\n');

/** Writes both files (unless they exist with this size) and returns their paths and the number of distinct ballots. */
export function writeElectionFiles(
  dir: string,
  ballots = 1_000_000,
  seed = 19,
): { perLine: string; merged: string; distinct: number } {
  mkdirSync(dir, { recursive: true });
  const perLine = join(dir, `election-${ballots}-per-line.blt`);
  const merged = join(dir, `election-${ballots}-merged.blt`);
  const counts = new Map<string, number>();
  const write = !existsSync(perLine) || !existsSync(merged);
  const fd = write ? openSync(perLine, 'w') : -1;
  let buf: string[] = [];
  const flush = () => {
    if (buf.length) writeSync(fd, buf.join(''));
    buf = [];
  };
  if (write) writeSync(fd, `${CANDIDATES} ${SEATS}\n`);
  generateBallots(ballots, seed, (r) => {
    const prefs = r.join(' ');
    counts.set(prefs, (counts.get(prefs) ?? 0) + 1);
    if (write) {
      buf.push(`1 ${prefs} 0\n`);
      if (buf.length >= 8192) flush();
    }
  });
  if (write) {
    flush();
    writeSync(fd, `0\n${names}\n"Bench election, ${ballots} ballots, seed ${seed}"\n`);
    closeSync(fd);
    const mfd = openSync(merged, 'w');
    writeSync(mfd, `${CANDIDATES} ${SEATS}\n`);
    for (const [prefs, c] of counts) buf.push(`${c} ${prefs} 0\n`);
    writeSync(mfd, buf.join(''));
    buf = [];
    writeSync(mfd, `0\n${names}\n"Bench election, ${ballots} ballots merged, seed ${seed}"\n`);
    closeSync(mfd);
  }
  return { perLine, merged, distinct: counts.size };
}

if (process.argv[1]?.endsWith('count-files.ts')) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx bench/count-files.ts DIR [--ballots N]');
    process.exit(2);
  }
  const at = process.argv.indexOf('--ballots');
  const n = at > 0 ? Number(process.argv[at + 1]) : 1_000_000;
  const r = writeElectionFiles(dir, n);
  console.log(`${r.perLine}\n${r.merged}\n${r.distinct} distinct ballots`);
}
