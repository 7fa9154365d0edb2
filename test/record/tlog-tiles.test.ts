// C2SP tlog-tiles: paths, the tiles of a tree size (the spec's 70,000 example), entry bundles.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  entryBundlesForSize,
  parseTilePath,
  tilePath,
  tilesForSize,
} from '../../src/record/tlog-tiles.ts';

describe('tile paths', () => {
  test('the spec examples', () => {
    assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
    assert.equal(tilePath({ level: 1, index: 0, width: 17 }), 'tile/1/000.p/17');
    assert.equal(tilePath({ level: 'entries', index: 1000, width: 256 }), 'tile/entries/x001/000');
  });
  test('parse inverts format', () => {
    assert.deepEqual(parseTilePath('tile/entries/000'), { level: 'entries', index: 0, width: 256 });
    assert.deepEqual(parseTilePath('tile/3/x001/x234/067.p/255'), { level: 3, index: 1234067, width: 255 });
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant('entries' as const)),
        fc.nat(2 ** 40),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          const t = { level, index, width };
          assert.deepEqual(parseTilePath(tilePath(t)), t);
        },
      ),
    );
  });
  for (const bad of [
    'tile/0/1',
    'tile/00/000',
    'tile/64/000',
    'tile/0/x000/001',
    'tile/0/001.p/0',
    'tile/0/001.p/256',
    'tile/0/001.p/07',
    'tile/x/001',
    'tile/0/001/',
  ]) {
    test(`rejects ${bad}`, () => assert.throws(() => parseTilePath(bad), { name: 'MalformedTileError' }));
  }
});

describe('tiles of a tree size', () => {
  test('size 70,000: 273 full and one partial (112) level 0 tiles, one full and one partial (17) level 1, one level 2 (1)', () => {
    const tiles = tilesForSize(70000);
    const at = (level: number) => tiles.filter((t) => t.level === level);
    assert.equal(at(0).filter((t) => t.width === 256).length, 273);
    assert.deepEqual(at(0).at(-1), { level: 0, index: 273, width: 112 });
    assert.deepEqual(at(1), [
      { level: 1, index: 0, width: 256 },
      { level: 1, index: 1, width: 17 },
    ]);
    assert.deepEqual(at(2), [{ level: 2, index: 0, width: 1 }]);
    assert.equal(tiles.length, 273 + 1 + 2 + 1);
    assert.equal(entryBundlesForSize(70000).length, 274);
  });
  test('size 256: a full level 0 tile and a partial level 1 tile of width 1', () => {
    assert.deepEqual(tilesForSize(256), [
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    assert.deepEqual(tilesForSize(0), []);
  });
});

describe('entry bundles', () => {
  test('round trip of uint16-length-prefixed entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }),
        (entries) => {
          assert.deepEqual(
            decodeEntryBundle(encodeEntryBundle(entries)).map((e) => [...e]),
            entries.map((e) => [...e]),
          );
        },
      ),
      { numRuns: 50 },
    );
  });
  test('truncated bundles and oversized entries', () => {
    const b = encodeEntryBundle([new Uint8Array([1, 2, 3])]);
    assert.throws(() => decodeEntryBundle(b.subarray(0, 4)), { name: 'MalformedTileError' });
    assert.throws(() => decodeEntryBundle(b.subarray(0, 1)), { name: 'MalformedTileError' });
    assert.throws(() => encodeEntryBundle([new Uint8Array(65536)]), /entries\[0\]/);
  });
});
