// The Condorcet Election Format (.cvotes, github.com/CondorcetVote/CondorcetElectionFormat): "#/Key: value"
// parameters (Candidates separated by ";", Number of Seats, Implicit Ranking, Weight Allowed), then vote lines
// "[tags ||] A > B = C [^weight] [* count]" ("/EMPTY_RANKING/" for a blank ballot); "#" starts a comment. With "Weight Allowed: false", ^weight is ignored.
import { BallotStore } from '../ballot-store.ts';
import { BallotFileError } from '../errors.ts';
import { type BallotFile, LineBallotReader } from './ballot-file.ts';

const fail = (line: number, problem: string) =>
  new BallotFileError('Condorcet Election Format', line, problem);

export function readCvotes(text: string): BallotFile {
  const reader = new CvotesReader();
  reader.pushText(text);
  return reader.end();
}

/**
 * A .cvotes file read in chunks (issue #19): parameters as they come, each distinct vote line kept once with how
 * many lines cast it and the first line it is on, parsed at the end when every parameter is known (Weight Allowed
 * and the candidates may come after the votes), so results and errors are the whole-text reader's.
 */
export class CvotesReader extends LineBallotReader {
  readonly #params = new Map<string, string>();
  readonly #votes = new Map<string, { no: number; lines: number }>();
  protected line(raw: string, no: number): void {
    const pm = /^\s*#\/\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(raw);
    if (pm) {
      this.#params.set(pm[1]!.toLowerCase(), pm[2]!);
      return;
    }
    const body = raw.replace(/#.*$/, '').trim();
    if (!body) return;
    const seen = this.#votes.get(body);
    if (seen) seen.lines++;
    else this.#votes.set(body, { no, lines: 1 });
  }

  end(): BallotFile {
    this.lines.end();
    const params = this.#params;
    const listed = params.get('candidates');
    const implicit = (params.get('implicit ranking') ?? 'true').toLowerCase() !== 'false';
    const weightAllowed = (params.get('weight allowed') ?? 'false').toLowerCase() === 'true';
    const parsed = [...this.#votes].map(([body, { no, lines }]) => ({
      no,
      lines: BigInt(lines),
      ...parseVoteLine(body, no, weightAllowed),
    }));
    let candidates: string[];
    if (listed !== undefined) {
      candidates = listed
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c !== '');
    } else {
      const seen = new Set<string>();
      for (const v of parsed) for (const g of v.groups) for (const c of g) seen.add(c);
      candidates = [...seen];
    }
    if (new Set(candidates).size !== candidates.length) throw fail(0, 'a candidate is listed twice');
    const store = new BallotStore(candidates);
    const known = new Set(candidates);
    for (const v of parsed) {
      for (const g of v.groups)
        for (const c of g) if (!known.has(c)) throw fail(v.no, `unknown candidate "${c}"`);
      if (v.count > 0n) store.addNames(v.groups, v.weight * v.count * v.lines);
    }
    const seatsText = params.get('number of seats');
    let seats: number | undefined;
    if (seatsText !== undefined) {
      if (!/^\d+$/.test(seatsText) || Number(seatsText) < 1)
        throw fail(0, `bad Number of Seats "${seatsText}"`);
      seats = Number(seatsText);
    }
    return {
      format: 'cvotes',
      candidates,
      ...(seats !== undefined ? { seats } : {}),
      withdrawn: [],
      implicitRanking: implicit,
      store,
    };
  }
}

function parseVoteLine(body: string, no: number, weightAllowed: boolean) {
  let rest = body.includes('||') ? body.slice(body.indexOf('||') + 2) : body;
  let count = 1n;
  let weight = 1n;
  const cm = /\*\s*(\S*)\s*$/.exec(rest);
  if (cm) {
    if (!/^\d+$/.test(cm[1]!)) throw fail(no, `vote count "${cm[1]}" is not a whole number`);
    count = BigInt(cm[1]!);
    rest = rest.slice(0, cm.index);
  }
  const wm = /\^\s*(\S*)\s*$/.exec(rest);
  if (wm) {
    if (!/^\d+$/.test(wm[1]!) || wm[1] === '0')
      throw fail(no, `weight "${wm[1]}" is not a positive whole number`);
    if (weightAllowed) weight = BigInt(wm[1]!);
    rest = rest.slice(0, wm.index);
  }
  if (rest.trim() === '/EMPTY_RANKING/') return { groups: [] as string[][], weight, count };
  const groups = rest.split('>').map((g) => g.split('=').map((c) => c.trim()));
  for (const g of groups) if (g.some((c) => c === '')) throw fail(no, `empty candidate name in "${body}"`);
  return { groups, weight, count };
}

/** Write ballots in the Condorcet Election Format. */
export function writeCvotes(
  file: Pick<BallotFile, 'candidates' | 'seats' | 'implicitRanking' | 'store'>,
): string {
  const out = [
    `#/Candidates: ${file.candidates.join(' ; ')}`,
    `#/Number of Seats: ${file.seats ?? 1}`,
    `#/Implicit Ranking: ${file.implicitRanking}`,
    '#/Weight Allowed: false',
    '',
  ];
  for (const { ranking, weight } of file.store.entries()) {
    out.push(
      `${ranking
        .filter((g) => !g.includes('#'))
        .map((g) => g.join(' = '))
        .join(' > ')} * ${weight}`,
    );
  }
  return out.join('\n') + '\n';
}
