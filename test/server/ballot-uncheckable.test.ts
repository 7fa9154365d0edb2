// A cast ballot whose check ends the ballot-check thread checking it (src/node/ballot-checks.ts), over real HTTP with
// real worker threads, on each database: the crash is real, an exception thrown outside the check's own try by the
// worker's test fault (src/node/ballot-check-worker.ts, honoured under NODE_ENV=test only). The ballot is answered
// 422 ballot_uncheckable (it was a 500 internal_error), nothing is stored, and its member can cast another; the
// ballots other members cast meanwhile are accepted; and one member casting it again and again does not pause the
// checks for everyone (503 ballot_checks_paused) however low the restart limit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { systemClock } from '../../src/store/ledger.ts';
import { testDatabases } from '../support/databases.ts';
import { readySecretVote } from '../support/secret-vote.ts';
import { organisation } from '../support/factory.ts';

const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const members = Array.from({ length: 8 }, (_, i) => `m${i}`);
process.env.NODE_ENV = 'test'; // the workers' test fault is honoured under it only

for (const database of testDatabases()) {
  test(`${database.name}: a ballot that ends the checking thread is answered 422 ballot_uncheckable, again and again, and stored nowhere; the others' casts pass`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'councils-uncheckable-'));
    const db = await database.open();
    const said: string[] = [];
    // 3 ends stop the pool for longer than the test: before, the second poisoned cast paused everyone's checks
    const service = new CouncilsService(db, systemClock, {
      keyDir: join(dir, 'keys'),
      ballotWorkers: 1,
      ballotRestartLimits: { maxEnds: 3, windowMs: 600_000, backoffMs: 20, say: (m) => said.push(m) },
    });
    const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
      const { orgId } = await service.found(
        organisation({
          name: 'Uncheckable',
          founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
        }),
      );
      const { voteId, election, secrets } = await readySecretVote(service, orgId, members, 'Poisoned');
      const encrypt = (i: number) =>
        ballot.encryptBallot(g, election, secrets[i]!, [[0, 1, 2].map((o) => (o === i % 3 ? 1 : 0))], rnd)
          .ballot;
      const poison = encrypt(0);
      // read by the workers when they start (a worker's environment is a copy of this process's)
      process.env.COUNCILS_TEST_CRASHING_BALLOT = poison.code;
      await service.ballotChecks!.start();
      const cast = async (b: ballot.BallotBody, language = 'en') => {
        const res = await fetch(`${url}/orgs/${orgId}/votes/${voteId}/secret/ballots`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': language },
          body: JSON.stringify({ ballot: b }),
        });
        const body = (await res.json()) as { error?: string; message?: string };
        return {
          status: res.status,
          error: body.error,
          message: body.message,
          retryAfter: res.headers.get('retry-after'),
        };
      };
      const board = async () => (await service.ledger(orgId).current()).votes.get(voteId)!.secret!.cast;
      for (const round of [0, 1, 2]) {
        const language = round === 1 ? 'es' : 'en';
        const [bad, ...good] = await Promise.all([
          cast(poison, language),
          cast(encrypt(1 + 2 * round)),
          cast(encrypt(2 + 2 * round)),
        ]);
        assert.equal(bad.status, 422, `round ${round}: ${JSON.stringify(bad)}`);
        assert.equal(bad.error, 'ballot_uncheckable');
        assert.equal(bad.retryAfter, null);
        assert.match(
          bad.message!,
          language === 'en'
            ? /could not be checked: .* nothing was cast/
            : /no ha podido comprobar esta papeleta/,
        );
        assert.deepEqual(
          good.map((r) => r.status),
          [201, 201],
          `round ${round}: ${JSON.stringify(good)}`,
        );
        assert.equal(service.ballotChecks!.broken, null, `round ${round}`);
      }
      // the poisoned ballot is nowhere on the board; its member casts an honest one
      const cast6 = await board();
      assert.equal(cast6.length, 6);
      assert.ok(!JSON.stringify(cast6).includes(poison.code));
      assert.equal((await cast(encrypt(0))).status, 201);
      assert.equal((await board()).length, 7);
      assert.equal(service.ballotChecks!.counts.uncheckable, 3);
      assert.equal(said.length, 1);
      assert.match(said[0]!, /ended a ballot check worker twice and were refused \(ballot_uncheckable\)/);
    } finally {
      delete process.env.COUNCILS_TEST_CRASHING_BALLOT;
      await app.close();
      await service.ballotChecks?.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
