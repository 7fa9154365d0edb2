// What the benchmarks that measure this code against the code before in one run share (closed-votes,
// ended-secret-pages, list-pages, api): the command line's flags; the codes, this tree or `--after DIR` ("after") and
// the tree of `--before DIR` or COUNCILS_BENCH_BEFORE ("before": a checkout of the code before, node_modules
// reachable from it);
// a child process of the same script for one code (`--child --root DIR …`), its answer one JSON object on stdout;
// the median, quantiles and spread of what the children measured. Each child loads only its own code, and the codes
// alternate child by child, so both meet the same load. Not a *.bench.ts: bench/run.ts runs only those.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { here } from './server.ts';

/** The value after `name` on the command line, if any. */
export const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

/** Whether `name` is on the command line. */
export const has = (name: string): boolean => process.argv.includes(name);

/** Whether this process is a child (`--child`): it measures the code at `--root`. */
export const isChild = has('--child');

/** The code before (`--before DIR` or COUNCILS_BENCH_BEFORE), if given. */
export const beforeDir = flag('--before') ?? process.env.COUNCILS_BENCH_BEFORE;

export interface Code {
  label: 'after' | 'before';
  root: string;
}

/** This tree (or `--after DIR`: e.g. a commit measured against its parent), then the code before when given. */
export const codes: Code[] = [
  { label: 'after', root: resolve(flag('--after') ?? here) },
  ...(beforeDir ? [{ label: 'before' as const, root: resolve(beforeDir) }] : []),
];

/** In a child: writes what `measure` answers as JSON on stdout and exits. */
export async function answer(measure: () => Promise<unknown>): Promise<never> {
  process.stdout.write(JSON.stringify(await measure()));
  process.exit(0);
}

/**
 * Runs `script` (a bench file) again in a child process with `--child --root ROOT` and `args`; its answer. `node`:
 * Node's own flags (e.g. a larger heap).
 */
export function child<T>(
  script: string,
  root: string,
  args: readonly string[],
  options: { node?: readonly string[]; maxBuffer?: number } = {},
): T {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', ...(options.node ?? []), script, '--child', '--root', root, ...args],
    { encoding: 'utf8', cwd: here, maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`child for ${root} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * The value at `q` (0–1) of `xs`, sorted: the one at 0-based place ⌊q·n⌋ (at most the last). So `quantile(xs, 0.5)` of
 * an even count is the upper median, and `quantile(xs, 0.99)` of 100 values or fewer is the largest (the nearest-rank
 * p99 would be the 99th of 100): the benches' "p99" columns are their slowest load at those counts.
 */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** The upper median (the middle value; of an even count, the higher of the two middle ones). */
export const middle = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Median, least and most of several measurements (rounds, children). */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export const spread = (xs: readonly number[]): Spread => ({
  median: middle(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
});
