// An open vote is a roll call: GET …/votes/:vote/ballots names each voter's choice. The ballots table's column was renamed
// from `choice` to `ballot` (a ballot in the shape of its method) while the read model still read `choice`, so
// every choice came back null; typed rows (src/store/schema.ts) now make such a read fail to compile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

describe('the roll call of an open vote', () => {
  let o: ApiOrg;
  before(async () => {
    o = await apiOrg();
  });
  after(() => o.close());

  test("names each member's choice, and an abstention as null", async () => {
    const { ana, ben, cai } = o.people as Record<string, NonNullable<ApiOrg['people'][string]>>;
    const org = o.orgId;
    const { motionId } = await ana!.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
      title: 'Bread',
      text: 'More bread.',
    });
    await ana!.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
    const { voteId } = await ana!.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
    await ana!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
    await ben!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'against' });
    await cai!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: null });
    const vote = await ana!.ok<{ ballots: { name: string; choice: string | null }[] }>(
      'GET',
      `/orgs/${org}/votes/${voteId}/ballots`,
    );
    assert.deepEqual(vote.ballots.map((b) => [b.name, b.choice]).sort(), [
      ['Ana', 'a1'],
      ['Ben', 'against'],
      ['Cai', null],
    ]);
  });
});
