// The Web Worker that encrypts, challenges and checks secret ballots off the page's thread (proofs take a moment
// on a phone). Messages: { id, request } → { id, reply } or { id, error }. It computes with libsodium's WebAssembly
// build, 3–5 times faster than the portable JavaScript backend, which it falls back to if WebAssembly cannot load.
import { handleBallotRequest, type BallotRequest } from './ballot-ops.ts';
import { nobleGroup } from '../../ballot/noble-group.ts';
import { sodiumGroup } from '../../ballot/sodium-group.ts';

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const group = sodiumGroup().catch(() => nobleGroup);

self.onmessage = async (e: MessageEvent<{ id: number; request: BallotRequest }>) => {
  const { id, request } = e.data;
  const g = await group;
  try {
    self.postMessage({ id, reply: handleBallotRequest(request, randomBytes, g) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
