// RFC 9380 Appendix K.1: expand_message_xmd with SHA-256.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expandMessageXmd } from '../../src/ballot/rfc9380.ts';
import { toHex, utf8 } from '../../src/ballot/bytes.ts';

const k1 = JSON.parse(
  readFileSync(
    new URL('../vectors/ballot/rfc9380-k1-expand-message-xmd-sha256.json', import.meta.url),
    'utf8',
  ),
);

test('RFC 9380 K.1 expand_message_xmd(SHA-256) vectors', () => {
  assert.equal(k1.vectors.length, 10);
  for (const v of k1.vectors) {
    assert.equal(
      toHex(expandMessageXmd(utf8(v.msg), k1.DST, v.len_in_bytes)),
      v.uniform_bytes,
      v.msg.slice(0, 8),
    );
  }
});

test('expand_message_xmd refuses out-of-range lengths and oversized DSTs', () => {
  assert.throws(() => expandMessageXmd(new Uint8Array(), 'x', 0), RangeError);
  assert.throws(() => expandMessageXmd(new Uint8Array(), 'x', 255 * 32 + 1), RangeError);
  assert.throws(() => expandMessageXmd(new Uint8Array(), 'x'.repeat(256), 32), RangeError);
});
