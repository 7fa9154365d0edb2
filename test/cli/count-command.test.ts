// `councils count` called in-process with a capturing io: the shared BLT, Debian and .cvotes files, JSON and
// text output, and non-zero exits with a message naming the line on bad input.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countCommand } from '../../src/cli/commands/count.ts';

const vectors = join(import.meta.dirname, '../vectors');

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await countCommand(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('councils count', () => {
  test('Scottish STV on an official ward gives the official winners as JSON', async () => {
    const ward = 'aberdeen_2017_ward2';
    const r = await run(
      '--method',
      'scottish-stv',
      '--format',
      'json',
      join(vectors, 'stv-scotland', ward, `${ward}.blt`),
    );
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    const pairs = JSON.parse(readFileSync(join(vectors, 'stv-scotland/pairs.json'), 'utf8'));
    const official = pairs.pairs.find((p: { folder: string }) => p.folder === ward)
      .elected_official as string[];
    const surname = (s: string) => s.split(' ').pop()!.toUpperCase();
    assert.deepEqual(
      report.winners
        .map((w: string) => w.replace(/ \(.*\)$/, ''))
        .map(surname)
        .sort(),
      official.map(surname).sort(),
    );
    assert.equal(report.rounds.length, 9);
  });
  test('Debian tally with --developers reproduces the official winner as text', async () => {
    const r = await run(
      '--method',
      'debian',
      '--developers',
      '1000',
      join(vectors, 'debian-votes/2010/vote_001_tally.txt'),
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Winners: Stefano Zacchiroli/);
    assert.match(r.out, /quorum reached/);
  });
  test('Debian 2015/vote_003 (a constitutional amendment, 3:1 only in the results) with --supermajority', async () => {
    const file = join(vectors, 'debian-votes/2015/vote_003_tally.txt');
    const text = readFileSync(file, 'utf8');
    const option1 = /Option 1-*>:\s*(.*)/.exec(text)![1]!.trim();
    const r = await run(
      '--method',
      'debian',
      '--format',
      'json',
      '--developers',
      '1026',
      '--supermajority',
      `${option1}=3`,
      file,
    );
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    const o1 = report.details.options.find((o: { option: string }) => o.option === option1);
    assert.equal(o1.required, '3:1');
    assert.equal(o1.ratio, '69.333');
    assert.deepEqual(report.winners, [option1]);
    const bad = await run('--method', 'debian', '--supermajority', 'x', file);
    assert.equal(bad.code, 2);
  });
  test('.cvotes, .HIL and Meek with a seeded lot', async () => {
    const cv = await run(
      '--method',
      'schulze',
      join(vectors, 'condorcet-examples/Console/Commands/files/fromDebianExpectedFile.cvotes'),
    );
    assert.match(cv.out, /Winners: Jonathan Carter/);
    const hil = await run(
      '--method',
      'meek-stv',
      '--tie-break',
      'lot:abc',
      '--format',
      'json',
      join(vectors, 'condorcet-examples/Tools/Converters/TidemanData/A1.HIL'),
    );
    assert.equal(hil.code, 0, hil.err);
    const rep = JSON.parse(hil.out);
    assert.equal(rep.winners.length, 3);
    assert.deepEqual(rep.tieBreak, { kind: 'lot', seed: 'abc' });
  });
  test('a bad ballot file exits 1 naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'count-'));
    const bad = join(dir, 'bad.blt');
    writeFileSync(bad, '3 1\n1 1 2 0\n1 4 0\n0\n"a"\n"b"\n"c"\n');
    const r = await run('--method', 'irv', bad);
    assert.equal(r.code, 1);
    assert.match(r.err, /BLT line 3: candidate 4 is not between 1 and 3/);
    const missing = await run('--method', 'irv', join(dir, 'nope.blt'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read .*ENOENT/);
  });
  test('usage errors exit 2 with the usage', async () => {
    for (const args of [
      [],
      ['--method', 'nope', 'x.blt'],
      ['--method', 'irv'],
      ['--method', 'irv', '--tie-break', 'lot', 'x'],
      ['--method', 'irv', '--seats', '0', 'x'],
      ['--bogus'],
    ]) {
      const r = await run(...args);
      assert.equal(r.code, 2, JSON.stringify(args));
      assert.match(r.err, /usage: councils count/);
    }
    const help = await run('--help');
    assert.equal(help.code, 0);
  });
});
