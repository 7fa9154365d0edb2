// The `councils pay` command, run in-process on the example files (examples/pay/).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { payCommand } from '../../src/cli/commands/pay.ts';
import { UsageError } from '../../src/cli/command.ts';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await payCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const ex = (f: string) => `examples/pay/${f}`;

describe('councils pay', () => {
  test('run prints the report and payslips as text, JSON and CSV', async () => {
    const text = await run(
      'run',
      '--scheme',
      ex('current-scheme.json'),
      '--workers',
      ex('workers.csv'),
      '--period',
      '2026-11',
    );
    assert.equal(text.code, 0);
    assert.match(text.out, /Payroll 2026-11, scheme works-tariff v1, 28 workers/);
    assert.match(text.out, /Gini/);
    const json = await run(
      'run',
      '--scheme',
      ex('current-scheme.json'),
      '--workers',
      ex('workers.csv'),
      '--format',
      'json',
    );
    const parsed = JSON.parse(json.out);
    assert.equal(parsed.payslips.length, 28);
    assert.equal(parsed.report.count, 28);
    const csv = await run(
      'run',
      '--scheme',
      ex('current-scheme.json'),
      '--workers',
      ex('workers.csv'),
      '--format',
      'csv',
    );
    assert.equal(csv.out.trim().split('\r\n').length, 29);
    const agg = await run(
      'run',
      '--scheme',
      ex('current-scheme.json'),
      '--workers',
      ex('workers.csv'),
      '--format',
      'json',
      '--aggregates-only',
    );
    assert.equal(JSON.parse(agg.out).payslips, undefined);
  });

  test('compare shows gains, losses and the change of every measure', async () => {
    const r = await run(
      'compare',
      '--current',
      ex('current-scheme.json'),
      '--proposed',
      ex('proposed-scheme.json'),
      '--workers',
      ex('workers.csv'),
      '--format',
      'json',
    );
    assert.equal(r.code, 0);
    const c = JSON.parse(r.out);
    assert.equal(c.count, 28);
    assert.equal(c.gainers + c.losers + c.unchanged, 28);
    assert.ok(Number(c.measures.change.gini) < 0);
    const text = await run(
      'compare',
      '--current',
      ex('current-scheme.json'),
      '--proposed',
      ex('proposed-scheme.json'),
      '--workers',
      ex('workers.csv'),
    );
    assert.match(text.out, /biggest gains/);
  });

  test('bad input exits 1 with the file, line and column; bad usage throws UsageError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pay-'));
    writeFileSync(join(dir, 'w.csv'), 'id,grade,hours\na,1,8\nb,1,lots\n');
    writeFileSync(join(dir, 's.json'), JSON.stringify({ format: 'councils.pay-scheme/1' }));
    const csv = await run('run', '--scheme', ex('current-scheme.json'), '--workers', join(dir, 'w.csv'));
    assert.equal(csv.code, 1);
    assert.match(csv.err, /w\.csv: line 3, column 3 \(hours\)/);
    const scheme = await run('run', '--scheme', join(dir, 's.json'), '--workers', ex('workers.csv'));
    assert.equal(scheme.code, 1);
    assert.match(scheme.err, /s\.json: id: must be a non-empty string/);
    await assert.rejects(run('run', '--workers', ex('workers.csv')), UsageError);
    await assert.rejects(run('fly'), UsageError);
    await assert.rejects(run('run', '--scheme', 'x', '--workers', 'y', '--format', 'xml'), UsageError);
  });
});
