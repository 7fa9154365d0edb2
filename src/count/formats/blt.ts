// BLT ballot files (the ERS / OpenSTV "ballot" format) and the dialects found in real data:
//   "<candidates> <seats>" then an optional withdrawn line "-2 -5", then ballot lines "<weight> <prefs…> 0", a
//   terminating "0", candidate names and a title.
// Tolerated: names quoted (one per line or many on one line, David Hill .HIL) or unquoted one per line (mggg
//   scot-elex, sometimes with a quoted title); a missing title; an optional ballot id "(id)" before the weight; equal rankings "2=3"; "-" for a
//   skipped rank; a candidate repeated on one ballot (its later ranks are ignored).
//
// The reader streams: `BltReader` takes the file's bytes in chunks of any size and parses each ballot line
// straight from the bytes into the store's codes (no string per line, nothing kept of a line once it is added);
// only the header, the withdrawn line, the names and any line the byte parser does not accept (an "(id)", a
// huge weight, non-ASCII text or an error) are decoded as text and read by the rules below, which give every error
// message. `readBlt(text)` is the same reader over a whole string.
import { BallotStore, TIED } from '../ballot-store.ts';
import { BallotFileError } from '../errors.ts';
import { type BallotFile, type BallotFileReader, uniqueNames } from './ballot-file.ts';

const fail = (line: number, problem: string) => new BallotFileError('BLT', line, problem);

export function readBlt(text: string): BallotFile {
  const reader = new BltReader();
  reader.push(new TextEncoder().encode(text));
  return reader.end();
}

const NL = 10;
const isSpace = (b: number) => b === 32 || (b >= 9 && b <= 13); // space, \t \n \v \f \r
const utf8 = new TextDecoder('utf-8');

/** A BLT file read from its bytes, chunk by chunk: push every chunk in order, then end(). */
export class BltReader implements BallotFileReader {
  private state: 'header' | 'withdrawn' | 'ballots' | 'names' = 'header';
  private lineNo = 0;
  private carry: Uint8Array | null = null;
  private bomChecked = false;
  private n = 0;
  private seats = 0;
  private withdrawn: Uint8Array = new Uint8Array(0);
  /** Ballots are kept under placeholder names until the names at the end of the file are read. */
  private store: BallotStore | null = null;
  private codes = new Int16Array(0);
  private seen = new Uint32Array(0);
  private stamp = 0;
  /** The text after the "0" line (names and title), as bytes, and the line number it starts at. */
  private rest: Uint8Array[] = [];
  private restFrom = 0;

  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
      this.carry = null;
    }
    let at = 0;
    if (!this.bomChecked) {
      if (buf.length < 3) {
        this.carry = buf.slice();
        return;
      }
      this.bomChecked = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) at = 3;
    }
    at = this.lines(buf, at, false);
    if (at < buf.length) this.carry = buf.slice(at);
  }

  end(): BallotFile {
    const buf = this.carry ?? new Uint8Array(0);
    this.carry = null;
    if (!this.bomChecked && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) this.lines(buf, 3, true);
    else this.lines(buf, 0, true);
    if (this.state === 'header') throw fail(0, 'the file is empty');
    if (this.state !== 'names') throw fail(0, 'missing the "0" line that ends the ballots');
    const rest = utf8.decode(concat(this.rest)).split(/\r?\n/);
    const { names, title } = readNames(rest, this.restFrom, this.n);
    const candidates = uniqueNames(names);
    const withdrawn: string[] = [];
    for (let c = 0; c < this.n; c++) if (this.withdrawn[c]) withdrawn.push(candidates[c]!);
    return {
      format: 'blt',
      ...(title !== undefined ? { title } : {}),
      candidates,
      seats: this.seats,
      withdrawn,
      implicitRanking: false,
      store: this.store!.renamed(candidates),
    };
  }

  /** Reads the complete lines of buf from `at` (the last one too when `final`); returns where the rest starts. */
  private lines(buf: Uint8Array, at: number, final: boolean): number {
    while (at < buf.length) {
      if (this.state === 'names') {
        this.rest.push(buf.slice(at));
        return buf.length;
      }
      let e = buf.indexOf(NL, at);
      if (e < 0) {
        if (!final) return at;
        e = buf.length;
      }
      this.lineNo++;
      if (this.state !== 'ballots' || !this.fastBallot(buf, at, e)) this.slowLine(buf, at, e);
      at = e + 1;
    }
    return buf.length;
  }

  /**
   * The byte parser for the common ballot line, "<weight> <prefs…> 0" with prefs "3", "2=3" or "-" and a weight of
   * at most 15 digits. Returns false, having added nothing, for any other line: slowLine reads it as text.
   */
  private fastBallot(buf: Uint8Array, s: number, e: number): boolean {
    let p = s;
    while (p < e && isSpace(buf[p]!)) p++;
    let b = e;
    while (b > p && isSpace(buf[b - 1]!)) b--;
    let w = 0;
    let digits = 0;
    for (; p < b; p++, digits++) {
      const d = buf[p]! - 48;
      if (d < 0 || d > 9) break;
      w = w * 10 + d;
    }
    if (digits === 0 || digits > 15 || w === 0 || p === b || !isSpace(buf[p]!)) return false;
    const n = this.n;
    const codes = this.codes;
    const seen = this.seen;
    const out = this.withdrawn;
    const stamp = ++this.stamp;
    let len = 0;
    for (;;) {
      while (isSpace(buf[p]!)) p++; // stops before b, which follows a non-space
      const ch = buf[p]!;
      if (ch === 48 && p + 1 === b) break; // the closing "0"
      if (ch === 45 && (p + 1 === b || isSpace(buf[p + 1]!))) {
        if (++p === b) return false; // "-": a skipped rank
        continue;
      }
      let first = true;
      for (;;) {
        let v = 0;
        const from = p;
        for (; p < b; p++) {
          const d = buf[p]! - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
          if (v > n) return false;
        }
        if (p === from || v === 0 || p === b) return false;
        const c = v - 1;
        if (out[c] === 0 && seen[c] !== stamp) {
          seen[c] = stamp;
          codes[len++] = first ? c : c | TIED;
          first = false;
        }
        const next = buf[p]!;
        if (next === 61)
          p++; // "=": ranked equal with the next
        else if (isSpace(next)) break;
        else return false;
      }
    }
    this.store!.addCodes(codes, len, w);
    return true;
  }

  /** Any line read as text, with the rules (and error messages) of the format. */
  private slowLine(buf: Uint8Array, s: number, e: number): void {
    const text = utf8.decode(buf.subarray(s, e)).trim();
    if (text === '' || text.startsWith('#')) return;
    const no = this.lineNo;
    if (this.state === 'header') {
      const hm = /^(\d+)\s+(\d+)$/.exec(text);
      if (!hm) throw fail(no, `expected "<number of candidates> <number of seats>", found "${text}"`);
      const n = Number(hm[1]);
      const seats = Number(hm[2]);
      if (n < 1) throw fail(no, 'the number of candidates must be at least 1');
      if (seats < 1 || seats > n) throw fail(no, `the number of seats must be from 1 to ${n}`);
      this.n = n;
      this.seats = seats;
      this.store = new BallotStore(Array.from({ length: n }, (_, i) => String(i + 1)));
      this.withdrawn = new Uint8Array(n);
      this.codes = new Int16Array(n);
      this.seen = new Uint32Array(n);
      this.state = 'withdrawn';
      return;
    }
    if (this.state === 'withdrawn') {
      this.state = 'ballots';
      if (/^-\d+(\s+-\d+)*$/.test(text)) {
        for (const tok of text.split(/\s+/)) {
          const c = -Number(tok);
          if (c < 1 || c > this.n) throw fail(no, `withdrawn candidate ${c} is not between 1 and ${this.n}`);
          this.withdrawn[c - 1] = 1;
        }
        return;
      }
    }
    if (text === '0') {
      this.state = 'names';
      this.restFrom = no;
      return;
    }
    const { weight, groups } = parseBallotLine(text, no, this.n);
    const stamp = ++this.stamp;
    let len = 0;
    for (const group of groups) {
      let first = true;
      for (const c of group) {
        if (this.withdrawn[c] || this.seen[c] === stamp) continue;
        this.seen[c] = stamp;
        this.codes[len++] = first ? c : c | TIED;
        first = false;
      }
    }
    this.store!.addCodes(
      this.codes,
      len,
      weight <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(weight) : weight,
    );
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function parseBallotLine(text: string, no: number, n: number): { weight: bigint; groups: number[][] } {
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
  return { weight, groups };
}

/** The names and title: `rest` are the lines after the "0" line, which is line `from` of the file. */
function readNames(rest: string[], from: number, n: number): { names: string[]; title?: string } {
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
