// A cast while the ballot-check threads are stopped for their cool-down (src/node/ballot-checks.ts, RestartLimits):
// refused with 503 ballot_checks_paused and a clear message, nothing stored; it was a 500 internal_error. Its
// Retry-After header says when the cool-down ends (it had none).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import type { ModuleWorker } from '../../src/node/module-worker.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { systemClock } from '../../src/store/ledger.ts';
import { readySecretVote } from '../support/secret-vote.ts';
import { organisation } from '../support/factory.ts';

const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const members = ['m0', 'm1', 'm2'];

let dir: string;
let db: Db;
let service: CouncilsService;
let app: Awaited<ReturnType<typeof buildApp>>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'councils-checks-stopped-'));
  db = await openDatabase(join(dir, 'councils.db'));
  // one end stops the pool, for longer than the test
  service = new CouncilsService(db, systemClock, {
    keyDir: join(dir, 'keys'),
    ballotWorkers: 1,
    ballotRestartLimits: { maxEnds: 1, windowMs: 600_000, say: () => {} },
  });
  app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
});

after(async () => {
  await app.close();
  await service.ballotChecks?.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a cast while the ballot-check pool is stopped is a 503 ballot_checks_paused, and nothing is stored', async () => {
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
  const { orgId } = await service.found(
    organisation({
      name: 'Stopped',
      founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
    }),
  );
  const { voteId, election, secrets } = await readySecretVote(service, orgId, members, 'Cast while stopped');
  const checks = service.ballotChecks!;
  await checks.start();
  const [slot] = (
    checks as unknown as { slots: { worker: ModuleWorker<{ id: number }, { id: number; ok: true }> }[] }
  ).slots;
  await slot!.worker.terminate();
  const end = Date.now() + 120_000;
  while (checks.broken === null) {
    assert.ok(Date.now() < end, 'the pool not stopped in 120 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  const b = ballot.encryptBallot(g, election, secrets[0]!, [[1, 0, 0]], rnd).ballot;
  for (const language of ['en', 'es']) {
    const res = await fetch(`${url}/orgs/${orgId}/votes/${voteId}/secret/ballots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify({ ballot: b }),
    });
    const body = (await res.json()) as { error?: string; message?: string };
    assert.equal(res.status, 503, JSON.stringify(body));
    assert.equal(body.error, 'ballot_checks_paused');
    // the rest of the 600 s cool-down, in whole seconds
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(
      Number.isInteger(retry) && retry > 480 && retry <= 600,
      `Retry-After ${res.headers.get('retry-after')}`,
    );
    assert.match(
      body.message!,
      language === 'en' ? /cannot be checked .* nothing was cast/ : /no puede comprobar las papeletas/,
    );
  }
  assert.equal((await service.ledger(orgId).current()).votes.get(voteId)!.secret!.cast.length, 0);
});
