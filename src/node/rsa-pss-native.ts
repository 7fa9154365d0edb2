// node:crypto's RSASSA-PSS-VERIFY for the ballot library's RFC 9474 verification (src/ballot/rfc9474.ts): the
// same check (SHA-384, MGF1-SHA-384, exact salt length), about fifty times faster than bigint arithmetic, which
// matters when a credential list of thousands of blind signatures is frozen or verified.
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { RsaPublicKey } from '../ballot/rfc9474.ts';

const keys = new Map<string, KeyObject>();

const base64url = (x: bigint): string => {
  const hex = x.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};

function keyObject(pk: RsaPublicKey): KeyObject {
  const id = `${pk.n.toString(16)}:${pk.e.toString(16)}`;
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: { kty: 'RSA', n: base64url(pk.n), e: base64url(pk.e) }, format: 'jwk' });
    if (keys.size >= 64) keys.clear(); // a few keys per election; never let the cache grow without bound
    keys.set(id, key);
  }
  return key;
}

/** RSASSA-PSS-VERIFY with node:crypto; false (never a throw) for anything that does not verify. */
export function nativeRsaPssVerify(
  pk: RsaPublicKey,
  msg: Uint8Array,
  sig: Uint8Array,
  saltLength: number,
): boolean {
  try {
    return verify(
      'sha384',
      msg,
      { key: keyObject(pk), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
      sig,
    );
  } catch {
    return false;
  }
}
