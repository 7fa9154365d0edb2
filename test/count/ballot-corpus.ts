// Ballot files in the CSV, Debian tally and .cvotes formats, valid and not, for the streaming readers' tests:
// seeded elections written by the writers, the same with CRLF, a byte-order mark, quoted multi-line cells,
// comments, parameters after the votes and non-ASCII names, and single-line faults (each reader's error cases).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BallotStore } from '../../src/count/ballot-store.ts';
import { writeCsvBallots } from '../../src/count/formats/csv-ballots.ts';
import { writeCvotes } from '../../src/count/formats/cvotes.ts';
import { writeDebianTally } from '../../src/count/formats/debian-tally.ts';
import type { BallotFormat } from '../../src/count/formats/ballot-file.ts';
import { prng } from '../support/mulberry32.ts';

export interface CorpusFile {
  name: string;
  format: Exclude<BallotFormat, 'blt'>;
  text: string;
}

function election(seed: number, candidates: string[], ballots: number): BallotStore {
  const random = prng(seed);
  const store = new BallotStore(candidates);
  for (let i = 0; i < ballots; i++) {
    const order = candidates.map((_, k) => k).sort(() => random() - 0.5);
    const len = 1 + Math.floor(random() * candidates.length);
    const groups = order.slice(0, len).map((c) => [c]);
    if (len > 2 && random() < 0.1) groups.splice(1, 2, [groups[1]![0]!, groups[2]![0]!]);
    store.add(groups, BigInt(1 + Math.floor(random() * 3)));
  }
  return store;
}

export function ballotCorpus(): CorpusFile[] {
  const out: CorpusFile[] = [];
  const names = ['Ann', 'Bob', 'Cy «ü»', 'Di, Jr.', 'Ed "the" Elder'];
  const store = election(19, names, 400);
  const file = { candidates: names, store, seats: 2, implicitRanking: false };
  const csv = writeCsvBallots(file);
  const cvotes = writeCvotes(file);
  const debian = writeDebianTally({ candidates: names, store: election(20, names, 60) });
  const variants = (format: CorpusFile['format'], name: string, text: string) => {
    out.push({ name, format, text });
    out.push({ name: `${name}, CRLF`, format, text: text.replace(/\n/g, '\r\n') });
    out.push({ name: `${name}, BOM, no final newline`, format, text: `\uFEFF${text.trimEnd()}` });
  };
  variants('csv', 'csv rank matrix', csv);
  // Preference columns, a quoted cell over two lines, blanks, equal rankings, weights, a blank record.
  const positions = ['weight,1,2,3', '2,Ann,Bob,', '1,"Cy\nDee",Ann=Bob', ' , , ', '3, Bob , Ann ,"Cy\nDee"'];
  for (let i = 0; i < 200; i++) positions.push(`${1 + (i % 4)},${names[i % 3]},${names[(i + 1) % 3]}`);
  variants('csv', 'csv preference columns', positions.join('\n') + '\n');
  variants('cvotes', 'cvotes', cvotes);
  const late = cvotes.split('\n').filter((l) => !l.startsWith('#/'));
  variants(
    'cvotes',
    'cvotes, parameters last',
    [...late, '#/Weight Allowed: true', '#/Number of seats: 2'].join('\n'),
  );
  variants(
    'cvotes',
    'cvotes, names from the votes',
    'Ann > Bob ^2 * 3 # comment\ntag || Bob = Cy\n/EMPTY_RANKING/ * 2\n',
  );
  variants('debian', 'debian', debian);
  const vectors = join(import.meta.dirname, '..', 'vectors', 'debian-votes');
  for (const year of readdirSync(vectors).sort())
    for (const f of readdirSync(join(vectors, year))
      .filter((f) => f.endsWith('.txt'))
      .sort())
      out.push({
        name: `debian ${year}/${f}`,
        format: 'debian',
        text: readFileSync(join(vectors, year, f), 'utf8'),
      });
  const faults: [CorpusFile['format'], string, string][] = [
    ['csv', '', 'empty'],
    ['csv', 'weight,1,2\n2,Ann,Bob\n0,Ann\n1,"Bob\n', 'bad weight, then an unclosed quote'],
    ['csv', 'weight,1,2\n2,Ann,Bob\n0,Ann\n', 'bad weight'],
    ['csv', '1,2\nAnn,Ann\nBob,"x"y\n', 'ranked twice, then text after a quote'],
    ['csv', '1,2\nAnn,Ann\nBob,1,2\n', 'ranked twice, then too many cells'],
    ['csv', 'Ann,Ann\n1,2\n', 'a name twice in the header'],
    ['csv', 'Ann,Bob\n1,2\n1,z\nA"b\n', 'bad rank, then a quote in a cell'],
    ['csv', 'Ann,Bob\n1,2\n1,z\n', 'bad rank'],
    ['csv', 'weight\n', 'no columns'],
    ['csv', '1,2\nAnn,=Bob\n', 'empty name in an equal ranking'],
    [
      'debian',
      'Option 1--->: A\nOption 2-->: B\nV: 1\t1\nV: 12\t2\nOption 4->: D\n',
      'short vote, then options out of order',
    ],
    [
      'debian',
      'Option 1--->: A\nOption 2-->: B\nV: 12\t1\nV: 1z\t2\nV: 1\t3\n',
      'a character that is not a rank',
    ],
    ['debian', 'V: 12\n', 'no options'],
    ['debian', 'Option 1--->: A\nV:\n', 'V: without a vote'],
    ['cvotes', '#/Candidates: A ; B\nA > B * x\nA > C\n', 'bad count, then unknown candidate'],
    ['cvotes', '#/Candidates: A ; B\nA > B\nA > C\nA > B ^0\n', 'unknown candidate, then bad weight'],
    ['cvotes', '#/Candidates: A ; A\nA\n', 'listed twice'],
    ['cvotes', '#/Number of Seats: x\nA\n', 'bad seats'],
    ['cvotes', 'A > > B\n', 'empty name'],
  ];
  for (const [format, text, name] of faults) out.push({ name: `${format}: ${name}`, format, text });
  return out;
}
