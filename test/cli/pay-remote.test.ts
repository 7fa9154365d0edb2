// `councils pay propose|compare|adopted|import|run` against an in-process server over real HTTP (docs/PAY.md).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('councils pay against a server', () => {
  let o: ApiOrg;
  let url: string;
  const tokens: Record<string, string> = {};

  before(async () => {
    o = await apiOrg(undefined, { payVisibility: 'individuals' });
    for (const who of ['ana', 'ben', 'cai']) {
      const c = o.people[who]!;
      tokens[who] = (
        await o.service.createApiToken({ memberId: c.memberId!, orgId: o.orgId, via: 'session' }, 'cli')
      ).token;
    }
    url = await o.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => o.close());

  const as = (who: string) => ['--url', url, '--token', tokens[who]!];

  /** The mover opens the vote; everyone votes for. */
  async function vote(motionId: string, mover = 'ana'): Promise<void> {
    await o.people[mover]!.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/vote`, {});
    const { voteId } = await o.people.ana!.ok<{ voteId: string }>(
      'GET',
      `/orgs/${o.orgId}/motions/${motionId}`,
    );
    for (const p of ['ana', 'ben', 'cai'])
      await o.people[p]!.ok('POST', `/orgs/${o.orgId}/votes/${voteId}/ballots`, { choice: 'a1' });
  }

  test('import, propose, compare, adopted, run', async () => {
    const bad = await run(
      'pay',
      'import',
      '--council',
      'north',
      '--workers',
      'examples/pay/missing.csv',
      ...as('ana'),
    );
    assert.equal(bad.code, 2);
    const imported = await run(
      'pay',
      'import',
      '--council',
      'north',
      '--workers',
      'examples/pay/workers.csv',
      ...as('ana'),
    );
    assert.equal(imported.code, 0, imported.err);
    assert.equal(JSON.parse(imported.out).workers, 28);

    const first = await run(
      'pay',
      'propose',
      '--council',
      'north',
      '--scheme',
      'examples/pay/current-scheme.json',
      '--title',
      'Piece rates',
      ...as('ana'),
    );
    assert.equal(first.code, 0, first.err);
    await vote(first.out.trim());
    const reform = await run(
      'pay',
      'propose',
      '--council',
      'north',
      '--scheme',
      'examples/pay/proposed-scheme.json',
      '--title',
      'Reform',
      ...as('ben'),
    );
    assert.equal(reform.code, 0, reform.err);
    const motion = reform.out.trim();

    const effect = await run('pay', 'compare', '--motion', motion, '--period', '2026-11', ...as('cai'));
    assert.equal(effect.code, 0, effect.err);
    const e = JSON.parse(effect.out).alternatives[0].effect;
    assert.equal(e.count, 28);
    // The server's comparison equals the local one on the same files.
    const local = await run(
      'pay',
      'compare',
      '--current',
      'examples/pay/current-scheme.json',
      '--proposed',
      'examples/pay/proposed-scheme.json',
      '--workers',
      'examples/pay/workers.csv',
      '--period',
      '2026-11',
      '--format',
      'json',
    );
    assert.equal(local.code, 0, local.err);
    assert.deepEqual(e.measures, JSON.parse(local.out).measures);
    assert.equal(e.gainers, JSON.parse(local.out).gainers);
    const csv = await run('pay', 'compare', '--motion', motion, '--format', 'csv', ...as('cai'));
    assert.match(csv.out, /^id,grade,current,proposed,change,percent\r\n/);

    await vote(motion, 'ben');
    const adopted = JSON.parse((await run('pay', 'adopted', '--council', 'north', ...as('ana'))).out);
    assert.equal(adopted.current.version, 2);
    assert.equal(adopted.history.length, 2);

    const payroll = await run('pay', 'run', '--council', 'north', '--period', '2026-11', ...as('ana'));
    assert.equal(payroll.code, 0, payroll.err);
    assert.equal(JSON.parse(payroll.out).payslips.length, 28);
    const slips = await run(
      'pay',
      'run',
      '--council',
      'north',
      '--period',
      '2026-11',
      '--format',
      'csv',
      ...as('ana'),
    );
    assert.equal(slips.out.trim().split('\r\n').length, 29);
    const report = await run('pay', 'run', '--council', 'north', '--format', 'csv', '--report', ...as('ana'));
    assert.match(report.out, /^measure,value,exact\r\n/);
  });
});
