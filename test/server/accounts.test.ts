// Accounts a member manages without any administrator (docs/ACCOUNTS.md), through the API on SQLite and
// PostgreSQL, with the test clock (no sleeps): change of password (other sessions end) and of e-mail address,
// sessions and API tokens with their last use and revoke, sign-in throttling per e-mail address and per network
// address with growing delays, a member whose known browser still signs in while someone else guesses, and a
// password reset issued by the council (k of n, never one person) whose link works once and ends every session.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { keyProofMessage, publicKeyOf, signMessage } from '../../src/core/index.ts';
import { throttleRules } from '../../src/server/sign-in-throttle.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

const good = 'correct horse battery';
const utf8 = new TextEncoder();

/** A sign-in from a given network address, with a device cookie or none; returns the reply. */
async function signIn(o: ApiOrg, email: string, password: string, from = '10.0.0.1', device?: string) {
  return o.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: from,
    headers: {
      'user-agent': `browser at ${from}`,
      ...(device ? { cookie: `councils_device=${device}` } : {}),
    },
    payload: { email, password },
  });
}

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : set ? [set as string] : [];
  return all
    .find((c: string) => c.startsWith(`${name}=`))
    ?.split(';')[0]!
    .slice(name.length + 1);
}

/** A client signed in as `email` by the API, with its own session. */
async function session(o: ApiOrg, email: string, password = good, from = '10.0.0.9'): Promise<ApiClient> {
  const res = await signIn(o, email, password, from);
  assert.equal(res.statusCode, 201, res.body);
  const c = new ApiClient(o.app);
  c.cookie = `councils_session=${cookieOf(res, 'councils_session')}`;
  c.csrf = res.json().csrfToken;
  return c;
}

for (const database of testDatabases()) {
  describe(`accounts on ${database.name}`, () => {
    let o: ApiOrg;
    before(async () => {
      o = await apiOrg(await database.open());
    });
    after(async () => {
      await o.close();
    });

    test('change of password: the current one is needed, the new one is checked, other sessions end', async () => {
      const here = await session(o, 'ben@example.org');
      const there = await session(o, 'ben@example.org', good, '10.0.0.8');
      await here.fails(
        'POST',
        '/account/password',
        { currentPassword: 'not it at all', newPassword: 'a new long password' },
        403,
        'wrong_password',
      );
      const weak = await here.request('POST', '/account/password', {
        currentPassword: good,
        newPassword: 'aaaaaaaaaa',
      });
      assert.equal(weak.statusCode, 400);
      assert.deepEqual([weak.json().error, weak.json().field], ['password_repetitive', 'newPassword']);
      await here.fails(
        'POST',
        '/account/password',
        { currentPassword: good, newPassword: 'ben@example.org!' },
        400,
        'password_personal',
      );
      await here.ok('POST', '/account/password', {
        currentPassword: good,
        newPassword: 'tide pools at dusk',
      });
      await here.ok('GET', '/me');
      await there.fails('GET', '/me', undefined, 401, 'unauthenticated');
      assert.equal((await signIn(o, 'ben@example.org', good)).statusCode, 401);
      assert.equal((await signIn(o, 'ben@example.org', 'tide pools at dusk')).statusCode, 201);
    });

    test('sessions and API tokens: when made, last used, from what user agent; revoke', async () => {
      const mine = await session(o, 'cai@example.org', good, '10.0.1.1');
      const other = await session(o, 'cai@example.org', good, '10.0.1.2');
      const { sessions } = await mine.ok<{
        sessions: { id: string; current: boolean; userAgent: string; lastUsedAt: string }[];
      }>('GET', '/sessions');
      assert.ok(sessions.length >= 2);
      const current = sessions.find((s) => s.current)!;
      assert.equal(current.userAgent, 'browser at 10.0.1.1');
      const theOther = sessions.find((s) => s.userAgent === 'browser at 10.0.1.2')!;
      await mine.ok('DELETE', `/sessions/${theOther.id}`);
      await other.fails('GET', '/me', undefined, 401, 'unauthenticated');
      await mine.fails('DELETE', `/sessions/${theOther.id}`, undefined, 404, 'not_found');
      // Another member cannot end my session.
      const dan = o.people.dan!;
      await dan.fails('DELETE', `/sessions/${current.id}`, undefined, 404, 'not_found');
      await mine.ok('GET', '/me');

      const t = await mine.ok<{ id: string; token: string }>('POST', '/tokens', { name: 'script' });
      o.clock.advanceMinutes(5);
      const used = await o.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${t.token}`, 'user-agent': 'my-script/1.0' },
      });
      assert.equal(used.statusCode, 200);
      const { tokens } = await mine.ok<{ tokens: { id: string; lastUsedAt: string; userAgent: string }[] }>(
        'GET',
        '/tokens',
      );
      const listed = tokens.find((x) => x.id === t.id)!;
      assert.deepEqual([listed.userAgent, listed.lastUsedAt], ['my-script/1.0', o.clock.now().toISOString()]);
      await mine.ok('DELETE', `/tokens/${t.id}`);
      const revoked = await o.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${t.token}` },
      });
      assert.equal(revoked.statusCode, 401);
    });

    test('e-mail change without a mail relay: confirmed by the password', async () => {
      const eve = await session(o, 'eve@example.org');
      await eve.fails(
        'POST',
        '/account/email',
        { email: 'eve@new.example', password: 'not the password' },
        403,
        'wrong_password',
      );
      await eve.fails(
        'POST',
        '/account/email',
        { email: 'dan@example.org', password: good },
        409,
        'email_taken',
      );
      const r = await eve.ok<{ email: string; confirmed: boolean }>('POST', '/account/email', {
        email: 'Eve@New.example',
        password: good,
      });
      assert.deepEqual(r, { email: 'eve@new.example', confirmed: true });
      assert.deepEqual(await eve.ok('GET', '/account'), { email: 'eve@new.example', resetBy: 'council' });
      assert.equal((await signIn(o, 'eve@new.example', good)).statusCode, 201);
      assert.equal((await signIn(o, 'eve@example.org', good)).statusCode, 401);
    });

    test('throttling: growing delays per e-mail address with Retry-After; a known browser still signs in', async () => {
      // Dan signs in from his own browser once: it is known from then on.
      const first = await signIn(o, 'dan@example.org', good, '10.0.2.1');
      const device = cookieOf(first, 'councils_device')!;
      assert.ok(device, 'a device cookie is set');
      // Someone else guesses from elsewhere.
      const attacker = (n: number) => `10.9.0.${n}`;
      for (let i = 0; i < throttleRules.freeFailures; i++)
        assert.equal((await signIn(o, 'dan@example.org', `guess number ${i}`, attacker(i))).statusCode, 401);
      const held = await signIn(o, 'dan@example.org', 'another guess', attacker(9));
      assert.equal(held.statusCode, 429);
      assert.equal(held.json().error, 'sign_in_throttled');
      assert.equal(held.headers['retry-after'], '1');
      assert.match(held.json().message, /try again in 1 s \(at \d\d:\d\d:\d\d UTC\)/);
      // Even the right password waits, from a browser that never signed in to Dan's account...
      assert.equal((await signIn(o, 'dan@example.org', good, '10.0.2.2')).statusCode, 429);
      // ...but not from Dan's own.
      const mine = await signIn(o, 'dan@example.org', good, '10.0.2.1', device);
      assert.equal(mine.statusCode, 201, mine.body);
      // The success cleared the count: the guesser starts again, and the delays grow 1, 2, 4 s.
      for (let i = 0; i < throttleRules.freeFailures; i++)
        await signIn(o, 'dan@example.org', `guess again ${i}`, attacker(i));
      for (const wait of [1, 2, 4]) {
        const r = await signIn(o, 'dan@example.org', 'guess', attacker(50));
        assert.equal(r.headers['retry-after'], String(wait));
        o.clock.t += wait * 1000;
        assert.equal((await signIn(o, 'dan@example.org', 'guess', attacker(51))).statusCode, 401);
      }
      // Dan's browser is never held.
      assert.equal((await signIn(o, 'dan@example.org', good, '10.0.2.1', device)).statusCode, 201);
    });

    test('throttling per network address: one address cannot guess at many accounts', async () => {
      const from = '10.7.7.7';
      for (let i = 0; i < throttleRules.addressBurst; i++)
        assert.equal((await signIn(o, `nobody${i}@example.org`, 'some guess here', from)).statusCode, 401);
      const r = await signIn(o, 'someone-else@example.org', 'some guess here', from);
      assert.equal(r.statusCode, 429);
      assert.match(r.json().message, /from this network address/);
      assert.equal(r.headers['retry-after'], '120', 'one failure back every 2 minutes');
      assert.equal(
        (await signIn(o, 'cai@example.org', good, '10.7.7.8')).statusCode,
        201,
        'others are not held',
      );
    });

    test('a reset issued by the council: two approvals, one-time link, every session and token ends', async () => {
      const orgId = o.orgId;
      const ana = o.people.ana!;
      const secretOf = (who: string) => Buffer.from(`${who} approval key`.padEnd(32, '.')).toString('hex');
      for (const who of ['ben', 'cai', 'dan', 'eve']) {
        const c = who === 'ben' ? await session(o, 'ben@example.org', 'tide pools at dusk') : o.people[who]!;
        o.people[who] = c;
        const me = await c.ok<{ member: { id: string } }>('GET', '/me');
        const publicKey = publicKeyOf(secretOf(who));
        const proof = signMessage(keyProofMessage(orgId, me.member.id, publicKey), secretOf(who));
        await c.ok('POST', `/orgs/${orgId}/keys`, { publicKey, proof });
      }
      const approve = async (who: string, requestId: string) => {
        const c = o.people[who]!;
        const r = await c.ok<{ signing: { message: string } }>('GET', `/orgs/${orgId}/requests/${requestId}`);
        return c.ok<{ acts: string[]; resetLink?: string }>(
          'POST',
          `/orgs/${orgId}/requests/${requestId}/approvals`,
          {
            signature: signMessage(utf8.encode(r.signing.message), secretOf(who)),
          },
        );
      };
      // Never one person: Dan's council has one other member, so nobody can reset Dan's password.
      await o.people.eve!.fails(
        'POST',
        `/orgs/${orgId}/requests`,
        { kind: 'reset_password', content: { memberId: o.people.dan!.memberId } },
        409,
        'no_authority',
      );

      const token = await ana.ok<{ token: string }>('POST', '/tokens', { name: 'old script' });
      const { requestId } = await o.people.ben!.ok<{ requestId: string }>('POST', `/orgs/${orgId}/requests`, {
        kind: 'reset_password',
        content: { memberId: ana.memberId },
      });
      const r = await o.people.ben!.ok<{ required: number; approvers: string[] }>(
        'GET',
        `/orgs/${orgId}/requests/${requestId}`,
      );
      assert.equal(r.required, 2);
      assert.ok(!r.approvers.includes(ana.memberId!), 'the member named does not approve');
      assert.equal((await approve('ben', requestId)).resetLink, undefined, 'one approval issues nothing');
      const done = await approve('cai', requestId);
      assert.ok(done.acts.includes('privileged_act_done'));
      const link = done.resetLink!;
      assert.match(link, /^http:\/\/127\.0\.0\.1:3000\/reset\/[A-Za-z0-9_-]{43}$/);
      const secret = link.split('/').pop()!;

      const anon = new ApiClient(o.app);
      assert.deepEqual(await anon.ok('GET', `/password-resets/${secret}`), {
        expiresAt: new Date(o.clock.t + 24 * 3_600_000).toISOString(),
        via: 'council',
        name: 'Ana',
      });
      await anon.fails(
        'POST',
        `/password-resets/${secret}`,
        { password: 'password123' },
        400,
        'password_common',
      );
      await anon.ok('POST', `/password-resets/${secret}`, { password: 'new moon over the harbour' });
      await ana.fails('GET', '/me', undefined, 401, 'unauthenticated');
      const byToken = await o.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token.token}` },
      });
      assert.equal(byToken.statusCode, 401, 'API tokens end too');
      await anon.fails(
        'POST',
        `/password-resets/${secret}`,
        { password: 'another fine password' },
        410,
        'link_used',
      );
      assert.equal((await signIn(o, 'ana@example.org', good)).statusCode, 401);
      assert.equal((await signIn(o, 'ana@example.org', 'new moon over the harbour')).statusCode, 201);

      // A link not used in time expires.
      const again = await o.people.ben!.ok<{ requestId: string }>('POST', `/orgs/${orgId}/requests`, {
        kind: 'reset_password',
        content: { memberId: ana.memberId },
      });
      await approve('ben', again.requestId);
      const late = (await approve('cai', again.requestId)).resetLink!.split('/').pop()!;
      o.clock.advanceMinutes(24 * 60 + 1);
      await anon.fails(
        'POST',
        `/password-resets/${late}`,
        { password: 'another fine password' },
        410,
        'link_expired',
      );
    });

    test('without a mail relay, "forgot my password" says to ask the council', async () => {
      const r = await new ApiClient(o.app).ok('POST', '/password-resets', { email: 'ana@example.org' });
      assert.deepEqual(r, { byEmail: false });
    });
  });
}
