// node:crypto's RSASSA-PSS verification, passed in by the server and `councils verify` for RFC 9474 credential
// signatures, must give exactly the pure verifier's verdict (src/ballot/rfc9474.ts) on the RFC's vectors, on
// tampered inputs and on random ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fromHex } from '../../src/ballot/bytes.ts';
import {
  RSABSSA_SHA384_PSS_DETERMINISTIC,
  RSABSSA_SHA384_PSSZERO_DETERMINISTIC,
  os2ip,
  verify,
  verifyPure,
  type Rsabssa,
  type RsaPssVerifier,
  type RsaPublicKey,
} from '../../src/ballot/rfc9474.ts';
import { nativeRsaPssVerify } from '../../src/node/rsa-pss-native.ts';

const file = JSON.parse(
  readFileSync(new URL('../vectors/ballot/rfc9474-blind-rsa.json', import.meta.url), 'utf8'),
) as { key: Record<'n' | 'e', string>; vectors: Record<string, string>[] };
const vectorKey: RsaPublicKey = { n: BigInt('0x' + file.key.n), e: BigInt('0x' + file.key.e) };

const both = (variant: Rsabssa, pk: RsaPublicKey, msg: Uint8Array, sig: Uint8Array): [boolean, boolean] => [
  verifyPure(variant, pk, msg, os2ip(sig)),
  nativeRsaPssVerify(pk, msg, sig, variant.saltLength),
];

test('native RSA-PSS verification agrees with the pure one on the RFC 9474 vectors and their tamperings', () => {
  for (const v of file.vectors) {
    const msg = fromHex(v.input_msg!, undefined, 'msg');
    const sig = fromHex(v.sig!, undefined, 'sig');
    assert.deepEqual(both(RSABSSA_SHA384_PSS_DETERMINISTIC, vectorKey, msg, sig), [true, true]);
    const m2 = msg.slice();
    m2[0]! ^= 1;
    assert.deepEqual(both(RSABSSA_SHA384_PSS_DETERMINISTIC, vectorKey, m2, sig), [false, false]);
    const s2 = sig.slice();
    s2[100]! ^= 1;
    assert.deepEqual(both(RSABSSA_SHA384_PSS_DETERMINISTIC, vectorKey, msg, s2), [false, false]);
    assert.deepEqual(both(RSABSSA_SHA384_PSSZERO_DETERMINISTIC, vectorKey, msg, sig), [false, false]);
  }
});

test('native RSA-PSS verification agrees with the pure one on random signatures, valid and not', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const pk = { n: os2ip(Buffer.from(jwk.n!, 'base64url')), e: os2ip(Buffer.from(jwk.e!, 'base64url')) };
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 100 }),
      fc.constantFrom(0, 48),
      fc.nat(255),
      fc.boolean(),
      (msg, saltLength, at, tamper) => {
        const sig = new Uint8Array(
          sign('sha384', msg, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }),
        );
        if (tamper) sig[at]! ^= 0x10;
        const variant = saltLength ? RSABSSA_SHA384_PSS_DETERMINISTIC : RSABSSA_SHA384_PSSZERO_DETERMINISTIC;
        const [pure, native] = both(variant, pk, msg, sig);
        assert.equal(native, pure);
        assert.equal(pure, !tamper);
      },
    ),
    { numRuns: 40 },
  );
  const junk = new Uint8Array(randomBytes(256));
  junk[0] = 0; // below n
  assert.deepEqual(both(RSABSSA_SHA384_PSS_DETERMINISTIC, pk, new Uint8Array(3), junk), [false, false]);
});

test('verify uses the native verifier it is given after its own checks, and the pure one when none is', () => {
  const v = file.vectors[1]!;
  const msg = fromHex(v.input_msg!, undefined, 'msg');
  const sig = fromHex(v.sig!, undefined, 'sig');
  let calls = 0;
  const counted: RsaPssVerifier = (...a) => {
    calls++;
    return nativeRsaPssVerify(...a);
  };
  assert.equal(verify(RSABSSA_SHA384_PSS_DETERMINISTIC, vectorKey, msg, sig, counted), true);
  assert.equal(verify(RSABSSA_SHA384_PSS_DETERMINISTIC, vectorKey, msg, sig.subarray(1), counted), false);
  assert.equal(calls, 1, 'a signature of the wrong length never reaches the native verifier');
  assert.equal(verify(RSABSSA_SHA384_PSS_DETERMINISTIC, vectorKey, msg, sig), true);
  assert.equal(calls, 1);
});
