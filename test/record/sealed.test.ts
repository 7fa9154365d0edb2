// Sealed entries: the commitment's exact bytes (checked against node:crypto's HMAC, an independent
// implementation), sealing with an injected RNG, and reveal verification.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { fromBase64, toBase64 } from '../../src/record/bytes.ts';
import { makeReveal, seal, sealCommitment, verifyReveal } from '../../src/record/sealed.ts';

const key = new Uint8Array(32).map((_, i) => i);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('sealed commitments', () => {
  test('the documented byte encoding (docs/RECORD.md), by an independent HMAC', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 500 }), (label, content) => {
        const l = Buffer.from(label, 'utf8');
        const len4 = Buffer.alloc(4);
        len4.writeUInt32BE(l.length);
        const len8 = Buffer.alloc(8);
        len8.writeBigUInt64BE(BigInt(content.length));
        const dst = Buffer.from('councils/sealed/v1');
        const msg = Buffer.concat([Buffer.from([dst.length]), dst, len4, l, len8, content]);
        const want = createHmac('sha256', key).update(msg).digest();
        assert.deepEqual(Buffer.from(sealCommitment(key, label, content)), want);
      }),
      { numRuns: 50 },
    );
  });
  test('a known answer', () => {
    assert.equal(
      Buffer.from(sealCommitment(key, 'minutes', utf8('{"a":1}'))).toString('hex'),
      createHmac('sha256', key)
        .update(
          Buffer.concat([
            Buffer.from([18]),
            Buffer.from('councils/sealed/v1'),
            Buffer.from([0, 0, 0, 7]),
            Buffer.from('minutes'),
            Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]),
            Buffer.from('{"a":1}'),
          ]),
        )
        .digest('hex'),
    );
  });
  test('label and content boundaries are unambiguous', () => {
    assert.notDeepEqual(sealCommitment(key, 'ab', utf8('c')), sealCommitment(key, 'a', utf8('bc')));
  });
  test('seal uses the injected randomness; the reveal verifies; any change fails', () => {
    const content = utf8('{"minutes":"secret"}');
    const { sealed, key: r } = seal(content, 'minutes', { condition: 'after the vote closes' }, (n) =>
      new Uint8Array(n).fill(7),
    );
    assert.deepEqual(r, new Uint8Array(32).fill(7));
    const reveal = makeReveal(4, r, content);
    assert.equal(verifyReveal(sealed, reveal), true);
    assert.equal(verifyReveal(sealed, makeReveal(4, r, utf8('{"minutes":"other"}'))), false);
    assert.equal(verifyReveal(sealed, makeReveal(4, new Uint8Array(32).fill(8), content)), false);
    assert.equal(verifyReveal({ ...sealed, label: 'other' }, reveal), false);
    assert.equal(verifyReveal(sealed, { ...reveal, key: 'not base64' }), false);
    assert.equal(
      verifyReveal(sealed, { ...reveal, key: toBase64(fromBase64(reveal.key)!.subarray(0, 16)) }),
      false,
    );
  });
  test('misuse throws', () => {
    assert.throws(() => sealCommitment(new Uint8Array(16), 'x', new Uint8Array()), /key/);
    assert.throws(() => seal(new Uint8Array(), 'x', {}, (n) => new Uint8Array(n)), /release/);
    assert.throws(
      () => seal(new Uint8Array(), 'x', { at: '2030-01-01T00:00:00Z' }, () => new Uint8Array(3)),
      /randomBytes/,
    );
  });
});
