// The Web Worker that encrypts, challenges and checks secret ballots off the page's thread (proofs take a moment
// on a phone). Messages: { id, request } → { id, reply } or { id, error }.
import { handleBallotRequest, type BallotRequest } from './ballot-ops.ts';

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

self.onmessage = (e: MessageEvent<{ id: number; request: BallotRequest }>) => {
  const { id, request } = e.data;
  try {
    self.postMessage({ id, reply: handleBallotRequest(request, randomBytes) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
