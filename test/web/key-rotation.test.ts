// The record page after a rotation of the log key: a browser that pinned the first key verifies the whole record
// (checkpoints of both keys) and checks an entry under a checkpoint of the new key, reaching the new key through
// the log's own rotation entries rather than by trusting the server (docs/RECORD.md "Key history").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { keyProofMessage, publicKeyOf, signMessage } from '../../src/core/index.ts';
import { joinByApi, personPage, startWeb, type Api, type WebFixture } from './harness.ts';
import { organisation } from '../support/factory.ts';

const utf8 = new TextEncoder();
const secretOf = (who: string) => bytesToHex(sha256(utf8.encode(`web rotation key of ${who}`)));

describe('the record page after a log key rotation', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb(
      organisation({
        name: 'Rotating collective',
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong'].map((name) => ({ name, councilId: 'all' })),
      }) as unknown as Parameters<typeof startWeb>[0],
    );
  });
  after(async () => {
    await f?.close();
  });

  test('a browser pinned to the first key follows the rotation through the log', async () => {
    const { issueDueCheckpoints } = await import('../../src/server/scheduler.ts');
    const issue = () => issueDueCheckpoints(f.server.service as never, true);
    const ana = await personPage(f);
    const ben = await personPage(f);
    const apis: Record<string, Api> = {
      ana: await joinByApi(f, ana, 'ana'),
      ben: await joinByApi(f, ben, 'ben'),
    };
    const { motionId } = await apis.ana!.post<{ motionId: string }>('/councils/all/motions', {
      title: 'Open books',
      text: '',
    });
    await issue();
    await ana.goto('/record');
    await ana.getByRole('button', { name: 'Verify in my browser' }).click();
    await ana.getByText(/^Verified in this browser/).waitFor({ timeout: 60_000 });
    const firstKey = (await (await ana.request.get(`/api/v1/orgs/${f.orgId}/record/vkey`)).text()).trim();

    for (const who of ['ana', 'ben']) {
      const publicKey = publicKeyOf(secretOf(who));
      const proof = signMessage(keyProofMessage(f.orgId, apis[who]!.memberId, publicKey), secretOf(who));
      await apis[who]!.post('/keys', { publicKey, proof });
    }
    const { verifierKey } = await apis.ana!.post<{ verifierKey: string }>('/record/next-key');
    const { requestId } = await apis.ana!.post<{ requestId: string }>('/requests', {
      kind: 'rotate_log_key',
      content: { verifierKey },
    });
    for (const who of ['ana', 'ben']) {
      const r = await apis[who]!.get<{ signing: { message: string } }>(`/requests/${requestId}`);
      const signature = signMessage(utf8.encode(r.signing.message), secretOf(who));
      await apis[who]!.post(`/requests/${requestId}/approvals`, { signature });
    }
    await issue(); // the handover, still signed by the first key
    await apis.ben!.post(`/motions/${motionId}/comments`, { stance: 'for', text: 'Signed by the new key' });
    await issue();
    const keys = await apis.ana!.get<{ keys: { verifierKey: string }[] }>('/record/keys.json');
    assert.deepEqual(
      keys.keys.map((k) => k.verifierKey),
      [firstKey, verifierKey],
    );

    await ana.reload();
    await ana.getByRole('button', { name: 'Verify in my browser' }).click();
    await ana.getByText(/^Verified in this browser/).waitFor({ timeout: 60_000 });
    assert.match(await ana.locator('.verify').innerText(), /only appended to since the checkpoint/);
    // The newest entry is under a checkpoint of the new key; the browser still pins the first.
    await ana
      .locator('table.log')
      .getByRole('button', { name: /^Check entry \d+$/ })
      .first()
      .click();
    await ana.getByText(/Included: its inclusion proof leads to the root/).waitFor();
    const pinned = await ana.evaluate(
      (org) => JSON.parse((globalThis as any).localStorage.getItem(`councils.record.${org}`)).key as string,
      f.orgId,
    );
    assert.equal(pinned, firstKey);
  });
});
