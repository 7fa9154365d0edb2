// C2SP signed-note keys: key IDs, verifier keys `name+hash+base64(type || public key)` and signer keys
// `PRIVATE+KEY+name+hash+base64(type || seed)`, for Ed25519 note signatures (type 0x01). The cosignature key type
// (0x04) reuses the same encodings (tlog-cosignature.ts).
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, readU32be, toBase64, utf8 } from './bytes.ts';
import { InvalidKeyError } from './errors.ts';

export const ED25519_NOTE_TYPE = 0x01;

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Verifies `sig` (the signature bytes after the 4-byte key ID) over the note text. */
  verify(text: Uint8Array, sig: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** Signs the note text; returns the bytes that follow the key ID in the signature line. */
  sign(text: Uint8Array): Uint8Array;
}

/** Key names are non-empty, contain no Unicode space and no '+' (signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name !== '' &&
    !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name)
  );
}

/** key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian (signed-note §Signatures). */
export function noteKeyId(name: string, typeAndKey: Uint8Array): number {
  return readU32be(sha256(concatBytes(utf8(name), new Uint8Array([0x0a]), typeAndKey)), 0);
}

function chop(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

function parseKeyHash(hex: string): number | undefined {
  return /^[0-9a-fA-F]{8}$/.test(hex) ? parseInt(hex, 16) : undefined;
}

export function formatKeyId(id: number): string {
  return id.toString(16).padStart(8, '0');
}

/** Splits `name+hash+base64` into its parts; throws InvalidKeyError when malformed or the hash does not match. */
export function parseKeyParts(
  key: string,
  what: string,
): { name: string; keyId: number; typeAndKey: Uint8Array } {
  if (typeof key !== 'string') throw new TypeError(`${what}: expected a string`);
  const [name, rest] = chop(key, '+');
  const [hash16, key64] = chop(rest, '+');
  const keyId = parseKeyHash(hash16);
  const typeAndKey = fromBase64(key64);
  if (keyId === undefined || !typeAndKey || typeAndKey.length === 0 || !isValidKeyName(name)) {
    throw new InvalidKeyError(`${what}: malformed key`);
  }
  return { name, keyId, typeAndKey };
}

/** Parses an Ed25519 verifier key (`name+hash+base64(0x01 || 32-byte public key)`). */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const { name, keyId, typeAndKey } = parseKeyParts(vkey, 'verifier key');
  if (noteKeyId(name, typeAndKey) !== keyId)
    throw new InvalidKeyError('verifier key: key hash does not match');
  if (typeAndKey[0] !== ED25519_NOTE_TYPE) throw new InvalidKeyError('verifier key: unknown signature type');
  if (typeAndKey.length !== 33) throw new InvalidKeyError('verifier key: wrong Ed25519 key length');
  const publicKey = typeAndKey.slice(1);
  return {
    name,
    keyId,
    verify: (text, sig) => sig.length === 64 && verifyEd25519(sig, text, publicKey),
  };
}

/** Ed25519 per RFC 8032 with the strict (non-ZIP-215) rules that Go's crypto/ed25519 applies. */
export function verifyEd25519(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(sig, msg, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Parses a signer key (`PRIVATE+KEY+name+hash+base64(type || 32-byte seed)`) of the given type. */
export function parseSignerParts(
  skey: string,
  type: number,
): { name: string; keyId: number; seed: Uint8Array } {
  if (typeof skey !== 'string') throw new TypeError('signer key: expected a string');
  const [priv1, r1] = chop(skey, '+');
  const [priv2, rest] = chop(r1, '+');
  if (priv1 !== 'PRIVATE' || priv2 !== 'KEY') throw new InvalidKeyError('signer key: malformed key');
  const { name, keyId, typeAndKey } = parseKeyParts(rest, 'signer key');
  if (typeAndKey[0] !== type) throw new InvalidKeyError('signer key: unknown signature type');
  if (typeAndKey.length !== 33) throw new InvalidKeyError('signer key: wrong Ed25519 seed length');
  const seed = typeAndKey.slice(1);
  const publicKey = ed25519.getPublicKey(seed);
  if (noteKeyId(name, concatBytes(new Uint8Array([type]), publicKey)) !== keyId) {
    throw new InvalidKeyError('signer key: key hash does not match');
  }
  return { name, keyId, seed };
}

export function parseSignerKey(skey: string): NoteSigner {
  const { name, keyId, seed } = parseSignerParts(skey, ED25519_NOTE_TYPE);
  return { name, keyId, sign: (text) => ed25519.sign(text, seed) };
}

export interface KeyPair {
  signerKey: string;
  verifierKey: string;
}

/** Encodes the signer and verifier keys of `name` for a 32-byte Ed25519 seed and a key type. */
export function encodeKeyPair(name: string, seed: Uint8Array, type = ED25519_NOTE_TYPE): KeyPair {
  if (!isValidKeyName(name)) throw new TypeError(`name: "${name}" is not a valid key name`);
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new TypeError('seed: expected 32 bytes');
  const pub = concatBytes(new Uint8Array([type]), ed25519.getPublicKey(seed));
  const id = formatKeyId(noteKeyId(name, pub));
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${toBase64(concatBytes(new Uint8Array([type]), seed))}`,
    verifierKey: `${name}+${id}+${toBase64(pub)}`,
  };
}

/** A fresh Ed25519 note key pair; `randomBytes` is the caller's CSPRNG. */
export function generateKeyPair(
  name: string,
  randomBytes: (n: number) => Uint8Array,
  type = ED25519_NOTE_TYPE,
): KeyPair {
  return encodeKeyPair(name, randomBytes(32), type);
}
