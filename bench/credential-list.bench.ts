// A frozen credential list's checks, order and hash (src/ballot/election.ts: normaliseCredentials, then
// credentialListHash; the core's makeElection and the in-memory verifier run both) at 100,000 and 1,000,000
// credentials, against a tree given by its root, so that one run measures the code before and after (docs/
// performance/credential-list.md). The lists (distinct points X_i = X_0 + i·G, shuffled, weights 1–3) are made once
// and cached in the temporary directory. Prints the median of each part over the runs, in ms.
// Usage: npx tsx bench/credential-list.bench.ts [ROOT …] [--runs N] [--sizes 100000,1000000]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sodiumGroup } from '../src/ballot/index.ts';
import { toHex } from '../src/ballot/bytes.ts';
import type { CredentialEntry } from '../src/ballot/election.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const runs = Number(flag('--runs') ?? 5);
const sizes = (flag('--sizes') ?? '100000,1000000').split(',').map(Number);
const roots = args.length > 0 ? args : [resolve(import.meta.dirname, '..')];

/** n distinct credentials in a shuffled order, made once and cached (the points cost more than what is measured). */
async function list(n: number): Promise<CredentialEntry[]> {
  const file = join(os.tmpdir(), `councils-credential-list-${n}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CredentialEntry[];
  const g = await sodiumGroup();
  let x = g.mulBase(123456789n);
  const out: CredentialEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ credential: toHex(g.encode(x)), weight: 1 + (i % 3) });
    x = g.add(x, g.G);
  }
  // Fisher–Yates with a fixed LCG: the same order every run
  let s = 42;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  writeFileSync(file, JSON.stringify(out));
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

const g = await sodiumGroup();
console.log(
  JSON.stringify({
    date: new Date().toISOString().slice(0, 16),
    machine: `${os.cpus()[0]?.model} × ${os.cpus().length}`,
    node: process.version,
    load: load(),
  }),
);
const trees = await Promise.all(
  roots.map(async (root) => ({
    root,
    m: (await import(pathToFileURL(join(root, 'src/ballot/election.ts')).href)) as {
      normaliseCredentials: (g: unknown, body: { credentials: CredentialEntry[] }) => CredentialEntry[];
      credentialListHash: (sorted: readonly CredentialEntry[]) => Uint8Array;
    },
  })),
);
for (const n of sizes) {
  const credentials = await list(n);
  const times = trees.map(() => ({ normalise: [] as number[], hash: [] as number[], digest: '' }));
  // the trees in turn, run after run, so that a change of load falls on both
  for (let r = 0; r < runs; r++)
    for (const [i, { m }] of trees.entries()) {
      let t = performance.now();
      const sorted = m.normaliseCredentials(g, { credentials });
      times[i]!.normalise.push(performance.now() - t);
      t = performance.now();
      const h = m.credentialListHash(sorted);
      times[i]!.hash.push(performance.now() - t);
      times[i]!.digest = toHex(h);
    }
  for (const [i, { root }] of trees.entries())
    console.log(
      JSON.stringify({
        n,
        root,
        runs,
        normaliseMs: Math.round(median(times[i]!.normalise)),
        hashMs: Math.round(median(times[i]!.hash)),
        hC: times[i]!.digest.slice(0, 16),
        load: load(),
      }),
    );
}
