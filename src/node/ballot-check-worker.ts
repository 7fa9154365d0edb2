// One worker thread of the server's ballot checks (ballot-checks.ts): checks 5.1 and 5.4–5.7 of batches of cast
// ballots (verifyBallotsBatched, CSPRNG weights) against elections it keeps by fingerprint. The time (5.3) is the
// queue's to check, so every ballot is checked here as if cast at the opening.
// A mixed vote's shuffle or trustee decryption (a MixJob) is parsed from the very text the log will hold (whose
// shape the server checked as the core does) and verified against the list sent with it; the verdict names the
// text's SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { verifyBallotsBatched, verifyMixPartial, verifyShuffle } from '../ballot/index.ts';
import type { Election } from '../ballot/election.ts';
import {
  KEPT_ELECTIONS,
  type CheckReply,
  type CheckRequest,
  type MixJob,
  type MixVerdict,
} from './ballot-checks.ts';
import { nodeBallotCrypto } from './ballot-crypto.ts';

const g = nodeBallotCrypto.group;
const elections = new Map<string, Election>();

function checkMix(election: Election, job: MixJob): MixVerdict {
  const digest = createHash('sha256').update(job.text).digest('hex');
  const body = JSON.parse(job.text) as unknown;
  if (job.kind === 'shuffle') {
    const v = verifyShuffle(g, election, job.list, body as Parameters<typeof verifyShuffle>[3]);
    return v.ok ? { ok: true, digest } : { ok: false, reason: v.reason, digest };
  }
  const why = verifyMixPartial(g, election, job.list, body as Parameters<typeof verifyMixPartial>[3]);
  return why === null ? { ok: true, digest } : { ok: false, reason: why, digest };
}

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
    case 'mix': {
      const election = elections.get(m.fingerprint);
      if (!election) throw new Error(`unknown election ${m.fingerprint}`);
      return { id: m.id, ok: true, mix: checkMix(election, m.job) };
    }
  }
}

/**
 * A fault for the tests only, honoured under NODE_ENV=test alone: a batch holding the ballot whose code is
 * COUNCILS_TEST_CRASHING_BALLOT ends this worker with an exception thrown outside the check's own try, as a bug in
 * the checks (their WebAssembly, an allocation past the heap) would end it (test/server/ballot-uncheckable.test.ts).
 */
const crashing = process.env.NODE_ENV === 'test' ? process.env.COUNCILS_TEST_CRASHING_BALLOT : undefined;
/**
 * The other test fault, under NODE_ENV=test alone: a batch holding the ballot whose code is
 * COUNCILS_TEST_HANGING_BALLOT blocks this worker for good (Atomics.wait on a value nothing changes: a thread stuck,
 * using no CPU), as a check that never ends would (test/node/ballot-deadline.test.ts).
 */
const hanging = process.env.NODE_ENV === 'test' ? process.env.COUNCILS_TEST_HANGING_BALLOT : undefined;

parentPort!.on('message', (m: CheckRequest) => {
  if (crashing && m.op === 'check' && m.ballots.some((b) => b.code === crashing))
    throw new Error('the test fault: a ballot that ends its check worker'); // uncaught: the worker ends
  if (hanging && m.op === 'check' && m.ballots.some((b) => b.code === hanging))
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never woken: the worker never answers
  let reply: CheckReply;
  try {
    reply = handle(m);
  } catch (e) {
    reply = { id: m.id, ok: false, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ id: 0, ok: true } satisfies CheckReply);
