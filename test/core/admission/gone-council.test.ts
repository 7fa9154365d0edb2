// An admission due in a council that was dissolved or merged away (review A, finding 2): the council can admit
// nobody, so its admissions not yet made end with it (refused). Before, `admit_due_members` threw on every pass
// and the other councils' admissions were never made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  approvalMessage,
  dueAdmissions,
  keyProofMessage,
  publicKeyOf,
  replayEntries,
  signMessage,
  type Admission,
  type Entry,
} from '../../../src/core/index.ts';
import { admissionStatus } from '../../../src/core/admission/status.ts';
import { CountingMap } from '../../support/counting-map.ts';
import { electDeputy, PureOrg } from '../../support/pure-org.ts';
import { secretOf, shopAndOffice } from '../../support/two-councils.ts';

/** Shop (Ana, Ben, Cai) and office (Dan, Eve) under All; Fay invited to the office, Gus to the shop, both approved. */
function twoPendingAdmissions(): { org: PureOrg; fay: string; gus: string } {
  const org = new PureOrg();
  org.must(shopAndOffice, null);
  for (const who of ['ana', 'dan']) {
    const publicKey = publicKeyOf(secretOf(who));
    const proof = signMessage(keyProofMessage(org.state.org!.id, who, publicKey), secretOf(who));
    org.must({ type: 'register_key', publicKey, proof }, who);
  }
  electDeputy(org, 'shop', 'ana', ['ana', 'ben', 'cai']);
  electDeputy(org, 'office', 'dan', ['dan', 'eve']);
  const invite = (
    councilId: string,
    name: string,
    memberId: string,
    approver: string,
    inviter: string,
  ): string => {
    const [issued] = org.must({ type: 'issue_invitation', councilId, name }, inviter);
    const id = (issued as Extract<Entry, { act: 'invitation_issued' }>).payload.invitationId;
    org.must({ type: 'accept_invitation', invitationId: id, memberId }, null);
    org.must({ type: 'approve_admission', invitationId: id }, approver);
    return id;
  };
  return {
    org,
    fay: invite('office', 'Fay', 'fay', 'eve', 'dan'),
    gus: invite('shop', 'Gus', 'gus', 'ben', 'ana'),
  };
}

/** The council above (All) carries out a dissolve or a merge; Ana alone is half of it. */
function actOnOffice(
  org: PureOrg,
  kind: 'dissolve_council' | 'merge_councils',
  content: Record<string, string>,
): void {
  const req = org.must({ type: 'request_act', kind, content }, 'ana');
  const requested = req.find((e) => e.act === 'privileged_act_requested')!;
  const requestId = (requested.payload as { requestId: string }).requestId;
  const r = org.state.power.requests.get(requestId)!;
  const signature = signMessage(
    approvalMessage(org.state.org!.id, requestId, r.contentHash, 0),
    secretOf('ana'),
  );
  org.must({ type: 'approve_request', requestId, signature }, 'ana');
  assert.equal(org.state.councils.has('office'), false);
}

for (const [how, kind, content] of [
  ['dissolved', 'dissolve_council', { councilId: 'office' }],
  ['merged away', 'merge_councils', { from: 'office', into: 'shop' }],
] as const) {
  test(`an admission pending in a council ${how} ends, refused; the others are admitted when due`, async () => {
    const { org, fay, gus } = twoPendingAdmissions();
    actOnOffice(org, kind, content);
    assert.equal(admissionStatus(org.state, org.state.admissions.get(fay)!, org.now()), 'refused');
    org.advanceMinutes(120);
    assert.deepEqual(
      dueAdmissions(org.state, org.now()).map((a) => a.invitationId),
      [gus],
    );
    const admitted = org.must({ type: 'admit_due_members' }, null);
    assert.deepEqual(
      admitted.map((e) => [e.act, (e.payload as { memberId: string }).memberId]),
      [['member_admitted', 'gus']],
    );
    assert.ok(org.state.councils.get('shop')!.memberIds.has('gus'));
    assert.equal(
      [...org.state.councils.values()].some((c) => c.memberIds.has('fay')),
      false,
    );
    assert.deepEqual(dueAdmissions(org.state, org.now()), []);
    // `councils verify` replays the log and checks every entry against the rules.
    const checks = await replayEntries(org.log);
    const rules = checks.find((c) => c.id === 'replay_rules')!;
    assert.equal(rules.status, 'pass', JSON.stringify(rules));
  });
}

test("a council's removal reads its own open admissions, not every admission of the organisation", () => {
  const { org, fay } = twoPendingAdmissions();
  // forty more invitations into the shop, pending: none of them is the office's
  for (let i = 0; i < 40; i++)
    org.must({ type: 'issue_invitation', councilId: 'shop', name: `Shop ${i}` }, 'ana');
  const admissions = org.state.admissions;
  /** The admissions the entries read: one for each read of one, and all of them for a walk. */
  const counted = new CountingMap<string, Admission>(admissions);
  // counted while each command is decided and applied; the index checks after it read the real map
  const checks = org.checkSchedulerIndex.bind(org);
  let last = 0;
  org.checkSchedulerIndex = () => {
    last = counted.reads;
    org.state.admissions = admissions;
    checks();
    org.state.admissions = counted;
    counted.reads = 0;
  };
  org.state.admissions = counted;
  actOnOffice(org, 'dissolve_council', { councilId: 'office' }); // the last command carries the dissolution out
  org.state.admissions = admissions;
  assert.equal(admissionStatus(org.state, admissions.get(fay)!, org.now()), 'refused');
  assert.ok(last <= 3, `the dissolution read ${last} of ${admissions.size} admissions`);
});
