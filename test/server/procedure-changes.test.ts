// The procedure's later rules through the HTTP API on SQLite and PostgreSQL (issue #15): an open ballot changed
// where the constitution allows it (the roll call shows the latest, the record both; refused under the defaults:
// test/core/procedure/changes.test.ts); closure support withdrawn by its giver only; an unseconded motion lapsed
// by the scheduler on time; and the minority-statement form offered (the timeline's `may.statement`) only to the
// losing side of an open vote.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MotionTimeline } from '../../src/core/index.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import type { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

const day = 24 * 60;

for (const database of testDatabases()) {
  describe(`the procedure's later rules over the API on ${database.name}`, () => {
    let o: ApiOrg;
    let ana: ApiClient, ben: ApiClient, cai: ApiClient;
    before(async () => {
      o = await apiOrg(await database.open(), {
        procedure: { ballotsChangeable: true, unsecondedLapseDays: 2 },
      });
      [ana, ben, cai] = ['ana', 'ben', 'cai'].map((k) => o.people[k]!) as [ApiClient, ApiClient, ApiClient];
    });
    after(() => o.close());

    const move = async (title: string) =>
      (
        await ana.ok<{ motionId: string }>('POST', `/orgs/${o.orgId}/councils/north/motions`, {
          title,
          text: 'Shall we?',
        })
      ).motionId;
    const timeline = (who: ApiClient, motionId: string) =>
      who.ok<MotionTimeline>('GET', `/orgs/${o.orgId}/motions/${motionId}/timeline`);

    /** A motion of ana's, seconded by cai, its vote open (a closure of ben and cai, 2/3 of three, carried). */
    async function voting(title: string): Promise<{ motionId: string; voteId: string }> {
      const motionId = await move(title);
      const path = `/orgs/${o.orgId}/motions/${motionId}`;
      await cai.ok('POST', `${path}/second`);
      for (const who of [ben, cai]) await who.ok('POST', `${path}/closure`);
      await ana.ok('POST', `${path}/vote`, { minutes: 2 * day });
      return { motionId, voteId: (await ana.ok<{ voteId: string }>('GET', path)).voteId };
    }

    test('a ballot cast again replaces the earlier: counted once, the latest in the roll call, both in the record', async () => {
      const { motionId, voteId } = await voting('Strike on Monday');
      assert.equal((await timeline(ben, motionId)).ballotsChangeable, true);
      const ballots = `/orgs/${o.orgId}/votes/${voteId}/ballots`;
      await ben.ok('POST', ballots, { choice: 'a1' });
      o.clock.advanceMinutes(30);
      await ben.ok('POST', ballots, { choice: 'against' });
      const vote = await ben.ok<{ ballotCount: number; viewer: { voted: boolean } }>(
        'GET',
        `/orgs/${o.orgId}/votes/${voteId}`,
      );
      assert.equal(vote.ballotCount, 1);
      const page = await ben.ok<{ ballots: { memberId: string; choice: string; castAt: string }[] }>(
        'GET',
        ballots,
      );
      assert.deepEqual(
        page.ballots.map((b) => [b.memberId, b.choice, b.castAt]),
        [[ben.memberId, 'against', new Date(o.clock.t).toISOString()]],
      );
      const state = await o.service.ledger(o.orgId).current();
      assert.equal(state.votes.get(voteId)!.ballots!.size, 1);
      const log = await ben.ok<{ entries: { act: string; payload: { replaces?: boolean } }[] }>(
        'GET',
        `/orgs/${o.orgId}/log?limit=500`,
      );
      const casts = log.entries.filter((e) => e.act === 'ballot_cast');
      assert.deepEqual(
        casts.map((e) => e.payload.replaces ?? false),
        [false, true],
      );
    });

    test('closure support is withdrawn by the member who gave it, and only until it is carried', async () => {
      const motionId = await move('Closure withdrawn');
      const path = `/orgs/${o.orgId}/motions/${motionId}`;
      await cai.ok('POST', `${path}/second`);
      await ben.ok('POST', `${path}/closure`);
      await cai.fails('POST', `${path}/closure/withdraw`, undefined, 404, 'not_found');
      assert.equal((await timeline(ben, motionId)).may.withdrawClosure, true);
      await ben.ok('POST', `${path}/closure/withdraw`);
      const seen = await timeline(ben, motionId);
      assert.deepEqual(seen.closure?.by, []);
      assert.equal(seen.may.withdrawClosure, false);
      assert.equal(seen.may.closure, true);
      for (const who of [ana, ben]) await who.ok('POST', `${path}/closure`);
      await ben.fails('POST', `${path}/closure/withdraw`, undefined, 409, 'wrong_state');
    });

    test('an unseconded motion lapses by the scheduler on time, and the timeline says when', async () => {
      const motionId = await move('Nobody seconds this');
      const at = new Date(o.clock.t + 2 * day * 60_000).toISOString();
      assert.deepEqual(
        (await timeline(ben, motionId)).next.find((s) => s.act === 'lapses'),
        { act: 'lapses', by: 'organisation', at },
      );
      o.clock.advanceMinutes(2 * day - 1);
      await runDueActs(o.service);
      assert.equal(
        (await ben.ok<{ state: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`)).state,
        'seconding',
      );
      o.clock.advanceMinutes(1);
      await runDueActs(o.service);
      const motion = await ben.ok<{ state: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
      assert.equal(motion.state, 'lapsed');
      const seen = await timeline(ben, motionId);
      assert.equal(seen.events.at(-1)!.event, 'ended');
      assert.equal(seen.may.second, false);
      await cai.fails('POST', `/orgs/${o.orgId}/motions/${motionId}/second`, undefined, 409, 'wrong_state');
    });

    test('the minority statement is offered only to those who voted against the outcome of an open vote', async () => {
      const { motionId, voteId } = await voting('Overtime ban');
      const ballots = `/orgs/${o.orgId}/votes/${voteId}/ballots`;
      await ana.ok('POST', ballots, { choice: 'a1' });
      await ben.ok('POST', ballots, { choice: 'a1' });
      await cai.ok('POST', ballots, { choice: 'against' });
      o.clock.advanceMinutes(2 * day);
      await runDueActs(o.service);
      assert.equal(
        (await ana.ok<{ state: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`)).state,
        'decided',
      );
      assert.equal((await timeline(ana, motionId)).may.statement, false, 'a winner is not offered the form');
      assert.equal((await timeline(cai, motionId)).may.statement, true, 'the loser is');
      await ana.fails(
        'POST',
        `/orgs/${o.orgId}/motions/${motionId}/statements`,
        { text: 'No' },
        403,
        'not_in_minority',
      );
      await cai.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/statements`, {
        text: 'We will regret this.',
      });
      assert.equal((await timeline(cai, motionId)).may.statement, false, 'once');
    });
  });
}
