// A credential issuer for tests (docs/BALLOT-PROTOCOL.md §4.1): an RSA issuing key and its RFC 9474 BlindSign by
// node:crypto, and the voter's side (blind, sign, finalize) in one call. One key per weight, made once per process.
import { constants, generateKeyPairSync, privateDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import * as ballot from '../../src/ballot/index.ts';

export interface TestIssuer {
  key: ballot.IssuerKey;
  blindSign(blindedMessage: string): string;
}

const made = new Map<number, TestIssuer>();

export function testIssuer(weight = 1): TestIssuer {
  const have = made.get(weight);
  if (have) return have;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const hex = (s: string | undefined): string => Buffer.from(s!, 'base64url').toString('hex');
  const sk: KeyObject = privateKey;
  const issuer = {
    key: { weight, n: hex(jwk.n), e: hex(jwk.e) },
    blindSign: (m: string) =>
      privateDecrypt({ key: sk, padding: constants.RSA_NO_PADDING }, Buffer.from(m, 'hex')).toString('hex'),
  };
  made.set(weight, issuer);
  return issuer;
}

const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

/** A signed credential for public credential X in the election with setup hash H_S. */
export function signedCredential(issuer: TestIssuer, setupHash: string, X: string): ballot.SignedCredential {
  const req = ballot.requestToken(issuer.key, setupHash, X, rnd);
  const signed = ballot.finishToken(issuer.key, setupHash, X, issuer.blindSign(req.blindedMessage), req.inv);
  if (!signed) throw new Error('test issuer: the signature does not finalize');
  return signed;
}

/** Fixture options (test/ballot/fixture.ts) for an election whose credentials this issuer signs (§4.1). */
export const signedBy = (issuer: TestIssuer) => ({
  issuers: [issuer.key],
  sign: (setupHash: string, X: string): ballot.SignedCredential => signedCredential(issuer, setupHash, X),
});
