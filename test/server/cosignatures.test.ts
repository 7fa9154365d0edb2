// Witness cosignatures: a listed witness's line is added to the checkpoint and satisfies a verifier's policy;
// lines by unlisted keys, over another checkpoint, or repeated are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  checkWitnessPolicy,
  encodeCosignerKeyPair,
  noteSignatureLines,
  parseCosignerKey,
} from '../../src/record/index.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

describe('witness cosignatures', () => {
  let o: ApiOrg;
  const witness = encodeCosignerKeyPair('witness.example.org', new Uint8Array(32).fill(7));
  const stranger = encodeCosignerKeyPair('stranger.example.org', new Uint8Array(32).fill(9));
  let size: number;
  let note: string;

  before(async () => {
    o = await apiOrg();
    note = (await o.service.record.issue(o.orgId, true))!;
    size = (await o.service.ledger(o.orgId).current()).size;
  });
  after(() => o.close());

  const post = (line: string, s = size) =>
    new ApiClient(o.app).request('POST', `/orgs/${o.orgId}/record/cosignatures`, { size: s, line });
  const cosign = (skey: string) =>
    parseCosignerKey(skey).cosign(noteSignatureLines(note).text, 1_700_000_000n);

  test('without listed witnesses, nothing is accepted', async () => {
    const res = await post(cosign(witness.signerKey));
    assert.equal(res.statusCode, 403);
  });

  test('a listed witness cosigns; the stored checkpoint then meets a policy requiring it', async () => {
    // The list is normally changed by the privileged act change_witnesses (tested in test/core/power/approvals.test.ts);
    // here the state is set directly to test the route alone.
    (await o.service.ledger(o.orgId).current()).power.witnesses = [witness.verifierKey];
    assert.equal((await post(cosign(stranger.signerKey))).json().error, 'invalid_proof');
    assert.equal((await post('not a signature line')).json().error, 'invalid_request');
    const ok = await post(cosign(witness.signerKey));
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal((await post(cosign(witness.signerKey))).json().error, 'already_exists');
    const stored = (await new ApiClient(o.app).request('GET', `/orgs/${o.orgId}/record/checkpoint`)).body;
    const { text, sigs } = noteSignatureLines(stored);
    assert.equal(checkWitnessPolicy(text, sigs, { witnesses: [witness.verifierKey], required: 1 }).ok, true);
  });
});
