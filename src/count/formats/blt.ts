// BLT ballot files (the ERS / OpenSTV "ballot" format) and the dialects found in real data:
//   "<candidates> <seats>" then an optional withdrawn line "-2 -5", then ballot lines "<weight> <prefs…> 0", a
//   terminating "0", candidate names and a title.
// Tolerated: names quoted (one per line or many on one line, David Hill .HIL) or unquoted one per line (mggg
//   scot-elex, sometimes with a quoted title); a missing title; an optional ballot id "(id)" before the weight; equal rankings "2=3"; "-" for a
//   skipped rank; a candidate repeated on one ballot (its later ranks are ignored).
import { BallotStore } from '../ballot-store.ts';
import { BallotFileError } from '../errors.ts';
import { type BallotFile, splitLines, uniqueNames } from './ballot-file.ts';

const fail = (line: number, problem: string) => new BallotFileError('BLT', line, problem);

interface RawBallot {
  line: number;
  weight: bigint;
  groups: number[][];
}

export function readBlt(text: string): BallotFile {
  const lines = splitLines(text);
  let i = 0;
  const next = (): { no: number; text: string } | null => {
    while (i < lines.length) {
      const t = lines[i++]!.trim();
      if (t !== '' && !t.startsWith('#')) return { no: i, text: t };
    }
    return null;
  };
  const head = next();
  if (!head) throw fail(0, 'the file is empty');
  const hm = /^(\d+)\s+(\d+)$/.exec(head.text);
  if (!hm) throw fail(head.no, `expected "<number of candidates> <number of seats>", found "${head.text}"`);
  const n = Number(hm[1]);
  const seats = Number(hm[2]);
  if (n < 1) throw fail(head.no, 'the number of candidates must be at least 1');
  if (seats < 1 || seats > n) throw fail(head.no, `the number of seats must be from 1 to ${n}`);

  const withdrawn = new Set<number>();
  const raw: RawBallot[] = [];
  let line = next();
  if (line && /^-\d+(\s+-\d+)*$/.test(line.text)) {
    for (const tok of line.text.split(/\s+/)) {
      const c = -Number(tok);
      if (c < 1 || c > n) throw fail(line.no, `withdrawn candidate ${c} is not between 1 and ${n}`);
      withdrawn.add(c - 1);
    }
    line = next();
  }
  for (;;) {
    if (!line) throw fail(0, 'missing the "0" line that ends the ballots');
    if (line.text === '0') break;
    raw.push(parseBallotLine(line.text, line.no, n));
    line = next();
  }
  const { names, title } = readNames(lines, i, n);
  const candidates = uniqueNames(names);
  const store = new BallotStore(candidates);
  for (const b of raw) {
    const groups = b.groups.map((g) => g.filter((c) => !withdrawn.has(c))).filter((g) => g.length > 0);
    store.add(groups, b.weight);
  }
  return {
    format: 'blt',
    ...(title !== undefined ? { title } : {}),
    candidates,
    seats,
    withdrawn: [...withdrawn].sort((a, b) => a - b).map((c) => candidates[c]!),
    implicitRanking: false,
    store,
  };
}

function parseBallotLine(text: string, no: number, n: number): RawBallot {
  const toks = text.split(/\s+/);
  if (/^\(.*\)$/.test(toks[0]!)) toks.shift(); // optional ballot id
  const wt = toks.shift()!;
  if (!/^\d+$/.test(wt)) throw fail(no, `ballot weight "${wt}" is not a whole number`);
  const weight = BigInt(wt);
  if (weight === 0n) throw fail(no, 'ballot weight must be positive');
  if (toks[toks.length - 1] !== '0') throw fail(no, 'a ballot line must end with 0');
  toks.pop();
  const groups: number[][] = [];
  for (const tok of toks) {
    if (tok === '-') continue;
    const group = tok.split('=').map((p) => {
      if (!/^\d+$/.test(p)) throw fail(no, `preference "${tok}" is not a candidate number`);
      const c = Number(p);
      if (c < 1 || c > n) throw fail(no, `candidate ${c} is not between 1 and ${n}`);
      return c - 1;
    });
    groups.push(group);
  }
  return { line: no, weight, groups };
}

function readNames(lines: string[], from: number, n: number): { names: string[]; title?: string } {
  const rest = lines.slice(from);
  const text = rest.join('\n');
  if (text.trimStart().startsWith('"')) {
    const names: string[] = [];
    const re = /"((?:[^"\\]|\\.)*)"/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) names.push(m[1]!.replace(/\\(.)/g, '$1'));
    if (names.length < n) throw fail(from + 1, `expected ${n} quoted candidate names, found ${names.length}`);
    return names.length > n ? { names: names.slice(0, n), title: names[n]! } : { names };
  }
  const plain = rest.map((l) => l.trim().replace(/^"(.*)"$/, '$1')).filter((l) => l !== '');
  if (plain.length < n) throw fail(from + 1, `expected ${n} candidate names, found ${plain.length}`);
  if (plain.length > n + 1) throw fail(from + n + 2, 'unexpected text after the title');
  return plain.length > n ? { names: plain.slice(0, n), title: plain[n]! } : { names: plain };
}

/** Write a ballot file as standard BLT (quoted names, title last). */
export function writeBlt(
  file: Pick<BallotFile, 'candidates' | 'seats' | 'withdrawn' | 'title' | 'store'>,
): string {
  const idx = new Map(file.candidates.map((c, i) => [c, i + 1]));
  const out = [`${file.candidates.length} ${file.seats ?? 1}`];
  if (file.withdrawn.length) out.push(file.withdrawn.map((w) => `-${idx.get(w)}`).join(' '));
  for (const { ranking, weight } of file.store.entries()) {
    const prefs = ranking.filter((g) => !g.includes('#')).map((g) => g.map((c) => idx.get(c)).join('='));
    out.push([weight.toString(), ...prefs, '0'].join(' '));
  }
  out.push('0');
  for (const c of file.candidates) out.push(quote(c));
  out.push(quote(file.title ?? ''));
  return out.join('\n') + '\n';
}

const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
