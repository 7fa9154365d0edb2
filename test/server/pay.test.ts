// Pay over the API (docs/PAY.md "Over the API"): propose → see the effect → vote → adopted → run; workforce CSV
// errors by line and column change nothing; the constitution's pay visibility holds in every route.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupSqlite } from '../../src/cli/commands/backup.ts';
import {
  inequalityReport,
  payslipsCsv,
  readWorkersCsv,
  runPayroll,
  validateScheme,
} from '../../src/core/pay/index.ts';
import { importWorkforce, payrollRun, payrollRunsMade, type CsvFile } from '../../src/server/pay.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase } from '../../src/store/database.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { council, members, organisation } from '../support/factory.ts';

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
      // Under aggregates no single worker's change is listed; under individuals, with their id.
      if (visibility === 'individuals') assert.ok('id' in e.biggestGains[0]!);
      else assert.deepEqual(e.biggestGains, []);

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

    test('the payroll of two periods is one run, each stamped with its own period (review1 s13, finding 1)', async () => {
      // After the test above: a workforce and scheme version 2. The period is a label no figure depends on.
      const path = `/orgs/${o.orgId}/councils/north/pay/payroll`;
      const ana = o.people.ana!;
      type Run = { period: string; count: number; totalPay: string; payslips?: { period: string }[] };
      const made = payrollRunsMade(o.service);
      const first = await ana.ok<Run>('GET', `${path}?period=2026-11`);
      const second = await ana.ok<Run>('GET', `${path}?period=2026-12`);
      const third = await ana.ok<Run>('GET', `${path}?period=x1`);
      assert.equal(payrollRunsMade(o.service) - made, 0, 'the run of the test above, for 2026-11, is kept');
      assert.deepEqual(
        [first.period, second.period, third.period, second.payslips?.[0]?.period],
        ['2026-11', '2026-12', 'x1', visibility === 'individuals' ? '2026-12' : undefined],
      );
      assert.deepEqual({ ...second, period: '', payslips: [] }, { ...first, period: '', payslips: [] });
      const report = await ana.request('GET', `${path}?period=2027-01&format=csv&part=report`);
      assert.equal(report.statusCode, 200);
      assert.match(report.headers['content-disposition'] as string, /pay-report-north-2027-01\.csv/);
      if (visibility === 'individuals') {
        const slips = await ana.request('GET', `${path}?period=2027-02&format=csv&part=payslips`);
        const lines = slips.body.trim().split('\r\n').slice(1);
        assert.equal(lines.length, 28);
        assert.ok(
          lines.every((l) => l.startsWith('2027-02,')),
          lines[0],
        );
      }
      assert.equal(payrollRunsMade(o.service) - made, 0);
      // A new scheme version is another run: the key holds what the figures depend on.
      await adopt(o, current);
      await ana.ok<Run>('GET', `${path}?period=2026-11`);
      await ana.ok<Run>('GET', `${path}?period=2026-12`);
      assert.equal(payrollRunsMade(o.service) - made, 1);
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
      // …with a stable problem id, worded in the request's language (it was English whatever the language).
      assert.equal(body.problem, 'csv_hours');
      assert.equal(
        body.message,
        'Line 3, column 3 (hours): “lots” is not a number of hours (above 0, at most 2 decimals).',
      );
      for (const [language, words] of [
        ['es', /^Línea 3, columna 3 \(hours\): «lots» no es un número de horas/u],
        ['ru', /^Строка 3, столбец 3 \(hours\): «lots» — не число часов/u],
      ] as const) {
        ana.language = language;
        try {
          const local = await ana.request('POST', `/orgs/${org}/councils/north/pay/workforce`, bad);
          assert.equal(local.statusCode, 400);
          assert.match(local.json().message, words);
        } finally {
          ana.language = undefined;
        }
      }
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
      // …in words, in the request's language, from its problem id (src/core/kernel/problems.ts).
      assert.equal(r.json().problem, 'scheme_integer_range');
      ana.language = 'ru';
      try {
        const ru = await ana.request('POST', `/orgs/${org}/councils/north/pay/motions`, {
          title: 'Bad',
          text: '',
          scheme: { ...proposed, baseRate: -1 },
        });
        assert.match(ru.json().message, /^Базовая ставка: от 1 до [\d\s\u00a0]+\.$/u);
      } finally {
        ana.language = undefined;
      }
    });
  });
}

// The constitution's minimum group (docs/PAY.md "Minimum group"; default 5): under aggregates, the pay of a grade
// of one worker is in no response, JSON or CSV, on SQLite and on PostgreSQL; a council of fewer than 5 workers
// shows only the count.
const smallGrades = [
  'id,grade,hours,output',
  ...Array.from({ length: 7 }, (_, i) => `a${i},1,${160 + i},1.${i}`),
  ...Array.from({ length: 6 }, (_, i) => `b${i},2,${150 + i},1.0${i}`),
  'lone,5,120.01,1.07',
].join('\n');

/** The lone worker's pay under `scheme`, computed here by the core on the same file. */
function lonePay(scheme: unknown, csv: string) {
  const w = readWorkersCsv(csv);
  const p = runPayroll(validateScheme(scheme), w, '2026-11');
  const i = [...Array(w.count).keys()].find((k) => w.ids.get(k) === 'lone')!;
  const r = inequalityReport(p.pay);
  return { pay: p.pay[i]!, lowest: r.lowest, highest: r.highest };
}

/** `text` does not hold `minor` as a number in minor units, nor as major units with 2 decimals. */
function hides(text: string, minor: number, what: string) {
  const major = (minor / 100).toFixed(2).replace('.', '\\.');
  for (const re of [new RegExp(`(?<![0-9])${minor}(?![0-9])`), new RegExp(`(?<![0-9])${major}(?![0-9])`)])
    assert.ok(!re.test(text), `${what} shows the lone worker's pay ${minor}: ${text.slice(0, 2000)}`);
}

for (const d of testDatabases()) {
  describe(`pay under aggregates keeps the minimum group (${d.name})`, () => {
    let o: ApiOrg;
    before(async () => {
      o = await apiOrg(await d.open());
    });
    after(() => o.close());

    test('a grade of one worker: its pay is in no aggregates response; a council of 3 shows only the count', async () => {
      const org = o.orgId;
      const ana = o.people.ana!;
      assert.equal(
        (await ana.ok<{ minimumGroup: number }>('GET', `/orgs/${org}/councils/north/pay`)).minimumGroup,
        5,
      );
      await ana.ok('POST', `/orgs/${org}/councils/north/pay/workforce`, smallGrades);
      await adopt(o, current);
      const before = lonePay(current, smallGrades);
      const afterReform = lonePay(proposed, smallGrades);
      // The fixture's lone worker is neither the lowest nor the highest paid (else those figures would show it).
      for (const x of [before, afterReform]) assert.ok(x.lowest! < x.pay && x.pay < x.highest!);
      const { motionId } = await ana.ok<{ motionId: string }>(
        'POST',
        `/orgs/${org}/councils/north/pay/motions`,
        { title: 'The reform', text: '', scheme: proposed },
      );

      type Row = { grade: string | null; count: number; grades?: number };
      type Change = { grade: string | null; current: number; proposed: number };
      type Report = { lowest: number | null; highest: number | null; lorenz: unknown[] };
      type E = {
        minimumGroup: number;
        grades: Row[];
        biggestGains: Change[];
        biggestLosses: Change[];
        measures: { current: Report };
      };
      const quiet = await o.people.eve!.ok<{ alternatives: { effect: E }[] }>(
        'GET',
        `/orgs/${org}/motions/${motionId}/pay-effect?period=2026-11&biggest=0`,
      );
      const e = quiet.alternatives[0]!.effect;
      assert.equal(e.minimumGroup, 5);
      assert.deepEqual(
        e.grades.map((g) => [g.grade, g.count]),
        [
          ['1', 7],
          [null, 7],
        ],
        'grade 5 (one worker) is merged with the smallest shown grade (2, of 6) into one row',
      );
      for (const x of [before, afterReform]) hides(JSON.stringify(quiet), x.pay, 'the projected effect');
      // Asked for the biggest changes, it lists none (each is one worker's pay), nor the lowest or highest pay,
      // nor Lorenz points fewer than the minimum group apart.
      const loud = await ana.ok<{ alternatives: { effect: E }[] }>(
        'GET',
        `/orgs/${org}/motions/${motionId}/pay-effect?period=2026-11&biggest=20`,
      );
      const le = loud.alternatives[0]!.effect;
      assert.deepEqual([le.biggestGains, le.biggestLosses], [[], []]);
      assert.deepEqual([le.measures.current.lowest, le.measures.current.highest], [null, null]);
      assert.ok(le.measures.current.lorenz.length >= 2 && le.measures.current.lorenz.length <= 14 / 5 + 1);
      for (const x of [before, afterReform])
        hides(JSON.stringify(le), x.pay, 'the projected effect (biggest)');
      // (The scheme documents in the response list every grade of the tariff; the figures name grade 5 nowhere.)
      const figures = JSON.stringify(le);
      assert.ok(!figures.includes('"5"'), 'grade 5 is named in no figure');
      assert.ok(!JSON.stringify(loud).includes('lone'), 'no worker id');

      const run = await ana.request('GET', `/orgs/${org}/councils/north/pay/payroll?period=2026-11`);
      assert.equal(run.statusCode, 200);
      assert.equal(run.json().report.count, 14);
      hides(run.body, before.pay, 'the payroll');
      const csv = await ana.request(
        'GET',
        `/orgs/${org}/councils/north/pay/payroll?period=2026-11&format=csv&part=report`,
      );
      assert.equal(csv.statusCode, 200);
      assert.match(csv.body, /\r\ngini,0\.\d{6},/);
      hides(csv.body, before.pay, 'the report CSV');
      for (const url of [
        `/orgs/${org}/councils/north/pay/payroll?period=2026-11&format=csv&part=payslips`,
        `/orgs/${org}/motions/${motionId}/pay-effect?period=2026-11&format=csv`,
      ]) {
        const r = await ana.request('GET', url);
        assert.equal(r.statusCode, 403);
        hides(r.body, before.pay, url);
      }

      // A council of three workers: the count, and why nothing else.
      const three = 'id,grade,hours,output\nx1,1,176,1\nx2,2,170,1.1\nlone,5,120.01,1.07\n';
      await ana.ok('POST', `/orgs/${org}/councils/north/pay/workforce`, three);
      const small = await ana.request(
        'GET',
        `/orgs/${org}/motions/${motionId}/pay-effect?period=2026-11&biggest=20`,
      );
      const se = small.json().alternatives[0].effect;
      assert.equal(se.count, 3);
      assert.equal(se.withheld.reason, 'workforce_below_minimum_group');
      assert.equal(se.withheld.minimumGroup, 5);
      for (const k of ['grades', 'measures', 'biggestGains', 'gainTotal', 'totalChange', 'gainers'])
        assert.ok(!(k in se), k);
      const smallRun = await ana.request('GET', `/orgs/${org}/councils/north/pay/payroll?period=2026-11`);
      const sr = smallRun.json();
      assert.equal(sr.count, 3);
      assert.equal(sr.withheld.reason, 'workforce_below_minimum_group');
      assert.ok(!('report' in sr) && !('totalPay' in sr) && !('payslips' in sr));
      const smallCsv = await ana.request(
        'GET',
        `/orgs/${org}/councils/north/pay/payroll?period=2026-11&format=csv&part=report`,
      );
      assert.equal(
        smallCsv.body,
        'measure,value,exact\r\ncount,3,3\r\nwithheld,workforce_below_minimum_group,5\r\n',
      );
      const three1 = lonePay(current, three);
      const three2 = lonePay(proposed, three);
      for (const text of [small.body, smallRun.body, smallCsv.body])
        for (const x of [three1, three2]) hides(text, x.pay, 'a council of three');
    });
  });
}

describe('pay under aggregates with payMinimumGroup 1', () => {
  let o: ApiOrg;
  before(async () => {
    o = await apiOrg(undefined, { payMinimumGroup: 1 });
  });
  after(() => o.close());

  test('the constitution’s minimum group is the one applied: 1 shows every grade', async () => {
    const org = o.orgId;
    const ana = o.people.ana!;
    await ana.ok('POST', `/orgs/${org}/councils/north/pay/workforce`, smallGrades);
    await adopt(o, current);
    const { motionId } = await ana.ok<{ motionId: string }>(
      'POST',
      `/orgs/${org}/councils/north/pay/motions`,
      {
        title: 'The reform',
        text: '',
        scheme: proposed,
      },
    );
    const e = await ana.ok<{
      alternatives: { effect: { minimumGroup: number; grades: { grade: string }[] } }[];
    }>('GET', `/orgs/${org}/motions/${motionId}/pay-effect?period=2026-11`);
    assert.equal(e.alternatives[0]!.effect.minimumGroup, 1);
    assert.deepEqual(
      e.alternatives[0]!.effect.grades.map((g) => g.grade),
      ['1', '2', '5'],
    );
  });
});

test('payroll runs are kept per service: a backup served beside its original (same organisation id) gets its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'councils-pay-'));
  const clock = new TestClock();
  const keyDir = join(dir, 'keys');
  const a = new CouncilsService(await openDatabase(join(dir, 'a.db')), clock, { keyDir });
  let b: CouncilsService | undefined;
  try {
    const { orgId } = await a.found(
      organisation({
        name: 'Pay',
        councils: [council('north', 'North')],
        founders: members('north', 'Ana', 'Ben', 'Cai'),
        constitution: { payVisibility: 'individuals' },
      }),
    );
    await importWorkforce(a, orgId, 'ana', 'north', workersCsv);
    await backupSqlite(join(dir, 'a.db'), join(dir, 'b.db'));
    // The copy, served by a second service in this process: the same organisation, which goes its own way.
    b = new CouncilsService(await openDatabase(join(dir, 'b.db')), clock, { keyDir });
    const adopt = async (s: CouncilsService, scheme: unknown) => {
      const moved = await s.run(orgId, 'ana', {
        type: 'move_pay_motion',
        councilId: 'north',
        title: 'Pay',
        text: '',
        scheme,
      });
      const motionId = (moved[0]!.payload as { motionId: string }).motionId;
      const opened = await s.run(orgId, 'ana', { type: 'open_vote', motionId });
      const voteId = (opened.find((e) => e.act === 'vote_opened')!.payload as { voteId: string }).voteId;
      for (const m of ['ana', 'ben', 'cai'])
        await s.run(orgId, m, { type: 'cast_ballot', voteId, ballot: { choice: 'a1' } });
    };
    // Each adopts its own scheme as its version 1; the original's run is asked for first.
    await adopt(a, current);
    await adopt(b, proposed);
    const q = { period: '2026-11', format: 'csv', part: 'payslips' } as const;
    const expected = (scheme: unknown) =>
      payslipsCsv(runPayroll(validateScheme(scheme), readWorkersCsv(workersCsv), q.period));
    assert.deepEqual(((await payrollRun(a, orgId, 'north', q)) as CsvFile).body, expected(current));
    assert.deepEqual(((await payrollRun(b, orgId, 'north', q)) as CsvFile).body, expected(proposed));
  } finally {
    await a.db.close();
    await b?.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
