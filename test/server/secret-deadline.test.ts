// The time-driven step of a secret vote: when registration ends, the scheduler freezes the list of those who
// registered (fewer than the electorate), and voting opens for them only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { apiOrg } from '../support/api-org.ts';
import { ApiClient } from '../support/api-client.ts';
import { registerOverApi } from '../support/secret-credential.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));

test('the scheduler freezes the credential list at the registration deadline', async () => {
  const o = await apiOrg();
  try {
    const g = await ballot.sodiumGroup();
    const [ana, ben, cai] = ['ana', 'ben', 'cai'].map((k) => o.people[k]!);
    const ids = [ana!, ben!, cai!].map((p) => p.memberId!);
    const { motionId } = await ana!.ok<{ motionId: string }>(
      'POST',
      `/orgs/${o.orgId}/councils/north/motions`,
      {
        title: 'Secret',
        text: '',
        secret: { trustees: ids, threshold: 2, registrationMinutes: 10 },
      },
    );
    await ana!.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/vote`, { minutes: 30 });
    const { voteId } = await ana!.ok<{ voteId: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
    const path = `/orgs/${o.orgId}/votes/${voteId}/secret`;
    const view = () => ana!.ok<{ phase: string; board: ballot.BoardEntry[] }>('GET', path);
    const setup = (await view()).board[0]!.body as ballot.SetupBody;
    const r1 = ids.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
    for (const [i, r] of r1.entries())
      await [ana, ben, cai][i]!.ok('POST', `${path}/trustee`, { kind: 'dkg-commit', body: r.message });
    // ben may not post as trustee 1
    await ben!.fails(
      'POST',
      `${path}/trustee`,
      { kind: 'dkg-commit', body: r1[0]!.message },
      403,
      'not_allowed',
    );
    for (const [i, r] of r1.entries()) {
      const body = ballot.dkgShares(
        g,
        setup,
        r.secret,
        r1.map((x) => x.message),
        rnd,
      );
      await [ana, ben, cai][i]!.ok('POST', `${path}/trustee`, { kind: 'dkg-shares', body });
    }
    // ana is issued a credential with her session and lists it with none (docs/BALLOT-PROTOCOL.md §4.1)
    const anonymous = new ApiClient(o.app);
    const { credential: cred, signed } = await registerOverApi(g, ana!, anonymous, path);
    const afterIssue = await ana!.ok<{ issued: number; registered: number }>('GET', path);
    assert.equal(afterIssue.issued, 1);
    assert.equal(afterIssue.registered, 1);
    // a second issuance to ana is refused, and changes nothing
    const again = ballot.requestToken(
      setup.issuers![0]!,
      setup.setupHash,
      ballot.makeCredential(g, rnd).public,
      rnd,
    );
    await ana!.fails(
      'POST',
      `${path}/issuance`,
      { blindedMessage: again.blindedMessage },
      409,
      'already_exists',
    );
    assert.equal((await ana!.ok<{ issued: number }>('GET', path)).issued, 1);
    // the same credential listed again, a forged signature, a weight without a key: refused
    await anonymous.fails('POST', `${path}/credentials`, signed, 409, 'already_exists');
    const s0 = signed.signature;
    const forged = { ...signed, credential: ballot.makeCredential(g, rnd).public };
    await anonymous.fails('POST', `${path}/credentials`, forged, 409, 'invalid_proof');
    const flipped = { ...signed, signature: s0.slice(0, 30) + (s0[30] === 'a' ? 'b' : 'a') + s0.slice(31) };
    await anonymous.fails('POST', `${path}/credentials`, flipped, 409, 'invalid_proof');
    await anonymous.fails('POST', `${path}/credentials`, { ...signed, weight: 2 }, 409, 'invalid_proof');
    // dan is not an elector of North
    const danReq = ballot.requestToken(
      setup.issuers![0]!,
      setup.setupHash,
      ballot.makeCredential(g, rnd).public,
      rnd,
    );
    await o.people.dan!.fails(
      'POST',
      `${path}/issuance`,
      { blindedMessage: danReq.blindedMessage },
      403,
      'not_an_elector',
    );
    assert.equal((await ana!.ok<{ issued: number; registered: number }>('GET', path)).registered, 1);
    assert.equal((await view()).phase, 'registration');
    await runDueActs(o.service);
    assert.equal((await view()).phase, 'registration', 'not before the deadline');
    o.clock.advanceMinutes(11);
    const benReq = ballot.requestToken(
      setup.issuers![0]!,
      setup.setupHash,
      ballot.makeCredential(g, rnd).public,
      rnd,
    );
    await ben!.fails(
      'POST',
      `${path}/issuance`,
      { blindedMessage: benReq.blindedMessage },
      409,
      'wrong_state',
    );
    await runDueActs(o.service);
    const after = await view();
    assert.equal(after.phase, 'voting');
    const list = after.board.find((e) => e.kind === 'credentials')!.body as ballot.CredentialsBody;
    assert.deepEqual(list.credentials, [signed]);
    assert.equal(list.credentials[0]!.credential, cred.public);
    // the log names ana as issued, and nothing links her to the listed credential
    const log = await ana!.ok<{
      entries: { actor: string | null; payload: { kind?: string; body?: unknown } }[];
    }>('GET', `/orgs/${o.orgId}/log?limit=1000`);
    const issued = log.entries.filter((e) => e.payload.kind === 'credential-issued');
    assert.deepEqual(
      issued.map((e) => [e.actor, e.payload.body]),
      [[ana!.memberId, { weight: 1 }]],
    );
    assert.ok(!JSON.stringify(issued).includes(cred.public));
  } finally {
    await o.close();
  }
});

test('a vote whose key generation fails by the deadline ends as failed, shown by the API, and can be held again', async () => {
  const o = await apiOrg();
  try {
    const g = await ballot.sodiumGroup();
    const [ana, ben, cai] = ['ana', 'ben', 'cai'].map((k) => o.people[k]!);
    const ids = [ana!, ben!, cai!].map((p) => p.memberId!);
    const { motionId } = await ana!.ok<{ motionId: string }>(
      'POST',
      `/orgs/${o.orgId}/councils/north/motions`,
      { title: 'Secret', text: '', secret: { trustees: ids, threshold: 2, registrationMinutes: 10 } },
    );
    await ana!.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/vote`, { minutes: 30 });
    const { voteId } = await ana!.ok<{ voteId: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
    const path = `/orgs/${o.orgId}/votes/${voteId}/secret`;
    const view = () => ana!.ok<{ phase: string; failure?: string; board: ballot.BoardEntry[] }>('GET', path);
    const setup = (await view()).board[0]!.body as ballot.SetupBody;
    // cai never commits, so nobody can deal shares
    for (const [i, p] of [ana, ben].entries())
      await p!.ok('POST', `${path}/trustee`, {
        kind: 'dkg-commit',
        body: ballot.dkgCommit(g, setup, i + 1, rnd).message,
      });
    await runDueActs(o.service);
    assert.equal((await view()).phase, 'key-generation', 'not before the deadline');
    o.clock.advanceMinutes(11);
    await runDueActs(o.service);
    const failed = await view();
    assert.equal(failed.phase, 'failed');
    assert.match(
      failed.failure!,
      /key generation failed by the registration deadline .*0 of 3 trustees qualified, 2 needed/,
    );
    const motion = await ana!.ok<{
      state: string;
      vote: { id: string; outcome: string; closedAt: string | null };
    }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
    assert.equal(motion.state, 'debate');
    assert.equal(motion.vote.outcome, 'failed');
    assert.ok(motion.vote.closedAt);
    // the scheduler does not end it twice, and the trustee route refuses further messages
    assert.equal(await runDueActs(o.service), 0);
    await cai!.fails(
      'POST',
      `${path}/trustee`,
      { kind: 'dkg-commit', body: ballot.dkgCommit(g, setup, 3, rnd).message },
      409,
      'vote_closed',
    );
    // the council holds the vote again, without cai as a trustee (a bad request changes nothing)
    const votePath = `/orgs/${o.orgId}/motions/${motionId}/vote`;
    await ben!.fails(
      'POST',
      votePath,
      { secret: { trustees: ids.slice(0, 2), k: 2 } },
      400,
      'invalid_request',
    );
    await ana!.ok('POST', votePath, { minutes: 30, secret: { trustees: ids.slice(0, 2), threshold: 2 } });
    const again = await ana!.ok<{ voteId: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
    assert.notEqual(again.voteId, voteId);
    const second = await ana!.ok<{
      phase: string;
      trustees: { trustee: number; memberId: string }[];
      threshold: number;
    }>('GET', `/orgs/${o.orgId}/votes/${again.voteId}/secret`);
    assert.equal(second.phase, 'key-generation');
    assert.deepEqual(
      second.trustees.map((t) => t.memberId),
      ids.slice(0, 2),
    );
    assert.equal(second.threshold, 2);
  } finally {
    await o.close();
  }
});
