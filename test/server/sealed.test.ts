// Sealed records: the existence is public at once, the content on the release date; a reveal must open the
// commitment; an early reveal needs the approved act unseal_entry; the verifier checks every reveal.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { replayEntries } from '../../src/core/index.ts';
import { staticRecordSource, verifyRecord } from '../../src/record/index.ts';
import { recordKey } from '../../src/store/record-repository.ts';
import { revealDueRecords } from '../../src/server/sealed-records.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

describe('sealed records', () => {
  let o: ApiOrg;
  let seq: number;
  before(async () => {
    o = await apiOrg();
  });
  after(() => o.close());

  test('a member seals a record; its label and release date are public, its content is not', async () => {
    const releaseAt = new Date(o.clock.t + 60 * 60_000).toISOString();
    ({ seq } = await o.people.ana!.ok<{ seq: number }>('POST', `/orgs/${o.orgId}/councils/north/sealed`, {
      label: 'Minutes of the strike committee',
      content: 'We meet at the gate at six.',
      releaseAt,
    }));
    const list = await o.people.dan!.ok<any>('GET', `/orgs/${o.orgId}/sealed`);
    assert.equal(list.sealed, 1);
    assert.equal(list.records[0].label, 'Minutes of the strike committee');
    assert.equal(list.records[0].content, null);
    const log = await o.people.dan!.ok<any>('GET', `/orgs/${o.orgId}/log?from=${seq}&limit=1`);
    assert.ok(!JSON.stringify(log).includes('gate at six'), 'the content is not in the log before release');
    await o.people.dan!.fails(
      'POST',
      `/orgs/${o.orgId}/councils/north/sealed`,
      { label: 'x', content: 'y', releaseAt },
      403,
      'not_a_member',
    );
    await o.people.ana!.fails(
      'POST',
      `/orgs/${o.orgId}/councils/north/sealed`,
      { label: 'x', content: 'y' },
      400,
      'invalid_request',
    );
    // 20,000 characters of a three-byte script: 60,000 bytes, whose reveal (80,000 in base64) could never be
    // written; refused now, before anything is sealed.
    const before = await o.people.dan!.ok<any>('GET', `/orgs/${o.orgId}/sealed`);
    await o.people.ana!.fails(
      'POST',
      `/orgs/${o.orgId}/councils/north/sealed`,
      { label: 'x', content: '議'.repeat(20_000), releaseAt },
      400,
      'invalid_request',
    );
    assert.deepEqual(await o.people.dan!.ok<any>('GET', `/orgs/${o.orgId}/sealed`), before);
  });

  test('nobody reveals it early, and a wrong reveal does not open the commitment', async () => {
    assert.equal(await revealDueRecords(o.service), 0);
    const early = await o.service
      .ledger(o.orgId)
      .execute(
        { type: 'reveal_record', sealedSeq: seq, key: Buffer.alloc(32).toString('base64'), content: 'eA==' },
        null,
      );
    assert.ok(!early.ok && early.code === 'too_early');
    o.clock.advanceMinutes(61);
    const wrong = await o.service
      .ledger(o.orgId)
      .execute(
        { type: 'reveal_record', sealedSeq: seq, key: Buffer.alloc(32).toString('base64'), content: 'eA==' },
        null,
      );
    assert.ok(!wrong.ok && wrong.code === 'invalid_proof');
  });

  test('on its date the record is revealed by itself, and the verifier opens every reveal', async () => {
    assert.equal(await revealDueRecords(o.service), 1);
    const list = await o.people.dan!.ok<any>('GET', `/orgs/${o.orgId}/sealed`);
    assert.equal(list.revealed, 1);
    assert.equal(list.records[0].content, 'We meet at the gate at six.');
    await o.service.record.issue(o.orgId, true);
    const source = staticRecordSource(async (path) => {
      const res = await o.people.ana!.request('GET', `/orgs/${o.orgId}/record/${path}`);
      return res.statusCode === 200 ? new Uint8Array(res.rawPayload) : undefined;
    }, 'api');
    const report = await verifyRecord(source, {
      logKey: (await recordKey(o.db.kysely, o.orgId))!,
      replay: (e) => replayEntries(e),
    });
    assert.ok(report.ok, JSON.stringify(report.firstFailure));
    assert.equal(report.counts.sealed, 1);
    assert.equal(report.counts.revealed, 1);
  });
});
