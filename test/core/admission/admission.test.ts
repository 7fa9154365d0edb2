// Collective admission (docs/PROCEDURE.md "Admission"): an invitation a member issues is a proposal; the person
// accepts but is a member (an elector, part of the quorum) only once the council admits them, by approvals and an
// objection period or by an admission motion. Old logs, where accepting admitted, still replay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  councilMembers,
  parseConstitution,
  replayEntries,
  type Entry,
  type Rejection,
} from '../../../src/core/index.ts';
import { admissionStatus } from '../../../src/core/admission/status.ts';
import { motionId, PureOrg, voteId } from '../../support/pure-org.ts';
import { council, invitations, members, organisation } from '../../support/factory.ts';

const week = 7 * 24 * 60;

/** One council, `all`, of Ana, Ben and Cai, under the given admission rules (the defaults if none). */
function threeMembers(admission?: unknown): PureOrg {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Bakery',
      councils: [council('all', 'All')],
      founders: members('all', 'Ana', 'Ben', 'Cai'),
      ...(admission === undefined ? {} : { constitution: { admission } }),
    }),
    null,
  );
  return org;
}

/** Ana invites `name`, who accepts as `memberId`; returns the invitation's id. */
function invitedAndAccepted(org: PureOrg, name: string, memberId: string, by = 'ana'): string {
  const [issued] = org.must({ type: 'issue_invitation', councilId: 'all', name }, by);
  assert.ok(issued?.act === 'invitation_issued');
  const id = issued.payload.invitationId;
  org.must({ type: 'accept_invitation', invitationId: id, memberId }, memberId);
  return id;
}

function refused(r: { ok: boolean }, code: string): void {
  assert.ok(!r.ok, `expected ${code}, the command was accepted`);
  assert.equal((r as Rejection).code, code, (r as Rejection).message);
}

async function replayPasses(log: Entry[]) {
  const checks = await replayEntries(log);
  return checks.find((c) => c.id === 'replay_rules')!;
}

describe('admission by approvals (the default)', () => {
  test('an accepted invitee is no member, elector or part of the quorum until approved and unopposed', async () => {
    const org = threeMembers();
    const inv = invitedAndAccepted(org, 'Dee', 'dee');
    assert.deepEqual(councilMembers(org.state, 'all', org.now()).sort(), ['ana', 'ben', 'cai']);
    // Dee cannot act as a member, and is told why.
    refused(org.run({ type: 'move_motion', councilId: 'all', title: 'T', text: '' }, 'dee'), 'not_admitted');
    // A vote opened now has three electors.
    const m = motionId(org.must({ type: 'move_motion', councilId: 'all', title: 'T', text: '' }, 'ben'));
    const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'ben'));
    assert.equal(org.state.votes.get(v)!.electorate.size, 3);
    refused(org.run({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'dee'), 'not_admitted');
    // The proposer's invitation is their approval; they cannot approve again or object.
    refused(org.run({ type: 'approve_admission', invitationId: inv }, 'ana'), 'own_proposal');
    refused(org.run({ type: 'approve_admission', invitationId: inv }, 'dee'), 'not_admitted');
    // A fifth of the two others, rounded up: one approval, then a week in which anyone may object.
    assert.equal(org.state.admissions.get(inv)!.required, 1);
    org.must({ type: 'approve_admission', invitationId: inv }, 'ben');
    refused(org.run({ type: 'approve_admission', invitationId: inv }, 'ben'), 'already_approved');
    assert.equal(admissionStatus(org.state, org.state.admissions.get(inv)!, org.now()), 'objection_period');
    refused(org.run({ type: 'admit_due_members' }, null), 'wrong_state');
    org.advanceMinutes(week - 1);
    refused(org.run({ type: 'admit_due_members' }, null), 'wrong_state');
    org.advanceMinutes(1);
    refused(
      org.run({ type: 'object_to_admission', invitationId: inv, text: 'no' }, 'cai'),
      'objection_period_over',
    );
    const [admitted] = org.must({ type: 'admit_due_members' }, null);
    assert.ok(admitted?.act === 'member_admitted' && admitted.actor === null);
    assert.ok(councilMembers(org.state, 'all', org.now()).includes('dee'));
    // The vote opened before keeps its electorate: Dee is not an elector of it, and its quorum is unchanged.
    assert.equal(org.state.votes.get(v)!.electorate.size, 3);
    refused(org.run({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, 'dee'), 'not_an_elector');
    const a = org.state.admissions.get(inv)!;
    assert.deepEqual([a.proposedBy, a.approvals.map((x) => x.memberId), a.memberId], ['ana', ['ben'], 'dee']);
    const replayed = await replayPasses(org.log);
    assert.equal(replayed.status, 'pass', replayed.detail);
  });

  test('approved before acceptance: accepting admits at once', () => {
    const org = threeMembers();
    const [issued] = org.must({ type: 'issue_invitation', councilId: 'all', name: 'Dee' }, 'ana');
    const inv = (issued as Extract<Entry, { act: 'invitation_issued' }>).payload.invitationId;
    org.must({ type: 'approve_admission', invitationId: inv }, 'cai');
    org.advanceMinutes(week);
    const entries = org.must({ type: 'accept_invitation', invitationId: inv, memberId: 'dee' }, 'dee');
    assert.deepEqual(
      entries.map((e) => [e.act, e.actor]),
      [
        ['invitation_accepted', 'dee'],
        ['member_admitted', null],
      ],
    );
  });

  test('one objection sends the admission to a vote of the council; approvals stop', async () => {
    const org = threeMembers();
    const inv = invitedAndAccepted(org, 'Dee', 'dee');
    org.must({ type: 'approve_admission', invitationId: inv }, 'ben');
    const entries = org.must(
      { type: 'object_to_admission', invitationId: inv, text: 'We do not know her' },
      'cai',
    );
    const moved = entries.find((e) => e.act === 'motion_moved');
    assert.ok(moved?.act === 'motion_moved' && moved.actor === null && moved.payload.kind === 'admission');
    refused(org.run({ type: 'approve_admission', invitationId: inv }, 'cai'), 'admission_objected');
    org.advanceMinutes(week);
    refused(org.run({ type: 'admit_due_members' }, null), 'wrong_state');
    const v = voteId(org.must({ type: 'open_vote', motionId: moved.payload.motionId }, 'ana'));
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'admit' } }, 'ana');
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'admit' } }, 'ben');
    const last = org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'against' } }, 'cai');
    const admitted = last.find((e) => e.act === 'member_admitted');
    assert.ok(admitted && admitted.actor === null, 'the organisation admits, not the last voter');
    assert.ok(councilMembers(org.state, 'all', org.now()).includes('dee'));
    const replayed = await replayPasses(org.log);
    assert.equal(replayed.status, 'pass', replayed.detail);
  });

  test('an admission motion the council rejects refuses the admission', () => {
    const org = threeMembers();
    const inv = invitedAndAccepted(org, 'Dee', 'dee');
    const [, moved] = org.must({ type: 'object_to_admission', invitationId: inv, text: 'No' }, 'cai');
    const v = voteId(org.must({ type: 'open_vote', motionId: motionId([moved!]) }, 'cai'));
    for (const who of ['ana', 'ben', 'cai'])
      org.must(
        { type: 'cast_ballot', voteId: v, ballot: { choice: who === 'ana' ? 'admit' : 'against' } },
        who,
      );
    assert.equal(admissionStatus(org.state, org.state.admissions.get(inv)!, org.now()), 'refused');
    assert.ok(!councilMembers(org.state, 'all', org.now()).includes('dee'));
    refused(org.run({ type: 'approve_admission', invitationId: inv }, 'ben'), 'wrong_state');
  });

  test('the constitution sets the approvals needed and the objection period', () => {
    const org = threeMembers({ approvals: { kind: 'absolute', count: 2 }, objectionMinutes: 0 });
    const inv = invitedAndAccepted(org, 'Dee', 'dee');
    const [one] = org.must({ type: 'approve_admission', invitationId: inv }, 'ben');
    assert.equal(one?.act, 'admission_approved');
    const two = org.must({ type: 'approve_admission', invitationId: inv }, 'cai');
    assert.deepEqual(
      two.map((e) => e.act),
      ['admission_approved', 'member_admitted'],
    );
  });

  test('a constitution cannot let the proposer admit alone where others sit', () => {
    assert.throws(
      () => parseConstitution({ admission: { approvals: { kind: 'absolute', count: 0 } } }),
      /constitution\.admission\.approvals/,
    );
    assert.throws(() => parseConstitution({ admission: { by: 'invitation' } }), /admission\.by/);
  });
});

describe('admission by motion', () => {
  test('the invitation moves an admission motion; adopted before acceptance, accepting admits', async () => {
    const org = threeMembers({ by: 'motion' });
    const entries = org.must({ type: 'issue_invitation', councilId: 'all', name: 'Dee' }, 'ana');
    assert.deepEqual(
      entries.map((e) => [e.act, e.actor]),
      [
        ['invitation_issued', 'ana'],
        ['motion_moved', 'ana'],
      ],
    );
    const inv = (entries[0] as Extract<Entry, { act: 'invitation_issued' }>).payload.invitationId;
    refused(org.run({ type: 'approve_admission', invitationId: inv }, 'ben'), 'admission_by_motion');
    const v = voteId(org.must({ type: 'open_vote', motionId: motionId(entries) }, 'ana'));
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'admit' } }, 'ana');
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'admit' } }, 'ben');
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'admit' } }, 'cai');
    const accepted = org.must({ type: 'accept_invitation', invitationId: inv, memberId: 'dee' }, 'dee');
    assert.deepEqual(
      accepted.map((e) => e.act),
      ['invitation_accepted', 'member_admitted'],
    );
    const replayed = await replayPasses(org.log);
    assert.equal(replayed.status, 'pass', replayed.detail);
  });
});

describe('founders and old logs', () => {
  test("the founding's invitations admit on acceptance: founders are admitted by the founding", () => {
    const org = new PureOrg();
    org.must(organisation({ name: 'Bakery', invitations: invitations('all', 'Ana') }), null);
    const inv = [...org.state.invitations.keys()][0]!;
    const [e] = org.must({ type: 'accept_invitation', invitationId: inv, memberId: 'ana' }, 'ana');
    assert.equal(e?.act, 'member_admitted');
    assert.deepEqual(councilMembers(org.state, 'all', org.now()), ['ana']);
  });

  test('a log from before admission rules replays: its accepted invitations admitted at once', async () => {
    const org = threeMembers();
    const founded = org.log[0] as Extract<Entry, { act: 'org_founded' }>;
    delete founded.payload.constitution.admission; // written before the admission block existed
    delete org.state.org!.constitution.admission;
    invitedAndAccepted(org, 'Dee', 'dee');
    assert.ok(councilMembers(org.state, 'all', org.now()).includes('dee'));
    const replayed = await replayPasses(org.log);
    assert.equal(replayed.status, 'pass', replayed.detail);
    // Amending the constitution (any setting) writes the admission block with its defaults.
    assert.deepEqual(
      parseConstitution({ ...org.state.org!.constitution, votingMinutes: 60 }).admission?.by,
      'approvals',
    );
  });

  test('verify names a member admitted against the rules', async () => {
    // Dee admitting herself, as an old log would, where the invitation was a proposal.
    const self = threeMembers();
    const inv = invitedAndAccepted(self, 'Dee', 'dee');
    const forged = self.log.map((e) =>
      e.act === 'invitation_accepted'
        ? ({
            ...e,
            act: 'member_admitted',
            payload: { memberId: 'dee', name: 'Dee', councilId: 'all', invitationId: inv },
          } as Entry)
        : e,
    );
    const r1 = await replayPasses(forged);
    assert.equal(r1.status, 'fail');
    assert.match(r1.detail ?? '', /admitted themself/);
    // The organisation admitting her before the objection period is over.
    const early = threeMembers();
    const inv2 = invitedAndAccepted(early, 'Dee', 'dee');
    early.must({ type: 'approve_admission', invitationId: inv2 }, 'ben');
    early.advanceMinutes(week);
    early.must({ type: 'admit_due_members' }, null);
    const last = early.log.at(-1)!;
    const moved = [...early.log.slice(0, -1), { ...last, time: early.log.at(-2)!.time }];
    const r2 = await replayPasses(moved);
    assert.equal(r2.status, 'fail');
    assert.match(r2.detail ?? '', /had not admitted dee \(objection_period\)/);
  });
});

describe('an admission motion', () => {
  test('is not carried by one member voting alone, whatever the quorum', async () => {
    const org = new PureOrg();
    org.must(
      organisation({
        name: 'Pair',
        founders: members('all', 'Ana', 'Ben'),
        constitution: { admission: { by: 'motion' } },
      }),
      null,
    );
    const moved = org.must({ type: 'issue_invitation', councilId: 'all', name: 'Dee' }, 'ana');
    const v = voteId(org.must({ type: 'open_vote', motionId: motionId(moved), minutes: 1 }, 'ana'));
    org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'admit' } }, 'ana');
    org.advanceMinutes(1);
    const [closed] = org.must({ type: 'close_vote', voteId: v }, null);
    assert.ok(closed?.act === 'vote_closed' && closed.payload.outcome === 'rejected');
    assert.match(JSON.stringify(closed.payload.result), /needs at least 2 votes for it; it has 1/);
    const replayed = await replayPasses(org.log);
    assert.equal(replayed.status, 'pass', replayed.detail);
  });
});
