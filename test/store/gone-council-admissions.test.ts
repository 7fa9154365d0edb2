// The admissions read models of a council dissolved or merged away, on real SQLite and PostgreSQL: the scheduler
// reads an admission pending there as refused (test/core/admission/gone-council.test.ts), and what a member reads
// (a council's admissions, one admission, /me's pending admission) says the same, for every admission, before and
// after the others are admitted. Before, the read models said "approved" for it once its objection period ran out.
// The end is a fact of the state (Admission.endedBy, set when the council is removed), so a council created later
// with the same id does not bring it back, live or after a restart (review C, session 12: it read "approved" again).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  approvalMessage,
  keyProofMessage,
  publicKeyOf,
  signMessage,
  type Command,
} from '../../src/core/index.ts';
import { admissionStatus } from '../../src/core/admission/status.ts';
import { OrgLedger } from '../../src/store/ledger.ts';
import { getAdmission, listAdmissions, pendingAdmissionOf } from '../../src/store/read-admissions.ts';
import type { Db } from '../../src/store/database.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { founded, must, payloadOf } from '../support/ledger-steps.ts';
import { secretOf, shopAndOffice as founding } from '../support/two-councils.ts';

async function electDeputy(ledger: OrgLedger, councilId: string, who: string, voters: string[]) {
  const { motionId } = payloadOf(
    await must(ledger, { type: 'call_election', councilId }, voters[0]!),
    'motion_moved',
  );
  const alt: Command = { type: 'propose_alternative', motionId, title: who, text: '', candidateId: who };
  await must(ledger, alt, voters[0]!);
  const { voteId } = payloadOf(
    await must(ledger, { type: 'open_vote', motionId }, voters[0]!),
    'vote_opened',
  );
  for (const v of voters) await must(ledger, { type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, v);
}

/** Fay invited to the office, Gus to the shop, both accepted and approved; then All acts on the office. */
async function setUp(db: Db, clock: TestClock, act: Command & { type: 'request_act' }) {
  const ledger = await founded(db, founding, clock);
  for (const who of ['ana', 'dan']) {
    const publicKey = publicKeyOf(secretOf(who));
    const proof = signMessage(keyProofMessage(ledger.orgId, who, publicKey), secretOf(who));
    await must(ledger, { type: 'register_key', publicKey, proof }, who);
  }
  await electDeputy(ledger, 'shop', 'ana', ['ana', 'ben', 'cai']);
  await electDeputy(ledger, 'office', 'dan', ['dan', 'eve']);
  const invite = async (
    councilId: string,
    name: string,
    memberId: string,
    approver: string,
    inviter: string,
  ) => {
    const { invitationId } = payloadOf(
      await must(ledger, { type: 'issue_invitation', councilId, name }, inviter),
      'invitation_issued',
    );
    await must(ledger, { type: 'accept_invitation', invitationId, memberId }, null);
    await must(ledger, { type: 'approve_admission', invitationId }, approver);
    return invitationId;
  };
  const fay = await invite('office', 'Fay', 'fay', 'eve', 'dan');
  const gus = await invite('shop', 'Gus', 'gus', 'ben', 'ana');
  const { requestId } = payloadOf(await must(ledger, act, 'ana'), 'privileged_act_requested');
  const r = (await ledger.current()).power.requests.get(requestId)!;
  const signature = signMessage(approvalMessage(ledger.orgId, requestId, r.contentHash, 0), secretOf('ana'));
  await must(ledger, { type: 'approve_request', requestId, signature }, 'ana');
  assert.equal((await ledger.current()).councils.has('office'), false);
  return { ledger, fay, gus };
}

/** Ana requests the act and approves it, and Dan too if one approval is not enough. */
async function carriedOut(ledger: OrgLedger, act: Command & { type: 'request_act' }) {
  const { requestId } = payloadOf(await must(ledger, act, 'ana'), 'privileged_act_requested');
  const r = (await ledger.current()).power.requests.get(requestId)!;
  for (const who of ['ana', 'dan']) {
    if ((await ledger.current()).power.requests.get(requestId)!.state !== 'pending') break;
    const signature = signMessage(approvalMessage(ledger.orgId, requestId, r.contentHash, 0), secretOf(who));
    await must(ledger, { type: 'approve_request', requestId, signature }, who);
  }
  assert.notEqual((await ledger.current()).power.requests.get(requestId)!.state, 'pending');
}

for (const database of testDatabases()) {
  test(`a council dissolved, then one created with its id: the old admission stays refused, after a restart too (${database.name})`, async () => {
    const db = await database.open();
    try {
      const clock = new TestClock();
      const dissolve = {
        type: 'request_act',
        kind: 'dissolve_council',
        content: { councilId: 'office' },
      } as const;
      const { ledger, fay } = await setUp(db, clock, dissolve);
      clock.advanceMinutes(120); // its objection period over
      const now = () => clock.now().toISOString();
      const q = db.kysely;
      assert.equal((await getAdmission(q, ledger.orgId, fay, now()))?.status, 'refused');
      await carriedOut(ledger, {
        type: 'request_act',
        kind: 'create_council',
        content: { id: 'office', parentId: 'all', name: 'New office', seats: 1 },
      });
      assert.equal((await ledger.current()).councils.has('office'), true);
      /** Fay's admission as the core, the scheduler and every read model of the store see it. */
      const seen = async (l: OrgLedger) => {
        const state = await l.current();
        return {
          core: admissionStatus(state, state.admissions.get(fay)!, now()),
          due: state.due.admissions.due(now()).includes(fay),
          one: (await getAdmission(q, l.orgId, fay, now()))?.status,
          pending: (await pendingAdmissionOf(q, l.orgId, 'fay', now()))?.status,
          list: (await listAdmissions(q, l.orgId, 'office', now()))?.map((a) => [a.name, a.status]),
        };
      };
      const refused = {
        core: 'refused',
        due: false,
        one: 'refused',
        pending: 'refused',
        list: [['Fay', 'refused']],
      };
      assert.deepEqual(await seen(ledger), refused);
      // the scheduler admits Gus (of the shop) alone, and Fay never joins the new office
      const admitted = await must(ledger, { type: 'admit_due_members' }, null);
      assert.deepEqual(
        admitted.map((e) => (e.payload as { memberId: string }).memberId),
        ['gus'],
      );
      assert.deepEqual(await seen(ledger), refused);
      // a restart: the state replayed from the log, the rows as written
      const restarted = new OrgLedger(db, ledger.orgId, clock);
      assert.deepEqual(await seen(restarted), refused);
      const r = await restarted.execute({ type: 'admit_due_members' }, null);
      assert.equal(r.ok, false);
      assert.equal((await restarted.current()).councils.get('office')!.memberIds.has('fay'), false);
    } finally {
      await db.close();
    }
  });

  for (const [how, act] of [
    ['dissolved', { type: 'request_act', kind: 'dissolve_council', content: { councilId: 'office' } }],
    [
      'merged away',
      { type: 'request_act', kind: 'merge_councils', content: { from: 'office', into: 'shop' } },
    ],
  ] as const) {
    describe(`admissions of a council ${how} on ${database.name}`, () => {
      test('read as refused, as the scheduler reads them; the council answers undefined (404)', async () => {
        const db = await database.open();
        try {
          const clock = new TestClock();
          const { ledger, fay, gus } = await setUp(db, clock, act);
          const q = db.kysely;
          /** Every admission as a member reads it, and as the core (the scheduler) decides it. */
          const agree = async () => {
            const state = await ledger.current();
            const now = clock.now().toISOString();
            for (const [id, a] of state.admissions) {
              const view = await getAdmission(q, ledger.orgId, id, now);
              assert.equal(view?.status, admissionStatus(state, a, now), `admission of ${a.name}`);
            }
          };
          clock.advanceMinutes(120); // both objection periods over
          const now = () => clock.now().toISOString();
          assert.equal((await getAdmission(q, ledger.orgId, fay, now()))?.status, 'refused');
          assert.equal((await pendingAdmissionOf(q, ledger.orgId, 'fay', now()))?.status, 'refused');
          assert.equal((await getAdmission(q, ledger.orgId, gus, now()))?.status, 'approved');
          await agree();
          assert.equal(await listAdmissions(q, ledger.orgId, 'office', now()), undefined);
          assert.equal(await listAdmissions(q, ledger.orgId, 'nowhere', now()), undefined);
          // The scheduler's act admits Gus alone.
          const admitted = await must(ledger, { type: 'admit_due_members' }, null);
          assert.deepEqual(
            admitted.map((e) => (e.payload as { memberId: string }).memberId),
            ['gus'],
          );
          assert.deepEqual(
            (await listAdmissions(q, ledger.orgId, 'shop', now()))?.map((a) => [a.name, a.status]),
            [['Gus', 'admitted']],
          );
          assert.equal((await getAdmission(q, ledger.orgId, fay, now()))?.status, 'refused');
          await agree();
        } finally {
          await db.close();
        }
      });
    });
  }
}
