// Property tests: every inclusion and consistency proof the code produces verifies (RFC 9162 §2.1.3.2, §2.1.4.2)
// for random sizes up to a few thousand, and fails against a different root. The compact range, the node store
// and tiles all give the same roots.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { u32be } from '../../src/record/bytes.ts';
import { CompactRange } from '../../src/record/compact-range.ts';
import { MemoryHashStore } from '../../src/record/memory-hash-store.ts';
import { consistencyProof, inclusionProof, rangeNodes, treeRoot } from '../../src/record/merkle-proofs.ts';
import {
  leafHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/record/rfc9162.ts';
import { TileHashReader } from '../../src/record/tile-hash-reader.ts';
import { tileNodeIds, tilesForSize } from '../../src/record/tlog-tiles.ts';
import { concatBytes } from '../../src/record/bytes.ts';

const MAX = 3000;
const leaves = Array.from({ length: MAX }, (_, i) => leafHash(u32be(i)));
const store = new MemoryHashStore().append(leaves);
const roots = new Map<number, Uint8Array>();
const rootOf = async (n: number) => roots.get(n) ?? roots.set(n, await treeRoot(store, n)).get(n)!;
const other = (root: Uint8Array) => {
  const r = root.slice();
  r[0]! ^= 1;
  return r;
};

describe('inclusion proofs', () => {
  test('verify for random sizes and indices; fail against another root, index or leaf', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX }), fc.nat(), async (size, seed) => {
        const index = seed % size;
        const proof = await inclusionProof(store, index, size);
        const root = await rootOf(size);
        assert.equal(verifyInclusion(leaves[index]!, index, size, proof, root), true);
        assert.equal(verifyInclusion(leaves[index]!, index, size, proof, other(root)), false);
        if (size > 1) {
          assert.equal(verifyInclusion(leaves[(index + 1) % size]!, index, size, proof, root), false);
          assert.equal(verifyInclusion(leaves[index]!, (index + 1) % size, size, proof, root), false);
          if (size < MAX)
            assert.equal(
              verifyInclusion(leaves[index]!, index, size + 1, proof, await rootOf(size + 1)),
              false,
            );
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('consistency proofs', () => {
  test('verify for random size pairs; fail against another root', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX }), fc.integer({ min: 1, max: MAX }), async (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const proof = await consistencyProof(store, m, n);
        const [r1, r2] = [await rootOf(m), await rootOf(n)];
        assert.equal(verifyConsistency(m, n, proof, r1, r2), true);
        assert.equal(verifyConsistency(m, n, proof, other(r1), r2), false);
        assert.equal(verifyConsistency(m, n, proof, r1, other(r2)), false);
        if (m < n && m > 1) assert.equal(verifyConsistency(m - 1, n, proof, await rootOf(m - 1), r2), false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('roots agree however they are computed', () => {
  test('compact range (in random batches, through JSON), node store, bottom-up and tiles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 12 }), async (batches) => {
        let range = CompactRange.empty();
        let at = 0;
        for (const b of batches) {
          const n = Math.min(b, MAX - at);
          range = CompactRange.fromJSON(
            JSON.parse(JSON.stringify(range.clone().append(leaves.slice(at, at + n)))),
          );
          at += n;
        }
        const want = rootFromLeafHashes(leaves.slice(0, at));
        assert.deepEqual(range.root(), want);
        assert.deepEqual(await treeRoot(store, at), want);
        const tiles = new Map(
          tilesForSize(at).map((t) => [
            `${t.level}/${t.index}/${t.width}`,
            concatBytes(...store.readHashes(tileNodeIds(t))),
          ]),
        );
        const reader = new TileHashReader(at, async (t) => tiles.get(`${t.level}/${t.index}/${t.width}`)!);
        assert.deepEqual(await treeRoot(reader, at), want);
        if (at > 0) {
          const i = at - 1;
          assert.deepEqual(await inclusionProof(reader, i, at), await inclusionProof(store, i, at));
        }
      }),
      { numRuns: 60 },
    );
  });
  test('the compact range reports every complete subtree it creates', () => {
    const seen = new Map<string, Uint8Array>();
    CompactRange.empty().append(leaves.slice(0, 1000), (n) => seen.set(`${n.level}/${n.index}`, n.hash));
    assert.equal(seen.size, 1000 + 500 + 250 + 125 + 62 + 31 + 15 + 7 + 3 + 1);
    for (const [key, hash] of seen) {
      const [level, index] = key.split('/').map(Number) as [number, number];
      assert.deepEqual(hash, store.hash({ level, index }));
    }
  });
  test('rangeNodes splits aligned ranges into maximal complete subtrees', () => {
    assert.deepEqual(rangeNodes(0, 7), [
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    assert.deepEqual(rangeNodes(8, 16), [{ level: 3, index: 1 }]);
  });
  test('misuse throws, naming the parameter', async () => {
    await assert.rejects(() => inclusionProof(store, 5, 5), /index/);
    await assert.rejects(() => consistencyProof(store, 6, 5), /size1/);
    assert.throws(() => CompactRange.fromJSON({ size: 3, hashes: [] }), /hashes/);
    assert.throws(() => CompactRange.empty().append([new Uint8Array(31)]), /leafHashes/);
    assert.throws(() => store.hash({ level: 0, index: MAX }), /node/);
  });
});
