// Scottish STV: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, rules 45-52.
//   r. 46  quota = floor(valid votes / (seats + 1)) + 1 (Droop);
//   r. 47  a candidate whose votes equal or exceed the quota is elected;
//   r. 48  a surplus is transferred from all of the elected candidate's papers, each at the value
//          surplus × (value of the paper) / (candidate's total), calculated to 5 decimal places, any remainder
//          being ignored (truncation: FixedPoint 'truncate');
//   r. 49  the largest surplus first; equal surpluses: the candidate with more votes at the most recent earlier
//          stage where they differed, else by lot;
//   r. 50  with no surplus to transfer, the candidate with fewest votes is excluded (ties as in r. 49, fewest)
//          and all of their papers are transferred at their current value, in one stage;
//   r. 51-52 when the continuing candidates are no more than the vacancies left, they are all elected.
// Each stage of the report is one of the official count's stages: stage 1 the first preferences, each later
// stage one transfer. Elections and exclusions are recorded at the end of the stage where they are decided.
import type { BallotStore } from './ballot-store.ts';
import { FixedPoint } from './fixed-point.ts';
import type { CountReport, Round } from './report.ts';
import { candidateAt, nextPreference } from './stv-papers.ts';
import { TieBreaker, type TieBreakSpec } from './tie-break.ts';

const FP = new FixedPoint(5);

interface Paper {
  b: number;
  /** Offset of the preference the paper currently counts for. */
  at: number;
  /** Value of one paper of this entry, in units of 10^-5. */
  value: bigint;
}

export interface ScottishStvOptions {
  seats: number;
  tieBreak?: TieBreakSpec;
}

export function scottishStv(store: BallotStore, options: ScottishStvOptions): CountReport {
  const names = store.candidates;
  const n = names.length;
  const seats = options.seats;
  if (!Number.isInteger(seats) || seats < 1) throw new RangeError('seats must be a positive integer');
  const tieSpec = options.tieBreak ?? { kind: 'backwards' };
  const ties = new TieBreaker(tieSpec, names);
  const quota = FP.fromInteger(store.totalWeight / BigInt(seats + 1) + 1n);
  const continuing = new Uint8Array(n).fill(1);
  const elected: number[] = [];
  const excluded = new Set<number>();
  const piles: Paper[][] = Array.from({ length: n }, () => []);
  const totals = new Array<bigint>(n).fill(0n);
  let exhausted = 0n;
  let lost = 0n;
  const history: bigint[][] = [];
  const pendingSurplus: number[] = [];
  const rounds: Round[] = [];
  const explanation = [
    `quota = floor(${store.totalWeight} / ${seats + 1}) + 1 = ${FP.format(quota)} (SSI 2007/42 r. 46)`,
  ];

  const give = (p: Paper, from: number): bigint => {
    const at = nextPreference(store, p.b, from, continuing);
    const votes = p.value * store.weight(p.b);
    if (at < 0) {
      exhausted += votes;
      return votes;
    }
    const c = candidateAt(store, at);
    p.at = at;
    piles[c]!.push(p);
    totals[c] = totals[c]! + votes;
    return 0n;
  };

  for (let b = 0; b < store.size; b++) give({ b, at: -1, value: FP.one }, store.start(b));

  let round = 0;
  let action = 'first preferences';
  let before = totals.slice();
  for (;;) {
    round++;
    history.push(totals.slice());
    const r: Round = {
      number: round,
      action,
      tallies: Object.fromEntries(names.map((nm, c) => [nm, FP.format(totals[c]!)])),
      quota: FP.format(quota),
      transfers: Object.fromEntries(names.map((nm, c) => [nm, FP.format(totals[c]! - before[c]!)])),
      exhausted: FP.format(exhausted),
      elected: [],
      excluded: [],
      tieBreaks: [],
    };
    rounds.push(r);
    const tieStart = ties.records.length;
    // r. 47: everyone at or above the quota is elected, the larger totals first.
    const reached = range(n).filter((c) => continuing[c] && totals[c]! >= quota);
    for (const c of orderByVotes(reached, totals, ties, round, history)) {
      continuing[c] = 0;
      elected.push(c);
      r.elected.push(names[c]!);
      if (totals[c]! > quota) pendingSurplus.push(c);
    }
    const open = seats - elected.length;
    const cont = range(n).filter((c) => continuing[c]);
    if (
      open === 0 ||
      (cont.length <= open && cont.length > 0) ||
      (cont.length === 0 && pendingSurplus.length === 0)
    ) {
      if (open > 0) {
        for (const c of orderByVotes(cont, totals, ties, round, history)) {
          continuing[c] = 0;
          elected.push(c);
          r.elected.push(names[c]!);
        }
        explanation.push(
          `stage ${round}: ${cont.length} continuing for ${open} vacancies: all elected (r. 51)`,
        );
      }
      r.tieBreaks = ties.records.slice(tieStart);
      break;
    }
    before = totals.slice();
    if (pendingSurplus.length > 0) {
      // r. 49: the largest surplus first.
      const max = pendingSurplus.reduce((m, c) => (totals[c]! > m ? totals[c]! : m), 0n);
      const tied = pendingSurplus.filter((c) => totals[c] === max);
      const c = ties.choose(tied, 'highest', round, 'order', history);
      pendingSurplus.splice(pendingSurplus.indexOf(c), 1);
      const total = totals[c]!;
      const surplus = total - quota;
      const pile = piles[c]!;
      piles[c] = [];
      totals[c] = quota;
      let moved = 0n;
      for (const p of pile) {
        // r. 48(3): surplus × paper value / total, to 5 decimals, remainder ignored.
        p.value = FP.mulDiv(surplus, p.value, total, 'truncate');
        moved += p.value * store.weight(p.b);
        give(p, p.at + 1);
      }
      lost += surplus - moved;
      action = `transfer of ${names[c]}'s surplus ${FP.format(surplus)}`;
    } else {
      const min = cont.reduce((m, c) => (totals[c]! < m ? totals[c]! : m), totals[cont[0]!]!);
      const tied = cont.filter((c) => totals[c] === min);
      const c = ties.choose(tied, 'lowest', round, 'exclude', history);
      continuing[c] = 0;
      excluded.add(c);
      r.excluded.push(names[c]!);
      const pile = piles[c]!;
      piles[c] = [];
      totals[c] = 0n;
      for (const p of pile) give(p, p.at + 1);
      action = `exclusion of ${names[c]}`;
    }
    r.tieBreaks = ties.records.slice(tieStart);
  }
  explanation.push(`votes lost to truncation of transfer values: ${FP.format(lost)}`);
  return {
    method: 'scottish-stv',
    winners: elected.map((c) => names[c]!),
    rounds,
    explanation,
    seats,
    tieBreak: { kind: tieSpec.kind, ...(tieSpec.seed ? { seed: tieSpec.seed } : {}) },
    decimals: 5,
    details: {
      quota: FP.format(quota),
      lostToTruncation: FP.format(lost),
      nonTransferable: FP.format(exhausted),
    },
  };
}

function orderByVotes(
  cs: number[],
  totals: bigint[],
  ties: TieBreaker,
  round: number,
  history: bigint[][],
): number[] {
  const out: number[] = [];
  let left = [...cs];
  while (left.length) {
    const max = left.reduce((m, c) => (totals[c]! > m ? totals[c]! : m), totals[left[0]!]!);
    const tied = left.filter((c) => totals[c] === max);
    const c = ties.choose(tied, 'highest', round, 'elect', history);
    out.push(c);
    left = left.filter((x) => x !== c);
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
