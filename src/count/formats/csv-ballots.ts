// CSV ranked ballots (RFC 4180 quoting), in one of two layouts told apart by the header row:
//   preference columns: header "weight,1,2,3…" (or "rank 1", "choice 1"…, weight optional); each row lists
//     candidate names most preferred first; "A=B" in one cell ranks them equal; empty cells are skipped;
//   rank matrix: header "weight,Alice,Bob,…" (weight optional) naming the candidates; each row gives each
//     candidate's rank (1 = most preferred; equal numbers tie; empty = unranked).
import { csvField, readCsv, type CsvProblem } from '../../lib/csv.ts';
import { BallotStore, OVERVOTE } from '../ballot-store.ts';
import { BallotFileError } from '../errors.ts';
import type { BallotFile, BallotFileReader } from './ballot-file.ts';

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
  const reader = new CsvBallotReader();
  reader.pushText(text);
  return reader.end();
}

type Row = { line: number; cells: string[] };

/**
 * CSV ballots read in chunks (issue #19): the text is cut after a line break outside quotes and each piece read as
 * records (src/lib/csv.ts), numbered as in the whole file. Rank-matrix rows go straight into the store; rows of
 * preference columns are kept once per distinct ranking with their summed weight until the names are all known.
 * A row's error is held until the end, so that a CSV syntax error further on is still the one reported, as when
 * the whole text was parsed first.
 */
export class CsvBallotReader implements BallotFileReader {
  readonly #decoder = new TextDecoder();
  #pending = '';
  #scanned = 0;
  #quoted = false;
  /** The line the pending text starts on. */
  #line = 1;
  #header: Row | undefined;
  #hasWeight = false;
  #cols: string[] = [];
  #positions = false;
  readonly #candidates = new Set<string>();
  readonly #rankings = new Map<string, bigint>();
  #store: BallotStore | undefined;
  /** The first error of the header or of a row, then the first ballot ranking a candidate twice. */
  #error: BallotFileError | undefined;
  #twice: BallotFileError | undefined;

  push(chunk: Uint8Array): void {
    this.pushText(this.#decoder.decode(chunk, { stream: true }));
  }

  pushText(text: string): void {
    this.#pending += text;
    const s = this.#pending;
    let cut = -1;
    for (let i = this.#scanned; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) this.#quoted = !this.#quoted;
      else if (c === 10 && !this.#quoted) cut = i + 1;
    }
    this.#scanned = s.length;
    if (cut < 0) return;
    this.#read(s.slice(0, cut));
    this.#pending = s.slice(cut);
    this.#scanned -= cut;
  }

  #read(text: string): void {
    const offset = this.#line - 1;
    const records = readCsv(text, {
      trim: true,
      fail: (line, _column, problem) => fail(line + offset, problems[problem]),
    });
    for (const r of records) this.#row({ line: r.line + offset, cells: [...r.fields] });
    this.#line += lineEnds(text);
  }

  #row(r: Row): void {
    if (this.#error) return;
    try {
      if (this.#header) this.#ballot(r);
      else this.#start(r);
    } catch (e) {
      if (!(e instanceof BallotFileError)) throw e;
      this.#error = e;
    }
  }

  #start(header: Row): void {
    this.#header = header;
    this.#hasWeight = /^(weight|count|n)$/i.test(header.cells[0] ?? '');
    const cols = (this.#cols = this.#hasWeight ? header.cells.slice(1) : header.cells);
    if (cols.length === 0) throw fail(header.line, 'the header names no columns');
    this.#positions = cols.every(isPositionHeader);
    if (this.#positions) return;
    if (new Set(cols).size !== cols.length)
      throw fail(header.line, 'a candidate is named twice in the header');
    if (cols.some((c) => c === '')) throw fail(header.line, 'an empty candidate name in the header');
    this.#store = new BallotStore(cols);
  }

  #weight(r: Row): bigint {
    if (!this.#hasWeight) return 1n;
    const w = r.cells[0] ?? '';
    if (!/^\d+$/.test(w) || w === '0' || /^0+$/.test(w))
      throw fail(r.line, `weight "${w}" is not a positive whole number`);
    return BigInt(w);
  }

  #values(r: Row): string[] {
    const v = this.#hasWeight ? r.cells.slice(1) : r.cells;
    if (v.length > this.#cols.length)
      throw fail(r.line, `${v.length} cells for ${this.#cols.length} columns`);
    return v;
  }

  #ballot(r: Row): void {
    if (this.#positions) {
      const groups = this.#values(r)
        .filter((c) => c !== '')
        .map((c) => c.split('=').map((x) => x.trim()));
      for (const g of groups)
        for (const c of g) {
          if (c === '') throw fail(r.line, 'an empty name in an equal ranking');
          this.#candidates.add(c);
        }
      const weight = this.#weight(r);
      const flat = groups.flat();
      if (new Set(flat).size !== flat.length) this.#twice ??= fail(r.line, 'a candidate is ranked twice');
      const key = JSON.stringify(groups);
      this.#rankings.set(key, (this.#rankings.get(key) ?? 0n) + weight);
      return;
    }
    const cols = this.#cols;
    const byRank = new Map<number, number[]>();
    this.#values(r).forEach((v, k) => {
      if (v === '') return;
      if (!/^\d+$/.test(v) || Number(v) < 1)
        throw fail(r.line, `rank "${v}" for ${cols[k]} is not a positive whole number`);
      byRank.set(Number(v), [...(byRank.get(Number(v)) ?? []), k]);
    });
    this.#store!.add(
      [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g),
      this.#weight(r),
    );
  }

  end(): BallotFile {
    this.pushText(this.#decoder.decode());
    if (this.#pending !== '') this.#read(this.#pending);
    this.#pending = '';
    if (!this.#header) throw fail(0, 'the file is empty');
    if (this.#error) throw this.#error;
    if (!this.#positions)
      return {
        format: 'csv',
        candidates: [...this.#cols],
        withdrawn: [],
        implicitRanking: false,
        store: this.#store!,
      };
    if (this.#twice) throw this.#twice;
    const candidates = [...this.#candidates];
    const store = new BallotStore(candidates);
    for (const [key, weight] of this.#rankings) store.addNames(JSON.parse(key) as string[][], weight);
    return { format: 'csv', candidates, withdrawn: [], implicitRanking: false, store };
  }
}

/** The lines readCsv counts in `text` (whole records): every "\n", and every "\r" outside quotes not before one. */
function lineEnds(text: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10) n++;
    else if (c === 13 && !quoted && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
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
