// RFC 9474 RSA blind signatures: the client's side (prepare, blind, finalize) and verification, pure bigint so it
// runs in the browser's Web Worker as well as in Node. The signer's raw RSA operation (§4.3 BlindSign) needs the
// private key and runs on the server (node:crypto); `checkBlindSignature` is its §4.3 step 4 self-check.
// EMSA-PSS is RFC 8017 §9.1 with SHA-384 and MGF1-SHA-384 (RFC 8017 B.2.1), the hash of every RFC 9474 variant.
import { gcd } from '../lib/rational.ts';
import { sha384 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, type RandomBytes } from './bytes.ts';
import { BallotFormatError } from './errors.ts';

export interface RsaPublicKey {
  readonly n: bigint;
  readonly e: bigint;
}

/** RFC 9474 §5: the PSS salt length (48 for "PSS", 0 for "PSSZERO") and the preparation (§4.1). */
export interface Rsabssa {
  readonly name: string;
  readonly saltLength: number;
  readonly randomized: boolean;
}

export const RSABSSA_SHA384_PSS_RANDOMIZED: Rsabssa = {
  name: 'RSABSSA-SHA384-PSS-Randomized',
  saltLength: 48,
  randomized: true,
};
export const RSABSSA_SHA384_PSSZERO_RANDOMIZED: Rsabssa = {
  name: 'RSABSSA-SHA384-PSSZERO-Randomized',
  saltLength: 0,
  randomized: true,
};
export const RSABSSA_SHA384_PSS_DETERMINISTIC: Rsabssa = {
  name: 'RSABSSA-SHA384-PSS-Deterministic',
  saltLength: 48,
  randomized: false,
};
export const RSABSSA_SHA384_PSSZERO_DETERMINISTIC: Rsabssa = {
  name: 'RSABSSA-SHA384-PSSZERO-Deterministic',
  saltLength: 0,
  randomized: false,
};

const H_LEN = 48; // SHA-384

// --- integers (RFC 8017 §4) -------------------------------------------------------------------------------------

/** OS2IP: big-endian bytes to a non-negative integer. */
export function os2ip(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

/** I2OSP: a non-negative integer to exactly `len` big-endian bytes; RangeError ("integer too large") otherwise. */
export function i2osp(x: bigint, len: number): Uint8Array {
  if (x < 0n || x >= 1n << BigInt(8 * len)) throw new RangeError('i2osp: integer too large');
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(x & 255n);
    x >>= 8n;
  }
  return out;
}

export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** kLen of RFC 9474: the modulus length in bytes. */
export const modulusBytes = (pk: RsaPublicKey): number => Math.ceil(bitLength(pk.n) / 8);

export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = ((base % m) + m) % m;
  let k = exp;
  while (k > 0n) {
    if (k & 1n) result = (result * b) % m;
    b = (b * b) % m;
    k >>= 1n;
  }
  return result;
}

/** The inverse of a mod m, or undefined when gcd(a, m) ≠ 1. */
export function modInverse(a: bigint, m: bigint): bigint | undefined {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) return undefined;
  return ((s0 % m) + m) % m;
}

/** random_integer_uniform(1, n) by rejection sampling (RFC 9474 §2). */
function randomBelow(n: bigint, randomBytes: RandomBytes): bigint {
  const bits = bitLength(n);
  const len = Math.ceil(bits / 8);
  const excess = BigInt(len * 8 - bits);
  for (let i = 0; i < 1000; i++) {
    const x = os2ip(randomBytes(len)) >> excess;
    if (x >= 1n && x < n) return x;
  }
  throw new RangeError('randomBytes: no value in range after 1000 draws (is it random?)');
}

// --- EMSA-PSS with SHA-384 (RFC 8017 §9.1, B.2.1) ----------------------------------------------------------------

/** MGF1 with SHA-384 (RFC 8017 B.2.1). */
export function mgf1Sha384(seed: Uint8Array, maskLen: number): Uint8Array {
  const out = new Uint8Array(maskLen);
  const block = new Uint8Array(seed.length + 4);
  block.set(seed);
  for (let counter = 0, o = 0; o < maskLen; counter++, o += H_LEN) {
    block.set([counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255], seed.length);
    out.set(sha384(block).subarray(0, Math.min(H_LEN, maskLen - o)), o);
  }
  return out;
}

const PAD1 = new Uint8Array(8);

/** EMSA-PSS-ENCODE(M, emBits) with the given salt (RFC 8017 §9.1.1). */
export function emsaPssEncode(msg: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const emLen = Math.ceil(emBits / 8);
  const mHash = sha384(msg);
  if (emLen < H_LEN + salt.length + 2)
    throw new RangeError('emsaPssEncode: encoding error (modulus too small)');
  const h = sha384(concat([PAD1, mHash, salt]));
  const db = new Uint8Array(emLen - H_LEN - 1);
  db[emLen - salt.length - H_LEN - 2] = 0x01;
  db.set(salt, emLen - salt.length - H_LEN - 1);
  const mask = mgf1Sha384(h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  return concat([db, h, new Uint8Array([0xbc])]);
}

/** EMSA-PSS-VERIFY(M, EM, emBits) (RFC 8017 §9.1.2): true for "consistent". */
export function emsaPssVerify(msg: Uint8Array, em: Uint8Array, emBits: number, saltLength: number): boolean {
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < H_LEN + saltLength + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - H_LEN - 1);
  const h = em.subarray(emLen - H_LEN - 1, emLen - 1);
  const topMask = (0xff << (8 - (8 * emLen - emBits))) & 0xff;
  if ((maskedDb[0]! & topMask) !== 0) return false;
  const mask = mgf1Sha384(h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ mask[i]!);
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  const zeros = emLen - H_LEN - saltLength - 2;
  for (let i = 0; i < zeros; i++) if (db[i] !== 0) return false;
  if (db[zeros] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  return equalBytes(sha384(concat([PAD1, sha384(msg), salt])), h);
}

// --- RFC 9474 §4 ------------------------------------------------------------------------------------------------

/** §4.1 Prepare: the identity (Deterministic) or a 32-byte random prefix (Randomized). */
export function prepare(variant: Rsabssa, msg: Uint8Array, randomBytes: RandomBytes): Uint8Array {
  return variant.randomized ? concat([randomBytes(32), msg]) : msg;
}

export interface Blinded {
  /** Sent to the signer: kLen bytes. */
  readonly blindedMsg: Uint8Array;
  /** Kept by the client for `finalize`: kLen bytes. */
  readonly inv: Uint8Array;
}

/**
 * §4.2 Blind. `randomBytes` draws the PSS salt and the blind r. For test vectors, `fixed` gives the salt and r
 * (derived from the vector's inv); it is never used otherwise.
 */
export function blind(
  variant: Rsabssa,
  pk: RsaPublicKey,
  preparedMsg: Uint8Array,
  randomBytes: RandomBytes,
  fixed?: { readonly salt: Uint8Array; readonly r: bigint },
): Blinded {
  checkKey(pk);
  const kLen = modulusBytes(pk);
  const salt = fixed?.salt ?? randomBytes(variant.saltLength);
  if (salt.length !== variant.saltLength) throw new RangeError('blind: salt of the wrong length');
  const encoded = emsaPssEncode(preparedMsg, bitLength(pk.n) - 1, salt);
  const m = os2ip(encoded);
  if (gcd(m, pk.n) !== 1n) throw new RangeError('blind: invalid input (message not coprime to n)');
  const r = fixed?.r ?? randomBelow(pk.n, randomBytes);
  const inv = modInverse(r, pk.n);
  if (inv === undefined) throw new RangeError('blind: blinding error (r not invertible)');
  const z = (m * modPow(r, pk.e, pk.n)) % pk.n;
  return { blindedMsg: i2osp(z, kLen), inv: i2osp(inv, kLen) };
}

/**
 * §4.3 step 4, the signer's own check that its raw output is a signature of the blinded message (s^e = m), which
 * guards against fault attacks on the private-key operation.
 */
export function checkBlindSignature(pk: RsaPublicKey, blindedMsg: Uint8Array, blindSig: Uint8Array): boolean {
  const kLen = modulusBytes(pk);
  if (blindedMsg.length !== kLen || blindSig.length !== kLen) return false;
  const m = os2ip(blindedMsg);
  const s = os2ip(blindSig);
  return m < pk.n && s < pk.n && modPow(s, pk.e, pk.n) === m;
}

/** §4.4 Finalize: unblind and verify; null when the signer's answer is not a valid signature (§4.4 step 7). */
export function finalize(
  variant: Rsabssa,
  pk: RsaPublicKey,
  preparedMsg: Uint8Array,
  blindSig: Uint8Array,
  inv: Uint8Array,
): Uint8Array | null {
  const kLen = modulusBytes(pk);
  if (blindSig.length !== kLen || inv.length !== kLen)
    throw new RangeError('finalize: unexpected input size');
  const z = os2ip(blindSig);
  if (z >= pk.n) return null;
  const sig = i2osp((z * os2ip(inv)) % pk.n, kLen);
  return verify(variant, pk, preparedMsg, sig) ? sig : null;
}

/**
 * A native RSASSA-PSS-VERIFY (SHA-384, MGF1-SHA-384, the given salt length) with exactly the semantics of the pure
 * one below. The verifier checks every listed credential's signature, and bigint `modPow` takes milliseconds per
 * signature, so Node (the server and `councils verify`) passes node:crypto's (src/node/rsa-pss-native.ts) to `verify`
 * through `BallotCrypto` (crypto.ts); the browser keeps the pure code. test/ballot/rfc9474.test.ts checks that both agree.
 */
export type RsaPssVerifier = (
  pk: RsaPublicKey,
  msg: Uint8Array,
  sig: Uint8Array,
  saltLength: number,
) => boolean;

/**
 * §4.5 Verification: RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) with SHA-384, MGF1-SHA-384 and the variant's sLen; by
 * `nativeVerifier` after the size checks here when one is given.
 */
export function verify(
  variant: Rsabssa,
  pk: RsaPublicKey,
  preparedMsg: Uint8Array,
  sig: Uint8Array,
  nativeVerifier?: RsaPssVerifier,
): boolean {
  checkKey(pk);
  const kLen = modulusBytes(pk);
  if (sig.length !== kLen) return false;
  const s = os2ip(sig);
  if (s >= pk.n) return false;
  if (nativeVerifier) return nativeVerifier(pk, preparedMsg, sig, variant.saltLength);
  return verifyPure(variant, pk, preparedMsg, s);
}

/** The pure RSASSA-PSS-VERIFY for `verify`, exported for tests that compare it with a native verifier. */
export function verifyPure(variant: Rsabssa, pk: RsaPublicKey, preparedMsg: Uint8Array, s: bigint): boolean {
  const emBits = bitLength(pk.n) - 1;
  const m = modPow(s, pk.e, pk.n);
  if (m >= 1n << BigInt(8 * Math.ceil(emBits / 8))) return false;
  return emsaPssVerify(preparedMsg, i2osp(m, Math.ceil(emBits / 8)), emBits, variant.saltLength);
}

function checkKey(pk: RsaPublicKey): void {
  if (typeof pk.n !== 'bigint' || typeof pk.e !== 'bigint' || pk.n < 3n || pk.n % 2n === 0n) {
    throw new BallotFormatError('RSA public key: n must be an odd integer');
  }
  if (pk.e < 3n || pk.e % 2n === 0n || pk.e >= pk.n)
    throw new BallotFormatError('RSA public key: bad exponent');
}
