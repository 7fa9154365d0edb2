// Collective authority (docs/POWER.md): k-of-n signed approvals, committees, reversal by the council, appeals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import {
  allKeys,
  apply,
  approvalMessage,
  decide,
  emptyState,
  projectRow,
  InvalidCommand,
  payMinimumGroup,
  privilegedKinds,
  type Command,
  keyProofMessage,
  publicKeyOf,
  replayEntries,
  signMessage,
  type Entry,
  defaultWitnessPolicy,
  witnessPolicyOf,
} from '../../../src/core/index.ts';
import { encodeCosignerKeyPair } from '../../../src/record/index.ts';
import { CountingMap } from '../../support/counting-map.ts';
import { PureOrg } from '../../support/pure-org.ts';
import { organisation } from '../../support/factory.ts';

const secretOf = (who: string) => bytesToHex(sha256(new TextEncoder().encode(`test key of ${who}`)));

/** Root "all" ← shop (ana, ben, cai, dia, eli), office (dan, eve); acts authorised as `acts` says. */
function authorityOrg(acts: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): PureOrg {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Cooperative',
      constitution: { power: { acts, ...extra } },
      councils: [
        { id: 'all', name: 'All', parentId: null, seatsInParent: 0 },
        { id: 'shop', name: 'Shop', parentId: 'all', seatsInParent: 1 },
        { id: 'office', name: 'Office', parentId: 'all', seatsInParent: 1 },
      ],
      founders: ['ana', 'ben', 'cai', 'dia', 'eli']
        .map((id) => ({ memberId: id, name: id, councilId: 'shop' }))
        .concat(['dan', 'eve'].map((id) => ({ memberId: id, name: id, councilId: 'office' }))),
    }),
    null,
  );
  for (const who of ['ana', 'ben', 'cai', 'dia', 'eli', 'dan', 'eve']) registerKey(org, who);
  return org;
}

function registerKey(org: PureOrg, who: string, secret = secretOf(who)): void {
  const publicKey = publicKeyOf(secret);
  const proof = signMessage(keyProofMessage(org.state.org!.id, who, publicKey), secret);
  org.must({ type: 'register_key', publicKey, proof }, who);
}

function requestId(entries: Entry[]): string {
  const e = entries.find((x) => x.act === 'privileged_act_requested');
  assert.ok(e?.act === 'privileged_act_requested');
  return e.payload.requestId;
}

function signature(org: PureOrg, id: string, who: string, secret = secretOf(who)): string {
  const r = org.state.power.requests.get(id)!;
  const round = r.approvals.filter((a) => a.memberId === who).length;
  return signMessage(approvalMessage(org.state.org!.id, id, r.contentHash, round), secret);
}

function approve(org: PureOrg, id: string, who: string) {
  return org.run({ type: 'approve_request', requestId: id, signature: signature(org, id, who) }, who);
}

const shopCommittee = { by: 'committee', council: 'subject', k: 2 };

/** The shop elects a committee of ana, ben, cai by 3 of its 5 members' approvals. */
function electCommittee(org: PureOrg): void {
  const id = requestId(
    org.must(
      {
        type: 'request_act',
        kind: 'elect_committee',
        content: { councilId: 'shop', memberIds: ['ana', 'ben', 'cai'] },
      },
      'ana',
    ),
  );
  for (const who of ['ana', 'ben', 'cai']) assert.ok(approve(org, id, who).ok);
  assert.deepEqual(org.state.power.committees.get('shop')!.memberIds, ['ana', 'ben', 'cai']);
}

/** The council above ("all") gets its deputies: the shop elects ana, the office dan. */
function electDeputies(org: PureOrg): void {
  for (const [council, who, voters] of [
    ['shop', 'ana', ['ana', 'ben', 'cai', 'dia', 'eli']],
    ['office', 'dan', ['dan', 'eve']],
  ] as const) {
    const m = org.must({ type: 'call_election', councilId: council }, who);
    const motionId = (m[0]!.payload as { motionId: string }).motionId;
    org.must({ type: 'propose_alternative', motionId, title: who, text: '', candidateId: who }, who);
    const v = org.must({ type: 'open_vote', motionId }, who);
    const voteId = (v[0]!.payload as { voteId: string }).voteId;
    for (const x of voters) org.must({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, x);
  }
}

/** `authorityOrg` with deputies in the council above (ana for the shop, dan for the office); eli expelled. */
function expelledEli(): { org: PureOrg; expel: string } {
  const org = authorityOrg({
    expel_member: { by: 'council', council: 'subject', threshold: { num: 1, den: 2 } },
  });
  electDeputies(org);
  const expel = requestId(
    org.must({ type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'x' } }, 'ben'),
  );
  for (const who of ['ben', 'cai', 'dia']) approve(org, expel, who);
  return { org, expel };
}

describe('privileged acts', () => {
  test('an act nobody can authorise cannot be requested', () => {
    const org = authorityOrg({
      change_seats: { by: 'council', council: 'root', threshold: { num: 1, den: 1 } },
    });
    // The root council has no deputies yet, and the shop has no committee: nobody can authorise.
    const none = org.run(
      { type: 'request_act', kind: 'change_seats', content: { councilId: 'shop', seats: 3 } },
      'ana',
    );
    assert.ok(!none.ok && none.code === 'no_authority');
    const org2 = authorityOrg({ expel_member: shopCommittee });
    const r = org2.run(
      { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'x' } },
      'ana',
    );
    assert.ok(!r.ok && r.code === 'no_authority');
  });

  test('k−1 approvals change nothing, k carry it out; withdrawn and expired approvals count for nothing', async () => {
    const org = authorityOrg({
      expel_member: { by: 'council', council: 'subject', threshold: { num: 3, den: 4 } },
    });
    const id = requestId(
      org.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'theft' } },
        'ana',
      ),
    );
    const r = org.state.power.requests.get(id)!;
    assert.deepEqual(r.approvers, ['ana', 'ben', 'cai', 'dia'], 'the member concerned does not approve');
    assert.equal(r.required, 3);
    assert.ok(approve(org, id, 'ana').ok);
    assert.ok(approve(org, id, 'ben').ok);
    // ben withdraws: his approval counts for nothing, and his old signature cannot be replayed.
    const old = org.log.at(-1)!;
    assert.ok(old.act === 'approval_given');
    org.must({ type: 'withdraw_approval', requestId: id }, 'ben');
    const replayed = org.run(
      { type: 'approve_request', requestId: id, signature: old.payload.signature },
      'ben',
    );
    assert.ok(!replayed.ok && replayed.code === 'bad_signature');
    const third = approve(org, id, 'cai');
    assert.ok(third.ok && third.entries.length === 1, 'k−1 counting approvals: nothing happens');
    assert.ok(org.state.councils.get('shop')!.memberIds.has('eli'));
    const kth = approve(org, id, 'dia');
    assert.ok(kth.ok);
    assert.deepEqual(
      kth.entries.map((e) => [e.act, e.actor]),
      [
        ['approval_given', 'dia'],
        ['privileged_act_done', null],
      ],
    );
    assert.ok(!org.state.councils.get('shop')!.memberIds.has('eli'));
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks),
    );

    // Approvals expire.
    const org2 = authorityOrg(
      { expel_member: { by: 'council', council: 'subject', threshold: { num: 1, den: 2 } } },
      { approvalDays: 1 },
    );
    const id2 = requestId(
      org2.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'x' } },
        'ana',
      ),
    );
    assert.ok(approve(org2, id2, 'ana').ok);
    org2.advanceMinutes(2 * 24 * 60);
    const late = approve(org2, id2, 'ben');
    assert.ok(!late.ok && late.code === 'request_expired');
  });

  test('the same act is not requested twice while pending, found among the requests of that act only', () => {
    const org = authorityOrg({ expel_member: shopCommittee });
    electCommittee(org);
    const expel = (reason: string) =>
      org.run({ type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason } }, 'ana');
    // forty requests of other content, pending
    for (let i = 0; i < 40; i++) assert.ok(expel(`reason ${i}`).ok);
    // counted while the next requests are decided and applied: the state's map becomes a counting one for good;
    // PureOrg's own checks after each command (its indexes against walks) are left out of the count
    const counted = new CountingMap(org.state.power.requests);
    org.state.power.requests = counted;
    for (const check of ['checkSchedulerIndex', 'checkAttentionIndex'] as const) {
      const run = org[check].bind(org);
      org[check] = () => {
        const reads = counted.reads;
        run();
        counted.reads = reads;
      };
    }
    const same = expel('reason 7');
    assert.ok(
      !same.ok && same.code === 'already_exists' && same.reason === 'request_pending',
      JSON.stringify(same),
    );
    const sameReads = counted.reads;
    counted.reads = 0;
    const other = expel('reason 40');
    assert.ok(other.ok);
    const otherReads = counted.reads;
    const requests = counted;
    // on d7e680d each request walked every request the organisation made (and hashed its content again)
    assert.ok(sameReads <= 2, `a refused repeat read ${sameReads} of ${requests.size} requests`);
    assert.ok(otherReads <= 2, `a new request read ${otherReads} of ${requests.size} requests`);
    // carried out, the act may be requested again (and is then refused: eli is gone); recorded expired, likewise
    const id = requestId([...org.log].reverse());
    assert.ok(approve(org, id, 'ana').ok && approve(org, id, 'ben').ok);
    assert.equal(org.state.power.requests.get(id)!.state, 'done');
    org.advanceMinutes(15 * 24 * 60);
    org.must({ type: 'expire_petitions_and_requests' }, null);
    assert.equal(org.state.power.pendingByContent.size, 0);
  });

  test('forged, replayed and outsider approvals are rejected', () => {
    const org = authorityOrg({
      expel_member: { by: 'council', council: 'subject', threshold: { num: 1, den: 2 } },
    });
    const id = requestId(
      org.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'x' } },
        'ana',
      ),
    );
    // Forged: signed with a key that is not ana's registered key.
    const forged = org.run(
      { type: 'approve_request', requestId: id, signature: signature(org, id, 'ana', secretOf('mallory')) },
      'ana',
    );
    assert.ok(!forged.ok && forged.code === 'bad_signature');
    // Someone else's signature presented as one's own.
    const borrowed = org.run(
      { type: 'approve_request', requestId: id, signature: signature(org, id, 'ana') },
      'ben',
    );
    assert.ok(!borrowed.ok && borrowed.code === 'bad_signature');
    // Replayed from another request.
    const other = requestId(
      org.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'dia', reason: 'y' } },
        'ana',
      ),
    );
    const moved = org.run(
      { type: 'approve_request', requestId: id, signature: signature(org, other, 'ana') },
      'ana',
    );
    assert.ok(!moved.ok && moved.code === 'bad_signature');
    // Replayed on the same request.
    assert.ok(approve(org, id, 'ana').ok);
    const twice = approve(org, id, 'ana');
    assert.ok(!twice.ok && twice.code === 'already_approved');
    // Outsiders: a member of another council, the member concerned.
    for (const who of ['dan', 'eli']) {
      const r = approve(org, id, who);
      assert.ok(!r.ok && r.code === 'not_an_approver', who);
    }
    // Garbage is a bad signature, not a crash.
    const junk = org.run({ type: 'approve_request', requestId: id, signature: 'zz' }, 'ben');
    assert.ok(!junk.ok && junk.code === 'bad_signature');
  });

  test('a key is registered only with proof of possession; a new key replaces the old', () => {
    const org = authorityOrg();
    const publicKey = publicKeyOf(secretOf('other'));
    const proof = signMessage(keyProofMessage(org.state.org!.id, 'ana', publicKey), secretOf('ana'));
    const r = org.run({ type: 'register_key', publicKey, proof }, 'ana');
    assert.ok(!r.ok && r.code === 'bad_signature');
    registerKey(org, 'ana', secretOf('ana-2'));
    const keys = [...org.state.power.keys.values()].filter((k) => k.memberId === 'ana');
    assert.deepEqual(
      keys.map((k) => k.revokedAt === null),
      [false, true],
    );
  });

  test('a committee act reversed by the council is undone in the state, and the log shows both', async () => {
    const org = authorityOrg({ expel_member: shopCommittee });
    electCommittee(org);
    const expel = requestId(
      org.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'late dues' } },
        'ana',
      ),
    );
    assert.deepEqual(org.state.power.requests.get(expel)!.approvers, ['ana', 'ben', 'cai']);
    assert.ok(approve(org, expel, 'ana').ok);
    assert.ok(approve(org, expel, 'ben').ok);
    assert.ok(!org.state.councils.get('shop')!.memberIds.has('eli'));
    // The council reverses it by a vote of its members (half, rounded up: 2 of the 4 left).
    const reverse = requestId(
      org.must({ type: 'request_act', kind: 'reverse_act', content: { requestId: expel } }, 'dia'),
    );
    assert.equal(org.state.power.requests.get(reverse)!.required, 2);
    assert.ok(approve(org, reverse, 'dia').ok);
    assert.ok(org.state.power.requests.get(expel)!.state === 'done', 'k−1: not yet reversed');
    const last = approve(org, reverse, 'cai');
    assert.ok(last.ok);
    assert.deepEqual(
      last.entries.map((e) => e.act),
      ['approval_given', 'privileged_act_done', 'privileged_act_reversed'],
    );
    assert.ok(org.state.councils.get('shop')!.memberIds.has('eli'), 'the expulsion is undone');
    assert.equal(org.state.power.requests.get(expel)!.state, 'reversed');
    const acts = org.log.map((e) => e.act);
    assert.ok(acts.filter((a) => a === 'privileged_act_done').length >= 3, 'both acts stay in the log');
    assert.ok(acts.includes('privileged_act_reversed'));
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks),
    );
  });

  test('reversal only within the period; council acts are not reversible by the committee route', () => {
    const org = authorityOrg({ expel_member: shopCommittee }, { committees: { reversalDays: 1 } });
    electCommittee(org);
    const expel = requestId(
      org.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'x' } },
        'ana',
      ),
    );
    approve(org, expel, 'ana');
    approve(org, expel, 'ben');
    org.advanceMinutes(2 * 24 * 60);
    const late = org.run({ type: 'request_act', kind: 'reverse_act', content: { requestId: expel } }, 'dia');
    assert.ok(!late.ok && late.code === 'too_late');
  });

  test('an expelled member appeals to the council above, which can reinstate them', async () => {
    const { org, expel } = expelledEli();
    assert.ok(!org.state.councils.get('shop')!.memberIds.has('eli'));
    const notHim = org.run({ type: 'appeal_expulsion', requestId: expel }, 'ben');
    assert.ok(!notHim.ok && notHim.code === 'not_allowed');
    const appeal = requestId(org.must({ type: 'appeal_expulsion', requestId: expel }, 'eli'));
    const r = org.state.power.requests.get(appeal)!;
    assert.equal(r.councilId, 'all');
    assert.deepEqual(r.approvers.sort(), ['ana', 'dan']);
    approve(org, appeal, 'ana');
    assert.ok(org.state.councils.get('shop')!.memberIds.has('eli'), 'reinstated by the council above');
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks),
    );
  });

  test('an appeal that expired, recorded or not, does not block a new one (it "may be requested again")', async () => {
    const { org, expel } = expelledEli();
    const first = requestId(org.must({ type: 'appeal_expulsion', requestId: expel }, 'eli'));
    org.refuses({ type: 'appeal_expulsion', requestId: expel }, 'eli', 'already_exists');
    org.advanceMinutes(14 * 24 * 60); // the first appeal's 14 days run out, nobody approved it
    const second = requestId(org.must({ type: 'appeal_expulsion', requestId: expel }, 'eli'));
    assert.notEqual(second, first);
    org.must({ type: 'expire_petitions_and_requests' }, null); // the first appeal's expiry, recorded late
    org.refuses({ type: 'appeal_expulsion', requestId: expel }, 'eli', 'already_exists');
    org.advanceMinutes(24 * 60);
    approve(org, second, 'ana');
    assert.ok(org.state.councils.get('shop')!.memberIds.has('eli'), 'reinstated on the second appeal');
    assert.ok((await replayEntries(org.log)).every((c) => c.status === 'pass'));
  });

  test('committee term limits from the constitution', () => {
    const org = authorityOrg({}, { terms: { maxConsecutive: 1 } });
    electCommittee(org);
    const again = org.run(
      {
        type: 'request_act',
        kind: 'elect_committee',
        content: { councilId: 'shop', memberIds: ['ana', 'dia'] },
      },
      'dia',
    );
    assert.ok(!again.ok && again.code === 'term_limit');
    assert.ok(
      org.run(
        {
          type: 'request_act',
          kind: 'elect_committee',
          content: { councilId: 'shop', memberIds: ['dia', 'eli'] },
        },
        'dia',
      ).ok,
    );
  });

  test('verify catches a privileged act carried out without its approvals', async () => {
    const org = authorityOrg({
      expel_member: { by: 'council', council: 'subject', threshold: { num: 1, den: 2 } },
    });
    const id = requestId(
      org.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'x' } },
        'ana',
      ),
    );
    const forged = {
      seq: org.state.size,
      act: 'privileged_act_done',
      actor: null,
      time: org.now(),
      payload: { requestId: id },
    } as Entry;
    const checks = await replayEntries([...org.log, forged]);
    const rules = checks.find((c) => c.id === 'replay_rules')!;
    assert.equal(rules.status, 'fail');
    assert.match(rules.detail!, /without its approvals/);
  });

  test('an amendment of the constitution takes effect only with its approvals, and validates its fields', () => {
    const org = authorityOrg({
      amend_constitution: { by: 'council', council: 'root', threshold: { num: 1, den: 1 } },
    });
    assert.throws(
      () =>
        org.run(
          {
            type: 'request_act',
            kind: 'amend_constitution',
            content: { constitution: { votingMinutes: 0 } },
          },
          'ana',
        ),
      /constitution.votingMinutes/,
    );
    // The root here has no members: no amendment can be made at all.
    const r = org.run(
      { type: 'request_act', kind: 'amend_constitution', content: { constitution: { votingMinutes: 60 } } },
      'ana',
    );
    assert.ok(!r.ok && r.code === 'no_authority');
    // A single council that is its own root: its members amend the constitution, 2 of 3.
    const one = new PureOrg();
    one.must(
      organisation({
        name: 'Collective',
        constitution: { deputyTermDays: 30 },
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: ['ana', 'ben', 'cai'].map((id) => ({ memberId: id, name: id, councilId: 'all' })),
      }),
      null,
    );
    for (const who of ['ana', 'ben', 'cai']) registerKey(one, who);
    const id = requestId(
      one.must(
        { type: 'request_act', kind: 'amend_constitution', content: { constitution: { votingMinutes: 60 } } },
        'cai',
      ),
    );
    assert.ok(approve(one, id, 'ana').ok);
    assert.equal(one.state.org!.constitution.votingMinutes, 7 * 24 * 60, 'k−1: unchanged');
    assert.ok(approve(one, id, 'ben').ok);
    assert.equal(one.state.org!.constitution.votingMinutes, 60);
    assert.equal(one.state.org!.constitution.deputyTermDays, 30, 'settings not named stay');
  });

  test('the pay minimum group is amended like any setting (docs/PAY.md "Minimum group")', () => {
    const one = new PureOrg();
    one.must(
      organisation({
        name: 'Collective',
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: ['ana', 'ben', 'cai'].map((id) => ({ memberId: id, name: id, councilId: 'all' })),
      }),
      null,
    );
    for (const who of ['ana', 'ben', 'cai']) registerKey(one, who);
    assert.equal(payMinimumGroup(one.state.org!.constitution), 5, 'the default');
    assert.throws(
      () =>
        one.run(
          {
            type: 'request_act',
            kind: 'amend_constitution',
            content: { constitution: { payMinimumGroup: 0 } },
          },
          'ana',
        ),
      (e: unknown) => e instanceof InvalidCommand && e.field === 'constitution.payMinimumGroup',
    );
    const id = requestId(
      one.must(
        {
          type: 'request_act',
          kind: 'amend_constitution',
          content: { constitution: { payMinimumGroup: 10 } },
        },
        'cai',
      ),
    );
    assert.ok(approve(one, id, 'ana').ok);
    assert.equal(payMinimumGroup(one.state.org!.constitution), 5, 'k−1: unchanged');
    assert.ok(approve(one, id, 'ben').ok);
    assert.equal(payMinimumGroup(one.state.org!.constitution), 10);
  });

  test('the witness policy: set by the founders, amended like any setting, one list with change_witnesses', async () => {
    const w = (n: number) =>
      encodeCosignerKeyPair(`witness${n}.example`, new Uint8Array(32).fill(n)).verifierKey;
    const found = (constitution?: Record<string, unknown>) => {
      const org = new PureOrg();
      org.must(
        organisation({
          name: 'Collective',
          ...(constitution ? { constitution } : {}),
          councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
          founders: ['ana', 'ben', 'cai'].map((id) => ({ memberId: id, name: id, councilId: 'all' })),
        }),
        null,
      );
      for (const who of ['ana', 'ben', 'cai']) registerKey(org, who);
      return org;
    };
    const carry = (org: PureOrg, kind: 'amend_constitution' | 'change_witnesses', content: unknown) => {
      const id = requestId(org.must({ type: 'request_act', kind, content }, 'cai'));
      assert.ok(approve(org, id, 'ana').ok);
      assert.ok(approve(org, id, 'ben').ok);
    };
    // A new organisation: no witness known yet, one cosignature asked for once there is one.
    const plain = found();
    assert.deepEqual(witnessPolicyOf(plain.state.org!.constitution), { witnesses: [], required: 0 });
    assert.deepEqual(defaultWitnessPolicy, { keys: [], required: 1 });
    for (const [witnesses, field] of [
      [{ keys: ['not a key'] }, 'constitution.witnesses.keys'],
      [{ keys: [w(1), w(1)] }, 'constitution.witnesses.keys'],
      [{ keys: [w(1)], required: 2 }, 'constitution.witnesses.required'],
      [{ keys: [w(1)], extra: 1 }, 'constitution.witnesses.extra'],
    ] as const)
      assert.throws(
        () => found({ witnesses }),
        (e: unknown) => e instanceof InvalidCommand && e.field === field,
      );
    // Named at the founding: their cosignatures are the ones the server takes (power.witnesses).
    const org = found({ witnesses: { keys: [w(1), w(2)], required: 2 } });
    assert.deepEqual(org.state.power.witnesses, [w(1), w(2)]);
    assert.deepEqual(witnessPolicyOf(org.state.org!.constitution), { witnesses: [w(1), w(2)], required: 2 });
    // change_witnesses changes the constitution's list too; an amendment changes both.
    carry(org, 'change_witnesses', { witnesses: [w(3)] });
    assert.deepEqual(witnessPolicyOf(org.state.org!.constitution), { witnesses: [w(3)], required: 1 });
    carry(org, 'amend_constitution', { constitution: { witnesses: { keys: [w(4), w(5)], required: 1 } } });
    assert.deepEqual(org.state.power.witnesses, [w(4), w(5)]);
    // Witnesses listed by change_witnesses before any policy are kept when another setting is amended.
    carry(plain, 'change_witnesses', { witnesses: [w(6)] });
    carry(plain, 'amend_constitution', { constitution: { votingMinutes: 60 } });
    assert.deepEqual(witnessPolicyOf(plain.state.org!.constitution), { witnesses: [w(6)], required: 1 });
    assert.deepEqual(plain.state.power.witnesses, [w(6)]);
    const checks = await replayEntries(org.log);
    assert.deepEqual(
      checks.filter((c) => c.status === 'fail'),
      [],
    );
  });

  test('an approver must still sit in the body when approving: a committee past its term approves nothing', () => {
    const org = authorityOrg({ expel_member: shopCommittee }, { committees: { termDays: 1 } });
    electCommittee(org);
    const id = requestId(
      org.must(
        { type: 'request_act', kind: 'expel_member', content: { memberId: 'eli', reason: 'x' } },
        'dia',
      ),
    );
    assert.ok(approve(org, id, 'ana').ok);
    org.advanceMinutes(2 * 24 * 60);
    const late = approve(org, id, 'ben');
    assert.ok(!late.ok && late.code === 'not_an_approver');
    assert.ok(org.state.councils.get('shop')!.memberIds.has('eli'));
  });

  test('any malformed request or approval is a named InvalidCommand or a rejection, never a crash', () => {
    const org = authorityOrg();
    const kinds = [...privilegedKinds, 'elect_committee', 'reverse_act', 'no_such_kind'];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.jsonValue(), fc.string(), (kind, content, signature) => {
        for (const command of [
          { type: 'request_act', kind, content },
          {
            type: 'request_act',
            kind,
            content: { constitution: content, memberId: content, councilId: content },
          },
          { type: 'approve_request', requestId: 'request_1', signature },
          { type: 'register_key', publicKey: signature, proof: signature },
          { type: 'open_petition', kind: kind as never, councilId: content, text: '' },
        ]) {
          try {
            const d = decide(org.state, command as Command, {
              actor: 'ana',
              now: org.now(),
              newId: org.newId,
            });
            assert.equal(typeof d.ok, 'boolean');
          } catch (e) {
            assert.ok(e instanceof InvalidCommand, String(e));
            assert.ok(e.field, 'names the field');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test('create, merge and dissolve councils, and change seats, by the council above', async () => {
    const half = { by: 'council', council: 'subject', threshold: { num: 1, den: 2 } };
    const org = authorityOrg({
      create_council: half,
      merge_councils: half,
      dissolve_council: half,
      change_seats: half,
    });
    electDeputies(org);
    const act = (kind: string, content: unknown) => {
      const id = requestId(org.must({ type: 'request_act', kind: kind as never, content }, 'ana'));
      assert.equal(org.state.power.requests.get(id)!.councilId, 'all');
      assert.ok(approve(org, id, 'ana').ok);
      assert.equal(org.state.power.requests.get(id)!.state, 'done', kind);
    };
    act('create_council', { id: 'bakery', name: 'Bakery', parentId: 'all', seats: 1 });
    assert.deepEqual(org.state.councils.get('all')!.childIds, ['shop', 'office', 'bakery']);
    act('change_seats', { councilId: 'shop', seats: 2 });
    assert.equal(org.state.councils.get('shop')!.seatsInParent, 2);
    act('dissolve_council', { councilId: 'bakery' });
    assert.equal(org.state.councils.has('bakery'), false);
    act('merge_councils', { from: 'office', into: 'shop' });
    assert.equal(org.state.councils.has('office'), false);
    assert.ok(org.state.councils.get('shop')!.memberIds.has('eve'));
    // Rows written entry by entry (as the store does live) equal the rows of the final state (a rebuild).
    const state = emptyState();
    const live = new Map<string, unknown>();
    for (const e of org.log)
      for (const k of apply(state, e)) {
        const row = projectRow(state, k.table, k.key);
        if (row) live.set(`${k.table} ${k.key}`, row);
        else live.delete(`${k.table} ${k.key}`);
      }
    const rebuilt = new Map(
      allKeys(state).map((k) => [`${k.table} ${k.key}`, projectRow(state, k.table, k.key)]),
    );
    assert.deepEqual(new Map([...live].sort()), new Map([...rebuilt].sort()));
    const root = org.run(
      { type: 'request_act', kind: 'dissolve_council', content: { councilId: 'all' } },
      'ana',
    );
    assert.ok(!root.ok && root.code === 'not_allowed');
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks),
    );
  });
});
