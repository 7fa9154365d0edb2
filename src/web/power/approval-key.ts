// The member's approval key in this browser (docs/POWER.md, "Keys"): a 32-byte Ed25519 secret made here with
// the browser's random numbers, kept in this browser's storage for this organisation and member, never sent.
// Only the public key, the proof that registers it and signatures of approval messages leave the page.
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  approvalMessage,
  contentHash,
  keyIdOf,
  keyProofMessage,
  publicKeyOf,
  signMessage,
} from '../../core/power/approval-signature.ts';
import type { RequestDetail } from './power-api.ts';

const slot = (orgId: string, memberId: string) => `councils-approval-key:${orgId}:${memberId}`;

export interface LocalKey {
  secret: string;
  publicKey: string;
  keyId: string;
}

function fromSecret(secret: string): LocalKey {
  const publicKey = publicKeyOf(secret);
  return { secret, publicKey, keyId: keyIdOf(publicKey) };
}

export function loadKey(orgId: string, memberId: string): LocalKey | null {
  const s = localStorage.getItem(slot(orgId, memberId));
  return s && /^[0-9a-f]{64}$/.test(s) ? fromSecret(s) : null;
}

/** Makes a new key and keeps it in this browser (replacing the one kept before, if any). */
export function generateKey(orgId: string, memberId: string): LocalKey {
  const secret = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  localStorage.setItem(slot(orgId, memberId), secret);
  return fromSecret(secret);
}

/** Keeps a key from a key file (the CLI's format: the secret in hex); throws RangeError on anything else. */
export function importKey(orgId: string, memberId: string, text: string): LocalKey {
  const secret = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new RangeError('not a key file');
  localStorage.setItem(slot(orgId, memberId), secret);
  return fromSecret(secret);
}

/** The key file's text, as `councils approve keygen` writes it. */
export const keyFileText = (key: LocalKey) => `${key.secret}\n`;

export function keyProof(orgId: string, memberId: string, key: LocalKey): string {
  return signMessage(keyProofMessage(orgId, memberId, key.publicKey), key.secret);
}

/**
 * The signature approving `r`, after checking what is signed is what the page shows: the content shown must
 * hash to the request's contentHash, and the server's message must be exactly the one made here from it.
 * Returns null when they differ (then nothing is signed).
 */
export function approvalSignature(orgId: string, r: RequestDetail, key: LocalKey): string | null {
  const hash = contentHash(r.kind, r.content);
  if (hash !== r.contentHash || r.signing.contentHash !== hash || r.signing.requestId !== r.id) return null;
  const message = approvalMessage(orgId, r.id, hash, r.signing.round);
  if (new TextDecoder().decode(message) !== r.signing.message || r.signing.orgId !== orgId) return null;
  return signMessage(message, key.secret);
}
