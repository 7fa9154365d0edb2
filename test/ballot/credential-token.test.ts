// Credentials issued by blind signature (docs/BALLOT-PROTOCOL.md §4.1): issue, unblind, verify, and the record's
// check of a signed list: forged signatures, another election's key or setup, a weight not issued, duplicates,
// a list longer than the issuances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import { nobleGroup } from '../../src/ballot/noble-group.ts';
import { makeCredential } from '../../src/ballot/election.ts';
import { toHex } from '../../src/ballot/bytes.ts';
import {
  checkSignedList,
  finishToken,
  issuerKeysHash,
  requestToken,
  verifyToken,
  type IssuerKey,
  type SignedCredential,
} from '../../src/ballot/credential-token.ts';

const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

function issuer(weight: number): { key: IssuerKey; sk: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const hex = (s: string): string => Buffer.from(s, 'base64url').toString('hex');
  return { key: { weight, n: hex(jwk.n!), e: hex(jwk.e!) }, sk: privateKey };
}

/** The server's BlindSign (RFC 9474 §4.3): RSASP1 by node:crypto's raw private operation. */
const blindSign = (sk: KeyObject, blinded: string): string =>
  privateDecrypt({ key: sk, padding: constants.RSA_NO_PADDING }, Buffer.from(blinded, 'hex')).toString('hex');

function issue(i: { key: IssuerKey; sk: KeyObject }, setupHash: string): SignedCredential {
  const X = makeCredential(nobleGroup, rnd).public;
  const req = requestToken(i.key, setupHash, X, rnd);
  const signed = finishToken(i.key, setupHash, X, blindSign(i.sk, req.blindedMessage), req.inv);
  assert.ok(signed);
  return signed;
}

const one = issuer(1);
const three = issuer(3);
const otherElection = issuer(1);
const keys = [one.key, three.key];
const setupHash = toHex(rnd(32));

test('a blind-issued credential verifies under the key of its weight, and only there', () => {
  const c1 = issue(one, setupHash);
  const c3 = issue(three, setupHash);
  assert.equal(c1.weight, 1);
  assert.equal(c3.weight, 3);
  assert.equal(verifyToken(keys, setupHash, c1), true);
  assert.equal(verifyToken(keys, setupHash, c3), true);
  assert.equal(verifyToken(keys, setupHash, { ...c1, weight: 3 }), false, 'weight raised');
  assert.equal(verifyToken(keys, setupHash, { ...c3, weight: 1 }), false, 'weight lowered');
  assert.equal(verifyToken(keys, toHex(rnd(32)), c1), false, 'another setup');
  const issued = new Map([
    [1, 1],
    [3, 1],
  ]);
  assert.deepEqual(checkSignedList(keys, setupHash, [c1, c3], issued), []);
});

test('the signer sees unlinkable blinded messages: two requests for one credential differ', () => {
  const X = makeCredential(nobleGroup, rnd).public;
  const a = requestToken(one.key, setupHash, X, rnd);
  const b = requestToken(one.key, setupHash, X, rnd);
  assert.notEqual(a.blindedMessage, b.blindedMessage);
});

test('a forged signature is caught with a reason', () => {
  const good = issue(one, setupHash);
  const flipped =
    good.signature.slice(0, 10) + (good.signature[10] === '0' ? '1' : '0') + good.signature.slice(11);
  const forged: SignedCredential[] = [
    { ...good, signature: flipped },
    { ...good, credential: makeCredential(nobleGroup, rnd).public },
    { ...good, signature: toHex(rnd(256)) },
    { ...good, signature: '' },
  ];
  for (const f of forged) {
    assert.deepEqual(checkSignedList(keys, setupHash, [f], new Map([[1, 5]])), [
      { index: 0, reason: 'signature invalid' },
    ]);
  }
});

test('a credential signed with another election’s key is caught', () => {
  const foreign = issue(otherElection, setupHash);
  assert.equal(verifyToken(keys, setupHash, foreign), false);
  assert.deepEqual(checkSignedList(keys, setupHash, [foreign], new Map([[1, 1]])), [
    { index: 0, reason: 'signature invalid' },
  ]);
});

test('a weight without an issuing key, a duplicate, and a list longer than the issuances are caught', () => {
  const a = issue(one, setupHash);
  const b = issue(one, setupHash);
  const c = issue(three, setupHash);
  assert.deepEqual(checkSignedList(keys, setupHash, [{ ...a, weight: 2 }], new Map([[2, 1]])), [
    { index: 0, reason: 'no issuing key for weight 2' },
  ]);
  assert.deepEqual(checkSignedList(keys, setupHash, [a, a], new Map([[1, 2]])), [
    { index: 1, reason: 'duplicate credential' },
  ]);
  // Two valid weight-1 credentials, one issuance logged: the list is longer than the issuances (stuffing).
  assert.deepEqual(
    checkSignedList(
      keys,
      setupHash,
      [a, b, c],
      new Map([
        [1, 1],
        [3, 1],
      ]),
    ),
    [{ index: -1, reason: '2 credentials of weight 1 but 1 issued' }],
  );
  // Heavier than issued: a weight-3 credential where only weight-1 issuances were logged.
  assert.deepEqual(checkSignedList(keys, setupHash, [c], new Map([[1, 3]])), [
    { index: -1, reason: '1 credentials of weight 3 but 0 issued' },
  ]);
});

test('issuer keys hash: order-independent, changes with any key, refuses two keys of one weight', () => {
  const h = toHex(issuerKeysHash([one.key, three.key]));
  assert.equal(toHex(issuerKeysHash([three.key, one.key])), h);
  assert.notEqual(toHex(issuerKeysHash([otherElection.key, three.key])), h);
  assert.throws(() => issuerKeysHash([one.key, otherElection.key]), /two keys for weight 1/);
  assert.throws(() => issuerKeysHash([{ weight: 1, n: '0f', e: '010001' }]), /2048 bits/);
});
