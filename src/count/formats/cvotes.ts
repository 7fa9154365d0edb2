// The Condorcet Election Format (.cvotes, github.com/CondorcetVote/CondorcetElectionFormat): "#/Key: value"
// parameters (Candidates separated by ";", Number of Seats, Implicit Ranking, Weight Allowed), then vote lines
// "[tags ||] A > B = C [^weight] [* count]" ("/EMPTY_RANKING/" for a blank ballot); "#" starts a comment. With "Weight Allowed: false", ^weight is ignored.
import { BallotStore } from '../ballot-store.ts';
import { BallotFileError } from '../errors.ts';
import { type BallotFile, splitLines } from './ballot-file.ts';

const fail = (line: number, problem: string) =>
  new BallotFileError('Condorcet Election Format', line, problem);

export function readCvotes(text: string): BallotFile {
  const params = new Map<string, string>();
  const votes: { no: number; body: string }[] = [];
  splitLines(text).forEach((raw, k) => {
    const no = k + 1;
    const pm = /^\s*#\/\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(raw);
    if (pm) {
      params.set(pm[1]!.toLowerCase(), pm[2]!);
      return;
    }
    const body = raw.replace(/#.*$/, '').trim();
    if (body) votes.push({ no, body });
  });
  const listed = params.get('candidates');
  const implicit = (params.get('implicit ranking') ?? 'true').toLowerCase() !== 'false';
  const weightAllowed = (params.get('weight allowed') ?? 'false').toLowerCase() === 'true';
  const parsed = votes.map((v) => ({ no: v.no, ...parseVoteLine(v.body, v.no, weightAllowed) }));
  let candidates: string[];
  if (listed !== undefined) {
    candidates = listed
      .split(';')
      .map((c) => c.trim())
      .filter((c) => c !== '');
  } else {
    candidates = [];
    for (const v of parsed)
      for (const g of v.groups) for (const c of g) if (!candidates.includes(c)) candidates.push(c);
  }
  if (new Set(candidates).size !== candidates.length) throw fail(0, 'a candidate is listed twice');
  const store = new BallotStore(candidates);
  const known = new Set(candidates);
  for (const v of parsed) {
    for (const g of v.groups)
      for (const c of g) if (!known.has(c)) throw fail(v.no, `unknown candidate "${c}"`);
    if (v.count > 0n) store.addNames(v.groups, v.weight * v.count);
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
