// The page's side of the ballot worker: one worker, started on first use, answering requests by id. A failure
// the worker names (a wrong passphrase, a key file of another vote: trustee-keystore.ts) arrives as an ApiFailure
// with that id, so the page words it from the catalogue like an API error.
import { ApiFailure } from '../api.ts';
import type { BallotReply, BallotRequest } from './ballot-ops.ts';
import type { MixReply, MixRequest } from './mix-ops.ts';
import type { TrusteeReply, TrusteeRequest } from './trustee-ops.ts';

type Reply = BallotReply | TrusteeReply | MixReply;
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
  // A worker that cannot load (its script refused or unreachable, WebAssembly forbidden by a policy) or that fails
  // outside a request reports only here: every waiting request fails with a message the page can show, instead of
  // a spinner for ever, and the next request starts a new worker.
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    fail(w, e.message || 'the ballot worker could not start');
  };
  w.onmessageerror = () => fail(w, 'the ballot worker sent a message that could not be read');
  return w;
}

function fail(w: Worker, message: string): void {
  if (worker === w) worker = undefined;
  w.terminate();
  const waiting = [...pending.values()];
  pending.clear();
  for (const p of waiting) p.reject(new ApiFailure(0, 'ballot_worker_failed', message));
}

export function ballotRequest<R extends BallotRequest | TrusteeRequest | MixRequest>(
  request: R,
): Promise<Extract<Reply, { op: R['op'] }>> {
  const w = (worker ??= start());
  const id = next++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (r: Reply) => void, reject });
    w.postMessage({ id, request });
  });
}
