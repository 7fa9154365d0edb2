// A fixed set of records, untouched and forged, each verified under fixed options: the cases on which the bounded
// verifier (compact range, tiles compared as their subtrees complete) must give exactly the reports the verifier
// that kept the whole tree in memory gave. Seeded, so the same cases every run; bounded-verifier.test.ts compares
// against test/record/bounded-verifier.golden.json, which the in-memory verifier wrote (commit 72f89b8).
import canonicalize from 'canonicalize';
import type { VerifyRecordOptions, VerifyReport } from '../../src/record/record-verifier.ts';
import {
  decodeCheckpointsFile,
  encodeCheckpointsFile,
  splitLines,
  staticRecordFiles,
  staticRecordSource,
  type RecordSource,
} from '../../src/record/static-record.ts';
import { concatBytes, utf8 } from '../../src/record/bytes.ts';
import { prng } from '../support/mulberry32.ts';
import { tilePath, tilesForSize } from '../../src/record/tlog-tiles.ts';
import { createHash, hash } from 'node:crypto';
import { treeHasher } from '../../src/record/rfc9162.ts';
import { exportOnly, logKeys, makeCheckpoints, makeEntries, policy, tilesOnly } from './fixtures.ts';

export const FORGERY_COUNT = 600;
const BATCH = 100;

export interface ForgeryCase {
  name: string;
  files: Map<string, Uint8Array>;
  /** Whether the source lists its tile files (as a directory does), so that every tile file is checked. */
  listed: boolean;
  options: VerifyRecordOptions;
}

// node:crypto's SHA-256 keeps the cases fast (the same hashes as the pure default).
const hasher = treeHasher((data) => hash('sha256', data, 'buffer'));

/** The case's source: its files, listed or not. */
export function forgerySource(c: ForgeryCase): RecordSource {
  const tiles = async () => [...c.files.keys()].filter((p) => p.startsWith('tile/'));
  return staticRecordSource(
    async (path) => c.files.get(path),
    c.name,
    undefined,
    c.listed ? tiles : undefined,
  );
}

const flip = (bytes: Uint8Array, at: number, mask: number) => {
  const out = bytes.slice();
  out[at]! ^= mask;
  return out;
};
const withEntries = (files: Map<string, Uint8Array>, entries: readonly Uint8Array[]) =>
  new Map([...files, ['entries.jsonl', concatBytes(...entries.flatMap((e) => [e, utf8('\n')]))]]);
const entry = (seq: number) => utf8(canonicalize({ seq, act: 'x', actor: null, time: 't', payload: {} })!);

export function forgeryCases(): ForgeryCase[] {
  const random = prng(18);
  const int = (n: number) => Math.floor(random() * n);
  const entries = makeEntries(FORGERY_COUNT);
  const full = staticRecordFiles(entries, makeCheckpoints(entries, BATCH));
  const plain = makeCheckpoints(entries, BATCH, false);
  const forked = entries.slice();
  forked[230] = entry(230);
  const forkedPlain = makeCheckpoints(forked, 70, false);
  const base: VerifyRecordOptions = { logKey: logKeys.verifierKey, witnessPolicy: policy, hasher };
  const out: ForgeryCase[] = [];
  let listed = false;
  const add = (name: string, files: Map<string, Uint8Array>, extra: Partial<VerifyRecordOptions> = {}) =>
    out.push({ name, files, listed, options: { ...base, ...extra } });
  const shapes = [
    ['full', full],
    ['export', exportOnly(full)],
    ['tiles', tilesOnly(full)],
  ] as const;
  const trusted = [
    ['none', undefined],
    ['size 100', plain[0]],
    ['size 300', plain[2]],
    ['size 600', plain[5]],
    ['forked size 280', forkedPlain[3]],
    ['forked size 600', makeCheckpoints(forked, BATCH, false)[5]],
  ] as const;
  for (const [shape, files] of shapes)
    for (const [label, cp] of trusted)
      add(`untouched ${shape}, trusted ${label}`, files, cp ? { trusted: cp } : {});
  add('no witness policy', full, { witnessPolicy: { witnesses: [], required: 0 } });
  const lines = [...splitLines(full.get('entries.jsonl')!)].map((l) => l.slice());
  for (let k = 0; k < 10; k++) {
    const i = k < 4 ? [0, 255, 256, FORGERY_COUNT - 1][k]! : int(FORGERY_COUNT);
    const changed = lines.slice();
    changed[i] = flip(changed[i]!, int(changed[i]!.length), 1 + int(255));
    add(`entry ${i} flipped (${k}), full`, withEntries(full, changed));
    add(`entry ${i} flipped (${k}), export`, withEntries(exportOnly(full), changed));
  }
  const edits: [string, Uint8Array[]][] = [
    ['dropped 123', lines.filter((_, i) => i !== 123)],
    ['swapped 400/401', lines.map((l, i) => (i === 400 ? lines[401]! : i === 401 ? lines[400]! : l))],
    ['inserted at 77', [...lines.slice(0, 77), entry(77), ...lines.slice(77)]],
    ['last dropped', lines.slice(0, -1)],
    ['one more entry', [...lines, entry(FORGERY_COUNT)]],
    ['half the entries', lines.slice(0, 300)],
  ];
  for (const [name, changed] of edits) {
    add(`${name}, full`, withEntries(full, changed));
    add(`${name}, export`, withEntries(exportOnly(full), changed));
    add(`${name}, full, trusted size 300`, withEntries(full, changed), { trusted: plain[2]! });
  }
  const renumbered = [...lines.slice(0, 320), entry(320)];
  for (const e of lines.slice(320, -1)) {
    const obj = JSON.parse(new TextDecoder().decode(e)) as { seq: number };
    obj.seq += 1;
    renumbered.push(utf8(canonicalize(obj)!));
  }
  add('forged entry, successors renumbered, export', withEntries(exportOnly(full), renumbered));
  add('forged entry, successors renumbered, full', withEntries(full, renumbered));
  const tiles = [...full.keys()].filter((p) => p.startsWith('tile/')).sort();
  const latest = new Set(tilesForSize(FORGERY_COUNT).map(tilePath));
  // Every tile of the latest size flipped or missing; with the files listed, every other tile file flipped too.
  for (const path of tiles.filter((p) => latest.has(p))) {
    const t = full.get(path)!;
    const changed = flip(t, int(t.length), 1 + int(255));
    add(`${path} flipped, full`, new Map([...full, [path, changed]]));
    add(`${path} flipped, tiles`, new Map([...tilesOnly(full), [path, changed]]));
    const without = new Map(full);
    without.delete(path);
    add(`${path} missing, full`, without);
  }
  listed = true;
  for (const path of tiles) {
    const t = full.get(path)!;
    add(`${path} flipped, listed`, new Map([...full, [path, flip(t, int(t.length), 1 + int(255))]]));
  }
  listed = true;
  for (const [shape, files] of shapes) add(`untouched ${shape}, listed`, files);
  add('a tile beyond the tree', new Map([...full, ['tile/0/009', new Uint8Array(32 * 256)]]));
  add('a partial tile beyond the tree', new Map([...full, ['tile/0/002.p/99', new Uint8Array(32 * 99)]]));
  add('a file that is not a tile', new Map([...full, ['tile/junk', new Uint8Array(3)]]));
  add('a truncated hash tile', new Map([...full, ['tile/0/001', full.get('tile/0/001')!.subarray(0, 100)]]));
  add(
    'a truncated entry bundle',
    new Map([...full, ['tile/entries/000.p/100', full.get('tile/entries/000.p/100')!.subarray(0, 100)]]),
  );
  listed = false;
  const cps = decodeCheckpointsFile(full.get('checkpoints.jsonl')!);
  for (let k = 0; k < 6; k++) {
    const at = int(cps.length);
    const changed = cps.slice();
    const bytes = utf8(changed[at]!);
    changed[at] = new TextDecoder().decode(flip(bytes, int(bytes.length), 1 + int(255)));
    add(
      `checkpoint ${at + 1} flipped (${k})`,
      new Map([...exportOnly(full), ['checkpoints.jsonl', encodeCheckpointsFile(changed)]]),
    );
  }
  const reveal = JSON.parse(new TextDecoder().decode(lines[9])) as { payload: { content: string } };
  reveal.payload.content = Buffer.from('{"minutes":"nothing happened"}').toString('base64');
  const resigned: Uint8Array[] = lines.slice();
  resigned[9] = utf8(canonicalize(reveal)!);
  add(
    'a reveal that does not match, re-signed',
    staticRecordFiles(resigned, makeCheckpoints(resigned, BATCH)),
  );
  add('rewritten history, full', staticRecordFiles(forked, makeCheckpoints(forked, BATCH)), {
    trusted: plain[3]!,
  });
  add('rewritten history, sizes differ', staticRecordFiles(forked, makeCheckpoints(forked, 70)), {
    trusted: plain[3]!,
  });
  return out;
}

/** SHA-256 (base64) of a report's findings: every check with its detail and place, size, root, counts, keys. */
export function reportDigest(r: VerifyReport): string {
  const { ok, size, rootHash, counts, checks, keys, latestCheckpoint } = r;
  const findings = { ok, size, rootHash, counts, checks, keys, latestCheckpoint };
  return createHash('sha256').update(JSON.stringify(findings)).digest('base64');
}
