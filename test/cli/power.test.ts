// `councils petition` and `councils approve` against an in-process server over real HTTP (docs/POWER.md).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { organisation } from '../support/factory.ts';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('councils petition / approve', () => {
  let o: ApiOrg;
  let dir: string;
  let url: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    o = await apiOrg();
    dir = mkdtempSync(join(tmpdir(), 'councils-approve-'));
    const founded = await o.service.foundWithInvitations(
      organisation({
        name: 'Collective',
        constitution: { power: { petitions: { threshold: { kind: 'absolute', count: 2 } } } },
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: ['Ana', 'Ben', 'Cai'].map((name) => ({ name, councilId: 'all' })),
      }),
    );
    for (const inv of founded.invitations) {
      const who = inv.name.toLowerCase();
      const c = await new ApiClient(o.app).join(inv.token, `${who}@cli.example`);
      ids[who] = c.memberId!;
      tokens[who] = (
        await o.service.createApiToken({ memberId: c.memberId!, orgId: founded.orgId, via: 'session' }, 'cli')
      ).token;
    }
    url = await o.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await o.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const as = (who: string) => ['--url', url, '--token', tokens[who]!];
  /** `councils petition open` of an agenda item for the whole organisation, as `who`. */
  const openAgenda = (title: string, text: string, who: string) =>
    run(
      'petition',
      'open',
      '--kind',
      'agenda',
      '--council',
      'all',
      '--title',
      title,
      '--text',
      text,
      ...as(who),
    );

  test('petition: open, sign, and the item opens', async () => {
    const opened = await openAgenda('Garden', 'Plant it', 'ana');
    assert.equal(opened.code, 0, opened.err);
    const id = opened.out.trim();
    const signed = await run('petition', 'sign', id, ...as('ben'));
    assert.equal(signed.code, 0, signed.err);
    assert.match(signed.out, /threshold is reached/);
    const shown = JSON.parse((await run('petition', 'show', id, ...as('cai'))).out);
    assert.equal(shown.signatures.length, 2);
    assert.ok(shown.motionId);
  });

  test('petition list prints every petition, past the server’s page of 100 (it follows next)', async () => {
    const before = JSON.parse((await run('petition', 'list', ...as('cai'))).out).petitions.length as number;
    for (let i = before; i < 103; i++) {
      const opened = await openAgenda(`Item ${i}`, 'Discuss it', 'cai');
      assert.equal(opened.code, 0, opened.err);
    }
    const listed = await run('petition', 'list', ...as('ana'));
    assert.equal(listed.code, 0, listed.err);
    const all = JSON.parse(listed.out) as { petitions: { id: string }[]; next: unknown };
    assert.equal(all.petitions.length, 103);
    assert.equal(new Set(all.petitions.map((p) => p.id)).size, 103);
    assert.equal(all.next, null);
  });

  test('approve: keygen (0600), register, request, k signed approvals carry the act out', async () => {
    for (const who of ['ana', 'ben']) {
      const key = join(dir, `${who}.key`);
      const made = await run('approve', 'keygen', '--key', key);
      assert.equal(made.code, 0, made.err);
      assert.equal(statSync(key).mode & 0o777, 0o600);
      assert.equal(
        (await run('approve', 'keygen', '--key', key)).code,
        1,
        'an existing key is never overwritten',
      );
      const reg = await run('approve', 'register', '--key', key, ...as(who));
      assert.equal(reg.code, 0, reg.err);
    }
    const req = await run(
      'approve',
      'request',
      'expel_member',
      '--content',
      JSON.stringify({ memberId: ids.cai, reason: 'x' }),
      ...as('ana'),
    );
    assert.equal(req.code, 0, req.err);
    const requestId = JSON.parse(req.out).requestId as string;
    const first = await run('approve', 'sign', requestId, '--key', join(dir, 'ana.key'), ...as('ana'));
    assert.match(first.out, /waits for more approvals/);
    const second = await run('approve', 'sign', requestId, '--key', join(dir, 'ben.key'), ...as('ben'));
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /carried out/);
    const shown = JSON.parse((await run('approve', 'show', requestId, ...as('ana'))).out);
    assert.equal(shown.state, 'done');
    // A key file others can read is refused.
    const open = join(dir, 'open.key');
    await run('approve', 'keygen', '--key', open);
    chmodSync(open, 0o644);
    const bad = await run('approve', 'sign', requestId, '--key', open, ...as('ana'));
    assert.equal(bad.code, 1);
    assert.match(bad.err, /readable by others/);
  });
});
