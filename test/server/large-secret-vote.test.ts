// A secret vote of 400 electors through the real ledger, on SQLite and PostgreSQL (docs/BALLOT-PROTOCOL.md §4.2):
// every elector is issued a blind signature and lists their credential, the list (about 250 kB with its
// signatures) freezes in parts that each fit the record's 65,535-byte entry limit, ballots are cast and decrypted,
// and `councils verify` confirms the vote from the exported record alone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { cli } from '../support/cli.ts';
import { writeBundle } from '../../src/cli/commands/export.ts';
import type { Command } from '../../src/core/index.ts';
import { issueCredential, listSignedCredential } from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { maxEntryBytes } from '../../src/store/ledger.ts';
import { readRawEntries } from '../../src/store/log-repository.ts';
import { testDatabases, TestClock } from '../support/databases.ts';
import { organisation } from '../support/factory.ts';

const ELECTORS = 400;
const TRUSTEES = 3;
const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));

for (const database of testDatabases()) {
  describe(`a secret vote of ${ELECTORS} electors (${database.name})`, { timeout: 300_000 }, () => {
    test('the credential list freezes in parts within the entry limit, and councils verify passes', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'councils-large-secret-'));
      const db = await database.open();
      const clock = new TestClock();
      const service = new CouncilsService(db, clock, { keyDir: join(dir, 'keys') });
      try {
        const members = Array.from({ length: ELECTORS }, (_, i) => `m${i}`);
        const { orgId } = await service.found(
          organisation({
            name: 'A large union',
            councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
            founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
          }),
        );
        const run = (actor: string | null, c: Command) => service.run(orgId, actor, c);
        const trustees = members.slice(0, TRUSTEES);
        const moved = await run('m0', {
          type: 'move_motion',
          councilId: 'all',
          title: 'Strike?',
          text: '',
          secret: { trustees, threshold: 2, registrationMinutes: 30 },
        });
        const motionId = (moved[0]!.payload as { motionId: string }).motionId;
        const opened = await run('m0', { type: 'open_vote', motionId, minutes: 60 });
        const voteId = (opened[0]!.payload as { voteId: string }).voteId;
        const sv = async () => (await service.ledger(orgId).current()).votes.get(voteId)!.secret!;
        const setup = (await sv()).setup;
        const r1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
        const trusteeMessage = (i: number, kind: string, body: unknown) =>
          run(trustees[i]!, { type: 'post_trustee_message', voteId, message: { kind, body } as never });
        for (const [i, r] of r1.entries()) await trusteeMessage(i, 'dkg-commit', r.message);
        const commits = r1.map((r) => r.message);
        for (const [i, r] of r1.entries())
          await trusteeMessage(i, 'dkg-shares', ballot.dkgShares(g, setup, r.secret, commits, rnd));

        // every elector: issued with their name, listed without it (§4.1)
        const key = setup.issuers![0]!;
        const creds = members.map(() => ballot.makeCredential(g, rnd));
        for (const [i, c] of creds.entries()) {
          const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
          const issued = await issueCredential(service, orgId, voteId, members[i]!, req.blindedMessage);
          const signed = ballot.finishToken(key, setup.setupHash, c.public, issued.blindSignature, req.inv);
          assert.ok(signed, 'the blind signature finalizes');
          const listed = await listSignedCredential(service, orgId, voteId, signed);
          // the last listing freezes the list
          assert.equal(listed.frozen, i === ELECTORS - 1);
        }
        const frozen = await sv();
        const election = frozen.election!;
        assert.equal(election.credentials.length, ELECTORS);

        // the parts, as stored: each entry under the limit, numbered 1..P, and nothing else between them
        const stored: { seq: number; bytes: number; body: ballot.CredentialsBody }[] = [];
        for await (const r of readRawEntries(db.kysely, orgId)) {
          const e = JSON.parse(r.body) as { act: string; payload: { kind?: string; body?: unknown } };
          if (e.act === 'board_posted' && e.payload.kind === 'credentials')
            stored.push({
              seq: r.seq,
              bytes: Buffer.byteLength(r.body),
              body: e.payload.body as ballot.CredentialsBody,
            });
        }
        assert.ok(stored.length >= 5, `${stored.length} parts`);
        assert.deepEqual(
          stored.map((e) => e.seq),
          stored.map((_, i) => stored[0]!.seq + i),
        );
        for (const [i, e] of stored.entries()) {
          assert.deepEqual([e.body.part, e.body.parts], [i + 1, stored.length]);
          assert.ok(e.bytes <= maxEntryBytes, `entry ${e.seq}: ${e.bytes} bytes`);
        }

        // ten ballots: 6 yes, 4 no; closing; two trustees decrypt
        for (let i = 0; i < 10; i++) {
          const choice = i < 6 ? [1, 0, 0] : [0, 1, 0];
          const b = ballot.encryptBallot(g, election, creds[i * 37]!.secret, [choice], rnd).ballot;
          await run(null, { type: 'cast_secret_ballot', voteId, ballot: b });
        }
        clock.advanceMinutes(61);
        const closing = await sv();
        const shares = closing.board
          .filter((e) => e.kind === 'dkg-shares')
          .map((e) => e.body as ballot.DkgSharesBody);
        const dkg = ballot.dkgResult(g, setup, commits, shares, []);
        const agg = ballot.aggregate(g, election, closing.cast);
        for (const i of [0, 1]) {
          const received = ballot.dkgReceive(g, setup, r1[i]!.secret, shares, rnd).received;
          const share = ballot.trusteeShare(g, r1[i]!.secret, received, dkg);
          await trusteeMessage(i, 'partial-decryption', ballot.partialDecrypt(g, election, share, agg, rnd));
        }
        assert.deepEqual((await sv()).result?.tallies, [[6, 4, 0]]);

        // councils verify, from the exported record alone
        await service.record.issue(orgId, true);
        const bundle = join(dir, 'bundle');
        await writeBundle(db, orgId, bundle, { out: () => {}, err: () => {} });
        const vkey = readFileSync(join(bundle, 'vkey'), 'utf8').trim();
        const verified = await cli('verify', bundle, '--key', vkey, '--no-state', '--json');
        assert.equal(verified.code, 0, verified.out + verified.err);
        const report = JSON.parse(verified.out) as {
          checks: { id: string; status: string; detail?: string }[];
        };
        const secret = report.checks.find((c) => c.id === 'secret_ballot')!;
        assert.equal(secret.status, 'pass');
        assert.match(secret.detail!, new RegExp(`${ELECTORS} credentials`));
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
