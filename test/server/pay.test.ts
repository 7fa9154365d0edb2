// Pay over the API (docs/PAY.md "Over the API"): propose → see the effect → vote → adopted → run; workforce CSV
// errors by line and column change nothing; the constitution's pay visibility holds in every route.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

const current = JSON.parse(readFileSync('examples/pay/current-scheme.json', 'utf8')) as Record<
  string,
  unknown
>;
const proposed = JSON.parse(readFileSync('examples/pay/proposed-scheme.json', 'utf8')) as Record<
  string,
  unknown
>;
const workersCsv = readFileSync('examples/pay/workers.csv', 'utf8');

interface Effect {
  visibility: string;
  current: { version: number } | null;
  alternatives: {
    id: string;
    effect: {
      count: number;
      gainers: number;
      losers: number;
      unchanged: number;
      biggestGains: Record<string, unknown>[];
      measures: { change: Record<string, string | null> };
    } | null;
    report: unknown;
  }[];
}

/** ana moves a pay motion in North and everyone there votes `choice`; returns the motion id. */
async function adopt(o: ApiOrg, scheme: unknown, choice = 'a1'): Promise<string> {
  const org = o.orgId;
  const { motionId } = await o.people.ana!.ok<{ motionId: string }>(
    'POST',
    `/orgs/${org}/councils/north/pay/motions`,
    {
      title: 'Pay scheme',
      text: 'Adopt it.',
      scheme,
    },
  );
  await o.people.ana!.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
  const { voteId } = await o.people.ana!.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
  for (const p of ['ana', 'ben', 'cai'])
    await o.people[p]!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice });
  return motionId;
}

for (const visibility of ['aggregates', 'individuals'] as const) {
  describe(`pay over the API (payVisibility: ${visibility})`, () => {
    let o: ApiOrg;
    before(async () => {
      o = await apiOrg(
        undefined,
        visibility === 'individuals' ? { payVisibility: 'individuals' } : undefined,
      );
    });
    after(() => o.close());

    test('propose → effect → vote → adopted → run', async () => {
      const org = o.orgId;
      const ana = o.people.ana!;
      const empty = await ana.ok<{ current: unknown; visibility: string }>(
        'GET',
        `/orgs/${org}/councils/north/pay`,
      );
      assert.equal(empty.current, null);
      assert.equal(empty.visibility, visibility);
      await ana.fails(
        'GET',
        `/orgs/${org}/councils/north/pay/payroll?period=2026-11`,
        undefined,
        409,
        'wrong_state',
      );

      const imported = await ana.ok<{ sha256: string; workers: number }>(
        'POST',
        `/orgs/${org}/councils/north/pay/workforce`,
        workersCsv,
      );
      assert.equal(imported.workers, 28);
      assert.match(imported.sha256, /^[0-9a-f]{64}$/);

      await adopt(o, current);
      const first = await ana.ok<{ current: { version: number; scheme: { id: string } } }>(
        'GET',
        `/orgs/${org}/councils/north/pay`,
      );
      assert.equal(first.current.version, 1);
      assert.equal(first.current.scheme.id, current.id);

      // The reform: proposed, and its effect seen before the vote.
      const { motionId } = await ana.ok<{ motionId: string }>(
        'POST',
        `/orgs/${org}/councils/north/pay/motions`,
        {
          title: 'The reform',
          text: 'Time wage; the lowest categories raised by a third.',
          scheme: proposed,
        },
      );
      const effect = await o.people.eve!.ok<Effect>(
        'GET',
        `/orgs/${org}/motions/${motionId}/pay-effect?period=2026-11`,
      );
      assert.equal(effect.visibility, visibility);
      assert.equal(effect.current!.version, 1);
      const e = effect.alternatives[0]!.effect!;
      assert.equal(e.count, 28);
      assert.equal(e.gainers + e.losers + e.unchanged, 28);
      assert.ok(e.gainers > 0);
      assert.match(e.measures.change.gini!, /^-0\.\d{6}$/, 'the reform lowers the Gini');
      assert.equal('id' in e.biggestGains[0]!, visibility === 'individuals');

      // The log holds only the workforce's hash, never a worker's id.
      const log = await ana.ok<{ entries: { act: string }[] }>('GET', `/orgs/${org}/log?limit=1000`);
      const text = JSON.stringify(log);
      assert.ok(text.includes(imported.sha256));
      assert.ok(!text.includes('w001'), 'worker ids never enter the log');

      await ana.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
      const { voteId } = await ana.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
      for (const p of ['ana', 'ben', 'cai'])
        await o.people[p]!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
      const after = await ana.ok<{ current: { version: number; motionId: string }; history: unknown[] }>(
        'GET',
        `/orgs/${org}/councils/north/pay`,
      );
      assert.equal(after.current.version, 2);
      assert.equal(after.current.motionId, motionId);
      assert.equal(after.history.length, 2);
      // After the vote the motion's effect is still shown against the scheme it replaced.
      const decided = await ana.ok<Effect & { replaced: boolean }>(
        'GET',
        `/orgs/${org}/motions/${motionId}/pay-effect?period=2026-11`,
      );
      assert.equal(decided.replaced, true);
      assert.equal(decided.current!.version, 1);
      assert.deepEqual(decided.alternatives[0]!.effect!.measures.change, e.measures.change);

      const run = await ana.ok<{
        count: number;
        version: number;
        payslips?: { id: string }[];
        report: { measures: { gini: string } };
      }>('GET', `/orgs/${org}/councils/north/pay/payroll?period=2026-11`);
      assert.equal(run.count, 28);
      assert.equal(run.version, 2);
      assert.match(run.report.measures.gini, /^0\.\d{6}$/);
      assert.equal(run.payslips?.length, visibility === 'individuals' ? 28 : undefined);

      const report = await ana.request(
        'GET',
        `/orgs/${org}/councils/north/pay/payroll?period=2026-11&format=csv&part=report`,
      );
      assert.equal(report.statusCode, 200);
      assert.match(report.headers['content-type'] as string, /^text\/csv/);
      assert.match(report.body, /^measure,value,exact\r\n/);
      const slips = await ana.request(
        'GET',
        `/orgs/${org}/councils/north/pay/payroll?period=2026-11&format=csv&part=payslips`,
      );
      if (visibility === 'individuals') {
        assert.equal(slips.statusCode, 200);
        assert.equal(slips.body.trim().split('\r\n').length, 29);
      } else {
        assert.equal(slips.statusCode, 403);
        assert.equal(slips.json().error, 'forbidden');
        assert.ok(!slips.body.includes('w001'));
      }
    });

    test('a bad workforce CSV is refused by line and column and changes nothing', async () => {
      const org = o.orgId;
      const ana = o.people.ana!;
      const before = await ana.ok<{ imports: unknown[] }>('GET', `/orgs/${org}/councils/north/pay`);
      const bad = 'id,grade,hours,output\nw1,1,176,1\nw2,1,lots,1\n';
      const res = await ana.request('POST', `/orgs/${org}/councils/north/pay/workforce`, bad);
      assert.equal(res.statusCode, 400);
      const body = res.json();
      assert.equal(body.error, 'invalid_request');
      assert.equal(body.line, 3);
      assert.equal(body.column, 3);
      assert.equal(body.field, 'csv.hours');
      const after = await ana.ok<{ imports: unknown[] }>('GET', `/orgs/${org}/councils/north/pay`);
      assert.equal(after.imports.length, before.imports.length);
      // An outsider to the council may not import (dan is in South).
      await o.people.dan!.fails(
        'POST',
        `/orgs/${org}/councils/north/pay/workforce`,
        workersCsv,
        403,
        'not_a_member',
      );
      // A malformed scheme names its field.
      const r = await ana.request('POST', `/orgs/${org}/councils/north/pay/motions`, {
        title: 'Bad',
        text: '',
        scheme: { ...proposed, baseRate: -1 },
      });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().field, 'scheme.baseRate');
    });
  });
}
