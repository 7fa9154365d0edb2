// Approvals are signed by the approver's own Ed25519 key (RFC 8032, strict verification, not ZIP 215), so the
// record itself proves who approved. The signed message names the organisation, the request, the hash of its
// content and the approval round (how many approvals this member gave the request before): a signature cannot
// be moved to another organisation or request, nor replayed after the member withdrew it.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';

const utf8 = new TextEncoder();

/** SHA-256 (hex) of the RFC 8785 canonical JSON of a request's kind and content. */
export function contentHash(kind: string, content: unknown): string {
  return bytesToHex(sha256(utf8.encode(canonicalize({ kind, content })!)));
}

/** The exact bytes an approver signs. */
export function approvalMessage(orgId: string, requestId: string, hash: string, round: number): Uint8Array {
  return utf8.encode(`councils-approval/v1\n${orgId}\n${requestId}\n${hash}\n${round}\n`);
}

/** The bytes a member signs to prove they hold the key they register. */
export function keyProofMessage(orgId: string, memberId: string, publicKey: string): Uint8Array {
  return utf8.encode(`councils-member-key/v1\n${orgId}\n${memberId}\n${publicKey}\n`);
}

/** A short id of a public key: the first 16 hex digits of its SHA-256. */
export function keyIdOf(publicKeyHex: string): string {
  return bytesToHex(sha256(hexToBytes(publicKeyHex))).slice(0, 16);
}

const hex = (v: unknown, bytes: number): v is string =>
  typeof v === 'string' && v.length === bytes * 2 && /^[0-9a-f]+$/.test(v);

export function isPublicKeyHex(v: unknown): v is string {
  return hex(v, 32);
}

export function isSignatureHex(v: unknown): v is string {
  return hex(v, 64);
}

/** True when `signature` (hex) is a valid Ed25519 signature of `message` by `publicKey` (hex). */
export function verifySignature(signature: string, message: Uint8Array, publicKey: string): boolean {
  if (!isSignatureHex(signature) || !isPublicKeyHex(publicKey)) return false;
  try {
    return ed25519.verify(hexToBytes(signature), message, hexToBytes(publicKey), { zip215: false });
  } catch {
    return false;
  }
}

/** Signs with a 32-byte secret key (hex): what the CLI and the browser do. */
export function signMessage(message: Uint8Array, secretKeyHex: string): string {
  return bytesToHex(ed25519.sign(message, hexToBytes(secretKeyHex)));
}

/** The public key (hex) of a secret key (hex). */
export function publicKeyOf(secretKeyHex: string): string {
  return bytesToHex(ed25519.getPublicKey(hexToBytes(secretKeyHex)));
}
