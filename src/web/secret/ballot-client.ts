// The page's side of the ballot worker: one worker, started on first use, answering requests by id.
import type { BallotReply, BallotRequest } from './ballot-ops.ts';

type Pending = { resolve(r: BallotReply): void; reject(e: Error): void };
let worker: Worker | undefined;
let next = 1;
const pending = new Map<number, Pending>();

function start(): Worker {
  const w = new Worker(new URL('./ballot-worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<{ id: number; reply?: BallotReply; error?: string }>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (!p) return;
    if (e.data.reply) p.resolve(e.data.reply);
    else p.reject(new Error(e.data.error ?? 'the ballot worker failed'));
  };
  return w;
}

export function ballotRequest<R extends BallotRequest>(
  request: R,
): Promise<Extract<BallotReply, { op: R['op'] }>> {
  worker ??= start();
  const id = next++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (r: BallotReply) => void, reject });
    worker!.postMessage({ id, request });
  });
}
