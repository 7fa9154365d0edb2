// A ranked secret vote that nobody mixes ends as failed (docs/MIXNET.md §16.4): the scheduler skips each mixer at
// its deadline, never before, and once every slot is skipped the vote fails (an unmixed list would show who voted
// what); the replay decides it all again and the log verifies. Through the service, on SQLite.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import type { Command, Entry } from '../../src/core/index.ts';
import { replayEntries } from '../../src/core/replay.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { issueCredential, listSignedCredential } from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase } from '../../src/store/database.ts';
import { readRawEntries } from '../../src/store/log-repository.ts';
import { TestClock } from '../support/databases.ts';
import { organisation } from '../support/factory.ts';

const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));

describe('a ranked secret vote nobody mixes', { timeout: 600_000 }, () => {
  test('each mixer is skipped at its deadline, then the vote fails, and the replay agrees', async () => {
    const db = await openDatabase(':memory:');
    const clock = new TestClock();
    const service = new CouncilsService(db, clock, {});
    try {
      const members = ['m0', 'm1', 'm2', 'm3', 'm4'];
      const { orgId } = await service.found(
        organisation({
          name: 'Works',
          founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
        }),
      );
      const run = (actor: string | null, c: Command) => service.run(orgId, actor, c);
      const trustees = members.slice(0, 3);
      const moved = await run('m0', {
        type: 'move_motion',
        councilId: 'all',
        title: 'Which programme?',
        text: '',
        alternatives: [
          { title: 'A', text: '' },
          { title: 'B', text: '' },
          { title: 'C', text: '' },
        ],
        method: 'schulze',
        secret: { trustees, threshold: 2, registrationMinutes: 30, mixMinutes: 10 },
      });
      const motionId = (moved[0]!.payload as { motionId: string }).motionId;
      const opened = await run('m0', { type: 'open_vote', motionId, minutes: 60 });
      const voteId = (opened[0]!.payload as { voteId: string }).voteId;
      const vote = async () => (await service.ledger(orgId).current()).votes.get(voteId)!;
      const setup = (await vote()).secret!.setup;
      const r1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
      const message = (i: number, kind: string, body: unknown) =>
        run(trustees[i]!, { type: 'post_trustee_message', voteId, message: { kind, body } as never });
      for (const [i, r] of r1.entries()) await message(i, 'dkg-commit', r.message);
      for (const [i, r] of r1.entries())
        await message(
          i,
          'dkg-shares',
          ballot.dkgShares(
            g,
            setup,
            r.secret,
            r1.map((x) => x.message),
            rnd,
          ),
        );
      const key = setup.issuers![0]!;
      const creds = members.map(() => ballot.makeCredential(g, rnd));
      for (const [i, c] of creds.entries()) {
        const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
        const issued = await issueCredential(service, orgId, voteId, members[i]!, req.blindedMessage);
        const signed = ballot.finishToken(key, setup.setupHash, c.public, issued.blindSignature, req.inv)!;
        await listSignedCredential(service, orgId, voteId, signed);
      }
      const election = (await vote()).secret!.election!;
      assert.ok(election);
      for (const i of [0, 1]) {
        const b = ballot.encryptRanking(g, election, creds[i]!.secret, [['a2'], ['a1']], rnd).ballot;
        await run(null, { type: 'cast_secret_ballot', voteId, ballot: b });
      }
      clock.advanceMinutes(61);
      for (let slot = 1; slot <= 3; slot++) {
        await runDueActs(service, [orgId]);
        assert.equal(
          (await vote()).secret!.mix!.skipped.length,
          slot - 1,
          `slot ${slot} is not skipped early`,
        );
        clock.advanceMinutes(10);
        await runDueActs(service, [orgId]);
        assert.equal(
          (await vote()).secret!.mix!.skipped.length,
          slot,
          `slot ${slot} is skipped at its deadline`,
        );
      }
      await runDueActs(service, [orgId]);
      const ended = await vote();
      assert.equal(ended.outcome, 'failed');
      assert.match(
        (ended.result as { details: { failed: string } }).details.failed,
        /no mixer shuffled the ballots/,
      );
      assert.equal((await service.ledger(orgId).current()).motions.get(motionId)!.state, 'debate');

      const entries: Entry[] = [];
      for await (const r of readRawEntries(db.kysely, orgId)) entries.push(JSON.parse(r.body) as Entry);
      const checks = await replayEntries(entries);
      for (const c of checks) assert.equal(c.status, 'pass', `${c.id}: ${c.detail}`);
    } finally {
      await db.close();
    }
  });
});
