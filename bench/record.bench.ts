// The public record (src/record) at scale:
//   1. the pure Merkle tree: leaf hashing of ~250-byte canonical entries and appends to the compact range
//      (node hashing), in leaves/s, against raw SHA-256 of the same bytes (noble, and node:crypto for reference);
//   2. inclusion and consistency proof generation at 10,000,000 entries from an in-memory node store keeping every
//      complete subtree hash (what the store's node table holds), against a tlog-tiles-only store (levels 0, 8,
//      16 in memory; interior hashes recomputed per proof) — target ≤ 1 ms per inclusion proof;
//   3. `verify` over a 1,000,000-entry export (entries.jsonl + a checkpoint every 1,000 entries, the latest
//      cosigned by two witnesses), against the bare SHA-256 of every entry and against SHA-256 + JSON parse +
//      RFC 8785 canonicalisation (the irreducible work).
// Medians over several runs; peak memory from process.resourceUsage().maxRSS.
// Usage: npx tsx bench/record.bench.ts [--quick]
import os from 'node:os';
import { createHash, hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import { u32be, utf8 } from '../src/record/bytes.ts';
import { CompactRange } from '../src/record/compact-range.ts';
import { MemoryHashStore } from '../src/record/memory-hash-store.ts';
import { consistencyProof, inclusionProof, treeRoot } from '../src/record/merkle-proofs.ts';
import { leafHash, treeHasher, verifyInclusion } from '../src/record/rfc9162.ts';
import { TileHashReader } from '../src/record/tile-hash-reader.ts';
import { tileNodeIds, type TileId } from '../src/record/tlog-tiles.ts';
import { concatBytes } from '../src/record/bytes.ts';
import { encodeKeyPair, parseSignerKey } from '../src/record/note-keys.ts';
import { formatCheckpoint, signCheckpoint } from '../src/record/tlog-checkpoint.ts';
import { addCosignatures, encodeCosignerKeyPair, parseCosignerKey } from '../src/record/tlog-cosignature.ts';
import { encodeCheckpointsFile, encodeEntriesFile, staticRecordSource } from '../src/record/static-record.ts';
import { verifyRecord } from '../src/record/record-verifier.ts';
import { prng } from '../test/support/mulberry32.ts';

const quick = process.argv.includes('--quick');
const APPEND_N = quick ? 20_000 : 200_000;
const TREE_N = quick ? 100_000 : 10_000_000;
const VERIFY_N = quick ? 10_000 : 1_000_000;
const RUNS = quick ? 3 : 5;
const VERIFY_RUNS = quick ? 2 : 3;
const PROOFS = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (count: number, ms: number) => fmt((count / ms) * 1000);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function makeEntry(seq: number, rnd: () => number): Uint8Array {
  const words = Array.from({ length: 12 }, () => Math.floor(rnd() * 1e6).toString(36)).join(' ');
  return utf8(
    canonicalize({
      seq,
      act: 'comment_posted',
      actor: `member-${Math.floor(rnd() * 5000)}`,
      time: '2026-11-27T06:00:00.000Z',
      payload: { motionId: `motion-${seq % 997}`, stance: 'for', text: `comment ${seq}: ${words}` },
    })!,
  );
}

const lines: string[] = [];
const out = (s = '') => lines.push(s);

// 1. Pure tree ------------------------------------------------------------------------------------------------
const rnd = prng(7);
const entries = Array.from({ length: APPEND_N }, (_, i) => makeEntry(i, rnd));
const avgBytes = entries.reduce((a, e) => a + e.length, 0) / entries.length;
const leaves = entries.map(leafHash);
const nodeInput = new Uint8Array(65);
const leafRuns: number[] = [];
const appendRuns: number[] = [];
const rawLeafRuns: number[] = [];
const rawNodeRuns: number[] = [];
const nodeCryptoRuns: number[] = [];
for (let r = 0; r < RUNS; r++) {
  leafRuns.push(time(() => entries.forEach(leafHash)));
  appendRuns.push(time(() => CompactRange.empty().append(leaves)));
  rawLeafRuns.push(time(() => entries.forEach((e) => sha256(e))));
  rawNodeRuns.push(time(() => leaves.forEach(() => sha256(nodeInput))));
  nodeCryptoRuns.push(time(() => entries.forEach((e) => createHash('sha256').update(e).digest())));
}

// 2. Proofs at TREE_N ------------------------------------------------------------------------------------------
let buildMs = 0;
const store = new MemoryHashStore();
{
  const chunk: Uint8Array[] = [];
  buildMs = time(() => {
    for (let i = 0; i < TREE_N; i++) {
      chunk.push(leafHash(u32be(i)));
      if (chunk.length === 65536 || i === TREE_N - 1) {
        store.append(chunk);
        chunk.length = 0;
      }
    }
  });
}
const root = await treeRoot(store, TREE_N);
const prnd = prng(11);
const indices = Array.from({ length: PROOFS }, () => Math.floor(prnd() * TREE_N));
const proofLen: number[] = [];
const inclusionTimes: number[] = [];
for (const i of indices) {
  let proof: Uint8Array[] = [];
  inclusionTimes.push(await timeAsync(async () => (proof = await inclusionProof(store, i, TREE_N))));
  proofLen.push(proof.length);
  if (!verifyInclusion(store.hash({ level: 0, index: i }), i, TREE_N, proof, root))
    throw new Error('proof failed');
}
const toVerify: { leaf: Uint8Array; i: number; proof: Uint8Array[] }[] = [];
for (const i of indices.slice(0, 200)) {
  toVerify.push({
    leaf: store.hash({ level: 0, index: i }),
    i,
    proof: await inclusionProof(store, i, TREE_N),
  });
}
const verifyMs = toVerify.map(({ leaf, i, proof }) =>
  time(() => verifyInclusion(leaf, i, TREE_N, proof, root)),
);
const consistencyTimes: number[] = [];
for (let k = 0; k < 200; k++) {
  const m = 1 + Math.floor(prnd() * (TREE_N - 1));
  consistencyTimes.push(await timeAsync(() => consistencyProof(store, m, TREE_N)));
}
// Tiles only (levels 0, 8, 16 …), as a static tile directory holds them, materialised in memory.
const tileCache = new Map<string, Uint8Array>();
const fetchTile = async (t: TileId) => {
  const key = `${t.level}/${t.index}/${t.width}`;
  let b = tileCache.get(key);
  if (!b) tileCache.set(key, (b = concatBytes(...store.readHashes(tileNodeIds(t)))));
  return b;
};
for (const i of indices) await inclusionProof(new TileHashReader(TREE_N, fetchTile), i, TREE_N); // materialise
const tileCold: number[] = [];
for (const i of indices)
  tileCold.push(await timeAsync(() => inclusionProof(new TileHashReader(TREE_N, fetchTile), i, TREE_N)));

// 3. verify over a VERIFY_N export ------------------------------------------------------------------------------
entries.length = 0;
leaves.length = 0;
const vrnd = prng(13);
const logKeys = encodeKeyPair('bench.example/record', new Uint8Array(32).fill(1));
const witnesses = [1, 2].map((i) =>
  encodeCosignerKeyPair(`witness${i}.example`, new Uint8Array(32).fill(10 + i)),
);
const signer = parseSignerKey(logKeys.signerKey);
const vEntries: Uint8Array[] = [];
const checkpoints: string[] = [];
const range = CompactRange.empty();
for (let i = 0; i < VERIFY_N; i++) {
  const e = makeEntry(i, vrnd);
  vEntries.push(e);
  range.append([leafHash(e)]);
  if ((i + 1) % 1000 === 0 || i + 1 === VERIFY_N) {
    const cp = { origin: 'bench.example/record', size: i + 1, rootHash: range.root(), extensions: [] };
    checkpoints.push(signCheckpoint(cp, [signer]));
  }
}
const lastCp = { origin: 'bench.example/record', size: VERIFY_N, rootHash: range.root(), extensions: [] };
checkpoints[checkpoints.length - 1] = addCosignatures(
  checkpoints.at(-1)!,
  witnesses.map((w) => parseCosignerKey(w.signerKey).cosign(formatCheckpoint(lastCp), 1_800_000_000n)),
);
const jsonl = encodeEntriesFile(vEntries);
const files = new Map([
  ['entries.jsonl', jsonl],
  ['checkpoints.jsonl', encodeCheckpointsFile(checkpoints)],
]);
const policy = { witnesses: witnesses.map((w) => w.verifierKey), required: 2 };
const verifyRuns: number[] = [];
const nativeVerifyRuns: number[] = [];
const nativeParseRuns: number[] = [];
// What `councils verify` passes: the same RFC 9162 hashes over node:crypto's native SHA-256.
const nativeHasher = treeHasher((d) => hash('sha256', d, 'buffer'));
const rawRuns: number[] = [];
const parseRuns: number[] = [];
const decoder = new TextDecoder();
for (let r = 0; r < VERIFY_RUNS; r++) {
  verifyRuns.push(
    await timeAsync(async () => {
      const rep = await verifyRecord(
        staticRecordSource(async (p) => files.get(p), 'bench'),
        {
          logKey: logKeys.verifierKey,
          witnessPolicy: policy,
        },
      );
      if (!rep.ok) throw new Error(`verify failed: ${JSON.stringify(rep.firstFailure)}`);
    }),
  );
  nativeVerifyRuns.push(
    await timeAsync(async () => {
      const rep = await verifyRecord(
        staticRecordSource(async (p) => files.get(p), 'bench'),
        { logKey: logKeys.verifierKey, witnessPolicy: policy, hasher: nativeHasher },
      );
      if (!rep.ok) throw new Error(`verify failed: ${JSON.stringify(rep.firstFailure)}`);
    }),
  );
  nativeParseRuns.push(
    time(() =>
      vEntries.forEach((e) => (hash('sha256', e, 'buffer'), canonicalize(JSON.parse(decoder.decode(e))))),
    ),
  );
  rawRuns.push(time(() => vEntries.forEach((e) => sha256(e))));
  parseRuns.push(
    time(() => vEntries.forEach((e) => (sha256(e), canonicalize(JSON.parse(decoder.decode(e)))))),
  );
}

// Report --------------------------------------------------------------------------------------------------------
const a = (xs: number[]) => median(xs);
out(`## Public record (src/record)`);
out();
out(
  `Machine: ${os.cpus()[0]?.model} (${os.cpus().length} cores), Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
);
out(
  `Load average at the end (1/5/15 min): ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')}; other work on the machine slows every figure, baselines included.`,
);
out(
  `Medians of ${RUNS} runs (tree), ${VERIFY_RUNS} runs (verify), ${PROOFS} random leaves (proofs). SHA-256 is @noble/hashes (pure JS) in src/record unless a row says node:crypto (the store and \`councils verify\` inject it).`,
);
out();
out(`### Merkle tree (RFC 9162), ${fmt(APPEND_N)} entries of ${Math.round(avgBytes)} bytes on average`);
out();
out(`| operation | leaves/s | baseline (same run) | baseline leaves/s | ratio |`);
out(`|---|---:|---|---:|---:|`);
out(
  `| leaf hash SHA-256(0x00 ‖ entry) | ${rate(APPEND_N, a(leafRuns))} | raw SHA-256(entry), noble | ${rate(APPEND_N, a(rawLeafRuns))} | ${(a(leafRuns) / a(rawLeafRuns)).toFixed(2)}× the time |`,
);
out(
  `| compact-range append (node hashes) | ${rate(APPEND_N, a(appendRuns))} | raw SHA-256 of 65 bytes, once per leaf | ${rate(APPEND_N, a(rawNodeRuns))} | ${(a(appendRuns) / a(rawNodeRuns)).toFixed(2)}× the time |`,
);
out(
  `| leaf hash + append (one entry into the tree) | ${rate(APPEND_N, a(leafRuns) + a(appendRuns))} | raw SHA-256(entry), node:crypto | ${rate(APPEND_N, a(nodeCryptoRuns))} | — |`,
);
out();
out(`### Proofs at ${fmt(TREE_N)} entries`);
out();
out(
  `Node store built in memory (every complete subtree hash, ${fmt((TREE_N * 2 * 32) / 1e6)} MB of hashes) in ${(buildMs / 1000).toFixed(1)} s (${rate(TREE_N, buildMs)} leaves/s including leaf hashing).`,
);
out();
out(`| operation | median | p99 | note |`);
out(`|---|---:|---:|---|`);
const p99 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length * 0.99)]!;
const ms = (x: number) => `${x.toFixed(3)} ms`;
out(
  `| inclusion proof, node store (target ≤ 1 ms) | ${ms(a(inclusionTimes))} | ${ms(p99(inclusionTimes))} | ${a(proofLen)} hashes; one batched read |`,
);
out(`| inclusion proof verification | ${ms(a(verifyMs))} | ${ms(p99(verifyMs))} | RFC 9162 §2.1.3.2 |`);
out(
  `| consistency proof, node store | ${ms(a(consistencyTimes))} | ${ms(p99(consistencyTimes))} | random size1 → ${fmt(TREE_N)} |`,
);
out(
  `| inclusion proof, tlog tiles only (baseline) | ${ms(a(tileCold))} | ${ms(p99(tileCold))} | tiles in memory, interior hashes recomputed (${(a(tileCold) / a(inclusionTimes)).toFixed(0)}× the node store) |`,
);
out();
out(
  `### verify over a ${fmt(VERIFY_N)}-entry export (${(jsonl.length / 1e6).toFixed(0)} MB, ${fmt(checkpoints.length)} checkpoints, 2 witnesses)`,
);
out();
out(`| operation | median | entries/s | MB/s |`);
out(`|---|---:|---:|---:|`);
const row = (name: string, x: number) =>
  out(
    `| ${name} | ${(x / 1000).toFixed(2)} s | ${rate(VERIFY_N, x)} | ${((jsonl.length / 1e6 / x) * 1000).toFixed(1)} |`,
  );
row('verifyRecord, node:crypto SHA-256 (as `councils verify`)', a(nativeVerifyRuns));
row('verifyRecord, @noble SHA-256 (as the browser)', a(verifyRuns));
row('baseline: raw SHA-256 of every entry (noble)', a(rawRuns));
row('baseline: SHA-256 + JSON.parse + canonicalize (node:crypto)', a(nativeParseRuns));
row('baseline: SHA-256 + JSON.parse + canonicalize (noble)', a(parseRuns));
out();
out(
  `verify takes ${(a(nativeVerifyRuns) / a(nativeParseRuns)).toFixed(2)}× the irreducible parse-and-hash work with node:crypto (${(a(verifyRuns) / a(parseRuns)).toFixed(2)}× with noble); node:crypto makes it ${(a(verifyRuns) / a(nativeVerifyRuns)).toFixed(2)}× faster. Peak RSS of the whole benchmark: ${fmt(mb())} MB.`,
);
console.log(lines.join('\n'));
