// The page's side of the ballot worker: one worker, started on first use, answering requests by id. A failure
// the worker names (a wrong passphrase, a key file of another vote: trustee-keystore.ts) arrives as an ApiFailure
// with that id, so the page words it from the catalogue like an API error.
import { ApiFailure } from '../api.ts';
import type { BallotReply, BallotRequest } from './ballot-ops.ts';
import type { TrusteeReply, TrusteeRequest } from './trustee-ops.ts';

type Reply = BallotReply | TrusteeReply;
type Pending = { resolve(r: Reply): void; reject(e: Error): void };
let worker: Worker | undefined;
let next = 1;
const pending = new Map<number, Pending>();

function start(): Worker {
  const w = new Worker(new URL('./ballot-worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<{ id: number; reply?: Reply; error?: string; code?: string }>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (!p) return;
    if (e.data.reply) p.resolve(e.data.reply);
    else {
      const message = e.data.error ?? 'the ballot worker failed';
      // status 0: nothing was sent to the server
      p.reject(e.data.code ? new ApiFailure(0, e.data.code, message) : new Error(message));
    }
  };
  return w;
}

export function ballotRequest<R extends BallotRequest | TrusteeRequest>(
  request: R,
): Promise<Extract<Reply, { op: R['op'] }>> {
  worker ??= start();
  const id = next++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (r: Reply) => void, reject });
    worker!.postMessage({ id, request });
  });
}
