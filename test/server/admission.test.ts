// Collective admission through the HTTP API, on SQLite and PostgreSQL (docs/PROCEDURE.md "Admission"): one member
// invites three people; they accept but cannot act, vote or count toward a quorum until the council admits them;
// an approval and an unopposed objection period admit one; an objection sends another to an admission motion.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runDueActs } from '../../src/server/scheduler.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

interface AdmissionView {
  invitationId: string;
  status: string;
  proposedBy: { id: string; name: string };
  approvals: { name: string }[];
  objections: { name: string; text: string }[];
  motionId: string | null;
  memberId: string | null;
}

for (const database of testDatabases()) {
  describe(`admission through the API on ${database.name}`, () => {
    let o: ApiOrg;
    const newcomers: Record<string, ApiClient & { invitationId?: string }> = {};
    let url: (path: string) => string;
    before(async () => {
      o = await apiOrg(await database.open());
      url = (path) => `/orgs/${o.orgId}${path}`;
      for (const name of ['Fay', 'Gus', 'Hal']) {
        const inv = await o.people.ana!.ok<{ invitationId: string; token: string }>(
          'POST',
          url('/councils/north/invitations'),
          { name },
        );
        const client = await new ApiClient(o.app).join(inv.token, `${name.toLowerCase()}@example.org`);
        newcomers[name.toLowerCase()] = Object.assign(client, { invitationId: inv.invitationId });
      }
    });
    after(() => o.close());

    test('invitees who accepted are not members: they cannot act, vote or count toward the quorum', async () => {
      const me = await newcomers.fay!.ok<{ member: { baseCouncilIds: string[] }; admission: AdmissionView }>(
        'GET',
        '/me',
      );
      assert.deepEqual(me.member.baseCouncilIds, []);
      assert.equal(me.admission.status, 'awaiting_approvals');
      assert.equal(me.admission.proposedBy.name, 'Ana');
      await newcomers.fay!.fails(
        'POST',
        url('/councils/north/motions'),
        { title: 'Pack the council', text: '' },
        403,
        'not_admitted',
      );
      const council = await o.people.ben!.ok<{ members: { name: string }[] }>('GET', url('/councils/north'));
      assert.deepEqual(council.members.map((m) => m.name).sort(), ['Ana', 'Ben', 'Cai']);
      // A vote opened now: three electors, and the newcomers' ballots are refused naming the rule.
      const { motionId } = await o.people.ben!.ok<{ motionId: string }>(
        'POST',
        url('/councils/north/motions'),
        {
          title: 'Budget',
          text: '',
        },
      );
      await o.people.ben!.ok('POST', url(`/motions/${motionId}/vote`), { minutes: 60 });
      const { voteId } = await o.people.ben!.ok<{ voteId: string }>('GET', url(`/motions/${motionId}`));
      for (const c of Object.values(newcomers))
        await c.fails('POST', url(`/votes/${voteId}/ballots`), { choice: 'a1' }, 403, 'not_admitted');
      await o.people.ana!.ok('POST', url(`/votes/${voteId}/ballots`), { choice: 'a1' });
      o.clock.advanceMinutes(61);
      await runDueActs(o.service);
      const vote = await o.people.ben!.ok<{
        electorateSize: number;
        outcome: string;
        result: { explanation: string[] };
      }>('GET', url(`/votes/${voteId}`));
      assert.equal(vote.electorateSize, 3);
      assert.equal(vote.outcome, 'no_quorum');
      assert.match(vote.result.explanation[0]!, /present 1 of electorate 3; quorum requires 2/);
    });

    test('an approval and an unopposed objection period admit; members see who proposed and approved', async () => {
      const fay = newcomers.fay!.invitationId!;
      await o.people.ana!.fails('POST', url(`/admissions/${fay}/approvals`), undefined, 403, 'own_proposal');
      await newcomers.gus!.fails('POST', url(`/admissions/${fay}/approvals`), undefined, 403, 'not_admitted');
      const approved = await o.people.ben!.ok<AdmissionView>('POST', url(`/admissions/${fay}/approvals`));
      assert.equal(approved.status, 'objection_period');
      await o.people.cai!.fails('POST', url(`/admissions/${fay}/approvals`), undefined, 409, 'wrong_state');
      o.clock.advanceMinutes(7 * 24 * 60 - 1);
      await runDueActs(o.service);
      const still = await o.people.ana!.ok<{ members: { name: string }[] }>('GET', url('/councils/north'));
      assert.ok(!still.members.some((m) => m.name === 'Fay'));
      o.clock.advanceMinutes(1);
      await runDueActs(o.service);
      const council = await o.people.ana!.ok<{ members: { name: string }[] }>('GET', url('/councils/north'));
      assert.ok(council.members.some((m) => m.name === 'Fay'));
      const { admissions } = await newcomers.fay!.ok<{ admissions: AdmissionView[] }>(
        'GET',
        url('/councils/north/admissions'),
      );
      const a = admissions.find((x) => x.invitationId === fay)!;
      assert.deepEqual(
        [a.status, a.proposedBy.name, a.approvals.map((x) => x.name)],
        ['admitted', 'Ana', ['Ben']],
      );
      // Now a member: Fay moves a motion.
      await newcomers.fay!.ok('POST', url('/councils/north/motions'), { title: 'Hello', text: '' });
    });

    test('an objection sends the admission to an admission motion of the council', async () => {
      const gus = newcomers.gus!.invitationId!;
      const objected = await o.people.cai!.ok<AdmissionView>('POST', url(`/admissions/${gus}/objections`), {
        text: 'Nobody here knows him',
      });
      assert.equal(objected.status, 'in_vote');
      assert.deepEqual(
        objected.objections.map((x) => [x.name, x.text]),
        [['Cai', 'Nobody here knows him']],
      );
      await o.people.ben!.fails(
        'POST',
        url(`/admissions/${gus}/approvals`),
        undefined,
        409,
        'admission_objected',
      );
      const motion = await o.people.ben!.ok<{ kind: string; title: string }>(
        'GET',
        url(`/motions/${objected.motionId}`),
      );
      assert.deepEqual([motion.kind, motion.title], ['admission', 'Admit Gus to North']);
    });

    test("an unknown council's admissions are 404 not_found, as its other routes are", async () => {
      await o.people.ana!.fails('GET', url('/councils/nowhere/admissions'), undefined, 404, 'not_found');
      await o.people.ana!.fails('GET', url('/councils/nowhere'), undefined, 404, 'not_found');
    });
  });
}
