// The store-facing helpers: batched appends from a stored frontier give the same root and nodes as one append;
// the checkpoint schedule; which tiles may be served.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { u32be } from '../../src/record/bytes.ts';
import { appendEntries, checkpointDue } from '../../src/record/log-tree.ts';
import { MemoryHashStore } from '../../src/record/memory-hash-store.ts';
import { createHash } from 'node:crypto';
import { leafHash, treeHasher } from '../../src/record/rfc9162.ts';
import { tileAvailable, tilesForSize } from '../../src/record/tlog-tiles.ts';

const entries = Array.from({ length: 700 }, (_, i) => u32be(i));
const reference = new MemoryHashStore().append(entries.map(leafHash));

describe('appendEntries', () => {
  test('batches through a JSON-stored frontier equal one append; every node is reported once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 10 }), (sizes) => {
        let frontier;
        let at = 0;
        const nodes = new Map<string, Uint8Array>();
        for (const n of sizes) {
          const batch = entries.slice(at, at + n);
          const r = appendEntries(frontier && JSON.parse(JSON.stringify(frontier)), batch);
          at += batch.length;
          frontier = r.frontier;
          assert.equal(r.size, at);
          assert.deepEqual(r.leafHashes, batch.map(leafHash));
          for (const node of r.nodes) {
            const key = `${node.level}/${node.index}`;
            assert.ok(!nodes.has(key), `${key} reported twice`);
            nodes.set(key, node.hash);
            assert.deepEqual(node.hash, reference.hash(node));
          }
        }
        const expectedNodes = Array.from({ length: 10 }, (_, l) => Math.floor(at / 2 ** (l + 1))).reduce(
          (a, b) => a + b,
          0,
        );
        assert.equal(nodes.size, expectedNodes);
      }),
      { numRuns: 40 },
    );
  });

  test('an injected SHA-256 (node:crypto, as the store passes) gives the same leaves, nodes, frontier and root', () => {
    const nodeSha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 70 }),
        fc.nat(70),
        (leaves, cut) => {
          const first = appendEntries(undefined, leaves.slice(0, cut));
          const pure = appendEntries(first.frontier, leaves.slice(cut));
          const injected = appendEntries(first.frontier, leaves.slice(cut), treeHasher(nodeSha256));
          assert.deepEqual(injected, pure);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('checkpointDue', () => {
  const schedule = { everyEntries: 100, everyMs: 5000 };
  test('every N entries or T milliseconds, never for nothing', () => {
    assert.equal(
      checkpointDue(schedule, { checkpointSize: 10, size: 10, oldestUncoveredAt: undefined, now: 1e9 }),
      false,
    );
    assert.equal(
      checkpointDue(schedule, { checkpointSize: 10, size: 110, oldestUncoveredAt: 1e9, now: 1e9 }),
      true,
    );
    assert.equal(
      checkpointDue(schedule, { checkpointSize: 10, size: 11, oldestUncoveredAt: 1e9, now: 1e9 + 4999 }),
      false,
    );
    assert.equal(
      checkpointDue(schedule, { checkpointSize: 10, size: 11, oldestUncoveredAt: 1e9, now: 1e9 + 5000 }),
      true,
    );
    assert.throws(
      () =>
        checkpointDue(
          { everyEntries: 0, everyMs: 1 },
          { checkpointSize: 0, size: 1, oldestUncoveredAt: 0, now: 0 },
        ),
      /schedule/,
    );
  });
});

describe('tileAvailable', () => {
  test('every tile of a checkpointed size, and of every smaller size, is available; the next ones are not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.nat(200_000), (size, smaller) => {
        for (const t of tilesForSize(size)) assert.equal(tileAvailable(t, size), true);
        for (const t of tilesForSize(smaller % size)) assert.equal(tileAvailable(t, size), true);
        const tiles = tilesForSize(size);
        for (const [i, t] of tiles.entries()) {
          if (t.width < 256) assert.equal(tileAvailable({ ...t, width: t.width + 1 }, size), false);
          const lastOfLevel = tiles[i + 1]?.level !== t.level;
          if (lastOfLevel) assert.equal(tileAvailable({ ...t, index: t.index + 1 }, size), false);
        }
      }),
      { numRuns: 100 },
    );
  });
});
