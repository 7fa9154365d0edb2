// `councils verify URL` of a live server whose record only members may read (the default visibility): without a
// token the check "every entry can be read" fails (exit 1) on HTTP 401 with a message naming --token; with a
// member's API token, by --token or by $COUNCILS_TOKEN, it verifies; with a revoked one it is refused again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startServer } from '../../src/cli/commands/serve.ts';
import { openDatabase } from '../../src/store/database.ts';
import { ApiClient } from '../support/api-client.ts';
import { cli } from '../support/cli.ts';
import { organisation } from '../support/factory.ts';

const scratch = mkdtempSync(join(tmpdir(), 'councils-verify-token-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('councils verify --token', () => {
  test('a members-only record: 401 without a token, verified with one, refused once it is revoked', async () => {
    const live = await startServer({
      db: await openDatabase(join(scratch, 'live.db')),
      host: '127.0.0.1',
      port: 0,
      schedulerMs: 3_600_000,
      keyDir: join(scratch, 'keys'),
    });
    const saved = process.env.COUNCILS_TOKEN;
    try {
      const { orgId, invitations } = await live.service.foundWithInvitations(
        organisation({
          name: 'Closed collective',
          councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
          founders: [],
          invitations: [{ name: 'Ana', councilId: 'all' }],
        }),
      );
      const ana = await new ApiClient(live.app).join(invitations[0]!.token, 'ana@closed.example');
      const { token, id } = await ana.ok<{ token: string; id: string }>('POST', '/tokens', {
        name: 'verify',
      });
      await live.service.record.issue(orgId, true);
      const url = `${live.url}/api/v1/orgs/${orgId}/record`;
      assert.equal((await fetch(`${url}/entries.jsonl`)).status, 401, 'the record is members-only');
      delete process.env.COUNCILS_TOKEN;

      const without = await cli('verify', url, '--no-state');
      assert.equal(without.code, 1, without.out + without.err);
      assert.match(
        without.err,
        /HTTP 401: only members may read this record; give --token or set COUNCILS_TOKEN/,
      );

      const withFlag = await cli('verify', url, '--no-state', '--token', token);
      assert.equal(withFlag.code, 0, withFlag.out + withFlag.err);
      assert.match(withFlag.out, /^OK: \d+ entries verified/m);

      process.env.COUNCILS_TOKEN = token;
      const fromEnv = await cli('verify', url, '--no-state');
      assert.equal(fromEnv.code, 0, fromEnv.out + fromEnv.err);

      await ana.ok('DELETE', `/tokens/${id}`);
      const revoked = await cli('verify', url, '--no-state', '--token', token);
      assert.equal(revoked.code, 1, revoked.out + revoked.err);
      assert.match(revoked.err, /HTTP 401: the token given may not read this record/);
    } finally {
      if (saved === undefined) delete process.env.COUNCILS_TOKEN;
      else process.env.COUNCILS_TOKEN = saved;
      await live.stop();
    }
  });
});
