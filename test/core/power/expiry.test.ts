// Petitions and privileged requests that run out of time (src/core/power/expiry.ts, docs/POWER.md "Expiry"): the
// organisation records each expiry at or after its deadline (the scheduler's command), tells who made or backed
// it, and `councils verify` refuses an expiry recorded early, of what had succeeded or was carried out, twice, or
// by a member, while a log written before expiries were recorded (none for a petition long past its deadline)
// still replays.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  approvalMessage,
  expiriesPerDecision,
  keyProofMessage,
  noticesOf,
  publicKeyOf,
  replayEntries,
  signMessage,
  type Entry,
} from '../../../src/core/index.ts';
import { petitionOrg, PureOrg } from '../../support/pure-org.ts';
import { organisation } from '../../support/factory.ts';

const day = 24 * 60;
const expire = { type: 'expire_petitions_and_requests' } as const;

/** North (ana … eli) needs 3 signatures of 5: ana opens, ben signs, and nobody else does. */
function shortPetition(): { org: PureOrg; petitionId: string } {
  const org = petitionOrg({ petitions: { threshold: { kind: 'fraction', num: 3, den: 5 } } });
  const opened = org.must(
    { type: 'open_petition', kind: 'agenda', councilId: 'north', title: 'Rota', text: 'A rota.' },
    'ana',
  );
  const petitionId = (opened[0] as Extract<Entry, { act: 'petition_opened' }>).payload.petitionId;
  org.must({ type: 'sign_petition', petitionId }, 'ben');
  return { org, petitionId };
}

const secretOf = (who: string) => bytesToHex(sha256(new TextEncoder().encode(`expiry key of ${who}`)));

/** `who` registers a key and approves the request with it. */
function approveAs(org: PureOrg, requestId: string, who: string): void {
  const publicKey = publicKeyOf(secretOf(who));
  const proof = signMessage(keyProofMessage(org.state.org!.id, who, publicKey), secretOf(who));
  org.must({ type: 'register_key', publicKey, proof }, who);
  const r = org.state.power.requests.get(requestId)!;
  const signature = signMessage(
    approvalMessage(org.state.org!.id, requestId, r.contentHash, 0),
    secretOf(who),
  );
  org.must({ type: 'approve_request', requestId, signature }, who);
}

/** One root council of ana, ben, cai; ben asks to expel cai (ana and ben approve, both needed), ana approves. */
function shortRequest(): { org: PureOrg; requestId: string } {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Collective',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: ['ana', 'ben', 'cai'].map((id) => ({ memberId: id, name: id, councilId: 'all' })),
    }),
    null,
  );
  const asked = org.must(
    { type: 'request_act', kind: 'expel_member', content: { memberId: 'cai', reason: 'never came' } },
    'ben',
  );
  const requestId = (asked[0] as Extract<Entry, { act: 'privileged_act_requested' }>).payload.requestId;
  assert.equal(org.state.power.requests.get(requestId)!.required, 2);
  approveAs(org, requestId, 'ana');
  return { org, requestId };
}

async function rulesCheck(log: Entry[]): Promise<{ status: string; detail: string }> {
  const c = (await replayEntries(log)).find((x) => x.id === 'replay_rules')!;
  return { status: c.status, detail: c.detail ?? '' };
}

describe('expiry of petitions and requests', () => {
  test('a petition short of signatures at its deadline expires by the organisation’s entry, telling its opener and signer', async () => {
    const { org, petitionId } = shortPetition();
    org.advanceMinutes(30 * day - 1);
    const early = org.run(expire, null);
    assert.ok(!early.ok && early.code === 'too_early', 'nothing is due a minute before the deadline');
    org.advanceMinutes(1);
    const byMember = org.run(expire, 'cai');
    assert.ok(!byMember.ok && byMember.code === 'not_allowed', 'a member cannot expire anything');
    const entries = org.must(expire, null);
    assert.deepEqual(
      entries.map((e) => [e.act, e.actor, e.payload]),
      [['petition_expired', null, { petitionId }]],
    );
    assert.equal(org.state.power.petitions.get(petitionId)!.expiredAt, org.now());
    assert.deepEqual(
      noticesOf(org.state, entries[0]!, org.now()).map((n) => [n.kind, n.memberIds, n.path]),
      [['petition_expired', ['ana', 'ben'], `/petitions/${petitionId}`]],
    );
    const again = org.run(expire, null);
    assert.ok(!again.ok && again.code === 'too_early', 'an expiry is recorded once');
    const late = org.run({ type: 'sign_petition', petitionId }, 'cai');
    assert.ok(!late.ok && late.code === 'petition_lapsed');
    assert.ok((await replayEntries(org.log)).every((c) => c.status === 'pass'));
  });

  test('a petition that succeeded does not expire', () => {
    const { org, petitionId } = shortPetition();
    org.must({ type: 'sign_petition', petitionId }, 'cai');
    org.advanceMinutes(31 * day);
    const r = org.run(expire, null);
    assert.ok(!r.ok && r.code === 'too_early');
  });

  test('a request short of approvals at its expiry is recorded expired, telling who asked and who approved', async () => {
    const { org, requestId } = shortRequest();
    org.advanceMinutes(14 * day - 1);
    assert.ok(!org.run(expire, null).ok);
    org.advanceMinutes(1);
    const entries = org.must(expire, null);
    assert.deepEqual(
      entries.map((e) => [e.act, e.actor, e.payload]),
      [['privileged_act_expired', null, { requestId }]],
    );
    const r = org.state.power.requests.get(requestId)!;
    assert.equal(r.state, 'pending', 'not carried out, and no longer approvable');
    assert.equal(r.expiredAt, org.now());
    assert.deepEqual(
      noticesOf(org.state, entries[0]!, org.now()).map((n) => [n.kind, n.memberIds, n.path]),
      [['request_expired', ['ana', 'ben'], `/requests/${requestId}`]],
    );
    assert.ok((await replayEntries(org.log)).every((c) => c.status === 'pass'));
  });

  test('councils verify refuses an expiry before its time, of what succeeded or was done, twice, or by a member', async () => {
    const { org, petitionId } = shortPetition();
    const forged = (log: Entry[], e: Omit<Entry, 'seq'>): Entry[] => [
      ...log,
      { ...e, seq: log.length } as Entry,
    ];
    const petitionExpired = (time: string, actor: string | null = null) =>
      ({ act: 'petition_expired', actor, time, payload: { petitionId } }) as Omit<Entry, 'seq'>;
    const early = await rulesCheck(forged(org.log, petitionExpired(org.now())));
    assert.equal(early.status, 'fail');
    assert.match(early.detail, /expires before its deadline/);
    org.advanceMinutes(30 * day);
    const byMember = await rulesCheck(forged(org.log, petitionExpired(org.now(), 'ana')));
    assert.match(byMember.detail, /by the rules, not by a member/);
    assert.equal((await rulesCheck(forged(org.log, petitionExpired(org.now())))).status, 'pass');
    org.must(expire, null);
    const twice = await rulesCheck(forged(org.log, petitionExpired(org.now())));
    assert.match(twice.detail, /expires again/);

    const done = petitionOrg({ petitions: { threshold: { kind: 'fraction', num: 2, den: 5 } } });
    const opened = done.must(
      { type: 'open_petition', kind: 'agenda', councilId: 'north', title: 'T', text: 'x' },
      'ana',
    );
    const id = (opened[0] as Extract<Entry, { act: 'petition_opened' }>).payload.petitionId;
    done.must({ type: 'sign_petition', petitionId: id }, 'ben');
    done.advanceMinutes(31 * day);
    const succeeded = await rulesCheck(
      forged(done.log, {
        act: 'petition_expired',
        actor: null,
        time: done.now(),
        payload: { petitionId: id },
      } as Omit<Entry, 'seq'>),
    );
    assert.match(succeeded.detail, /expires after it succeeded/);

    const { org: asked, requestId } = shortRequest();
    const requestExpired = (time: string) =>
      ({ act: 'privileged_act_expired', actor: null, time, payload: { requestId } }) as Omit<Entry, 'seq'>;
    const earlyRequest = await rulesCheck(forged(asked.log, requestExpired(asked.now())));
    assert.match(earlyRequest.detail, /expires before its time/);
    // ben's approval, the second, carries the act out: a later expiry of it is forged
    approveAs(asked, requestId, 'ben');
    const r = asked.state.power.requests.get(requestId)!;
    assert.equal(r.state, 'done');
    asked.advanceMinutes(15 * day);
    const carried = await rulesCheck(forged(asked.log, requestExpired(asked.now())));
    assert.match(carried.detail, /expires after it was carried out/);
  });

  test('a log without expiry entries (written before they existed) still replays; their late record tells nobody', async () => {
    const { org, petitionId } = shortPetition();
    org.advanceMinutes(61 * day);
    // long past the deadline, with no expiry recorded, another petition opens: every check passes
    org.must({ type: 'open_petition', kind: 'agenda', councilId: 'north', title: 'Later', text: 'x' }, 'cai');
    assert.equal(org.state.power.petitions.get(petitionId)!.expiredAt, null);
    assert.ok((await replayEntries(org.log)).every((c) => c.status === 'pass'));
    // the first pass of a server that records expiries: recorded, but news of nothing a month after the deadline
    const late = org.must(expire, null);
    assert.deepEqual(
      late.map((e) => e.act),
      ['petition_expired'],
    );
    assert.deepEqual(noticesOf(org.state, late[0]!, org.now()), []);
    assert.ok((await replayEntries(org.log)).every((c) => c.status === 'pass'));
  });
  test('an expiry recorded is final: a process whose clock is behind can no longer sign, approve or withdraw', () => {
    // Process A, its clock 2 s fast, records the expiry; process B, its clock right, acts 1 s before the deadline.
    const { org, petitionId } = shortPetition();
    const deadline = Date.parse(org.state.power.petitions.get(petitionId)!.deadline);
    org.t = deadline;
    org.must(expire, null);
    org.t = deadline - 1000;
    org.refuses({ type: 'sign_petition', petitionId }, 'cai', 'petition_lapsed');

    const { org: asked, requestId } = shortRequest();
    const expiresAt = Date.parse(asked.state.power.requests.get(requestId)!.expiresAt);
    asked.t = expiresAt;
    asked.must(expire, null);
    asked.t = expiresAt - 1000;
    const publicKey = publicKeyOf(secretOf('ben'));
    const proof = signMessage(keyProofMessage(asked.state.org!.id, 'ben', publicKey), secretOf('ben'));
    asked.must({ type: 'register_key', publicKey, proof }, 'ben');
    const r = asked.state.power.requests.get(requestId)!;
    const signature = signMessage(
      approvalMessage(asked.state.org!.id, requestId, r.contentHash, 0),
      secretOf('ben'),
    );
    asked.refuses({ type: 'approve_request', requestId, signature }, 'ben', 'request_expired');
    asked.refuses({ type: 'withdraw_approval', requestId }, 'ana', 'request_expired');
  });

  test('councils verify refuses a petition or request carried on after its expiry', async () => {
    const at = (time: string, minutes: number) => new Date(Date.parse(time) + minutes * 60_000).toISOString();
    const reseq = (es: Omit<Entry, 'seq'>[]): Entry[] => es.map((e, i) => ({ ...e, seq: i }) as Entry);

    // (a) the operator drops the act the k-th approval carried out, records the request expired, then carries
    // the act out a day later
    const { org: asked, requestId } = shortRequest();
    asked.advanceMinutes(14 * day - 10);
    const cut = asked.log.length;
    approveAs(asked, requestId, 'ben');
    const given = asked.log.slice(cut);
    const approval = given.findIndex((e) => e.act === 'approval_given');
    assert.equal(given[approval + 1]?.act, 'privileged_act_done');
    const requestForged = reseq([
      ...asked.log.slice(0, cut + approval + 1),
      { act: 'privileged_act_expired', actor: null, time: at(asked.now(), 20), payload: { requestId } },
      ...given.slice(approval + 1).map((e) => ({ ...e, time: at(asked.now(), day) })),
    ] as Omit<Entry, 'seq'>[]);
    const request = await rulesCheck(requestForged);
    assert.equal(request.status, 'fail');
    assert.match(request.detail, /carried out after it expired/);

    // (b) the same with a petition's last signature
    const { org, petitionId } = shortPetition();
    org.advanceMinutes(30 * day - 10);
    const signed = org.must({ type: 'sign_petition', petitionId }, 'cai');
    assert.deepEqual(
      signed.slice(0, 2).map((e) => e.act),
      ['petition_signed', 'petition_succeeded'],
    );
    const before = org.log.slice(0, org.log.length - signed.length + 1);
    const petitionForged = reseq([
      ...before,
      { act: 'petition_expired', actor: null, time: at(org.now(), 20), payload: { petitionId } },
      ...signed.slice(1).map((e) => ({ ...e, time: at(org.now(), day) })),
    ] as Omit<Entry, 'seq'>[]);
    const petition = await rulesCheck(petitionForged);
    assert.equal(petition.status, 'fail');
    assert.match(petition.detail, /succeeded after it expired/);

    // (c) an expiry entered at the deadline ahead of signatures dated earlier
    const { org: early, petitionId: id } = shortPetition();
    const deadline = early.state.power.petitions.get(id)!.deadline;
    const start = early.log.length;
    early.advanceMinutes(60);
    early.must({ type: 'sign_petition', petitionId: id }, 'cai');
    const ahead = reseq([
      ...early.log.slice(0, start),
      { act: 'petition_expired', actor: null, time: deadline, payload: { petitionId: id } },
      ...early.log.slice(start),
    ] as Omit<Entry, 'seq'>[]);
    const signedLate = await rulesCheck(ahead);
    assert.equal(signedLate.status, 'fail');
    assert.match(signedLate.detail, /petition_lapsed/);
  });
  test('one decision records at most expiriesPerDecision expiries; the next records the rest', () => {
    const org = petitionOrg({ petitions: { threshold: { kind: 'fraction', num: 3, den: 5 } } });
    // the inbox check of every step (quadratic in the petitions) once at the end, not 501 times
    const check = org.checkAttentionIndex;
    org.checkAttentionIndex = () => {};
    for (let i = 0; i <= expiriesPerDecision; i++)
      org.must(
        { type: 'open_petition', kind: 'agenda', councilId: 'north', title: `P${i}`, text: 'x' },
        'ana',
      );
    org.checkAttentionIndex = check;
    org.advanceMinutes(30 * day);
    assert.equal(org.must(expire, null).length, expiriesPerDecision);
    assert.deepEqual(
      org.must(expire, null).map((e) => e.act),
      ['petition_expired'],
    );
    assert.ok(!org.run(expire, null).ok, 'nothing left');
  });
});
