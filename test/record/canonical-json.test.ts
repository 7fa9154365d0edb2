// canonicalJson gives exactly the text of the `canonicalize` package (RFC 8785, by the RFC's author) for any
// JSON data, and refuses what JCS cannot represent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson } from '../../src/record/canonical-json.ts';

test('RFC 8785: the same text as the canonicalize package for any JSON value', () => {
  const anyString = fc.string({ unit: 'binary' });
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => assert.equal(canonicalJson(v), canonicalize(v))),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(
      fc.dictionary(anyString, fc.oneof(anyString, fc.double({ noNaN: true, noDefaultInfinity: true }))),
      (o) => {
        let want: string | undefined;
        try {
          want = canonicalize(o);
        } catch {
          assert.throws(() => canonicalJson(o));
          return;
        }
        assert.equal(canonicalJson(o), want);
      },
    ),
    { numRuns: 1000 },
  );
  // RFC 8785 §3.2.3's sorting example and §3.2.2.3's numbers.
  assert.equal(
    canonicalJson({
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ud83d\ude00': 'Emoji',
      '1': 'One',
      '\u0080': 'Control',
    }),
    canonicalize({
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ud83d\ude00': 'Emoji',
      '1': 'One',
      '\u0080': 'Control',
    }),
  );
  assert.equal(
    canonicalJson([1e21, 1e-7, -0, 333333333.33333329, 4.5]),
    '[1e+21,1e-7,0,333333333.3333333,4.5]',
  );
  for (const bad of [NaN, Infinity, '\ud800', { a: '\udc00x' }]) assert.throws(() => canonicalJson(bad));
});
