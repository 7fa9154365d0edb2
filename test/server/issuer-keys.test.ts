// The credential-issuing private keys of a secret vote are destroyed once they can no longer be used
// (docs/BALLOT-PROTOCOL.md §4.1, "Destroying the keys"): in the transaction that freezes the list or ends the
// vote, and at start for anything an earlier run left. On real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/cli/commands/serve.ts';
import { blindSign, destroySpentIssuance } from '../../src/server/credential-issuer.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { ApiError } from '../../src/server/errors.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import {
  issuerKeyId,
  issuerKeyIds,
  keepIssuerKey,
  listCredential,
  listedCredentials,
} from '../../src/store/secret-credentials.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, federation } from '../support/api-org.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { registerOverApi } from '../support/secret-credential.ts';
import { openSecretVote, runKeyGeneration } from '../support/secret-vote.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));
const g = await ballot.sodiumGroup();

for (const d of testDatabases()) {
  describe(`issuing keys destroyed on ${d.name}`, { timeout: 600_000 }, () => {
    test('the freeze destroys the keys and listings; issuance is refused after; rebuild equals live', async () => {
      const o = await apiOrg(await d.open());
      try {
        const org = o.orgId;
        const [ana, ben, cai] = ['ana', 'ben', 'cai'].map((k) => o.people[k]!);
        const north = [ana!, ben!, cai!];
        const v = await openSecretVote(ana!, org, 'north', north, 2, {
          registrationMinutes: 10,
          minutes: 30,
        });
        const keyId = issuerKeyId(v.setup.issuers![0]!);
        assert.deepEqual(await issuerKeyIds(o.db.kysely, org), [keyId], 'one key: every elector weighs 1');
        await runKeyGeneration(g, v, north);
        const anonymous = new ApiClient(o.app);
        await registerOverApi(g, ana!, anonymous, v.path);
        await registerOverApi(g, ben!, anonymous, v.path);
        assert.equal((await listedCredentials(o.db.kysely, org, v.voteId)).length, 2);
        assert.deepEqual(await issuerKeyIds(o.db.kysely, org), [keyId], 'still needed: cai is not issued');

        // cai's listing freezes the list: in the same commit, the private key and the listings are gone
        await registerOverApi(g, cai!, anonymous, v.path);
        const view = await ana!.ok<{ phase: string; registered: number }>('GET', v.path);
        assert.deepEqual([view.phase, view.registered], ['voting', 3]);
        assert.deepEqual(await issuerKeyIds(o.db.kysely, org), []);
        assert.deepEqual(await listedCredentials(o.db.kysely, org, v.voteId), []);

        // issuance afterwards: refused by the route, and the signer itself has nothing to sign with
        const req = ballot.requestToken(
          v.setup.issuers![0]!,
          v.setup.setupHash,
          ballot.makeCredential(g, rnd).public,
          rnd,
        );
        const r = await ana!.request('POST', `${v.path}/issuance`, { blindedMessage: req.blindedMessage });
        assert.equal(r.statusCode, 409);
        assert.deepEqual(r.json(), {
          error: 'wrong_state',
          message: 'the credential list is already frozen',
        });
        await assert.rejects(
          blindSign(o.db, org, v.setup.issuers![0]!, req.blindedMessage),
          (e: unknown) =>
            e instanceof ApiError &&
            e.code === 'wrong_state' &&
            /issuing key has been destroyed/.test(e.message),
        );

        // the keys are no projection: a rebuild neither needs them nor brings them back
        const live = await dumpProjections(o.db.kysely, org);
        await rebuildOrg(o.db, org);
        assert.deepEqual(await dumpProjections(o.db.kysely, org), live);
        assert.deepEqual(await issuerKeyIds(o.db.kysely, org), []);
      } finally {
        await o.close();
      }
    });

    test('at start, what an earlier run left is destroyed and a live vote keeps its key; the deadline freeze destroys it', async () => {
      const o = await apiOrg(await d.open());
      try {
        const org = o.orgId;
        const [ana, ben, cai, dan, eve] = ['ana', 'ben', 'cai', 'dan', 'eve'].map((k) => o.people[k]!);
        const north = [ana!, ben!, cai!];
        const frozen = await openSecretVote(ana!, org, 'north', north, 2, {
          registrationMinutes: 10,
          minutes: 30,
        });
        await runKeyGeneration(g, frozen, north);
        const anonymous = new ApiClient(o.app);
        for (const p of north) await registerOverApi(g, p, anonymous, frozen.path);
        // a live vote in South, in registration: its key must survive any sweep
        const south = [dan!, eve!];
        const live = await openSecretVote(dan!, org, 'south', south, 2, {
          registrationMinutes: 10,
          minutes: 30,
        });
        const liveKey = issuerKeyId(live.setup.issuers![0]!);
        // what a version without the destruction would have left, and a key of no vote yet (kept: it may be
        // another server process's, made for an open_vote not yet committed)
        const oldKey = issuerKeyId(frozen.setup.issuers![0]!);
        await keepIssuerKey(o.db.kysely, { keyId: oldKey, orgId: org, privateKey: 'PEM' });
        await keepIssuerKey(o.db.kysely, { keyId: 'f'.repeat(64), orgId: org, privateKey: 'PEM' });
        await listCredential(o.db.kysely, {
          orgId: org,
          voteId: frozen.voteId,
          credential: 'a'.repeat(64),
          weight: 1,
          signature: 'ab',
        });
        assert.equal((await issuerKeyIds(o.db.kysely, org)).length, 3);

        assert.equal(await destroySpentIssuance(o.service), 2, 'the frozen vote’s key and its listing');
        assert.deepEqual((await issuerKeyIds(o.db.kysely, org)).sort(), [liveKey, 'f'.repeat(64)].sort());
        assert.deepEqual(await listedCredentials(o.db.kysely, org, frozen.voteId), []);
        assert.equal(await destroySpentIssuance(o.service), 0, 'nothing more to destroy');
        // the live vote still issues
        await runKeyGeneration(g, live, south);
        await registerOverApi(g, dan!, anonymous, live.path);
        assert.equal((await listedCredentials(o.db.kysely, org, live.voteId)).length, 1);

        // South's registration ends with eve unregistered: the scheduler freezes a list of one, and the key and
        // the listing go with it
        o.clock.advanceMinutes(11);
        await runDueActs(o.service);
        assert.equal(
          (await ana!.ok<{ phase: string }>('GET', live.path)).phase,
          'voting',
          'frozen at the deadline',
        );
        assert.deepEqual(await issuerKeyIds(o.db.kysely, org), ['f'.repeat(64)]);
        assert.deepEqual(await listedCredentials(o.db.kysely, org, live.voteId), []);
      } finally {
        await o.close();
      }
    });

    test('a vote that fails by the deadline loses its key in the same commit', async () => {
      const o = await apiOrg(await d.open());
      try {
        const org = o.orgId;
        const [dan, eve] = ['dan', 'eve'].map((k) => o.people[k]!);
        const v = await openSecretVote(dan!, org, 'south', [dan!, eve!], 2, {
          registrationMinutes: 10,
          minutes: 30,
        });
        assert.equal((await issuerKeyIds(o.db.kysely, org)).length, 1);
        o.clock.advanceMinutes(11); // nobody committed: key generation failed
        await runDueActs(o.service);
        assert.equal((await dan!.ok<{ phase: string }>('GET', v.path)).phase, 'failed');
        assert.deepEqual(await issuerKeyIds(o.db.kysely, org), []);
      } finally {
        await o.close();
      }
    });

    test('councils serve destroys a failed vote’s leftover key before it starts serving', async () => {
      const db = await d.open();
      const dir = mkdtempSync(join(tmpdir(), 'councils-issuer-'));
      const clock = new TestClock();
      const service = new CouncilsService(db, clock, { keyDir: dir });
      const { orgId } = await service.found({
        ...federation,
        invitations: [],
        founders: [
          { memberId: 'dan', name: 'Dan', councilId: 'south' },
          { memberId: 'eve', name: 'Eve', councilId: 'south' },
        ],
      });
      const moved = await service.run(orgId, 'dan', {
        type: 'move_motion',
        councilId: 'south',
        title: 'Secret',
        text: '',
        alternatives: [],
        secret: { trustees: ['dan', 'eve'], threshold: 2, registrationMinutes: 10 },
      });
      const motionId = (moved[0]!.payload as { motionId: string }).motionId;
      const opened = await service.run(orgId, 'dan', { type: 'open_vote', motionId, minutes: 30 });
      const setup = opened.find((e) => e.act === 'board_posted')!.payload as unknown as {
        body: ballot.SetupBody;
      };
      const keyId = issuerKeyId(setup.body.issuers![0]!);
      clock.advanceMinutes(11);
      await runDueActs(service); // nobody committed: the vote fails, and its key goes in that commit
      assert.deepEqual(await issuerKeyIds(db.kysely, orgId), []);
      // as an older version would have left it, and a key of no vote yet (another process's open_vote in flight)
      await keepIssuerKey(db.kysely, { keyId, orgId, privateKey: 'PEM' });
      await keepIssuerKey(db.kysely, { keyId: 'e'.repeat(64), orgId, privateKey: 'PEM' });
      const server = await startServer({ db, host: '127.0.0.1', port: 0, schedulerMs: 60_000, keyDir: dir });
      try {
        assert.deepEqual(
          await issuerKeyIds(db.kysely, orgId),
          ['e'.repeat(64)],
          'the failed vote’s key is gone',
        );
      } finally {
        await server.stop(); // closes the database
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
