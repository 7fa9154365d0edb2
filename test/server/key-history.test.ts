// The log key history (docs/RECORD.md "Key history"): a rotation of the log key through real approvals, then the
// exported record verifies from the first key and from the new one, on SQLite and PostgreSQL; a key switch the log
// does not prove (a forged rotation, a checkpoint by a key not in force, a history that hides one) is caught.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';
import { writeBundle } from '../../src/cli/commands/export.ts';
import { makeVerifyCommand } from '../../src/cli/commands/verify.ts';
import { replayEntries } from '../../src/core/index.ts';
import {
  generateKeyPair,
  leafHash,
  MemoryHashStore,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  staticRecordFiles,
  staticRecordSource,
  treeRoot,
  verifyRecord,
  type KeyHistoryDocument,
} from '../../src/record/index.ts';
import { logOrigin } from '../../src/node/record-keeper.ts';
import { latestCheckpoint, listCheckpoints, recordKey } from '../../src/store/record-repository.ts';
import { readRawEntries } from '../../src/store/log-repository.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { foundCollective, type Collective } from '../support/collective.ts';
import { testDatabases } from '../support/databases.ts';

const utf8 = new TextEncoder();

for (const database of testDatabases()) {
  describe(`log key history on ${database.name}`, () => {
    let o: ApiOrg;
    let org: string;
    let firstKey: string;
    let newKey: string;
    let dir: string;
    let people: Collective['people'];
    let approve: Collective['approve'];
    let registerKeys: Collective['registerKeys'];

    before(async () => {
      o = await apiOrg(await database.open());
      dir = mkdtempSync(join(tmpdir(), 'councils-key-history-'));
      const c = await foundCollective(o.service, o.app, 'Rotating');
      ({ orgId: org, people, approve, registerKeys } = c);
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await o.close();
    });

    const comment = async (motionId: string, text: string) =>
      people.cai!.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, { stance: 'neutral', text });

    test('an approved rotation: the old key hands over, the new key signs after; keys.json says so', async () => {
      await registerKeys();
      const { motionId } = await people.ana!.ok<{ motionId: string }>(
        'POST',
        `/orgs/${org}/councils/all/motions`,
        { title: 'Talk', text: '' },
      );
      await o.service.record.issue(org, true);
      firstKey = (await recordKey(o.db.kysely, org))!;
      ({ verifierKey: newKey } = await people.ana!.ok<{ verifierKey: string }>(
        'POST',
        `/orgs/${org}/record/next-key`,
      ));
      const { requestId } = await people.ana!.ok<{ requestId: string }>('POST', `/orgs/${org}/requests`, {
        kind: 'rotate_log_key',
        content: { verifierKey: newKey },
      });
      await comment(motionId, 'before the approvals');
      await o.service.record.issue(org, true);
      for (const who of ['ana', 'ben']) await approve(who, requestId);
      const rotationSize = (await o.service.ledger(org).current()).size;
      await comment(motionId, 'after the rotation, before the handover');
      // The first checkpoint that covers the rotation is still the old key's: it hands the log over.
      const handover = (await o.service.record.issue(org, true))!;
      const handoverSize = (await latestCheckpoint(o.db.kysely, org))!.size;
      openCheckpoint(handover, logOrigin(org), parseVerifierKey(firstKey));
      assert.equal(await recordKey(o.db.kysely, org), newKey);
      await comment(motionId, 'signed by the new key');
      const next = (await o.service.record.issue(org, true))!;
      openCheckpoint(next, logOrigin(org), parseVerifierKey(newKey));
      assert.throws(() => openCheckpoint(next, logOrigin(org), parseVerifierKey(firstKey)));

      const doc = await new ApiClient(o.app).ok<KeyHistoryDocument>('GET', `/orgs/${org}/record/keys.json`);
      assert.equal(doc.origin, logOrigin(org));
      assert.equal(doc.keys.length, 2);
      assert.deepEqual(doc.keys[0], { verifierKey: firstKey, fromSize: 0 });
      assert.equal(doc.keys[1]!.verifierKey, newKey);
      assert.equal(doc.keys[1]!.fromSize, handoverSize + 1);
      assert.ok(doc.keys[1]!.rotationSeq! < rotationSize && doc.keys[1]!.rotationSeq! < handoverSize);
      const vkey = (await new ApiClient(o.app).request('GET', `/orgs/${org}/record/vkey`)).body.trim();
      assert.equal(vkey, newKey);
    });

    test('export --bundle, then verify (with replay) passes from the first key and from the new one', async () => {
      await writeBundle(o.db, org, join(dir, 'bundle'), { out: () => {}, err: () => {} });
      const verify = makeVerifyCommand({ replay: (e) => replayEntries(e) });
      for (const key of [firstKey, newKey]) {
        let out = '';
        const code = await verify([join(dir, 'bundle'), '--no-state', '--key', key], {
          out: (t) => void (out += t),
          err: () => {},
        });
        assert.equal(code, 0, out);
        assert.match(out, /ok +the key history is the one the log proves.*\n\s+2 keys: /);
      }
      // Over HTTP, as the web app reads it: keys.json is served beside the checkpoints.
      const source = staticRecordSource(async (path) => {
        const res = await people.ben!.request('GET', `/orgs/${org}/record/${path}`);
        return res.statusCode === 200 ? new Uint8Array(res.rawPayload) : undefined;
      }, 'api');
      const report = await verifyRecord(source, { logKey: firstKey, replay: (e) => replayEntries(e) });
      assert.ok(report.ok, JSON.stringify(report.firstFailure));
      assert.deepEqual(
        report.keys?.map((k) => k.verifierKey),
        [firstKey, newKey],
      );
    });

    test('a forged key switch is caught and named', async () => {
      const entries: Uint8Array[] = [];
      for await (const e of readRawEntries(o.db.kysely, org)) entries.push(utf8.encode(e.body));
      const checkpoints = await listCheckpoints(o.db.kysely, org);
      const genuine = JSON.parse(
        readFileSync(join(dir, 'bundle', 'keys.json'), 'utf8'),
      ) as KeyHistoryDocument;
      const origin = logOrigin(org);
      const verify = async (files: Map<string, Uint8Array>, key = firstKey) =>
        verifyRecord(
          staticRecordSource(async (p) => files.get(p), 'forged'),
          { logKey: key },
        );

      // 1. A history that hides the rotation: the checkpoints after it are not signed by its one key.
      const hidden = staticRecordFiles(entries, checkpoints, {
        logKey: firstKey,
        keyHistory: { origin, keys: [genuine.keys[0]!] },
      });
      let r = await verify(hidden);
      assert.equal(r.firstFailure?.id, 'checkpoints_signed');
      assert.equal(r.firstFailure?.where?.checkpointSize, (await latestCheckpoint(o.db.kysely, org))!.size);
      assert.match(r.firstFailure!.detail!, /no verifiable signatures/);

      // 2. A mirror without the new key appends its own rotation (to a key it holds) and signs with it.
      const forger = generateKeyPair(origin, (n) => sha256(utf8.encode(`forger ${n}`)).slice(0, n));
      const base = entries.length;
      const last = JSON.parse(new TextDecoder().decode(entries[base - 1])) as { time: string };
      const forged = [
        {
          seq: base,
          act: 'privileged_act_requested',
          actor: people.ana!.memberId,
          time: last.time,
          payload: {
            requestId: 'request_forged',
            kind: 'rotate_log_key',
            content: { verifierKey: forger.verifierKey },
          },
        },
        {
          seq: base + 1,
          act: 'privileged_act_done',
          actor: null,
          time: last.time,
          payload: { requestId: 'request_forged' },
        },
      ].map((e) => utf8.encode(canonicalize(e)!));
      const all = [...entries, ...forged];
      const root = await treeRoot(new MemoryHashStore().append(all.map(leafHash)), all.length);
      const forgedCp = signCheckpoint({ origin, size: all.length, rootHash: root, extensions: [] }, [
        parseSignerKey(forger.signerKey),
      ]);
      for (const fromSize of [base + 2, all.length + 1]) {
        const files = staticRecordFiles(all, [...checkpoints, forgedCp], {
          logKey: firstKey,
          keyHistory: {
            origin,
            keys: [
              ...genuine.keys,
              { verifierKey: forger.verifierKey, fromSize, requestSeq: base, rotationSeq: base + 1 },
            ],
          },
        });
        r = await verify(files);
        assert.equal(r.ok, false);
        if (fromSize === base + 2) {
          // Claimed in force at once: the log would need a checkpoint of the key before to cover the rotation.
          assert.equal(r.firstFailure?.id, 'key_history');
          assert.match(r.firstFailure!.detail!, /the log and checkpoints prove/);
        } else {
          // Claimed after a handover: the covering checkpoint must then be the new key's, and it is not.
          assert.equal(r.firstFailure?.id, 'checkpoints_signed');
          assert.match(r.firstFailure!.detail!, new RegExp(`size ${all.length}`));
        }
      }

      // 3. A key pinned by the verifier that the history does not contain.
      r = await verify(staticRecordFiles(entries, checkpoints, { keyHistory: genuine }), forger.verifierKey);
      assert.equal(r.firstFailure?.id, 'key_history');
      assert.match(r.firstFailure!.detail!, /is not in the record's key history/);
    });
  });
}
