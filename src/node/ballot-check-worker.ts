// One worker thread of the server's ballot checks (ballot-checks.ts): checks 5.1 and 5.4–5.7 of batches of cast
// ballots (verifyBallotsBatched, CSPRNG weights) against elections it keeps by fingerprint. The time (5.3) is the
// queue's to check, so every ballot is checked here as if cast at the opening.
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { sodiumGroup, verifyBallotsBatched } from '../ballot/index.ts';
import type { Election } from '../ballot/election.ts';
import { KEPT_ELECTIONS, type CheckReply, type CheckRequest } from './ballot-checks.ts';

const g = await sodiumGroup();
const elections = new Map<string, Election>();

function handle(m: CheckRequest): CheckReply {
  switch (m.op) {
    case 'election':
      elections.set(m.election.fingerprint, m.election);
      // the oldest sent goes first, as the pool expects
      while (elections.size > KEPT_ELECTIONS) elections.delete(elections.keys().next().value!);
      return { id: m.id, ok: true };
    case 'check': {
      const election = elections.get(m.fingerprint);
      if (!election) throw new Error(`unknown election ${m.fingerprint}`);
      const at = election.setup.manifest.opensAt;
      const items = m.ballots.map((ballot) => ({ ballot, at }));
      return { id: m.id, ok: true, verdicts: verifyBallotsBatched(g, election, items, { randomBytes }) };
    }
  }
}

parentPort!.on('message', (m: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = handle(m);
  } catch (e) {
    reply = { id: m.id, ok: false, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ id: 0, ok: true } satisfies CheckReply);
