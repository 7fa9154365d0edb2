// The mix generators h_0..h_N (src/ballot/mixnet/shuffle.ts, docs/MIXNET.md §2) are kept for the latest
// KEPT_GENERATOR_FINGERPRINTS fingerprints only: a process checking the shuffles of many elections does not keep
// every election's generators for its life (≈ 240 bytes a ballot each).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sodiumGroup } from '../../../src/ballot/index.ts';
import {
  KEPT_GENERATOR_FINGERPRINTS,
  keptGeneratorFingerprints,
  mixGenerators,
} from '../../../src/ballot/mixnet/shuffle.ts';

const g = await sodiumGroup();
const fingerprint = (k: number) => new Uint8Array(32).fill(k);
const hex = (k: number) => Buffer.from(fingerprint(k)).toString('hex');

test('17 fingerprints leave 16 kept, the one used longest ago dropped; generators made again are the same', () => {
  assert.equal(KEPT_GENERATOR_FINGERPRINTS, 16);
  const first = mixGenerators(g, fingerprint(0), 3).map((p) => g.encode(p));
  for (let k = 1; k < 16; k++) mixGenerators(g, fingerprint(k), 2);
  // fingerprint 0 used again: now the latest, so fingerprint 1 is the oldest
  mixGenerators(g, fingerprint(0), 1);
  mixGenerators(g, fingerprint(16), 2);
  const kept = keptGeneratorFingerprints(g);
  assert.equal(kept.length, 16);
  assert.ok(!kept.includes(hex(1)), 'the fingerprint used longest ago is dropped');
  assert.ok(kept.includes(hex(0)) && kept.includes(hex(16)));
  for (let k = 17; k < 40; k++) mixGenerators(g, fingerprint(k), 1);
  assert.deepEqual(
    keptGeneratorFingerprints(g),
    Array.from({ length: 16 }, (_, i) => hex(24 + i)),
  );
  // made again from nothing after being dropped: the same points
  assert.deepEqual(
    mixGenerators(g, fingerprint(0), 3).map((p) => g.encode(p)),
    first,
  );
});
