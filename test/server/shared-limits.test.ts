// Rate limits and revocations shared by API processes on one PostgreSQL database (docs/DEPLOYMENT.md "Rate limits
// and revocations"): two servers, each with its own pool as two processes would have, on one database. A token
// revoked or a session ended through one is refused by the other at once (it cached the principal before; the
// cache used to keep it for 30 s), and the anonymous rate limit counts one client's requests to both together
// (each used to give it a whole burst).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { sharedDatabase } from '../support/crash-runs.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { ApiClient } from '../support/api-client.ts';
import { checkReply } from '../support/response-check.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

/** Polls until `check` is true, for at most `ms`. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two API processes on one PostgreSQL database share', { skip: !pgUrl }, () => {
  let shared: Awaited<ReturnType<typeof sharedDatabase>>;
  let one: ApiOrg;
  let otherDb: Db;
  let other: FastifyInstance;
  const rate = { burst: 4, perMinute: 1 };
  before(async () => {
    shared = await sharedDatabase('postgres', pgUrl);
    one = await apiOrg(await openDatabase(shared.url), undefined, { anonymousRate: rate });
    otherDb = await openDatabase(shared.url);
    const service = new CouncilsService(otherDb, one.clock, { keyDir: one.keyDir });
    other = await buildApp({
      service,
      publicUrl: 'http://127.0.0.1:3000',
      inspectReply: checkReply,
      anonymousRate: rate,
    });
  });
  after(async () => {
    await other.close();
    await otherDb.close();
    await one.close();
    await shared.drop();
  });

  test('revocations: a token revoked, or a session ended, through one is refused by the other', async () => {
    const ana = one.people.ana!;
    const { id, token } = await ana.ok<{ id: string; token: string }>('POST', '/tokens', { name: 'script' });
    const viaOther = new ApiClient(other, token);
    await viaOther.ok('GET', '/me'); // the other process now has the principal cached
    await ana.ok('DELETE', `/tokens/${id}`);
    await within(5_000, 'the revoked token refused by the other process', async () => {
      return (await viaOther.request('GET', '/me')).statusCode === 401;
    });

    const ben = one.people.ben!;
    const benOther = new ApiClient(other);
    benOther.cookie = ben.cookie;
    await benOther.ok('GET', '/me');
    await ben.ok('DELETE', '/session');
    await within(5_000, 'the ended session refused by the other process', async () => {
      return (await benOther.request('GET', '/me')).statusCode === 401;
    });
  });

  test("the anonymous rate limit counts one address's requests to both processes together", async () => {
    const path = `/api/v1/orgs/${one.orgId}/votes/vote_none/secret/credentials`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const app = i % 2 === 0 ? one.app : other;
      const res = await app.inject({ method: 'POST', url: path, payload: {} });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(
      statuses.map((s) => s === 429),
      [false, false, false, false, true, true, true, true],
      `statuses ${statuses.join(' ')}`,
    );
  });
});
