// `councils witness` against real servers over HTTP (docs/OPERATIONS.md "Witnesses"): a witness named in the
// founders' constitution cosigns each new checkpoint after checking its consistency proof, `councils verify`
// then requires it; a copy of the server restored with its keys from a backup (so its marks cannot help) signs a
// conflicting history, and the witness refuses it, from the state it keeps.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { backupSqlite } from '../../src/cli/commands/backup.ts';
import { writeBundle } from '../../src/cli/commands/export.ts';
import { startServer, type RunningServer } from '../../src/cli/commands/serve.ts';
import { checkWitnessPolicy, noteSignatureLines } from '../../src/record/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { ApiClient } from '../support/api-client.ts';
import { cli } from '../support/cli.ts';
import { organisation } from '../support/factory.ts';

const scratch = mkdtempSync(join(tmpdir(), 'councils-witness-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const serve = async (db: string, keyDir: string) =>
  startServer({ db: await openDatabase(db), host: '127.0.0.1', port: 0, schedulerMs: 3_600_000, keyDir });

describe('councils witness', () => {
  test('cosigns consistent checkpoints of a real server, and refuses a forked copy of it', async () => {
    const witnessKey = join(scratch, 'witness.key');
    console.log('step new');
    const made = await cli('witness', '--new', 'witness.sister.example', '--key', witnessKey);
    assert.equal(made.code, 0, made.err);
    const vkey = made.out.trim();
    assert.ok(
      (await cli('witness', '--new', 'again', '--key', witnessKey)).code === 2,
      'a key is never replaced',
    );
    assert.equal(readFileSync(witnessKey, 'utf8').slice(0, 12), 'PRIVATE+KEY+');

    const live = await serve(join(scratch, 'live.db'), join(scratch, 'keys'));
    const running = new Set<RunningServer>([live]);
    try {
      const { orgId, invitations } = await live.service.foundWithInvitations(
        organisation({
          name: 'Witnessed collective',
          councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
          founders: [],
          invitations: [{ name: 'Ana', councilId: 'all' }],
          constitution: { witnesses: { keys: [vkey], required: 1 }, recordVisibility: 'public' },
        }),
      );
      const ana = await new ApiClient(live.app).join(invitations[0]!.token, 'ana@witnessed.example');
      const { motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${orgId}/councils/all/motions`, {
        title: 'Talk',
        text: '',
      });
      const comment = (server: RunningServer, text: string) =>
        Object.assign(ana, { app: server.app }).ok('POST', `/orgs/${orgId}/motions/${motionId}/comments`, {
          stance: 'neutral',
          text,
        });
      const url = (server: RunningServer) => `${server.url}/api/v1/orgs/${orgId}/record`;
      const state = join(scratch, 'witness-state.json');
      const witness = (server: RunningServer) =>
        cli('witness', '--key', witnessKey, '--state', state, '--once', url(server));

      const policy = (await (await fetch(`${url(live)}/witnesses.json`)).json()) as unknown;
      assert.deepEqual(policy, { witnesses: [vkey], required: 1 });

      await live.service.record.issue(orgId, true);
      let w = await witness(live);
      assert.equal(w.code, 0, w.err);
      assert.match(w.out, /cosigned size \d+ \(added to the checkpoint\)/);

      // A backup of the database and, against the advice, of the keys with their marks.
      await backupSqlite(join(scratch, 'live.db'), join(scratch, 'copy.db'));
      cpSync(join(scratch, 'keys'), join(scratch, 'copy-keys'), { recursive: true });

      for (let n = 0; n < 3; n++) await comment(live, `on the live server ${n}`);
      await live.service.record.issue(orgId, true);
      w = await witness(live);
      assert.equal(w.code, 0, w.err);
      const size = Number(/cosigned size (\d+)/.exec(w.out)![1]);
      const note = await (await fetch(`${url(live)}/checkpoint`)).text();
      const { text, sigs } = noteSignatureLines(note);
      assert.equal(checkWitnessPolicy(text, sigs, { witnesses: [vkey], required: 1 }).ok, true);
      const verified = await cli('verify', url(live), '--no-state', '--witness', vkey);
      assert.equal(verified.code, 0, verified.out + verified.err);
      assert.match(verified.out, /1 of 1 required/);
      // Without --witness, the policy the organisation's constitution publishes is required.
      const published = await cli('verify', url(live), '--no-state');
      assert.equal(published.code, 0, published.out + published.err);
      assert.match(published.out, /witness policy from the source \(its constitution\): 1 of 1/);
      assert.match(published.out, /1 of 1 required: witness\.sister\.example/);
      assert.equal((await witness(live)).code, 0, 'the same checkpoint again is fine');
      // An exported bundle carries the policy too.
      await writeBundle(live.db, orgId, join(scratch, 'bundle'), { out: () => {}, err: () => {} });
      const bundled = await cli('verify', join(scratch, 'bundle'), '--no-state');
      assert.equal(bundled.code, 0, bundled.out + bundled.err);
      assert.match(bundled.out, /witness policy from the source \(its constitution\): 1 of 1/);

      // The copy, with the backup's keys and marks, is not held and signs another history under the same key.
      await live.stop();
      running.delete(live);
      const copy = await serve(join(scratch, 'copy.db'), join(scratch, 'copy-keys'));
      running.add(copy);
      assert.deepEqual(copy.held, []);
      // Three entries: the same size as the checkpoint the witness cosigned, another root.
      for (let n = 0; n < 3; n++) await comment(copy, `on the restored copy ${n}`);
      await copy.service.record.issue(orgId, true);
      w = await witness(copy);
      assert.equal(w.code, 1, w.out + w.err);
      assert.match(
        w.err,
        new RegExp(`REFUSED, not cosigned: fork: the log's checkpoint of size ${size} has another root`),
      );
      // Then more: its consistency proof from that size does not lead from the root the witness cosigned.
      for (let n = 3; n < 6; n++) await comment(copy, `on the restored copy ${n}`);
      await copy.service.record.issue(orgId, true);
      w = await witness(copy);
      assert.equal(w.code, 1, w.out + w.err);
      assert.match(
        w.err,
        new RegExp(
          `REFUSED, not cosigned: fork: the checkpoint of size \\d+ is not an extension of the size ${size}`,
        ),
      );
      const forked = await (await fetch(`${url(copy)}/checkpoint`)).text();
      assert.equal(noteSignatureLines(forked).sigs.length, 1, 'no cosignature on the fork');
      const saved = JSON.parse(readFileSync(state, 'utf8')) as { logs: Record<string, { size: number }> };
      assert.equal(Object.values(saved.logs)[0]!.size, size, 'the state stays at what was cosigned');
      const unwitnessed = await cli('verify', url(copy), '--no-state');
      assert.equal(unwitnessed.code, 1);
      assert.match(unwitnessed.out, /FAILED at check \d+ \(witness_policy\)/);
    } finally {
      for (const server of running) await server.stop();
    }
  });
});
