// The record through the API: checkpoints signed with the log key, inclusion and consistency proofs, tiles, and
// verification of the served record with the core's replay; an operator's edits are caught.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { replayEntries } from '../../src/core/index.ts';
import {
  fromBase64,
  openCheckpoint,
  parseVerifierKey,
  staticRecordSource,
  verifyConsistency,
  verifyInclusion,
  verifyRecord,
} from '../../src/record/index.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';

describe('the record over the API', () => {
  let o: ApiOrg;
  let prefix: string;
  let vkey: string;
  const anonymous = () => new ApiClient(o.app);

  before(async () => {
    o = await apiOrg();
    prefix = `/orgs/${o.orgId}/record`;
    await electViaApi(o, 'north', 'ben', ['ana', 'ben', 'cai']);
  });
  after(() => o.close());

  const source = (client: ApiClient) =>
    staticRecordSource(async (path) => {
      const res = await client.request('GET', `${prefix}/${path}`);
      return res.statusCode === 200 ? new Uint8Array(res.rawPayload) : undefined;
    }, 'api');

  test('a signed checkpoint covers every entry; the key and checkpoints are public', async () => {
    await anonymous().fails('GET', `${prefix}/checkpoint`, undefined, 404, 'not_found');
    assert.ok(await o.service.record.issue(o.orgId, true));
    vkey = (await anonymous().request('GET', `${prefix}/vkey`)).body.trim();
    const note = (await anonymous().request('GET', `${prefix}/checkpoint`)).body;
    const cp = openCheckpoint(note, `councils/${o.orgId}`, parseVerifierKey(vkey)).checkpoint;
    assert.equal(cp.size, (await o.service.ledger(o.orgId).current()).size);
  });

  test('an entry comes with an inclusion proof against the checkpoint; members only', async () => {
    await anonymous().fails('GET', `${prefix}/entries/3`, undefined, 401, 'unauthenticated');
    const r = await o.people.eve!.ok<any>('GET', `${prefix}/entries/3`);
    const cp = openCheckpoint(r.checkpoint, `councils/${o.orgId}`, parseVerifierKey(vkey)).checkpoint;
    assert.equal(JSON.parse(r.entry).seq, 3);
    const proof = r.proof.map((p: string) => fromBase64(p)!);
    assert.equal(verifyInclusion(fromBase64(r.leafHash)!, 3, r.size, proof, cp.rootHash), true);
    const other = new Uint8Array(cp.rootHash);
    other[0]! ^= 1;
    assert.equal(verifyInclusion(fromBase64(r.leafHash)!, 3, r.size, proof, other), false);
  });

  test('a consistency proof links two checkpoints', async () => {
    const first = openCheckpoint(
      (await anonymous().request('GET', `${prefix}/checkpoint`)).body,
      `councils/${o.orgId}`,
      parseVerifierKey(vkey),
    ).checkpoint;
    await o.people.ana!.ok('POST', `/orgs/${o.orgId}/councils/north/motions`, { title: 'More', text: '' });
    await o.service.record.issue(o.orgId, true);
    const second = openCheckpoint(
      (await anonymous().request('GET', `${prefix}/checkpoint`)).body,
      `councils/${o.orgId}`,
      parseVerifierKey(vkey),
    ).checkpoint;
    const r = (
      await anonymous().request('GET', `${prefix}/consistency?from=${first.size}&to=${second.size}`)
    ).json();
    const proof = r.proof.map((p: string) => fromBase64(p)!);
    assert.equal(verifyConsistency(first.size, second.size, proof, first.rootHash, second.rootHash), true);
    await anonymous().fails(
      'GET',
      `${prefix}/consistency?from=2&to=${second.size}`,
      undefined,
      404,
      'not_found',
    );
  });

  test('the served record verifies, tiles and all, and the replay recounts every vote', async () => {
    const report = await verifyRecord(source(o.people.ana!), {
      logKey: vkey,
      replay: (e) => replayEntries(e),
    });
    assert.ok(report.ok, JSON.stringify(report.firstFailure));
    assert.ok(report.checks.some((c) => c.id === 'replay_recount' && c.status === 'pass'));
  });

  test('an entry changed in the database is caught and named', async () => {
    const row = await o.db.kysely
      .selectFrom('log_entries')
      .select(['body'])
      .where('org_id', '=', o.orgId)
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    await o.db.kysely
      .updateTable('log_entries')
      .set({ body: row.body.replace('Ben', 'Bob') })
      .where('org_id', '=', o.orgId)
      .where('seq', '=', 2)
      .execute();
    assert.ok(row.body.includes('Ben'));
    const report = await verifyRecord(source(o.people.ana!), { logKey: vkey });
    assert.equal(report.ok, false);
    assert.equal(report.firstFailure?.where?.entry, 2, JSON.stringify(report.firstFailure));
    await o.db.kysely
      .updateTable('log_entries')
      .set({ body: row.body })
      .where('org_id', '=', o.orgId)
      .where('seq', '=', 2)
      .execute();
  });

  test("an operator who appends a forged ballot and signs a checkpoint is caught by the core's rules", async () => {
    // A vote where Dan (South) has no right to vote; the operator writes his ballot straight into the log.
    const { motionId } = await o.people.ana!.ok<any>('POST', `/orgs/${o.orgId}/councils/north/motions`, {
      title: 'Forged',
      text: '',
    });
    await o.people.ana!.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/vote`, {});
    const { voteId } = await o.people.ana!.ok<any>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
    const { appendEntries } = await import('../../src/store/log-repository.ts');
    const size = (await o.service.ledger(o.orgId).current()).size;
    const dan = o.people.dan!.memberId!;
    await o.db.kysely.transaction().execute((trx) =>
      appendEntries(trx, o.orgId, [
        {
          seq: size,
          act: 'ballot_cast',
          actor: dan,
          time: new Date(o.clock.t).toISOString(),
          payload: { voteId, ballot: { choice: 'a1' } },
        },
      ]),
    );
    await o.service.record.issue(o.orgId, true);
    const report = await verifyRecord(source(o.people.ana!), {
      logKey: vkey,
      replay: (e) => replayEntries(e),
    });
    assert.equal(report.ok, false);
    assert.equal(report.firstFailure?.id, 'replay_rules');
    assert.equal(report.firstFailure?.where?.entry, size);
    assert.match(report.firstFailure?.detail ?? '', /not_an_elector/);
  });
});
