// Secret ballots' proofs checked before the organisation's queue on worker threads (ServiceOptions.ballotWorkers,
// src/node/ballot-checks.ts): honest ballots cast at once are all accepted, each through the queue's short path
// (id, credential and time only); forged ones are refused with the queue's own envelope and change nothing; an
// accepted ballot cast again is refused by the queue for its id.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { ballotContext, ballotDigest } from '../../src/ballot/ballot.ts';
import { credentialScalar } from '../../src/ballot/election.ts';
import { schnorrProve } from '../../src/ballot/schnorr.ts';
import { fromHex } from '../../src/ballot/bytes.ts';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { systemClock } from '../../src/store/ledger.ts';
import { readySecretVote } from '../support/secret-vote.ts';
import { organisation } from '../support/factory.ts';

const VOTERS = 12;
const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const members = Array.from({ length: VOTERS }, (_, i) => `m${i}`);

let dir: string;
let db: Db;
let service: CouncilsService;
let app: Awaited<ReturnType<typeof buildApp>>;
let url: string;
let orgId: string;
let voteId: string;
let election: ballot.Election;
let secrets: string[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'councils-ballot-checks-'));
  db = await openDatabase(join(dir, 'councils.db'));
  // the vote is open for an hour from now: the real clock
  service = new CouncilsService(db, systemClock, { keyDir: join(dir, 'keys'), ballotWorkers: 2 });
  app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
  ({ orgId } = await service.found(
    organisation({
      name: 'Checks',
      founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
    }),
  ));
  ({ voteId, election, secrets } = await readySecretVote(
    service,
    orgId,
    members,
    'Checked before the queue',
  ));
});

after(async () => {
  await app.close();
  await service.ballotChecks?.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const cast = async (b: ballot.BallotBody) => {
  const res = await fetch(`${url}/orgs/${orgId}/votes/${voteId}/secret/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ballot: b }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { error?: string; message?: string; reason?: string; params?: unknown },
  };
};
const board = async () => (await service.ledger(orgId).current()).votes.get(voteId)!.secret!.cast.length;
const encrypt = (i: number, choice: number) =>
  ballot.encryptBallot(g, election, secrets[i]!, [[0, 1, 2].map((o) => (o === choice ? 1 : 0))], rnd).ballot;

/** Voter i's honest ballot with one range-proof response changed and signed again: only an equation fails. */
function forged(i: number): ballot.BallotBody {
  const b = structuredClone(encrypt(i, 0));
  const proof = b.contests[0]!.selections[2]!.proof;
  proof.v[1] = (proof.v[1]![0] === '0' ? '1' : '0') + proof.v[1]!.slice(1);
  const hI = ballotContext(
    fromHex(election.fingerprint, 32, 'fp'),
    fromHex(b.id, 32, 'id'),
    fromHex(b.credential, 32, 'X'),
  );
  const digest = ballotDigest(hI, fromHex(b.code, 32, 'code'), b.contests);
  const x = credentialScalar(g, secrets[i]!);
  return { ...b, signature: schnorrProve(g, 'schnorr', [digest], x, rnd) };
}

test('honest ballots cast at once are all accepted, each with its proofs checked before the queue', async () => {
  const checks = service.ballotChecks!;
  const has = checks.has.bind(checks);
  let shortPath = 0;
  checks.has = (b: object) => {
    const passed = has(b);
    if (passed) shortPath++;
    return passed;
  };
  try {
    const replies = await Promise.all(members.slice(0, 8).map((_, i) => cast(encrypt(i, i % 3))));
    assert.deepEqual(
      replies.map((r) => r.status),
      replies.map(() => 201),
    );
    assert.equal(await board(), 8);
    assert.equal(shortPath, 8);
  } finally {
    checks.has = has;
  }
});

test('forged ballots are refused before the queue with the queue’s own answer, and change nothing', async () => {
  const n = await board();
  const good = encrypt(9, 1);
  const bad: ballot.BallotBody[] = [
    forged(8),
    {
      ...good,
      signature: { ...good.signature, s: good.signature.s.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
    },
    { ...good, code: good.code.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
    { ...good, contests: [{ ...good.contests[0]!, selections: good.contests[0]!.selections.slice(0, 2) }] },
  ];
  // the queue is never asked about them: the core's look at BallotCrypto.preverified is counted
  const checks = service.ballotChecks!;
  const has = checks.has.bind(checks);
  let asked = 0;
  checks.has = (x: object) => {
    asked++;
    return has(x);
  };
  for (const b of bad) {
    const expected = ballot.checkBallot(g, election, b, Date.now(), new Set());
    assert.equal(expected.ok, false);
    const r = await cast(b);
    assert.equal(r.status, 409);
    assert.equal(r.body.error, 'ballot_rejected');
    // the check's number is the stable part of the reason; the verifier's words are its detail
    if (!expected.ok) {
      assert.equal(r.body.reason, `ballot_check_${expected.check.replace('.', '_')}`);
      assert.deepEqual(r.body.params, { check: expected.check, reason: expected.reason });
    }
  }
  assert.deepEqual(
    bad.map((b) => {
      const v = ballot.checkBallot(g, election, b, Date.now(), new Set());
      return v.ok ? 'ok' : v.check;
    }),
    ['5.6', '5.5', '5.4', '5.1'],
  );
  checks.has = has;
  assert.equal(asked, 0);
  assert.equal(await board(), n);
  // the honest ballot of the same voter is still accepted afterwards
  assert.equal((await cast(good)).status, 201);
  assert.equal(await board(), n + 1);
});

test('an accepted ballot cast again passes the workers and is refused in the queue for its id (5.8)', async () => {
  const b = encrypt(10, 2);
  assert.equal((await cast(b)).status, 201);
  const n = await board();
  const again = await cast(structuredClone(b));
  assert.equal(again.status, 409);
  assert.equal(again.body.reason, 'ballot_check_5_8');
  assert.deepEqual(again.body.message, 'check 5.8: a ballot with this id is already on the board');
  assert.equal(await board(), n);
});
