// An organisation founded in a fresh in-process server, with every founder signed in through the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { attentionByScan, attentionFor } from '../../src/core/index.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { CouncilsService, type ServiceOptions } from '../../src/server/service.ts';
import type { Db } from '../../src/store/database.ts';
import { openDatabase } from '../../src/store/database.ts';
import { ApiClient } from './api-client.ts';
import { smtpTransport } from '../../src/server/mail/mailer.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import { TestClock } from './databases.ts';
import { checkReply } from './response-check.ts';
import { organisation, withInstantProcedure } from './factory.ts';
import { testPasswordHashCost } from './password-cost.ts';

export interface ApiOrg {
  app: FastifyInstance;
  service: CouncilsService;
  db: Db;
  clock: TestClock;
  /** Where the organisation's log key is (a `councils serve` child given it as COUNCILS_KEY_DIR can write). */
  keyDir: string;
  orgId: string;
  people: Record<string, ApiClient>;
  close(): Promise<void>;
}

export const federation = organisation({
  name: 'Federation of Workers',
  councils: [
    { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
    { id: 'north', name: 'North', parentId: 'fed', seatsInParent: 1 },
    { id: 'south', name: 'South', parentId: 'fed', seatsInParent: 1 },
  ],
  founders: [],
  invitations: [
    { name: 'Ana', councilId: 'north' },
    { name: 'Ben', councilId: 'north' },
    { name: 'Cai', councilId: 'north' },
    { name: 'Dan', councilId: 'south' },
    { name: 'Eve', councilId: 'south' },
  ],
});

/**
 * `constitution` (optional) is the founders' constitution, e.g. { payVisibility: 'individuals' }; `options` are
 * extra options of the app (e.g. its anonymous rate limit, the proxies it trusts).
 */
export async function apiOrg(
  db?: Db,
  constitution?: Record<string, unknown>,
  options: Partial<Pick<AppOptions, 'anonymousRate' | 'trustProxy' | 'live'>> = {},
  serviceOptions: Pick<ServiceOptions, 'mail' | 'webhooks'> = {},
): Promise<ApiOrg> {
  const database = db ?? (await openDatabase(':memory:'));
  const clock = new TestClock();
  const keyDir = mkdtempSync(join(tmpdir(), 'councils-keys-'));
  const service = new CouncilsService(database, clock, {
    keyDir,
    passwordHash: testPasswordHashCost,
    ...serviceOptions,
  });
  const app = await buildApp({
    service,
    publicUrl: 'http://127.0.0.1:3000',
    inspectReply: checkReply,
    ...options,
  });
  const { orgId, invitations } = await service.foundWithInvitations(
    constitution ? { ...federation, constitution: withInstantProcedure(constitution) } : federation,
  );
  const people: Record<string, ApiClient> = {};
  for (const inv of invitations) {
    const key = inv.name.toLowerCase();
    people[key] = await new ApiClient(app).join(inv.token, `${key}@example.org`);
  }
  return {
    app,
    service,
    db: database,
    clock,
    keyDir,
    orgId,
    people,
    close: async () => {
      // Every API test also checks the attention index: each member's inbox read through it equals the full scan.
      const state = await service
        .ledger(orgId)
        .current()
        .catch(() => null);
      const now = clock.now().toISOString();
      if (state)
        for (const id of state.members.keys())
          assert.deepEqual(attentionFor(state, id, now), attentionByScan(state, id, now), `inbox of ${id}`);
      await app.close();
      await database.close();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** Elects a deputy from a base council by the votes of all of its members; returns the mandate id. */
export async function electViaApi(
  o: ApiOrg,
  council: string,
  candidate: string,
  voters: string[],
): Promise<string> {
  const org = o.orgId;
  const first = o.people[voters[0]!]!;
  const { motionId } = await first.ok<{ motionId: string }>(
    'POST',
    `/orgs/${org}/councils/${council}/elections`,
    {},
  );
  await first.ok('POST', `/orgs/${org}/motions/${motionId}/alternatives`, {
    title: candidate,
    text: '',
    candidateId: o.people[candidate]!.memberId,
  });
  await first.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
  const motion = await first.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
  for (const v of voters)
    await o.people[v]!.ok('POST', `/orgs/${org}/votes/${motion.voteId}/ballots`, { choice: 'a1' });
  const m = await first.ok<{ vote: { winner: string } }>('GET', `/orgs/${org}/motions/${motionId}`);
  if (m.vote.winner !== 'a1') throw new Error('election failed');
  const me = await o.people[candidate]!.ok<{ mandates: { id: string; endedAt: string | null }[] }>(
    'GET',
    '/me',
  );
  return me.mandates.find((x) => x.endedAt === null)!.id;
}

/** An organisation as `apiOrg` makes it, whose server sends e-mail to a real SMTP sink (the e-mail tests). */
export async function apiOrgWithMail(
  db: Db,
  constitution?: Record<string, unknown>,
): Promise<{ o: ApiOrg; sink: SmtpSink; close(): Promise<void> }> {
  const sink = await startSmtpSink();
  const transport = smtpTransport(sink.url);
  const o = await apiOrg(
    db,
    constitution,
    {},
    { mail: { transport, from: 'Councils <councils@councils.test>', publicUrl: 'http://127.0.0.1:3000' } },
  );
  return {
    o,
    sink,
    close: async () => {
      transport.close();
      await o.close();
      await sink.close();
    },
  };
}
