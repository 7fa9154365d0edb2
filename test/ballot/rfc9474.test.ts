// RFC 9474 Appendix A: RSABSSA-SHA384-PSS-Randomized and -Deterministic, step by step, plus RSA-PSS
// interoperability with node:crypto (an independent implementation of RFC 8017 §8.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  constants,
  generateKeyPairSync,
  privateDecrypt,
  randomBytes,
  sign,
  verify as nodeVerify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/ballot/bytes.ts';
import {
  RSABSSA_SHA384_PSS_DETERMINISTIC,
  RSABSSA_SHA384_PSS_RANDOMIZED,
  blind,
  checkBlindSignature,
  emsaPssEncode,
  finalize,
  i2osp,
  modInverse,
  modPow,
  os2ip,
  prepare,
  verify,
  type RsaPublicKey,
} from '../../src/ballot/rfc9474.ts';

const file = JSON.parse(
  readFileSync(new URL('../vectors/ballot/rfc9474-blind-rsa.json', import.meta.url), 'utf8'),
) as {
  key: Record<'p' | 'q' | 'n' | 'e' | 'd', string>;
  vectors: Record<string, string>[];
};
const big = (h: string): bigint => BigInt('0x' + h);
const pk: RsaPublicKey = { n: big(file.key.n), e: big(file.key.e) };
const d = big(file.key.d);
const hex = (s: string): Uint8Array => fromHex(s, undefined, 'vector');
const variants = {
  [RSABSSA_SHA384_PSS_RANDOMIZED.name]: RSABSSA_SHA384_PSS_RANDOMIZED,
  [RSABSSA_SHA384_PSS_DETERMINISTIC.name]: RSABSSA_SHA384_PSS_DETERMINISTIC,
};

test('RFC 9474 Appendix A vectors: prepare, EMSA-PSS encode, blind, sign, finalize, verify', () => {
  assert.equal(file.vectors.length, 2);
  assert.equal(big(file.key.p) * big(file.key.q), pk.n);
  for (const v of file.vectors) {
    const variant = variants[v.name!]!;
    assert.ok(variant, v.name);
    const input = prepare(variant, hex(v.msg!), () => hex(v.msg_prefix!));
    assert.equal(toHex(input), v.input_msg, `${v.name} prepared message`);
    if (v.encoded_msg) {
      assert.equal(toHex(emsaPssEncode(input, 4095, hex(v.salt!))), v.encoded_msg, `${v.name} encoded_msg`);
    }
    const r = modInverse(big(v.inv!), pk.n)!;
    const b = blind(variant, pk, input, () => assert.fail('no randomness with fixed inputs'), {
      salt: hex(v.salt!),
      r,
    });
    assert.equal(toHex(b.inv), v.inv, `${v.name} inv`);
    assert.equal(toHex(b.blindedMsg), v.blinded_msg, `${v.name} blinded_msg`);
    const blindSig = i2osp(modPow(os2ip(b.blindedMsg), d, pk.n), 512); // the signer's RSASP1
    assert.equal(toHex(blindSig), v.blind_sig, `${v.name} blind_sig`);
    assert.ok(checkBlindSignature(pk, b.blindedMsg, blindSig));
    const sig = finalize(variant, pk, input, blindSig, b.inv);
    assert.ok(sig, `${v.name} finalize`);
    assert.equal(toHex(sig), v.sig, `${v.name} sig`);
    assert.equal(verify(variant, pk, input, hex(v.sig!)), true);
  }
});

test('RFC 9474: a changed message, signature, key or salt length fails verification (returns false)', () => {
  const v = file.vectors[1]!;
  const variant = RSABSSA_SHA384_PSS_DETERMINISTIC;
  const sig = hex(v.sig!);
  const msg = hex(v.input_msg!);
  assert.equal(verify(variant, pk, msg, sig), true);
  const otherMsg = msg.slice();
  otherMsg[0]! ^= 1;
  assert.equal(verify(variant, pk, otherMsg, sig), false);
  const otherSig = sig.slice();
  otherSig[100]! ^= 1;
  assert.equal(verify(variant, pk, msg, otherSig), false);
  assert.equal(verify(variant, pk, msg, sig.subarray(1)), false, 'short signature');
  assert.equal(verify(variant, pk, msg, i2osp(pk.n, 512)), false, 'signature ≥ n');
  assert.equal(verify({ ...variant, saltLength: 0 }, pk, msg, sig), false, 'PSSZERO parameters');
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.equal(verify(variant, jwkKey(publicKey.export({ format: 'jwk' })), msg, sig), false, 'another key');
  const badBlind = hex(v.blind_sig!).slice();
  badBlind[7]! ^= 4;
  assert.equal(
    finalize(variant, pk, msg, badBlind, hex(v.inv!)),
    null,
    'finalize refuses a bad blind signature',
  );
  assert.equal(checkBlindSignature(pk, hex(v.blinded_msg!), badBlind), false);
});

function jwkKey(jwk: { n?: string; e?: string }): RsaPublicKey {
  const b = (s: string): bigint => os2ip(Buffer.from(s, 'base64url'));
  return { n: b(jwk.n!), e: b(jwk.e!) };
}

test('RFC 9474 with node:crypto: a blind signature by RSA_NO_PADDING finalizes to a standard RSA-PSS signature', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = jwkKey(publicKey.export({ format: 'jwk' }));
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.boolean(), (msg, randomized) => {
      const variant = randomized ? RSABSSA_SHA384_PSS_RANDOMIZED : RSABSSA_SHA384_PSS_DETERMINISTIC;
      const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
      const input = prepare(variant, msg, rnd);
      const b = blind(variant, key, input, rnd);
      const blindSig = new Uint8Array(
        privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, b.blindedMsg),
      );
      assert.ok(checkBlindSignature(key, b.blindedMsg, blindSig));
      const sig = finalize(variant, key, input, blindSig, b.inv);
      assert.ok(sig);
      assert.equal(verify(variant, key, input, sig), true);
      // node:crypto's RSASSA-PSS verification (RFC 8017 §8.1.2) accepts it too.
      assert.equal(
        nodeVerify(
          'sha384',
          input,
          { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 },
          sig,
        ),
        true,
      );
      // and node's own PSS signature verifies with ours
      const theirs = sign('sha384', input, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 48,
      });
      assert.equal(verify(variant, key, input, new Uint8Array(theirs)), true);
    }),
    { numRuns: 15 },
  );
});

test('RFC 9474: misuse throws naming the problem', () => {
  const variant = RSABSSA_SHA384_PSS_DETERMINISTIC;
  assert.throws(
    () => blind(variant, { n: 10n, e: 3n }, new Uint8Array(), () => new Uint8Array(48)),
    /n must be/,
  );
  assert.throws(
    () => finalize(variant, pk, new Uint8Array(), new Uint8Array(3), new Uint8Array(512)),
    /size/,
  );
  assert.throws(() => i2osp(256n, 1), /too large/);
});
