// Malformed ballot files of every kind are rejected with a BallotFileError naming the line and the problem.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BallotFileError } from '../../src/count/errors.ts';
import { readBlt } from '../../src/count/formats/blt.ts';
import { readCsvBallots } from '../../src/count/formats/csv-ballots.ts';
import { readCvotes } from '../../src/count/formats/cvotes.ts';
import { readDebianTally } from '../../src/count/formats/debian-tally.ts';
import { readBallotFile } from '../../src/count/formats/detect.ts';

function rejects(read: () => unknown, line: number, message: RegExp) {
  assert.throws(read, (e: unknown) => {
    assert.ok(e instanceof BallotFileError, `expected BallotFileError, got ${String(e)}`);
    assert.equal(e.line, line, `line of "${e.message}"`);
    assert.match(e.message, message);
    if (line > 0) assert.match(e.message, new RegExp(`line ${line}\\b`));
    return true;
  });
}

const blt = (...lines: string[]) => lines.join('\n');

describe('BLT', () => {
  test('accepts a standard file with withdrawn candidates, ids, equal ranks and skipped ranks', () => {
    const f = readBlt(
      blt('3 1', '-2', '(a) 2 1 2 3 0', '1 3=1 0', '1 - 2 0', '0', '"Ann"', '"Bob"', '"Cy"', '"Title"'),
    );
    assert.deepEqual(f.withdrawn, ['Bob']);
    assert.equal(f.title, 'Title');
    assert.deepEqual(
      [...f.store.entries()].map((e) => [e.ranking, e.weight]),
      [
        [[['Ann'], ['Cy']], 2n],
        [[['Cy', 'Ann']], 1n],
        [[], 1n],
      ],
    );
  });
  test('empty file', () => rejects(() => readBlt(''), 0, /empty/));
  test('bad header', () => rejects(() => readBlt(blt('three 1')), 1, /number of candidates/));
  test('more seats than candidates', () => rejects(() => readBlt(blt('2 3', '0', 'a', 'b')), 1, /seats/));
  test('weight not a number', () =>
    rejects(() => readBlt(blt('2 1', 'x 1 2 0', '0', 'a', 'b')), 2, /weight "x"/));
  test('zero weight', () =>
    rejects(() => readBlt(blt('2 1', '0 1 2 0', '1 1 0', '0', 'a', 'b')), 2, /positive/));
  test('candidate out of range', () =>
    rejects(
      () => readBlt(blt('2 1', '1 1 0', '1 3 0', '0', 'a', 'b')),
      3,
      /candidate 3 is not between 1 and 2/,
    ));
  test('ballot line without its 0', () =>
    rejects(() => readBlt(blt('2 1', '1 1 2', '0', 'a', 'b')), 2, /end with 0/));
  test('not a preference', () =>
    rejects(() => readBlt(blt('2 1', '1 a 0', '0', 'a', 'b')), 2, /not a candidate number/));
  test('missing the end-of-ballots 0', () =>
    rejects(() => readBlt(blt('2 1', '1 1 0')), 0, /missing the "0"/));
  test('too few names', () =>
    rejects(
      () => readBlt(blt('3 1', '1 1 0', '0', '"a"', '"b"')),
      4,
      /expected 3 quoted candidate names, found 2/,
    ));
  test('withdrawn candidate out of range', () =>
    rejects(() => readBlt(blt('2 1', '-4', '0', 'a', 'b')), 2, /withdrawn/));
  test('text after the title', () =>
    rejects(() => readBlt(blt('1 1', '1 1 0', '0', 'a', 'title', 'junk')), 6, /after the title/));
});

describe('CSV', () => {
  test('accepts both layouts', () => {
    const cols = readCsvBallots('weight,1,2\n2,Ann,Bob\n1,"Bob=Ann",\n');
    assert.deepEqual(cols.candidates, ['Ann', 'Bob']);
    assert.equal(cols.store.totalWeight, 3n);
    const matrix = readCsvBallots('Ann,Bob,Cy\n1,2,\n2,1,1\n');
    assert.deepEqual(
      [...matrix.store.entries()].map((e) => e.ranking),
      [
        [['Ann'], ['Bob']],
        [['Bob', 'Cy'], ['Ann']],
      ],
    );
  });
  test('empty', () => rejects(() => readCsvBallots(''), 0, /empty/));
  test('unterminated quote', () => rejects(() => readCsvBallots('1,2\n"Ann,Bob\n'), 2, /unterminated/));
  test('bad weight', () =>
    rejects(() => readCsvBallots('weight,1,2\n1,Ann,Bob\nx,Ann,Bob\n'), 3, /weight "x"/));
  test('bad rank', () => rejects(() => readCsvBallots('Ann,Bob\n1,2\n1,z\n'), 3, /rank "z" for Bob/));
  test('too many cells', () => rejects(() => readCsvBallots('Ann,Bob\n1,2,3\n'), 2, /3 cells for 2 columns/));
  test('candidate named twice in the header', () =>
    rejects(() => readCsvBallots('Ann,Ann\n1,2\n'), 1, /named twice/));
  test('candidate ranked twice', () => rejects(() => readCsvBallots('1,2\nAnn,Ann\n'), 2, /ranked twice/));
});

describe('Debian tally sheet', () => {
  const head = ['     Option 1---->: Yes', '   /  Option 2--->: Further discussion', '   |/'];
  test('accepts a sheet', () => {
    const f = readDebianTally([...head, 'V: 12\tu1', 'V: -1\tu2'].join('\n'));
    assert.equal(f.defaultOption, 'Further discussion');
    assert.equal(f.store.totalWeight, 2n);
  });
  test('vote of the wrong length', () =>
    rejects(
      () => readDebianTally([...head, 'V: 12\tu1', 'V: 123\tu2'].join('\n')),
      5,
      /3 characters for 2 options/,
    ));
  test('a character that is not a rank', () =>
    rejects(() => readDebianTally([...head, 'V: 1?\tu1'].join('\n')), 4, /"\?"/));
  test('options out of order', () =>
    rejects(() => readDebianTally(['Option 2--->: x', 'V: 1'].join('\n')), 1, /expected option 1/));
  test('no options', () => rejects(() => readDebianTally('V: 12\n'), 0, /no "Option/));
});

describe('Condorcet Election Format', () => {
  test('accepts tags, weights and counts', () => {
    const f = readCvotes('#/Candidates: A ; B\n#/Weight Allowed: true\nx, y || A > B ^2 * 3 # comment\nB\n');
    assert.equal(f.store.totalWeight, 7n);
  });
  test('unknown candidate', () =>
    rejects(() => readCvotes('#/Candidates: A ; B\nA > C\n'), 2, /unknown candidate "C"/));
  test('bad count', () => rejects(() => readCvotes('#/Candidates: A ; B\n\nA > B * x\n'), 3, /count "x"/));
  test('bad weight', () =>
    rejects(() => readCvotes('#/Candidates: A ; B\n#/Weight Allowed: true\nA > B ^0\n'), 3, /weight "0"/));
  test('empty name', () => rejects(() => readCvotes('#/Candidates: A ; B\nA > > B\n'), 2, /empty candidate/));
  test('bad seats', () =>
    rejects(() => readCvotes('#/Candidates: A ; B\n#/Number of Seats: two\nA\n'), 0, /Number of Seats/));
});

test('format detection: by extension, then by content; unknown content is refused', () => {
  assert.equal(readBallotFile('2 1\n1 1 0\n0\na\nb\n').format, 'blt');
  assert.equal(readBallotFile('A > B\n').format, 'cvotes');
  assert.equal(readBallotFile('Ann,Bob\n1,2\n').format, 'csv');
  assert.equal(readBallotFile('A > B\n', 'x.cvotes').format, 'cvotes');
  rejects(() => readBallotFile('hello\n'), 1, /cannot tell the format/);
});
