// One worker thread of the ballot verifier pool (verifier-pool.ts): checks chunks of ballots (checks 5.1–5.7 and
// 10 of docs/BALLOT-PROTOCOL.md §8, verifyBallotChunk) and keeps the valid ones, so that it can later sum those
// that count without the main thread sending them again; for a board read as a stream it keeps none, and sums the
// counted ballots the main thread sends on its second read.
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import {
  sodiumGroup,
  sumBallots,
  verifyBallotChunk,
  type BallotBody,
  type BallotItem,
} from '../../ballot/index.ts';
import type { Election } from '../../ballot/election.ts';
import type { PoolReply, PoolRequest } from './verifier-pool.ts';

const g = await sodiumGroup();
let election: Election | null = null;
let held = new Map<number, BallotBody>();

function handle(m: PoolRequest): PoolReply {
  switch (m.op) {
    case 'election':
      election = m.election;
      held = new Map();
      return { id: m.id, ok: true };
    case 'verify': {
      if (!election) throw new Error('verify before election');
      const failures = verifyBallotChunk(g, election, m.items as BallotItem[], { randomBytes });
      const bad = new Set(failures.map((f) => f.index));
      if (m.keep !== false)
        for (const it of m.items) if (it.kind === 'ballot' && !bad.has(it.index)) held.set(it.index, it.body);
      return { id: m.id, ok: true, failures };
    }
    case 'sum-bodies': {
      if (!election) throw new Error('sum before election');
      return { id: m.id, ok: true, count: m.bodies.length, sums: sumBallots(g, election, m.bodies) };
    }
    case 'sum': {
      if (!election) throw new Error('sum before election');
      const mine = m.indices.flatMap((i) => {
        const body = held.get(i);
        return body ? [body] : [];
      });
      return { id: m.id, ok: true, count: mine.length, sums: sumBallots(g, election, mine) };
    }
  }
}

parentPort!.on('message', (m: PoolRequest) => {
  let reply: PoolReply;
  try {
    reply = handle(m);
  } catch (e) {
    reply = { id: m.id, ok: false, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ id: 0, ok: true } satisfies PoolReply);
