// The procedure through the HTTP API on SQLite and PostgreSQL (issue #15): one member moves a motion, another tries
// to open a one-minute vote and is refused naming the rule, and nothing changes; the timeline says who may do what
// and from when; and an operator who writes an early vote opening into the log and signs it is named by
// `councils verify` on the exported record.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Entry, MotionTimeline } from '../../src/core/index.ts';
import { staticRecordFiles } from '../../src/record/index.ts';
import { appendEntries, readRawEntries } from '../../src/store/log-repository.ts';
import type { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { cli } from '../support/cli.ts';
import { testDatabases } from '../support/databases.ts';

const day = 24 * 60;

for (const database of testDatabases()) {
  describe(`the procedure over the API on ${database.name}`, () => {
    let o: ApiOrg;
    let ana: ApiClient, ben: ApiClient, cai: ApiClient;
    before(async () => {
      // founded as a new organisation is: the default procedure
      o = await apiOrg(await database.open(), { procedure: {} });
      [ana, ben, cai] = ['ana', 'ben', 'cai'].map((k) => o.people[k]!) as [ApiClient, ApiClient, ApiClient];
    });
    after(() => o.close());

    const size = async () => (await o.service.ledger(o.orgId).current()).size;
    const move = async (title: string) =>
      (
        await ana.ok<{ motionId: string }>('POST', `/orgs/${o.orgId}/councils/north/motions`, {
          title,
          text: 'Shall we?',
        })
      ).motionId;

    test('one member moves, another opens a one-minute vote: refused naming the rule; nothing changes', async () => {
      const path = `/orgs/${o.orgId}/motions/${await move('Strike on Monday')}`;
      await ben.fails('POST', `${path}/vote`, { minutes: 1 }, 409, 'seconders_required');
      await ana.fails('POST', `${path}/second`, undefined, 403, 'own_motion');
      await cai.ok('POST', `${path}/second`);
      const before = await size();
      await ben.fails('POST', `${path}/vote`, { minutes: 1 }, 403, 'mover_opens_vote');
      await ana.fails('POST', `${path}/vote`, { minutes: 1 }, 409, 'debate_minimum');
      assert.equal(await size(), before, 'the refusals wrote nothing');
      const motion = await ben.ok<{ state: string }>('GET', path);
      assert.equal(motion.state, 'debate', 'the debate and the mover’s withdrawal are still there');

      const from = new Date(o.clock.t + 3 * day * 60_000).toISOString();
      const seen = await ben.ok<MotionTimeline>('GET', `${path}/timeline`);
      assert.equal(seen.phase, 'debate');
      assert.deepEqual(seen.next[0], { act: 'open_vote', by: 'mover', from });
      assert.deepEqual(seen.may, {
        second: false,
        closure: true,
        withdrawClosure: false,
        openVote: false,
        withdraw: false,
        statement: false,
      });

      o.clock.advanceMinutes(3 * day);
      assert.equal((await ana.ok<MotionTimeline>('GET', `${path}/timeline`)).may.openVote, true);
      await ana.fails('POST', `${path}/vote`, { minutes: 1 }, 409, 'voting_minimum');
      await ana.ok('POST', `${path}/vote`, { minutes: 2 * day });
      const { voteId } = await ana.ok<{ voteId: string }>('GET', path);
      await ana.ok('POST', `/orgs/${o.orgId}/votes/${voteId}/ballots`, { choice: 'a1' });
      await ben.fails('POST', `/orgs/${o.orgId}/votes/${voteId}/close`, undefined, 409, 'too_early');
    });

    test('a forged early vote opening in the exported record is named by councils verify', async () => {
      const motionId = await move('Strike on Tuesday');
      await cai.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/second`);
      // the operator writes the mover's vote opening an hour after the seconding, and signs the record
      o.clock.advanceMinutes(60);
      const seq = await size();
      const forged: Entry = {
        seq,
        act: 'vote_opened',
        actor: ana.memberId!,
        time: new Date(o.clock.t).toISOString(),
        payload: {
          voteId: 'vote_forged',
          motionId,
          options: ['a1'],
          statusQuo: true,
          seats: 1,
          closesAt: new Date(o.clock.t + 2 * day * 60_000).toISOString(),
        },
      };
      await o.db.kysely.transaction().execute((trx) => appendEntries(trx, o.orgId, [forged]));
      assert.ok(await o.service.record.issue(o.orgId, true));
      const prefix = `/orgs/${o.orgId}/record`;
      const vkey = (await ana.request('GET', `${prefix}/vkey`)).body.trim();
      const note = (await ana.request('GET', `${prefix}/checkpoint`)).body;
      const bodies: Uint8Array[] = [];
      for await (const r of readRawEntries(o.db.kysely, o.orgId, 0, 500))
        bodies.push(new TextEncoder().encode(r.body));
      const dir = mkdtempSync(join(tmpdir(), 'councils-forged-'));
      try {
        for (const [file, content] of staticRecordFiles(bodies, [note], { logKey: vkey })) {
          mkdirSync(dirname(join(dir, file)), { recursive: true });
          writeFileSync(join(dir, file), content);
        }
        const r = await cli('verify', dir, '--key', vkey, '--no-state', '--json');
        assert.equal(r.code, 1, r.out + r.err);
        const report = JSON.parse(r.out) as {
          firstFailure: { id: string; detail: string; where: { entry: number } };
        };
        assert.equal(report.firstFailure.id, 'replay_rules');
        assert.equal(report.firstFailure.where.entry, seq);
        assert.match(
          report.firstFailure.detail,
          new RegExp(`vote_opened by ${ana.memberId}: the rules refuse it \\(debate_minimum:`),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
