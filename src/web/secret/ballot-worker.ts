// The Web Worker that encrypts, challenges and checks secret ballots (homomorphic and ranked), does a trustee's part
// (key generation, share checks, partial decryption, the passphrase's argon2id) and a mixer's (shuffle and prove),
// and verifies a mixed vote, off the page's thread (proofs take a moment on a
// phone). Messages: { id, request } → { id, reply } or { id, error, code? }. It computes with libsodium's
// WebAssembly build, 3–5 times faster than the portable JavaScript backend, which it falls back to if WebAssembly
// cannot load.
import { handleBallotRequest, type BallotRequest } from './ballot-ops.ts';
import { handleTrusteeRequest, type TrusteeRequest } from './trustee-ops.ts';
import { handleMixRequest, isMixRequest, type MixRequest } from './mix-ops.ts';
import { nobleGroup } from '../../ballot/noble-group.ts';
import { sodiumGroup } from '../../ballot/sodium-group.ts';

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const group = sodiumGroup().catch(() => nobleGroup);

self.onmessage = async (
  e: MessageEvent<{ id: number; request: BallotRequest | TrusteeRequest | MixRequest }>,
) => {
  const { id, request } = e.data;
  const g = await group;
  try {
    const reply = request.op.startsWith('trustee-')
      ? handleTrusteeRequest(request as TrusteeRequest, randomBytes, g)
      : isMixRequest(request)
        ? handleMixRequest(request, randomBytes, g)
        : handleBallotRequest(request as BallotRequest, randomBytes, g);
    self.postMessage({ id, reply });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    self.postMessage({
      id,
      error: err instanceof Error ? err.message : String(err),
      ...(typeof code === 'string' ? { code } : {}),
    });
  }
};
