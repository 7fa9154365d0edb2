// C2SP tlog-cosignature, Ed25519 flavour (signature type 0x04): a witness signs
//   "cosignature/v1\ntime <decimal seconds>\n" || <the whole checkpoint note text, extension lines included>
// and the signature line carries base64(key ID || u64be timestamp || 64-byte Ed25519 signature).
// A WitnessPolicy says how many of which witnesses a verifier requires.
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, readU64be, toBase64, u32be, u64be, utf8 } from './bytes.ts';
import { InvalidKeyError } from './errors.ts';
import {
  encodeKeyPair,
  noteKeyId,
  parseKeyParts,
  parseSignerParts,
  verifyEd25519,
  type KeyPair,
  type NoteVerifier,
} from './note-keys.ts';
import type { NoteSignature } from './signed-note.ts';

export const COSIGNATURE_TYPE = 0x04;
const MAX_TIMESTAMP = (1n << 63n) - 1n;

/** The message a witness signs (tlog-cosignature §Ed25519 signed message). */
export function cosignatureMessage(checkpointText: string, timestamp: bigint): Uint8Array {
  if (timestamp < 0n || timestamp > MAX_TIMESTAMP)
    throw new RangeError(`timestamp: ${timestamp} is out of range`);
  return utf8(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
}

export interface Cosigner {
  readonly name: string;
  readonly keyId: number;
  /** The signature line for the checkpoint text at `timestamp` (POSIX seconds, passed in: the layer has no clock). */
  cosign(checkpointText: string, timestamp: bigint): string;
}

export interface CosignatureVerifier extends NoteVerifier {
  readonly verifierKey: string;
  /** The timestamp carried by a valid cosignature, or undefined if `sig` does not verify over the text. */
  verifyCosignature(text: Uint8Array, sig: Uint8Array): bigint | undefined;
}

/** Parses a witness verifier key `name+hash+base64(0x04 || 32-byte Ed25519 public key)`. */
export function parseCosignatureVerifierKey(vkey: string): CosignatureVerifier {
  const { name, keyId, typeAndKey } = parseKeyParts(vkey, 'witness key');
  if (noteKeyId(name, typeAndKey) !== keyId)
    throw new InvalidKeyError('witness key: key hash does not match');
  if (typeAndKey[0] !== COSIGNATURE_TYPE)
    throw new InvalidKeyError('witness key: not a cosignature/v1 (0x04) key');
  if (typeAndKey.length !== 33) throw new InvalidKeyError('witness key: wrong Ed25519 key length');
  const publicKey = typeAndKey.slice(1);
  const verifyCosignature = (text: Uint8Array, sig: Uint8Array): bigint | undefined => {
    if (sig.length !== 8 + 64) return undefined;
    const timestamp = readU64be(sig, 0);
    if (timestamp > MAX_TIMESTAMP) return undefined;
    const msg = concatBytes(utf8(`cosignature/v1\ntime ${timestamp}\n`), text);
    return verifyEd25519(sig.subarray(8), msg, publicKey) ? timestamp : undefined;
  };
  return {
    name,
    keyId,
    verifierKey: vkey,
    verifyCosignature,
    verify: (text, sig) => verifyCosignature(text, sig) !== undefined,
  };
}

/** Parses a witness signer key `PRIVATE+KEY+name+hash+base64(0x04 || 32-byte seed)`. */
export function parseCosignerKey(skey: string): Cosigner {
  const { name, keyId, seed } = parseSignerParts(skey, COSIGNATURE_TYPE);
  return {
    name,
    keyId,
    cosign(checkpointText, timestamp) {
      const sig = ed25519.sign(cosignatureMessage(checkpointText, timestamp), seed);
      return `\u2014 ${name} ${toBase64(concatBytes(u32be(keyId), u64be(timestamp), sig))}\n`;
    },
  };
}

export function encodeCosignerKeyPair(name: string, seed: Uint8Array): KeyPair {
  return encodeKeyPair(name, seed, COSIGNATURE_TYPE);
}

/** Appends cosignature lines to a signed checkpoint (each line as returned by Cosigner.cosign). */
export function addCosignatures(signedCheckpoint: string, lines: readonly string[]): string {
  if (!signedCheckpoint.endsWith('\n')) throw new TypeError('signedCheckpoint: must end in a newline');
  return signedCheckpoint + lines.join('');
}

export interface WitnessPolicy {
  /** Witness verifier keys (type 0x04). */
  witnesses: readonly string[];
  /** How many distinct listed witnesses must have cosigned. 0 means no witness is required. */
  required: number;
}

export interface PolicyResult {
  ok: boolean;
  required: number;
  cosigned: { name: string; timestamp: bigint }[];
  /** Listed witnesses whose cosignature line is present but does not verify. */
  invalid: string[];
}

/** Parses a policy's keys; throws (naming the field) for malformed keys or an impossible `required`. */
export function parseWitnessPolicy(policy: WitnessPolicy): Map<string, CosignatureVerifier> {
  if (!policy || !Array.isArray(policy.witnesses))
    throw new TypeError('policy.witnesses: expected an array of keys');
  const listed = new Map(
    policy.witnesses.map(parseCosignatureVerifierKey).map((w) => [`${w.name}+${w.keyId}`, w]),
  );
  if (!Number.isInteger(policy.required) || policy.required < 0 || policy.required > listed.size) {
    throw new RangeError(
      `policy.required: ${policy.required} is not between 0 and ${listed.size} distinct witnesses`,
    );
  }
  return listed;
}

/**
 * Checks a checkpoint's signature lines against a witness policy. `sigs` are the note's signature lines with
 * their decoded bytes (signed-note.ts noteSignatureLines). Lines from unlisted keys are ignored.
 */
export function checkWitnessPolicy(
  checkpointText: string,
  sigs: readonly { sig: NoteSignature; bytes: Uint8Array }[],
  policy: WitnessPolicy,
): PolicyResult {
  const listed = parseWitnessPolicy(policy);
  const text = utf8(checkpointText);
  const cosigned: PolicyResult['cosigned'] = [];
  const invalid: string[] = [];
  for (const w of listed.values()) {
    const lines = sigs.filter((s) => s.sig.name === w.name && s.sig.keyId === w.keyId);
    if (lines.length === 0) continue;
    const timestamp = lines.map((l) => w.verifyCosignature(text, l.bytes)).find((t) => t !== undefined);
    if (timestamp === undefined) invalid.push(w.name);
    else cosigned.push({ name: w.name, timestamp });
  }
  return {
    ok: cosigned.length >= policy.required && invalid.length === 0,
    required: policy.required,
    cosigned,
    invalid,
  };
}
