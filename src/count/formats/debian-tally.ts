// Debian tally sheets (devotee's *_tally.txt): a free header, the options as "Option N--->: title" drawn as a
// staircase, then one line per ballot "V: <vote>\t<login or HMAC>…" where character k of <vote> is the rank of
// option k (1 = most preferred; equal digits tie) or "-" for unranked. The last option is the default option.
import { BallotStore } from '../ballot-store.ts';
import { BallotFileError } from '../errors.ts';
import { type BallotFile, LineBallotReader, uniqueNames } from './ballot-file.ts';

const fail = (line: number, problem: string) => new BallotFileError('Debian tally', line, problem);
const OPTION = /^[\s/|]*Option\s+(\d+)-*>:\s?(.*)$/;
const SUPER = /\[(?:needs\s+)?(\d+):1\]/;

export function looksLikeDebianTally(text: string): boolean {
  return /^V:\s/m.test(text) && /Option\s+1-*>:/.test(text);
}

export function readDebianTally(text: string): BallotFile {
  const reader = new DebianTallyReader();
  reader.pushText(text);
  return reader.end();
}

/**
 * A tally sheet read in chunks (issue #19): the option lines as they come, each distinct vote kept once with how
 * many lines cast it and the first line it is on, then parsed into the store at the end, when the options are known
 * (so errors are the whole-text reader's: an option line's first, then the first bad vote's).
 */
export class DebianTallyReader extends LineBallotReader {
  readonly #titles: string[] = [];
  readonly #votes = new Map<string, { no: number; count: number }>();
  protected line(raw: string, no: number): void {
    const titles = this.#titles;
    const om = OPTION.exec(raw);
    if (om) {
      if (Number(om[1]) !== titles.length + 1)
        throw fail(no, `expected option ${titles.length + 1}, found ${om[1]}`);
      titles.push(om[2]!.trim());
      return;
    }
    if (raw.startsWith('V:')) {
      const vm = /^V:\s*(\S+)/.exec(raw);
      if (!vm) throw fail(no, 'a "V:" line without a vote');
      const seen = this.#votes.get(vm[1]!);
      if (seen) seen.count++;
      else this.#votes.set(vm[1]!, { no, count: 1 });
    }
  }

  end(): BallotFile {
    this.lines.end();
    const titles = this.#titles;
    if (titles.length === 0) throw fail(0, 'no "Option N--->:" lines found');
    const candidates = uniqueNames(titles);
    const store = new BallotStore(candidates);
    for (const [vote, { no, count }] of this.#votes)
      store.add(parseVote(vote, no, candidates.length), BigInt(count));
    const supermajority: Record<string, string> = {};
    titles.forEach((t, k) => {
      const m = SUPER.exec(t);
      if (m) supermajority[candidates[k]!] = m[1]!;
    });
    return {
      format: 'debian',
      candidates,
      withdrawn: [],
      implicitRanking: true,
      defaultOption: candidates[candidates.length - 1]!,
      supermajority,
      store,
    };
  }
}

function parseVote(vote: string, no: number, n: number): number[][] {
  if (vote.length !== n) throw fail(no, `vote "${vote}" has ${vote.length} characters for ${n} options`);
  const byRank = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    const ch = vote[k]!;
    if (ch === '-') continue;
    const r = parseInt(ch, 36);
    if (Number.isNaN(r) || r < 1) throw fail(no, `"${ch}" in vote "${vote}" is neither a rank nor "-"`);
    byRank.set(r, [...(byRank.get(r) ?? []), k]);
  }
  return [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

/** Write ballots as a Debian tally sheet (logins replaced by a running number). */
export function writeDebianTally(file: Pick<BallotFile, 'candidates' | 'store'>): string {
  const n = file.candidates.length;
  if (n > 35) throw new RangeError('a Debian tally sheet holds at most 35 options');
  const out = ['Tally Sheet for the votes cast.', ''];
  file.candidates.forEach((c, k) => {
    out.push(
      `${' '.repeat(k ? 2 * k + 1 : 5)}${k ? '/'.padStart(k, '|') + '  ' : ''}Option ${k + 1}${'-'.repeat(Math.max(1, n - k + 1))}>: ${c}`,
    );
  });
  let voter = 0;
  for (let b = 0; b < file.store.size; b++) {
    const chars = new Array<string>(n).fill('-');
    file.store.groups(b).forEach((g, r) => g.forEach((c) => c < n && (chars[c] = (r + 1).toString(36))));
    const line = chars.join('');
    for (let w = 0n; w < file.store.weight(b); w++) out.push(`V: ${line}\t${++voter}`);
  }
  return out.join('\n') + '\n';
}
