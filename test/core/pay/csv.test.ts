import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  CsvError,
  inequalityReport,
  parseCsv,
  payslipsCsv,
  readWorkersCsv,
  reportCsv,
  reportJson,
  runPayroll,
  writeCsv,
} from '../../../src/core/pay/index.ts';
import { scheme } from './helpers.ts';

/** Asserts a CsvError at line/column (and header field when given). */
function csvRejects(text: string, line: number, column: number, field?: string, grades?: string[]) {
  assert.throws(
    () => readWorkersCsv(text, grades ? { grades } : {}),
    (e: unknown) =>
      e instanceof CsvError &&
      e.line === line &&
      e.column === column &&
      (field === undefined || e.field === field),
    `expected a CsvError at line ${line}, column ${column}`,
  );
}

describe('RFC 4180 reader and writer', () => {
  test('quoted fields hold commas, quotes and line breaks (RFC 4180 §2.6, §2.7)', () => {
    const recs = parseCsv('a,"b,c","say ""hi"""\r\n"multi\r\nline",x,\r\n');
    assert.deepEqual(recs, [
      { line: 1, fields: ['a', 'b,c', 'say "hi"'] },
      { line: 2, fields: ['multi\r\nline', 'x', ''] },
    ]);
    assert.deepEqual(parseCsv('\ufeffid\nx\n\ny'), [
      { line: 1, fields: ['id'] },
      { line: 2, fields: ['x'] },
      { line: 4, fields: ['y'] },
    ]);
  });

  test('bad quoting is an error with line and column', () => {
    assert.throws(
      () => parseCsv('a,b\nc,"d'),
      (e: unknown) => e instanceof CsvError && e.line === 2 && e.column === 2,
    );
    assert.throws(
      () => parseCsv('a,b"c'),
      (e: unknown) => e instanceof CsvError && e.line === 1 && e.column === 2,
    );
    assert.throws(
      () => parseCsv('"a"b'),
      (e: unknown) => e instanceof CsvError && e.column === 1,
    );
  });

  test('write then read gives the fields back (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\r\n', '\n', ' ', 'é') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          assert.deepEqual(
            parseCsv(writeCsv(rows)).map((r) => r.fields),
            rows,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('workers CSV', () => {
  test('reads the example file', () => {
    const t = readWorkersCsv(readFileSync('examples/pay/workers.csv', 'utf8'));
    assert.equal(t.count, 28);
    assert.equal(t.ids.get(0), 'w001');
  });

  test('columns in any order and any case; output defaults to the norm', () => {
    const t = readWorkersCsv('Hours,ID,Grade,Output\r\n176.5,a,1,1.25\r\n8,"b, jr",2,\r\n');
    assert.deepEqual([...t.hours], [17_650, 800]);
    assert.deepEqual([...t.output], [12_500, 10_000]);
    assert.deepEqual([...t.ids], ['a', 'b, jr']);
    assert.deepEqual(t.grades, ['1', '2']);
  });

  test('malformed rows are rejected naming line, column and field', () => {
    csvRejects('', 1, 1);
    csvRejects('id,grade\n', 1, 3, 'hours');
    csvRejects('id,grade,hours,name\n', 1, 4, 'name');
    csvRejects('id,grade,hours\na,1,8\nb,1\n', 3, 3);
    csvRejects('id,grade,hours\na,1,8\nb,1,eight\n', 3, 3, 'hours');
    csvRejects('id,grade,hours\na,1,0\n', 2, 3, 'hours');
    csvRejects('id,grade,hours\na,1,8.001\n', 2, 3, 'hours');
    csvRejects('id,grade,hours,output\na,1,8,120%\n', 2, 4, 'output');
    csvRejects('id,grade,hours\na,,8\n', 2, 2, 'grade');
    csvRejects('id,grade,hours\na,1,8\na,1,8\n', 3, 1, 'id');
    csvRejects('id,grade,hours\na,9,8\n', 2, 2, 'grade', ['1', '2']);
    assert.throws(() => readWorkersCsv('id,grade,hours\na,1,x\n'), /line 2, column 3 \(hours\)/);
  });
});

describe('exports', () => {
  const s = scheme({
    pension: { bands: [{ upTo: null, rate: '0.5' }], minimum: 0, careerPeriods: 10, indexationFactor: '1' },
  });
  const t = readWorkersCsv('id,grade,hours\n"a,1",1,10\nb,2,10.5\n');
  const p = runPayroll(s, t, '2026-11');

  test('payslips CSV: money in major units, quoted ids, CRLF', () => {
    const csv = payslipsCsv(p);
    const rows = parseCsv(csv).map((r) => r.fields);
    assert.deepEqual(rows[0], [
      'period',
      'id',
      'grade',
      'hours',
      'output',
      'basic',
      'earnings',
      'bonus',
      'gross',
      'pay',
      'adjustment',
      'pension_accrual',
      'projected_pension',
    ]);
    assert.deepEqual(rows[1], [
      '2026-11',
      'a,1',
      '1',
      '10',
      '1',
      '10.00',
      '10.00',
      '0.00',
      '10.00',
      '10.00',
      'none',
      '0.50',
      '5.00',
    ]);
    assert.equal(rows[2]![9], '15.75'); // 100 × 1.5 × 10.5
    assert.ok(csv.endsWith('\r\n'));
  });

  test('report CSV and JSON carry decimals and exact fractions', () => {
    const r = inequalityReport(p.pay);
    const rows = parseCsv(reportCsv(r)).map((x) => x.fields);
    assert.deepEqual(
      rows.find((x) => x[0] === 'highestLowest'),
      ['highestLowest', '1.575000', '63/40'],
    );
    const json = reportJson(r);
    assert.equal(json.total, '2575');
    assert.equal(json.exact.highestLowest, '63/40');
    assert.doesNotThrow(() => JSON.stringify(json));
  });
});

describe('id column', () => {
  test('stores and returns any Unicode ids (property)', async () => {
    const { IdColumn } = await import('../../../src/core/pay/index.ts');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 200 }), (ids) => {
        const col = IdColumn.from(ids);
        assert.equal(col.length, ids.length);
        assert.deepEqual([...col], ids);
      }),
      { numRuns: 100 },
    );
  });
});
