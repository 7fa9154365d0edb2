// Credentials issued by blind signature (docs/BALLOT-PROTOCOL.md §4.1): the organisation signs, without seeing it,
// the message that binds a voter's public credential X to the election and to the voter's weight; the voter later
// lists (X, signature) anonymously. RFC 9474 RSABSSA-SHA384-PSS-Deterministic: X is a uniformly random point, so
// the message already has full entropy and the Randomized variant's 32-byte prefix would only lengthen every
// listed credential (RFC 9474 §4.1 and §7.3 allow identity preparation for such messages). The PSS salt keeps
// the signature itself randomized.
//
// The signer cannot see the weight inside a blinded message, so the weight is bound by the KEY: one issuing key
// per weight class of the electorate, each published with its weight. A credential of weight w verifies only under
// the key of weight w, and the message repeats w so that one message can never verify under two classes.
import { compareBytes, fromHex, toHex, u32, u64, type RandomBytes } from './bytes.ts';
import type { Hex } from './codec.ts';
import { BallotFormatError } from './errors.ts';
import { hashBytes } from './hash.ts';
import {
  RSABSSA_SHA384_PSS_DETERMINISTIC,
  blind,
  finalize,
  modulusBytes,
  os2ip,
  verify,
  type RsaPssVerifier,
  type RsaPublicKey,
} from './rfc9474.ts';

export const CREDENTIAL_SIGNATURE = RSABSSA_SHA384_PSS_DETERMINISTIC;

/** One issuing key: RSA modulus and exponent as big-endian hex, for one weight class. */
export interface IssuerKey {
  weight: number;
  n: Hex;
  e: Hex;
}

export interface SignedCredential {
  credential: Hex;
  weight: number;
  /** RFC 9474 signature, kLen bytes of hex. */
  signature: Hex;
}

const MIN_MODULUS_BITS = 2048;

/** Decodes an issuing key; throws BallotFormatError naming the field. */
export function issuerPublicKey(k: IssuerKey, where = 'issuer key'): RsaPublicKey {
  if (!Number.isSafeInteger(k?.weight) || k.weight < 1) throw new BallotFormatError(`${where}.weight`);
  const n = os2ip(fromHex(k.n, undefined, `${where}.n`));
  const e = os2ip(fromHex(k.e, undefined, `${where}.e`));
  if (n.toString(2).length < MIN_MODULUS_BITS || n % 2n === 0n) {
    throw new BallotFormatError(`${where}.n: an odd modulus of at least ${MIN_MODULUS_BITS} bits`);
  }
  if (e < 3n || e % 2n === 0n || e >= n) throw new BallotFormatError(`${where}.e`);
  return { n, e };
}

/** msg = H("credential-token"; H_S, u64(w), enc(X)): the RFC 9474 message of a credential. */
export function tokenMessage(setupHash: Hex, weight: number, credential: Hex): Uint8Array {
  if (!Number.isSafeInteger(weight) || weight < 1) throw new RangeError('weight: a positive integer');
  return hashBytes('credential-token', [
    fromHex(setupHash, 32, 'setupHash'),
    u64(BigInt(weight)),
    fromHex(credential, 32, 'credential'),
  ]);
}

/**
 * H_K = H("issuer-keys"; u32(m), [u64(w_i) ‖ LP(n_i) ‖ LP(e_i)] for i by ascending weight): the issuing keys'
 * part of the election fingerprint. Throws when two keys share a weight.
 */
export function issuerKeysHash(keys: readonly IssuerKey[]): Uint8Array {
  const sorted = [...keys].sort((a, b) => a.weight - b.weight);
  sorted.forEach((k, i) => {
    issuerPublicKey(k, `issuers[${i}]`);
    if (i > 0 && sorted[i - 1]!.weight === k.weight) {
      throw new BallotFormatError(`issuers: two keys for weight ${k.weight}`);
    }
  });
  const fields = sorted.map((k) => {
    const n = fromHex(k.n, undefined, 'n');
    const e = fromHex(k.e, undefined, 'e');
    const out = new Uint8Array(8 + 4 + n.length + 4 + e.length);
    out.set(u64(BigInt(k.weight)), 0);
    out.set(u32(n.length), 8);
    out.set(n, 12);
    out.set(u32(e.length), 12 + n.length);
    out.set(e, 16 + n.length);
    return out;
  });
  return hashBytes('issuer-keys', [u32(sorted.length), ...fields]);
}

/** The voter's first step: a blinded message for the signer, and the inverse to keep. */
export function requestToken(
  key: IssuerKey,
  setupHash: Hex,
  credential: Hex,
  randomBytes: RandomBytes,
): { blindedMessage: Hex; inv: Hex } {
  const b = blind(
    CREDENTIAL_SIGNATURE,
    issuerPublicKey(key),
    tokenMessage(setupHash, key.weight, credential),
    randomBytes,
  );
  return { blindedMessage: toHex(b.blindedMsg), inv: toHex(b.inv) };
}

/** The voter's second step: the unblinded signature, or null when the signer's answer is not valid. */
export function finishToken(
  key: IssuerKey,
  setupHash: Hex,
  credential: Hex,
  blindSignature: Hex,
  inv: Hex,
): SignedCredential | null {
  const pk = issuerPublicKey(key);
  const len = modulusBytes(pk);
  const sig = finalize(
    CREDENTIAL_SIGNATURE,
    pk,
    tokenMessage(setupHash, key.weight, credential),
    fromHex(blindSignature, len, 'blindSignature'),
    fromHex(inv, len, 'inv'),
  );
  return sig ? { credential, weight: key.weight, signature: toHex(sig) } : null;
}

/** True iff the signature is the issuing key's (of the credential's weight) on this election's message. */
export function verifyToken(
  keys: readonly IssuerKey[],
  setupHash: Hex,
  c: SignedCredential,
  rsaPssVerify?: RsaPssVerifier,
): boolean {
  const key = keys.find((k) => k.weight === c.weight);
  if (!key || typeof c.signature !== 'string' || !/^[0-9a-f]*$/.test(c.signature) || c.signature.length % 2) {
    return false;
  }
  let msg: Uint8Array;
  try {
    msg = tokenMessage(setupHash, c.weight, c.credential);
  } catch {
    return false;
  }
  return verify(
    CREDENTIAL_SIGNATURE,
    issuerPublicKey(key),
    msg,
    fromHex(c.signature, undefined, 'signature'),
    rsaPssVerify,
  );
}

export interface ListFailure {
  /** Index in the list, or -1 for the list as a whole. */
  index: number;
  reason: string;
}

/**
 * The record's check of a signed credential list (§8 check 4): every signature is the issuing key's of its
 * weight; no credential twice; per weight class, no more credentials than issuances (so the list is neither longer
 * nor heavier than what was issued). `issued` maps a weight to the number of issuances logged for it (undefined:
 * the signatures only, as the ballot verifier checks a board that does not carry the issuances).
 */
export function checkSignedList(
  keys: readonly IssuerKey[],
  setupHash: Hex,
  list: readonly SignedCredential[],
  issued: ReadonlyMap<number, number> | undefined,
  rsaPssVerify?: RsaPssVerifier,
): ListFailure[] {
  const failures: ListFailure[] = [];
  const seen = new Set<string>();
  const perWeight = new Map<number, number>();
  list.forEach((c, index) => {
    if (seen.has(c?.credential)) failures.push({ index, reason: 'duplicate credential' });
    seen.add(c?.credential);
    if (!keys.some((k) => k.weight === c?.weight)) {
      failures.push({ index, reason: `no issuing key for weight ${String(c?.weight)}` });
      return;
    }
    if (!verifyToken(keys, setupHash, c, rsaPssVerify)) failures.push({ index, reason: 'signature invalid' });
    perWeight.set(c.weight, (perWeight.get(c.weight) ?? 0) + 1);
  });
  if (issued === undefined) return failures;
  for (const [w, listed] of [...perWeight].sort((a, b) => a[0] - b[0])) {
    const n = issued.get(w) ?? 0;
    if (listed > n) {
      failures.push({ index: -1, reason: `${listed} credentials of weight ${w} but ${n} issued` });
    }
  }
  return failures;
}

/** Sorts a signed list by the credential's bytes (the order of §2's H_C; it says nothing of who listed when). */
export const sortSigned = (list: readonly SignedCredential[]): SignedCredential[] =>
  [...list].sort((a, b) => compareBytes(fromHex(a.credential, 32, 'c'), fromHex(b.credential, 32, 'c')));
