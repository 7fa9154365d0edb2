// One worker thread of the ballot verifier pool (verifier-pool.ts): checks chunks of ballots (checks 5.1–5.7 and
// 10 of docs/BALLOT-PROTOCOL.md §8, verifyBallotChunk) and keeps the valid ones, so that it can later sum those
// that count without the main thread sending them again; for a board read as a stream it keeps none, and sums the
// counted ballots the main thread sends on its second read. It never holds the credential list: each request
// carries the entries of the list for its ballots' credentials (listedOf), and the election comes without it.
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import {
  sumBallots,
  verifyBallotChunk,
  withListed,
  type BallotBody,
  type CredentialEntry,
} from '../../ballot/index.ts';
import type { Election } from '../../ballot/election.ts';
import { nodeBallotCrypto } from '../../node/ballot-crypto.ts';
import type { PoolReply, PoolRequest } from './verifier-pool.ts';
import { checkAndSum, itemOf } from './chunk.ts';

const g = nodeBallotCrypto.group; // libsodium's group, hashing with node:crypto's SHA-256
let election: Election | null = null;
/** The valid ballots checked here, with their credential's entry of the list, by board index. */
let held = new Map<number, { body: BallotBody; listed: CredentialEntry }>();

/** The election with only the part of the list that a request's ballots need. */
const withPart = (listed: CredentialEntry[]) => {
  if (!election) throw new Error('a request before the election');
  return withListed(election, listed);
};

function handle(m: PoolRequest): PoolReply {
  switch (m.op) {
    case 'election':
      election = m.election;
      held = new Map();
      return { id: m.id, ok: true };
    case 'verify': {
      const items = m.items.map(itemOf);
      if (m.sum) return { id: m.id, ok: true, ...checkAndSum(g, withPart(m.listed), items) };
      const failures = verifyBallotChunk(g, withPart(m.listed), items, { randomBytes });
      const bad = new Set(failures.map((f) => f.index));
      if (m.keep !== false) {
        const entries = new Map(m.listed.map((c) => [c.credential, c]));
        for (const it of items)
          if (it.kind === 'ballot' && !bad.has(it.index))
            held.set(it.index, { body: it.body, listed: entries.get(it.body.credential)! });
      }
      return { id: m.id, ok: true, failures };
    }
    case 'sum-bodies':
      return {
        id: m.id,
        ok: true,
        count: m.bodies.length,
        sums: sumBallots(g, withPart(m.listed), m.bodies),
      };
    case 'sum': {
      const mine = m.indices.flatMap((i) => {
        const h = held.get(i);
        return h ? [h] : [];
      });
      const e = withPart(mine.map((h) => h.listed));
      return {
        id: m.id,
        ok: true,
        count: mine.length,
        sums: sumBallots(
          g,
          e,
          mine.map((h) => h.body),
        ),
      };
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
