// A full decision through the HTTP API, in process.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';

describe('a decision through the API', () => {
  let o: ApiOrg;
  before(async () => {
    o = await apiOrg();
  });
  after(() => o.close());

  test('invitations accepted, deputies elected and one recalled, a motion with two alternatives decided', async () => {
    const { ana, ben, cai, dan, eve } = o.people as Record<string, NonNullable<ApiOrg['people'][string]>>;
    const org = o.orgId;
    const benSeat = await electViaApi(o, 'north', 'ben', ['ana', 'ben', 'cai']);
    await electViaApi(o, 'south', 'dan', ['dan', 'eve']);

    const tree = await ana!.ok<{ councils: { id: string; deputies: { memberName: string }[] }[] }>(
      'GET',
      `/orgs/${org}`,
    );
    assert.deepEqual(
      tree.councils
        .find((c) => c.id === 'fed')!
        .deputies.map((d) => d.memberName)
        .sort(),
      ['Ben', 'Dan'],
    );

    const { motionId } = await ben!.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/fed/motions`, {
      title: 'Federation dues',
      text: 'How much each council pays.',
      alternatives: [
        { title: 'Flat', text: 'Every council pays the same.' },
        { title: 'Per member', text: 'Dues follow membership.' },
      ],
    });
    await dan!.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, {
      stance: 'for',
      text: 'Per member is fair.',
    });
    await ben!.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, {
      stance: 'against',
      text: 'Flat is simpler.',
    });
    await ben!.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
    const m1 = await ben!.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
    await ben!.ok('POST', `/orgs/${org}/votes/${m1.voteId}/ballots`, { choice: 'a1' });
    // Before Ben's ballot is counted, North recalls him: he can no longer act in the Federation Council.
    const { motionId: recall } = await cai!.ok<{ motionId: string }>(
      'POST',
      `/orgs/${org}/mandates/${benSeat}/recall`,
      {
        text: 'He voted against our mandate.',
      },
    );
    o.clock.advanceMinutes(3 * 24 * 60); // the recall's right of reply: Ben may answer first
    await cai!.ok('POST', `/orgs/${org}/motions/${recall}/vote`, {});
    const r = await cai!.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${recall}`);
    for (const p of [ana!, cai!])
      await p.ok('POST', `/orgs/${org}/votes/${r.voteId}/ballots`, { choice: 'recall' });
    await ben!.ok('POST', `/orgs/${org}/votes/${r.voteId}/ballots`, { choice: 'against' });
    const mandate = await ana!.ok<{ endReason: string }>('GET', `/orgs/${org}/mandates/${benSeat}`);
    assert.equal(mandate.endReason, 'recalled');
    await ben!.fails(
      'POST',
      `/orgs/${org}/motions/${motionId}/comments`,
      { stance: 'for', text: 'x' },
      403,
      'not_a_member',
    );

    await eve!.fails('POST', `/orgs/${org}/votes/${m1.voteId}/close`, {}, 403, 'not_a_member');
    await dan!.fails('POST', `/orgs/${org}/votes/${m1.voteId}/close`, {}, 409, 'too_early');
    // Dan is the last elector to vote: the vote closes with his ballot.
    await dan!.ok('POST', `/orgs/${org}/votes/${m1.voteId}/ballots`, { choice: 'a2' });
    const decided = await eve!.ok<{ state: string; vote: { outcome: string } }>(
      'GET',
      `/orgs/${org}/motions/${motionId}`,
    );
    // Ben voted a1 while he sat; Dan a2: a tie of the ballots cast, and a tie fails.
    assert.equal(decided.vote.outcome, 'tie');
    assert.equal(decided.state, 'failed');
    await dan!.ok('POST', `/orgs/${org}/motions/${motionId}/statements`, { text: 'Per member was right.' });

    const log = await eve!.ok<{ entries: { act: string }[] }>('GET', `/orgs/${org}/log?limit=1000`);
    assert.ok(log.entries.some((e) => e.act === 'mandate_ended'));
    const body = JSON.stringify(log);
    assert.ok(!body.includes('@example.org'), 'e-mail addresses never enter the log');
  });

  test('the OpenAPI document is generated from the route schemas', async () => {
    const res = await o.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/v1/orgs/{org}/votes/{vote}/ballots'].post.requestBody);
  });
});
