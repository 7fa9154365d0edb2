// The anonymous secret-ballot writes (cast, challenge) are limited per client address by a token bucket: under
// the limit every legitimate ballot lands; over it the request is refused with 429 rate_limited and a Retry-After
// header and changes nothing; another address is not affected. Behind a trusted reverse proxy the address is the
// forwarded client's; without trust, X-Forwarded-For is ignored.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { main } from '../../src/cli/main.ts';
import { parseRateLimit, TokenBuckets } from '../../src/server/rate-limit.ts';
import { parseTrustProxy } from '../../src/server/trust-proxy.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { ApiClient } from '../support/api-client.ts';
import { registerOverApi } from '../support/secret-credential.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));

describe('token buckets', () => {
  test('grant a burst, then refill at the rate, per key', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 3, perMinute: 30 }, () => now);
    assert.deepEqual([b.take('a'), b.take('a'), b.take('a')], [0, 0, 0]);
    assert.equal(b.take('a'), 2, 'one token every 2 s');
    assert.equal(b.take('b'), 0, 'another address has its own bucket');
    now += 2000;
    assert.equal(b.take('a'), 0);
    assert.equal(b.take('a'), 2);
    now += 60_000;
    for (let i = 0; i < 3; i++) assert.equal(b.take('a'), 0, 'refilled up to the burst, not beyond');
    assert.ok(b.take('a') > 0);
  });

  test('parse BURST/PER_MINUTE or off, and refuse anything else', () => {
    assert.deepEqual(parseRateLimit('60/30'), { burst: 60, perMinute: 30 });
    assert.equal(parseRateLimit('off'), false);
    for (const bad of ['', '0/5', '5/0', '5', 'x/y', '-1/3'])
      assert.throws(() => parseRateLimit(bad), RangeError);
  });
});

test('the cast route limits each address; legitimate casts under the limit all land', async () => {
  const o = await apiOrg(undefined, undefined, { anonymousRate: { burst: 4, perMinute: 1 } });
  try {
    const g = await ballot.sodiumGroup();
    const people = ['ana', 'ben', 'cai'].map((k) => o.people[k]!);
    const ids = people.map((p) => p.memberId!);
    const [ana] = people;
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
    const board = async () =>
      (await ana!.ok<{ phase: string; board: (ballot.BoardEntry & { seq: number })[] }>('GET', path)).board;
    const setup = (await board())[0]!.body as ballot.SetupBody;
    const r1 = ids.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
    for (const [i, r] of r1.entries())
      await people[i]!.ok('POST', `${path}/trustee`, { kind: 'dkg-commit', body: r.message });
    const commits = r1.map((x) => x.message);
    for (const [i, r] of r1.entries())
      await people[i]!.ok('POST', `${path}/trustee`, {
        kind: 'dkg-shares',
        body: ballot.dkgShares(g, setup, r.secret, commits, rnd),
      });
    // registration by blind issuance; the anonymous listings come from the in-process client's own address
    const creds: { secret: string; public: string }[] = [];
    for (const p of people) creds.push((await registerOverApi(g, p, new ApiClient(o.app), path)).credential);
    const election = ballot.electionFromBoard(
      g,
      (await board()).map(({ kind, at, body }) => ({ kind, at, body }) as ballot.BoardEntry),
    )!;
    assert.ok(election, 'voting is open');

    const send = (route: 'ballots' | 'spoiled', body: object, remoteAddress = '192.0.2.7') =>
      o.app.inject({ method: 'POST', url: `/api/v1${path}/${route}`, payload: body, remoteAddress });
    // 4 requests from one address: 3 ballots and a challenge, all land
    const cast = creds.map((c, i) =>
      ballot.encryptBallot(g, election, c.secret, [[i === 1 ? 0 : 1, i === 1 ? 1 : 0, 0]], rnd),
    );
    const challenged = ballot.encryptBallot(g, election, creds[0]!.secret, [[0, 0, 1]], rnd);
    for (const c of cast) assert.equal((await send('ballots', { ballot: c.ballot })).statusCode, 201);
    const spoiled = ballot.spoilBallot(g, election, challenged.ballot, challenged.ballotNonce);
    assert.equal((await send('spoiled', { spoiled })).statusCode, 201);
    // the fifth is refused before anything is checked, and changes nothing
    const before = (await board()).length;
    const revote = ballot.encryptBallot(g, election, creds[2]!.secret, [[0, 1, 0]], rnd);
    const refused = await send('ballots', { ballot: revote.ballot });
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal((await send('spoiled', { spoiled: {} })).statusCode, 429, 'challenges share the bucket');
    assert.equal((await board()).length, before);
    // another address is not limited: the same revote lands from there
    assert.equal((await send('ballots', { ballot: revote.ballot }, '198.51.100.3')).statusCode, 201);
    const kinds = (await board()).map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'ballot').length, 4);
    assert.equal(kinds.filter((k) => k === 'spoiled').length, 1);
    // signed-in routes are not limited by it
    assert.equal((await ana!.ok<{ phase: string }>('GET', path)).phase, 'voting');
  } finally {
    await o.close();
  }
});

describe('behind a reverse proxy (--trust-proxy)', () => {
  test('parse false, true, a hop count, or a list of addresses and ranges; refuse anything else', () => {
    for (const off of ['false', 'off', '0']) assert.equal(parseTrustProxy(off), false);
    assert.equal(parseTrustProxy('true'), true);
    const two = parseTrustProxy('2') as (a: string, hop: number) => boolean;
    assert.deepEqual(
      [0, 1, 2].map((hop) => two('192.0.2.1', hop)),
      [true, true, false],
    );
    assert.deepEqual(parseTrustProxy(' 127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback '), [
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of [
      '',
      'yes',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0/8',
      '127.0.0.1,',
      'proxy.example',
      '1.2.3.4/8/8',
    ])
      assert.throws(() => parseTrustProxy(bad), RangeError, bad);
  });

  // The limiter runs before the route even parses its body, so a bad listing request spends a token like any other.
  async function granted(o: { app: ApiOrg['app']; orgId: string }, remoteAddress: string, xff?: string) {
    const r = await o.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${o.orgId}/votes/vote_none/secret/credentials`,
      payload: {},
      remoteAddress,
      ...(xff !== undefined ? { headers: { 'x-forwarded-for': xff } } : {}),
    });
    return r.statusCode !== 429;
  }
  const spend = async (o: ApiOrg, n: number, remote: string, xff?: (i: number) => string) => {
    let ok = 0;
    for (let i = 0; i < n; i++) if (await granted(o, remote, xff?.(i))) ok++;
    return ok;
  };
  const rate = { burst: 2, perMinute: 1 };

  test('trusting the proxy: each forwarded client has its own budget, and prepending addresses does not escape it', async () => {
    const o = await apiOrg(undefined, undefined, { anonymousRate: rate, trustProxy: ['127.0.0.1'] });
    try {
      assert.equal(await spend(o, 3, '127.0.0.1', () => '198.51.100.1'), 2, 'client 1: two, then 429');
      assert.equal(
        await spend(o, 3, '127.0.0.1', () => '198.51.100.2'),
        2,
        'client 2 has a budget of its own',
      );
      // client 1 again, prepending a fresh fake address each time: the proxy appended the real one last
      assert.equal(await spend(o, 2, '127.0.0.1', (i) => `203.0.113.${i}, 198.51.100.1`), 0);
      // a client that reaches the server directly, not through the proxy, is keyed on its own address
      assert.equal(await spend(o, 3, '192.0.2.9', (i) => `203.0.113.${i}`), 2);
    } finally {
      await o.close();
    }
  });

  test('a hop count and true take the forwarded address', async () => {
    const hop = await apiOrg(undefined, undefined, { anonymousRate: rate, trustProxy: parseTrustProxy('1') });
    try {
      assert.equal(await spend(hop, 3, '10.0.0.5', () => '203.0.113.1, 198.51.100.1'), 2);
      assert.equal(
        await spend(hop, 3, '10.0.0.5', () => '198.51.100.2'),
        2,
        'the nearest forwarded hop is the key',
      );
    } finally {
      await hop.close();
    }
    const all = await apiOrg(undefined, undefined, { anonymousRate: rate, trustProxy: true });
    try {
      assert.equal(await spend(all, 3, '10.0.0.5', () => '198.51.100.1, 10.0.0.4'), 2);
      assert.equal(
        await spend(all, 3, '10.0.0.5', () => '198.51.100.2, 10.0.0.4'),
        2,
        'the first address is the key',
      );
    } finally {
      await all.close();
    }
  });

  test('without trust (the default), a spoofed X-Forwarded-For does not escape the limit', async () => {
    const o = await apiOrg(undefined, undefined, { anonymousRate: rate });
    try {
      assert.equal(await spend(o, 5, '192.0.2.7', (i) => `198.51.100.${i}`), 2);
      assert.equal(
        await spend(o, 1, '192.0.2.8', () => '198.51.100.0'),
        1,
        'another connection is not affected',
      );
    } finally {
      await o.close();
    }
  });

  test('councils serve refuses a bad --trust-proxy before starting', async () => {
    let err = '';
    const code = await main(['serve', '--trust-proxy', '10.0.0.0/40'], {
      out: () => {},
      err: (t) => void (err += t),
    });
    assert.equal(code, 2);
    assert.match(err, /--trust-proxy: "10\.0\.0\.0\/40": the prefix length must be 0\.\.32/);
  });
});
