// A recall with a right of reply through the HTTP API, on SQLite and PostgreSQL (docs/PROCEDURE.md "Recall"): the
// petition that reaches its threshold puts the recall up for debate, naming the petition and its signatories as
// its mover; the deputy's own /me shows it; nobody can open the vote during the debate's minimum; the deputy
// answers; the scheduler opens the vote when the minimum is over.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runDueActs } from '../../src/server/scheduler.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

for (const database of testDatabases()) {
  describe(`a recall with a right of reply through the API on ${database.name}`, () => {
    let o: ApiOrg;
    before(async () => {
      o = await apiOrg(await database.open());
    });
    after(() => o.close());

    test('petition → debate in which the deputy answers → vote on time → result', async () => {
      const url = (path: string) => `/orgs/${o.orgId}${path}`;
      const seat = await electViaApi(o, 'north', 'ben', ['ana', 'ben', 'cai']);
      const { petitionId } = await o.people.cai!.ok<{ petitionId: string }>('POST', url('/petitions'), {
        kind: 'recall',
        mandateId: seat,
        text: 'He stopped reporting back',
      });
      const petition = await o.people.ana!.ok<{ motionId: string }>('GET', url(`/petitions/${petitionId}`));
      const motionId = petition.motionId;
      const motion = await o.people.ana!.ok<{
        moverName: string | null;
        petition: { signatories: { name: string }[] };
        deputyId: string;
        vote: unknown;
        state: string;
      }>('GET', url(`/motions/${motionId}`));
      assert.equal(motion.moverName, null);
      assert.deepEqual(
        motion.petition.signatories.map((s) => s.name),
        ['Cai'],
      );
      assert.equal(motion.deputyId, o.people.ben!.memberId);
      assert.deepEqual([motion.state, motion.vote], ['debate', null]);
      const me = await o.people.ben!.ok<{ recalls: { motionId: string }[] }>('GET', '/me');
      assert.deepEqual(
        me.recalls.map((r) => r.motionId),
        [motionId],
      );
      await o.people.ana!.fails('POST', url(`/motions/${motionId}/vote`), {}, 409, 'right_of_reply');
      await o.people.ben!.ok('POST', url(`/motions/${motionId}/comments`), {
        stance: 'against',
        text: 'I reported at every meeting; the minutes show it.',
      });
      o.clock.advanceMinutes(3 * 24 * 60 - 1);
      await runDueActs(o.service);
      assert.equal(
        (await o.people.ana!.ok<{ vote: unknown }>('GET', url(`/motions/${motionId}`))).vote,
        null,
      );
      o.clock.advanceMinutes(1);
      await runDueActs(o.service);
      const voting = await o.people.ana!.ok<{ vote: { id: string } }>('GET', url(`/motions/${motionId}`));
      for (const [who, choice] of [
        ['ana', 'recall'],
        ['cai', 'recall'],
        ['ben', 'against'],
      ] as const)
        await o.people[who]!.ok('POST', url(`/votes/${voting.vote.id}/ballots`), { choice });
      const done = await o.people.ana!.ok<{ vote: { outcome: string } }>('GET', url(`/motions/${motionId}`));
      assert.equal(done.vote.outcome, 'adopted');
      const after = await o.people.ben!.ok<{ mandates: { endReason: string | null }[]; recalls?: unknown }>(
        'GET',
        '/me',
      );
      assert.deepEqual([after.mandates[0]!.endReason, after.recalls], ['recalled', undefined]);
    });
  });
}
