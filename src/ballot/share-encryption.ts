// DKG share transport (docs/BALLOT-PROTOCOL.md §3): ECIES on ristretto255 with XChaCha20-Poly1305
// (@noble/ciphers), signed by the dealer's communication key. The receiver can later reveal the shared point S
// with a Chaum–Pedersen proof, so anyone can decrypt the share and judge an accusation.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { concat, fromHex, toHex, u32, type RandomBytes } from './bytes.ts';
import { hashBytes } from './hash.ts';
import type { Group, Point } from './group.ts';
import { pointHex, type Hex } from './codec.ts';
import { scalarFromBytes, scalarToBytes } from './scalar.ts';
import { schnorrProve, schnorrVerify, type SchnorrProof } from './schnorr.ts';

export interface EncryptedShare {
  to: number;
  E: Hex;
  ct: Hex;
  sig: SchnorrProof;
}

interface Route {
  setupHash: Uint8Array;
  from: number;
  to: number;
}

function aead(g: Group, route: Route, E: Point, S: Point) {
  const ids = [route.setupHash, u32(route.from), u32(route.to)];
  const key = hashBytes('share-key', [...ids, g.encode(E), g.encode(S)]);
  const nonce = hashBytes('share-nonce', [...ids, g.encode(E)]).slice(0, 24);
  return xchacha20poly1305(key, nonce, concat(ids));
}

const signedDigest = (g: Group, route: Route, E: Hex, ct: Hex): Uint8Array =>
  hashBytes('share-sig', [
    route.setupHash,
    u32(route.from),
    u32(route.to),
    fromHex(E, 32, 'E'),
    fromHex(ct, 48, 'ct'),
  ]);

export function encryptShare(
  g: Group,
  route: Route,
  receiverKey: Point,
  share: bigint,
  senderSecret: bigint,
  randomBytes: RandomBytes,
): EncryptedShare {
  const e = g.scalar.random(randomBytes);
  const E = g.mulBase(e);
  const S = g.mul(receiverKey, e);
  const ct = toHex(aead(g, route, E, S).encrypt(scalarToBytes(share)));
  const Ehex = pointHex(g, E);
  const sig = schnorrProve(g, 'schnorr', [signedDigest(g, route, Ehex, ct)], senderSecret, randomBytes);
  return { to: route.to, E: Ehex, ct, sig };
}

export function verifyShareSignature(g: Group, route: Route, senderKey: Point, enc: EncryptedShare): boolean {
  return schnorrVerify(g, 'schnorr', [signedDigest(g, route, enc.E, enc.ct)], senderKey, enc.sig);
}

/** Decrypts with the shared point S = y·E; null if the AEAD fails or the plaintext is not a canonical scalar. */
export function decryptShare(g: Group, route: Route, E: Point, S: Point, ct: Hex): bigint | null {
  try {
    return scalarFromBytes(aead(g, route, E, S).decrypt(fromHex(ct, 48, 'ct')), 'share');
  } catch {
    return null;
  }
}
