// The authorisation matrix: every route × outsider / member / deputy / recalled deputy (and nobody signed in).
// Each role acts in an organisation of its own, set up the same way, so no check disturbs another.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, electViaApi, federation, type ApiOrg } from '../support/api-org.ts';

type Role = 'outsider' | 'member' | 'deputy' | 'recalled' | 'anonymous';
interface Fixture {
  o: ApiOrg;
  fedMotion: string;
  fedVote: string;
  danSeat: string;
  client: ApiClient;
  petition?: string;
  request?: string;
}

// [method, path, body, expected per role: status or [status, error]]
type Expect = number | [number, string];
const F = [403, 'forbidden'] as Expect;
const U = [401, 'unauthenticated'] as Expect;
const W = [409, 'wrong_state'] as Expect;
const NM = [403, 'not_a_member'] as Expect;
const payScheme = JSON.parse(readFileSync('examples/pay/proposed-scheme.json', 'utf8')) as unknown;
const workforceCsv = readFileSync('examples/pay/workers.csv', 'utf8');
const N = [404, 'not_found'] as Expect;
const routes: [
  string,
  (f: Fixture) => string,
  unknown,
  Record<Exclude<Role, 'anonymous'>, Expect> & { anonymous?: Expect },
][] = [
  // Secret-vote credentials (fedVote is an open vote: the routes find no secret vote once they let you in).
  // Issuance needs a member; listing a signed credential is anonymous, so nobody is told who they are.
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/votes/${f.fedVote}/secret/issuance`,
    { blindedMessage: 'ab'.repeat(256) },
    { outsider: F, member: N, deputy: N, recalled: N },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/votes/${f.fedVote}/secret/credentials`,
    { credential: 'aa'.repeat(32), weight: 1, signature: 'ab'.repeat(256) },
    { outsider: N, member: N, deputy: N, recalled: N, anonymous: N },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/sealed`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/councils/north/sealed`,
    { label: 'Minutes', content: 'Sealed minutes', releaseAt: '2030-01-01T00:00:00.000Z' },
    { outsider: F, member: [403, 'not_a_member'], deputy: [403, 'not_a_member'], recalled: 201 },
  ],
  ['GET', (f) => `/orgs/${f.o.orgId}`, undefined, { outsider: F, member: 200, deputy: 200, recalled: 200 }],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/councils/north/pay`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/councils/north/pay/motions`,
    { title: 'Pay', text: '', scheme: payScheme },
    { outsider: F, member: NM, deputy: NM, recalled: 201 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/motions/${f.fedMotion}/pay-effect`,
    undefined,
    { outsider: F, member: W, deputy: W, recalled: W },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/councils/north/pay/workforce`,
    workforceCsv,
    { outsider: F, member: NM, deputy: NM, recalled: 201 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/councils/north/pay/payroll`,
    undefined,
    { outsider: F, member: W, deputy: W, recalled: W },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/councils/fed`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/motions/${f.fedMotion}`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/votes/${f.fedVote}`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/mandates/${f.danSeat}`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/log`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/councils/fed/motions`,
    { title: 'T', text: '' },
    { outsider: F, member: [403, 'not_a_member'], deputy: 201, recalled: [403, 'not_a_member'] },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/councils/north/invitations`,
    { name: 'New' },
    { outsider: F, member: [403, 'not_a_member'], deputy: [403, 'not_a_member'], recalled: 201 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/councils/north/elections`,
    {},
    { outsider: F, member: [403, 'not_a_member'], deputy: [403, 'not_a_member'], recalled: 201 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/motions/${f.fedMotion}/comments`,
    { stance: 'for', text: 'Yes' },
    { outsider: F, member: [403, 'not_a_member'], deputy: 201, recalled: [403, 'not_a_member'] },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/votes/${f.fedVote}/ballots`,
    { choice: 'a1' },
    { outsider: F, member: [403, 'not_an_elector'], deputy: 201, recalled: [403, 'not_a_member'] },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/motions/${f.fedMotion}/withdraw`,
    {},
    {
      outsider: F,
      member: [403, 'not_a_member'],
      deputy: [403, 'not_allowed'],
      recalled: [403, 'not_a_member'],
    },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/mandates/${f.danSeat}/recall`,
    { text: 'Why' },
    { outsider: F, member: 201, deputy: 201, recalled: [403, 'not_a_member'] },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/mandates/${f.danSeat}/resign`,
    {},
    { outsider: F, member: [403, 'not_allowed'], deputy: 201, recalled: [403, 'not_allowed'] },
  ],

  // Power from below and collective authority (docs/POWER.md).
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/petitions`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/petitions/${f.petition}`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/petitions`,
    { kind: 'agenda', councilId: 'north', title: 'T', text: '' },
    { outsider: F, member: [403, 'not_a_member'], deputy: [403, 'not_a_member'], recalled: 201 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/petitions/${f.petition}/signatures`,
    undefined,
    {
      outsider: F,
      member: [403, 'not_a_member'],
      deputy: [403, 'not_a_member'],
      recalled: [409, 'wrong_state'],
    },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/keys`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/keys`,
    { publicKey: 'ab'.repeat(32), proof: '00'.repeat(64) },
    {
      outsider: F,
      member: [409, 'bad_signature'],
      deputy: [409, 'bad_signature'],
      recalled: [409, 'bad_signature'],
    },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/requests`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/requests/${f.request}`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/requests`,
    // The deputy resigned above: the root council has nobody left to authorise the act.
    { kind: 'change_witnesses', content: { witnesses: ['w'] } },
    { outsider: F, member: 201, deputy: [409, 'no_authority'], recalled: 201 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/requests/${f.request}/approvals`,
    { signature: '00'.repeat(64) },
    {
      outsider: F,
      member: [403, 'not_an_approver'],
      deputy: [403, 'not_an_approver'],
      recalled: [403, 'not_an_approver'],
    },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/requests/${f.request}/withdraw`,
    undefined,
    { outsider: F, member: [404, 'not_found'], deputy: [404, 'not_found'], recalled: [404, 'not_found'] },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/requests/${f.request}/appeal`,
    undefined,
    { outsider: F, member: [404, 'not_found'], deputy: [404, 'not_found'], recalled: [404, 'not_found'] },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/committees`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/power`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
  [
    'POST',
    (f) => `/orgs/${f.o.orgId}/record/next-key`,
    undefined,
    { outsider: F, member: 201, deputy: 201, recalled: 201 },
  ],
  [
    'GET',
    (f) => `/orgs/${f.o.orgId}/transparency`,
    undefined,
    { outsider: F, member: 200, deputy: 200, recalled: 200 },
  ],
];

async function fixture(role: Role): Promise<Fixture> {
  const o = await apiOrg();
  const benSeat = await electViaApi(o, 'north', 'ben', ['ana', 'ben', 'cai']);
  const danSeat = await electViaApi(o, 'south', 'dan', ['dan', 'eve']);
  const { motionId } = await o.people.ben!.ok<{ motionId: string }>(
    'POST',
    `/orgs/${o.orgId}/councils/fed/motions`,
    {
      title: 'Dues',
      text: '',
    },
  );
  await o.people.ben!.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/vote`, {});
  const m = await o.people.ben!.ok<{ voteId: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
  const { motionId: recall } = await o.people.ana!.ok<{ motionId: string }>(
    'POST',
    `/orgs/${o.orgId}/mandates/${benSeat}/recall`,
    { text: '' },
  );
  o.clock.advanceMinutes(3 * 24 * 60); // the recall's right of reply
  await o.people.ana!.ok('POST', `/orgs/${o.orgId}/motions/${recall}/vote`, {});
  const r = await o.people.ana!.ok<{ voteId: string }>('GET', `/orgs/${o.orgId}/motions/${recall}`);
  for (const p of ['ana', 'cai', 'ben']) {
    await o.people[p]!.ok('POST', `/orgs/${o.orgId}/votes/${r.voteId}/ballots`, { choice: 'recall' });
  }
  let client: ApiClient;
  if (role === 'anonymous') client = new ApiClient(o.app);
  else if (role === 'outsider') {
    const other = await o.service.foundWithInvitations({
      ...federation,
      name: 'Another organisation',
      councils: [{ id: 'elsewhere', name: 'Elsewhere', parentId: null, seatsInParent: 0 }],
      invitations: [{ name: 'Olga', councilId: 'elsewhere' }],
    });
    client = await new ApiClient(o.app).join(other.invitations[0]!.token, 'outsider@example.org');
  } else client = o.people[{ member: 'eve', deputy: 'dan', recalled: 'ben' }[role]]!;
  const { petitionId } = await o.people.ana!.ok<{ petitionId: string }>(
    'POST',
    `/orgs/${o.orgId}/petitions`,
    {
      kind: 'agenda',
      councilId: 'north',
      title: 'Fixture petition',
      text: '',
    },
  );
  const { requestId } = await o.people.ana!.ok<{ requestId: string }>('POST', `/orgs/${o.orgId}/requests`, {
    kind: 'change_witnesses',
    content: { witnesses: [] },
  });
  return {
    o,
    fedMotion: motionId,
    fedVote: m.voteId,
    danSeat,
    client,
    petition: petitionId,
    request: requestId,
  };
}

for (const role of ['outsider', 'member', 'deputy', 'recalled', 'anonymous'] as Role[]) {
  describe(`authorisation: ${role}`, () => {
    let f: Fixture;
    before(async () => {
      f = await fixture(role);
    });
    after(() => f.o.close());
    for (const [method, path, body, expected] of routes) {
      const want: Expect = role === 'anonymous' ? (expected.anonymous ?? U) : expected[role];
      const [status, error] = typeof want === 'number' ? [want, undefined] : want;
      test(`${method} ${path({ o: { orgId: ':org' }, fedMotion: ':motion', fedVote: ':vote', danSeat: ':mandate', petition: ':petition', request: ':request' } as Fixture)} → ${status}${error ? ' ' + error : ''}`, async () => {
        const res = await f.client.request(method, path(f), body);
        assert.equal(res.statusCode, status, res.body);
        if (error) assert.equal(res.json().error, error);
      });
    }
  });
}
