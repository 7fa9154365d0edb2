// RFC 9380 Appendix K.1: expand_message_xmd with SHA-256.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expandMessageXmd } from '../../src/ballot/rfc9380.ts';
import { toHex, utf8 } from '../../src/ballot/bytes.ts';
import { nativeSha256 } from '../../src/node/ballot-crypto.ts';

const k1 = JSON.parse(
  readFileSync(
    new URL('../vectors/ballot/rfc9380-k1-expand-message-xmd-sha256.json', import.meta.url),
    'utf8',
  ),
);

test('RFC 9380 K.1 expand_message_xmd(SHA-256) vectors, with noble’s SHA-256 and with node:crypto’s', () => {
  assert.equal(k1.vectors.length, 10);
  for (const v of k1.vectors) {
    for (const sha256 of [undefined, nativeSha256]) {
      assert.equal(
        toHex(expandMessageXmd(utf8(v.msg), k1.DST, v.len_in_bytes, sha256)),
        v.uniform_bytes,
        v.msg.slice(0, 8),
      );
    }
  }
});

test('expand_message_xmd refuses out-of-range lengths and oversized DSTs', () => {
  assert.throws(() => expandMessageXmd(new Uint8Array(), 'x', 0), RangeError);
  assert.throws(() => expandMessageXmd(new Uint8Array(), 'x', 255 * 32 + 1), RangeError);
  assert.throws(() => expandMessageXmd(new Uint8Array(), 'x'.repeat(256), 32), RangeError);
});

test('expand_message_xmd agrees with @noble/curves on random inputs (an independent implementation)', async () => {
  const { expand_message_xmd } = await import('@noble/curves/abstract/hash-to-curve.js');
  const { sha256 } = await import('@noble/hashes/sha2.js');
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 300 }),
      (msg, dst, len) => {
        const theirs = toHex(expand_message_xmd(msg, utf8(dst), len, sha256));
        assert.equal(toHex(expandMessageXmd(msg, dst, len)), theirs);
        assert.equal(toHex(expandMessageXmd(msg, dst, len, nativeSha256)), theirs);
      },
    ),
    { numRuns: 200 },
  );
});

test('H and Hq (docs/BALLOT-PROTOCOL.md §1): length-prefixed fields, tagged DST, Hq = LE(xmd 64 bytes) mod L', async () => {
  const { hashBytes, hashToScalar } = await import('../../src/ballot/hash.ts');
  const { L, leToBigint } = await import('../../src/ballot/scalar.ts');
  assert.notEqual(toHex(hashBytes('t', ['ab', 'c'])), toHex(hashBytes('t', ['a', 'bc'])));
  assert.notEqual(toHex(hashBytes('t', ['x'])), toHex(hashBytes('u', ['x'])));
  const msg = new Uint8Array([0, 0, 0, 2, 104, 105]); // LP("hi")
  assert.equal(toHex(hashBytes('t', ['hi'])), toHex(expandMessageXmd(msg, 'COUNCILS-BALLOT-V1-t', 32)));
  assert.equal(hashToScalar('t', ['hi']), leToBigint(expandMessageXmd(msg, 'COUNCILS-BALLOT-V1-t', 64)) % L);
});

test('a group hashing with node:crypto’s SHA-256 (withSha256, as councils verify runs) gives the same H and Hq', async () => {
  const { hashBytes, hashToScalar } = await import('../../src/ballot/hash.ts');
  const { nobleGroup, sodiumGroup, withSha256 } = await import('../../src/ballot/index.ts');
  const fc = (await import('fast-check')).default;
  const groups = [withSha256(nobleGroup, nativeSha256), withSha256(await sodiumGroup(), nativeSha256)];
  fc.assert(
    fc.property(
      fc.string({ maxLength: 30 }),
      fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 40 })), { maxLength: 12 }),
      (tag, fields) => {
        for (const g of groups) {
          assert.equal(toHex(g.hashBytes(tag, fields)), toHex(hashBytes(tag, fields)));
          assert.equal(g.hashToScalar(tag, fields), hashToScalar(tag, fields));
        }
      },
    ),
    { numRuns: 200 },
  );
});
