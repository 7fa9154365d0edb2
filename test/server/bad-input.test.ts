// Bad input gets a 4xx with a message saying what is wrong, and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

describe('bad input', () => {
  let o: ApiOrg;
  let sizeBefore: number;
  let motionId: string;
  let voteId: string;
  before(async () => {
    o = await apiOrg();
    ({ motionId } = await o.people.ana!.ok<{ motionId: string }>(
      'POST',
      `/orgs/${o.orgId}/councils/north/motions`,
      {
        title: 'Hours',
        text: '',
      },
    ));
    await o.people.ana!.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/vote`, {});
    ({ voteId } = await o.people.ana!.ok<{ voteId: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`));
    sizeBefore = (await o.service.ledger(o.orgId).current()).size;
  });
  after(async () => {
    assert.equal(
      (await o.service.ledger(o.orgId).current()).size,
      sizeBefore,
      'no bad request changed the log',
    );
    await o.close();
  });

  const cases: [string, string, (o: ApiOrg) => string, unknown, number, string, RegExp?][] = [
    [
      'missing title',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/north/motions`,
      { text: '' },
      400,
      'invalid_request',
      /title/,
    ],
    [
      'empty title',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/north/motions`,
      { title: '', text: '' },
      400,
      'invalid_request',
      /title/,
    ],
    [
      'blank title',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/north/motions`,
      { title: '   ', text: '' },
      400,
      'invalid_request',
      /title/,
    ],
    [
      'unknown property',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/north/motions`,
      { title: 'x', text: '', chair: 'me' },
      400,
      'invalid_request',
    ],
    [
      'text too long',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/north/motions`,
      { title: 'x', text: 'y'.repeat(20_001) },
      400,
      'invalid_request',
      /text/,
    ],
    [
      'wrong type',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/north/motions`,
      { title: { text: 'x' }, text: '' },
      400,
      'invalid_request',
      /title/,
    ],
    [
      'bad majority',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/north/motions`,
      { title: 'x', text: '', majority: 'most' },
      400,
      'invalid_request',
    ],
    [
      'unknown council',
      'POST',
      (o) => `/orgs/${o.orgId}/councils/nowhere/motions`,
      { title: 'x', text: '' },
      404,
      'not_found',
    ],
    [
      'bad stance',
      'POST',
      (o) => `/orgs/${o.orgId}/motions/m/comments`,
      { stance: 'maybe', text: 'x' },
      400,
      'invalid_request',
      /stance/,
    ],
    [
      'unknown motion',
      'POST',
      (o) => `/orgs/${o.orgId}/motions/nope/comments`,
      { stance: 'for', text: 'x' },
      404,
      'not_found',
    ],
    ['bad id characters', 'GET', (o) => `/orgs/${o.orgId}/motions/a%20b`, undefined, 400, 'invalid_request'],
    ['no such route', 'GET', () => `/nothing`, undefined, 404, 'not_found'],
    [
      'vote minutes zero',
      'POST',
      (o) => `/orgs/${o.orgId}/motions/x/vote`,
      { minutes: 0 },
      400,
      'invalid_request',
      /minutes/,
    ],
  ];
  for (const [name, method, path, body, status, error, message] of cases) {
    test(`${name} → ${status} ${error}`, async () => {
      const res = await o.people.ana!.request(method, path(o), body);
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error, error);
      if (message) assert.match(res.json().message, message);
    });
  }

  test('a ballot naming no option is refused with the options it could name', async () => {
    const res = await o.people.ben!.request('POST', `/orgs/${o.orgId}/votes/${voteId}/ballots`, {
      choice: 'a7',
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'invalid_choice');
    assert.match(res.json().message, /a1, against/);
  });

  test('malformed JSON', async () => {
    const res = await o.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${o.orgId}/councils/north/motions`,
      headers: {
        cookie: o.people.ana!.cookie!,
        'x-csrf-token': o.people.ana!.csrf!,
        'content-type': 'application/json',
      },
      payload: '{"title": ',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'malformed_json');
  });

  test('a cookie-authenticated write without the CSRF token is refused', async () => {
    const c = new ApiClient(o.app);
    c.cookie = o.people.ana!.cookie;
    await c.fails(
      'POST',
      `/orgs/${o.orgId}/councils/north/motions`,
      { title: 'x', text: '' },
      403,
      'csrf_failed',
    );
    c.csrf = 'forged';
    await c.fails(
      'POST',
      `/orgs/${o.orgId}/councils/north/motions`,
      { title: 'x', text: '' },
      403,
      'csrf_failed',
    );
  });

  test('API tokens: made, used without CSRF, revoked; a bad token is refused', async () => {
    const t = await o.people.ana!.ok<{ id: string; token: string }>('POST', '/tokens', { name: 'script' });
    const script = new ApiClient(o.app, t.token);
    const me = await script.ok<{ member: { name: string } }>('GET', '/me');
    assert.equal(me.member.name, 'Ana');
    await o.people.ana!.ok('DELETE', `/tokens/${t.id}`);
    await script.fails('GET', '/me', undefined, 401, 'unauthenticated');
    await new ApiClient(o.app, 'cnl_nonsense').fails('GET', '/me', undefined, 401, 'unauthenticated');
  });

  test('sign-in with a wrong password, sign-out, and a short password on joining', async () => {
    const c = new ApiClient(o.app);
    await c.fails(
      'POST',
      '/session',
      { email: 'ana@example.org', password: 'wrong password' },
      401,
      'wrong_credentials',
    );
    await c.fails(
      'POST',
      '/session',
      { email: 'nobody@example.org', password: 'wrong password' },
      401,
      'wrong_credentials',
    );
    const r = await c.ok<{ csrfToken: string }>('POST', '/session', {
      email: 'ANA@example.org',
      password: 'correct horse battery',
    });
    c.csrf = r.csrfToken;
    await c.ok('GET', '/me');
    await c.ok('DELETE', '/session');
    await c.fails('GET', '/me', undefined, 401, 'unauthenticated');
    const inv = await o.people.ana!.ok<{ token: string }>(
      'POST',
      `/orgs/${o.orgId}/councils/north/invitations`,
      { name: 'Fay' },
    );
    sizeBefore += 1;
    await new ApiClient(o.app).fails(
      'POST',
      `/invitations/${inv.token}/accept`,
      { email: 'fay@example.org', password: 'short' },
      400,
      'password_too_short',
    );
    await new ApiClient(o.app).fails(
      'POST',
      `/invitations/${inv.token}/accept`,
      { email: 'ana@example.org', password: 'long enough password' },
      409,
      'email_taken',
    );
    await new ApiClient(o.app).join(inv.token, 'fay@example.org');
    sizeBefore += 1;
    await new ApiClient(o.app).fails(
      'POST',
      `/invitations/${inv.token}/accept`,
      { email: 'gus@example.org', password: 'long enough password' },
      409,
      'invitation_used',
    );
  });
});
