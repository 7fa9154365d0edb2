// CSV ranked ballots (RFC 4180 quoting), in one of two layouts told apart by the header row:
//   preference columns: header "weight,1,2,3…" (or "rank 1", "choice 1"…, weight optional); each row lists
//     candidate names most preferred first; "A=B" in one cell ranks them equal; empty cells are skipped;
//   rank matrix: header "weight,Alice,Bob,…" (weight optional) naming the candidates; each row gives each
//     candidate's rank (1 = most preferred; equal numbers tie; empty = unranked).
import { csvField, readCsv, type CsvProblem } from '../../lib/csv.ts';
import { BallotStore, OVERVOTE } from '../ballot-store.ts';
import { BallotFileError } from '../errors.ts';
import type { BallotFile } from './ballot-file.ts';

const fail = (line: number, problem: string) => new BallotFileError('CSV', line, problem);

const problems: Record<CsvProblem, string> = {
  'unclosed-quote': 'an unterminated quoted cell',
  'text-after-quote': 'text after a quoted cell',
  'quote-in-field': 'a quote in the middle of a cell',
};

/** Parse CSV text (src/lib/csv.ts, blanks trimmed) into rows of cells, with the line each row starts on. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  return readCsv(text, { trim: true, fail: (line, _column, problem) => fail(line, problems[problem]) }).map(
    (r) => ({ line: r.line, cells: [...r.fields] }),
  );
}

const isPositionHeader = (h: string) => /^(?:(?:rank|choice|preference|pref)\s*#?\s*)?\d+$/i.test(h);

export function readCsvBallots(text: string): BallotFile {
  const rows = parseCsv(text);
  if (rows.length === 0) throw fail(0, 'the file is empty');
  const header = rows[0]!.cells;
  const hasWeight = /^(weight|count|n)$/i.test(header[0] ?? '');
  const cols = hasWeight ? header.slice(1) : header;
  if (cols.length === 0) throw fail(rows[0]!.line, 'the header names no columns');
  const body = rows.slice(1);
  const weightOf = (r: { line: number; cells: string[] }): bigint => {
    if (!hasWeight) return 1n;
    const w = r.cells[0] ?? '';
    if (!/^\d+$/.test(w) || w === '0' || /^0+$/.test(w))
      throw fail(r.line, `weight "${w}" is not a positive whole number`);
    return BigInt(w);
  };
  const valuesOf = (r: { line: number; cells: string[] }) => {
    const v = hasWeight ? r.cells.slice(1) : r.cells;
    if (v.length > cols.length) throw fail(r.line, `${v.length} cells for ${cols.length} columns`);
    return v;
  };
  if (cols.every(isPositionHeader)) {
    const candidates: string[] = [];
    const parsed = body.map((r) => {
      const groups = valuesOf(r)
        .filter((c) => c !== '')
        .map((c) => c.split('=').map((x) => x.trim()));
      for (const g of groups)
        for (const c of g) {
          if (c === '') throw fail(r.line, 'an empty name in an equal ranking');
          if (!candidates.includes(c)) candidates.push(c);
        }
      return { groups, weight: weightOf(r), line: r.line };
    });
    const store = new BallotStore(candidates);
    for (const p of parsed) {
      const flat = p.groups.flat();
      if (new Set(flat).size !== flat.length) throw fail(p.line, 'a candidate is ranked twice');
      store.addNames(p.groups, p.weight);
    }
    return { format: 'csv', candidates, withdrawn: [], implicitRanking: false, store };
  }
  if (new Set(cols).size !== cols.length)
    throw fail(rows[0]!.line, 'a candidate is named twice in the header');
  if (cols.some((c) => c === '')) throw fail(rows[0]!.line, 'an empty candidate name in the header');
  const store = new BallotStore(cols);
  for (const r of body) {
    const byRank = new Map<number, number[]>();
    valuesOf(r).forEach((v, k) => {
      if (v === '') return;
      if (!/^\d+$/.test(v) || Number(v) < 1)
        throw fail(r.line, `rank "${v}" for ${cols[k]} is not a positive whole number`);
      byRank.set(Number(v), [...(byRank.get(Number(v)) ?? []), k]);
    });
    store.add(
      [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g),
      weightOf(r),
    );
  }
  return { format: 'csv', candidates: [...cols], withdrawn: [], implicitRanking: false, store };
}

/** Write ballots in the rank-matrix layout (it keeps candidates nobody ranked), with a weight column. */
export function writeCsvBallots(file: Pick<BallotFile, 'candidates' | 'store'>): string {
  const out = [['weight', ...file.candidates.map(csvField)].join(',')];
  for (let b = 0; b < file.store.size; b++) {
    const ranks = new Array<string>(file.candidates.length).fill('');
    file.store
      .groups(b)
      .filter((g) => !g.includes(OVERVOTE))
      .forEach((g, r) => g.forEach((c) => (ranks[c] = String(r + 1))));
    out.push([file.store.weight(b).toString(), ...ranks].join(','));
  }
  return out.join('\n') + '\n';
}
