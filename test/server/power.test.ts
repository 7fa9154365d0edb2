// Power from below and collective authority through the HTTP API (docs/POWER.md).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { keyProofMessage, publicKeyOf, signMessage } from '../../src/core/index.ts';
import { openCheckpoint, parseVerifierKey } from '../../src/record/index.ts';
import { logOrigin } from '../../src/node/record-keeper.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { latestCheckpoint, recordKey } from '../../src/store/record-repository.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { organisation } from '../support/factory.ts';

const utf8 = new TextEncoder();
const secretOf = (who: string) => bytesToHex(sha256(utf8.encode(`api test key of ${who}`)));

describe('power through the API', () => {
  let o: ApiOrg;
  let org: string;
  const people: Record<string, ApiClient> = {};

  before(async () => {
    o = await apiOrg();
    // One council of three people, which is its own root: it petitions itself and authorises its own acts.
    const founded = await o.service.foundWithInvitations(
      organisation({
        name: 'Collective',
        constitution: { power: { petitions: { threshold: { kind: 'absolute', count: 2 } } } },
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: ['Ana', 'Ben', 'Cai'].map((name) => ({ name, councilId: 'all' })),
      }),
    );
    org = founded.orgId;
    for (const inv of founded.invitations) {
      const who = inv.name.toLowerCase();
      people[who] = await new ApiClient(o.app).join(inv.token, `${who}@collective.example`);
    }
  });
  after(() => o.close());

  test('a petition reaching its threshold opens the motion; nobody can withdraw it', async () => {
    const opened = await people.ana!.ok<{ petitionId: string; acts: string[] }>(
      'POST',
      `/orgs/${org}/petitions`,
      {
        kind: 'agenda',
        councilId: 'all',
        title: 'Open books',
        text: 'Publish the accounts monthly.',
      },
    );
    assert.deepEqual(opened.acts, ['petition_opened', 'petition_signed']);
    const signed = await people.ben!.ok<{ acts: string[] }>(
      'POST',
      `/orgs/${org}/petitions/${opened.petitionId}/signatures`,
    );
    assert.deepEqual(signed.acts, ['petition_signed', 'petition_succeeded', 'motion_moved']);
    const p = await people.cai!.ok<{
      motionId: string;
      signatures: { memberId: string }[];
      succeededAt: string;
    }>('GET', `/orgs/${org}/petitions/${opened.petitionId}`);
    assert.equal(p.signatures.length, 2);
    assert.ok(p.succeededAt);
    const motion = await people.cai!.ok<{ state: string; title: string }>(
      'GET',
      `/orgs/${org}/motions/${p.motionId}`,
    );
    assert.equal(motion.state, 'debate');
    assert.equal(motion.title, 'Open books');
    for (const who of ['ana', 'ben', 'cai'])
      await people[who]!.fails('POST', `/orgs/${org}/motions/${p.motionId}/withdraw`, {}, 403, 'not_allowed');
    const list = await people.cai!.ok<{ petitions: unknown[] }>('GET', `/orgs/${org}/petitions?council=all`);
    assert.equal(list.petitions.length, 1);
    // Past the constitution's longest debate, the scheduler opens the vote with nobody's action.
    await runDueActs(o.service);
    assert.equal(
      (await people.cai!.ok<{ state: string }>('GET', `/orgs/${org}/motions/${p.motionId}`)).state,
      'debate',
    );
    o.clock.advanceMinutes(7 * 24 * 60 + 1);
    await runDueActs(o.service);
    assert.equal(
      (await people.cai!.ok<{ state: string }>('GET', `/orgs/${org}/motions/${p.motionId}`)).state,
      'voting',
    );
  });

  async function registerKey(who: string, secret = secretOf(who)) {
    const publicKey = publicKeyOf(secret);
    const proof = signMessage(keyProofMessage(org, people[who]!.memberId!, publicKey), secret);
    await people[who]!.ok('POST', `/orgs/${org}/keys`, { publicKey, proof });
  }

  async function approve(who: string, requestId: string, secret = secretOf(who)) {
    const r = await people[who]!.ok<{ signing: { message: string } }>(
      'GET',
      `/orgs/${org}/requests/${requestId}`,
    );
    const signature = signMessage(utf8.encode(r.signing.message), secret);
    return people[who]!.request('POST', `/orgs/${org}/requests/${requestId}/approvals`, { signature });
  }

  test('k−1 signed approvals change nothing; the k-th carries the act out; forgeries and outsiders are refused', async () => {
    for (const who of ['ana', 'ben', 'cai']) await registerKey(who);
    const keys = await people.ana!.ok<{ keys: unknown[] }>('GET', `/orgs/${org}/keys`);
    assert.equal(keys.keys.length, 3);
    // One member's keys, which the key page shows, without every member's (docs/WEB.md "Pickers": lists)
    const bens = await people.ana!.ok<{ keys: { memberId: string }[] }>(
      'GET',
      `/orgs/${org}/keys?member=${people.ben!.memberId}`,
    );
    assert.deepEqual(
      bens.keys.map((k) => k.memberId),
      [people.ben!.memberId],
    );
    const { requestId } = await people.ana!.ok<{ requestId: string }>('POST', `/orgs/${org}/requests`, {
      kind: 'expel_member',
      content: { memberId: people.cai!.memberId, reason: 'never came' },
    });
    const r = await people.ana!.ok<{ approvers: string[]; required: number; state: string }>(
      'GET',
      `/orgs/${org}/requests/${requestId}`,
    );
    assert.equal(r.required, 2);
    assert.equal(r.state, 'pending');
    assert.equal((await approve('ana', requestId)).statusCode, 201);
    const pending = await people.ben!.ok<{ state: string }>('GET', `/orgs/${org}/requests/${requestId}`);
    assert.equal(pending.state, 'pending', 'k−1 approvals: nothing happens');
    const listed = await people.cai!.ok<{ requests: { id: string; approvals: { memberId: string }[] }[] }>(
      'GET',
      `/orgs/${org}/requests?state=pending`,
    );
    assert.deepEqual(
      listed.requests.find((x) => x.id === requestId)?.approvals.map((a) => a.memberId),
      [people.ana!.memberId],
      'the list says who approved',
    );
    const forged = await approve('ben', requestId, secretOf('someone else'));
    assert.equal(forged.statusCode, 409);
    assert.equal(forged.json().error, 'bad_signature');
    const outsider = await approve('cai', requestId);
    assert.equal(outsider.statusCode, 403);
    assert.equal(outsider.json().error, 'not_an_approver');
    const kth = await approve('ben', requestId);
    assert.equal(kth.statusCode, 201, kth.body);
    assert.deepEqual(kth.json().acts, ['approval_given', 'privileged_act_done']);
    const council = await people.ana!.ok<{ members: { id: string }[] }>('GET', `/orgs/${org}/councils/all`);
    assert.ok(!council.members.some((m) => m.id === people.cai!.memberId), 'cai is expelled');
    const report = await people.ben!.ok<{
      totals: Record<string, number>;
      councils: { councilId: string }[];
    }>('GET', `/orgs/${org}/transparency`);
    assert.equal(report.totals.petitionsOpened, 1);
    assert.equal(report.totals.petitionsSucceeded, 1);
    assert.equal(report.totals.actsRequested, 1);
    assert.equal(report.totals.actsApproved, 1);
    assert.deepEqual(
      report.councils.map((c) => c.councilId),
      ['all'],
    );
  });

  test('a rotation of the log key, once approved, makes the record keeper sign with the new key', async () => {
    const old = await recordKey(o.db.kysely, org);
    const { verifierKey } = await people.ana!.ok<{ verifierKey: string }>(
      'POST',
      `/orgs/${org}/record/next-key`,
    );
    assert.notEqual(verifierKey, old);
    const { requestId } = await people.ana!.ok<{ requestId: string }>('POST', `/orgs/${org}/requests`, {
      kind: 'rotate_log_key',
      content: { verifierKey },
    });
    // Before the approvals, checkpoints are still signed by the old key.
    await o.service.record.issue(org, true);
    assert.equal(await recordKey(o.db.kysely, org), old);
    for (const who of ['ana', 'ben']) assert.equal((await approve(who, requestId)).statusCode, 201);
    const settings = await people.ana!.ok<{ logKey: string }>('GET', `/orgs/${org}/power`);
    assert.equal(settings.logKey, verifierKey);
    // The first checkpoint covering the rotation is the old key's handover (docs/RECORD.md "Key history");
    // the new key signs every checkpoint after it.
    const handover = await o.service.record.issue(org, true);
    assert.ok(handover);
    openCheckpoint(handover, logOrigin(org), parseVerifierKey(old!));
    assert.equal(await recordKey(o.db.kysely, org), verifierKey);
    await people.ana!.ok<{ petitionId: string }>('POST', `/orgs/${org}/petitions`, {
      kind: 'agenda',
      councilId: 'all',
      title: 'After the rotation',
      text: 'Signed by the new key.',
    });
    await o.service.record.issue(org, true);
    const cp = await latestCheckpoint(o.db.kysely, org);
    assert.ok(cp);
    const opened = openCheckpoint(cp.note, logOrigin(org), parseVerifierKey(verifierKey));
    assert.equal(opened.checkpoint.size, cp.size);
  });
});
