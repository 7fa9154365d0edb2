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

/**
 * A candidate's papers, struct of arrays: the entry, the offset of the preference it counts for, and the id of its
 * value (units of 10^-5) in the count's table of values. Papers of one entry share a value, and so do most papers
 * of one pile, which is why a transfer computes each new value once per distinct value, not per paper.
 */
class Pile {
  b = new Int32Array(16);
  at = new Int32Array(16);
  v = new Int32Array(16);
  length = 0;
  push(b: number, at: number, v: number): void {
    if (this.length === this.b.length) {
      const grow = (a: Int32Array) => {
        const bigger = new Int32Array(a.length * 2);
        bigger.set(a);
        return bigger;
      };
      this.b = grow(this.b);
      this.at = grow(this.at);
      this.v = grow(this.v);
    }
    this.b[this.length] = b;
    this.at[this.length] = at;
    this.v[this.length++] = v;
  }
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
  const piles = Array.from({ length: n }, () => new Pile());
  const totals = new Array<bigint>(n).fill(0n);
  let exhausted = 0n;
  let lost = 0n;
  const history: bigint[][] = [];
  const pendingSurplus: number[] = [];
  const rounds: Round[] = [];
  const explanation = [
    `quota = floor(${store.totalWeight} / ${seats + 1}) + 1 = ${FP.format(quota)} (SSI 2007/42 r. 46)`,
  ];
  // Paper values, each distinct value once; a paper holds its index.
  const values: bigint[] = [FP.one];
  const valueIds = new Map<bigint, number>([[FP.one, 0]]);
  const valueId = (v: bigint): number => {
    let id = valueIds.get(v);
    if (id === undefined) valueIds.set(v, (id = values.push(v) - 1));
    return id;
  };
  // Weights in doubles (exact: their total is below 2^53) unless the store holds bigints.
  const wn = store.numberWeights;

  /**
   * Gives the papers (entry, offset to look from, value id) to their next continuing preference, or to the
   * non-transferable papers, and adds their votes: the weights are summed per destination and value, then
   * multiplied by the value once, so the sums are the same exact integers as paper by paper. Returns the votes of
   * all the papers given (Σ value × weight).
   */
  const give = (
    count: number,
    bOf: (i: number) => number,
    from: (i: number) => number,
    vOf: (i: number) => number,
  ) => {
    // local value index per value id met, and per (destination, local value) the summed weight; n = exhausted
    const local = new Map<number, number>();
    const ids: number[] = [];
    let sumsN = new Float64Array(0);
    const sumsB: bigint[] = [];
    const at = (dest: number, v: number): number => {
      let k = local.get(v);
      if (k === undefined) {
        local.set(v, (k = ids.push(v) - 1));
        if (wn) {
          const bigger = new Float64Array(ids.length * (n + 1));
          bigger.set(sumsN);
          sumsN = bigger;
        } else sumsB.push(...new Array<bigint>(n + 1).fill(0n));
      }
      return k * (n + 1) + dest;
    };
    let lastV = -1;
    let base = 0;
    for (let i = 0; i < count; i++) {
      const b = bOf(i);
      const v = vOf(i);
      if (v !== lastV) {
        base = at(0, v);
        lastV = v;
      }
      const next = nextPreference(store, b, from(i), continuing);
      const dest = next < 0 ? n : candidateAt(store, next);
      if (next >= 0) piles[dest]!.push(b, next, v);
      if (wn) sumsN[base + dest] = sumsN[base + dest]! + wn[b]!;
      else sumsB[base + dest] = sumsB[base + dest]! + store.weight(b);
    }
    let all = 0n;
    for (let k = 0; k < ids.length; k++) {
      const value = values[ids[k]!]!;
      for (let dest = 0; dest <= n; dest++) {
        const w = wn ? sumsN[k * (n + 1) + dest]! : sumsB[k * (n + 1) + dest]!;
        if (!w) continue;
        const votes = value * BigInt(w);
        all += votes;
        if (dest === n) exhausted += votes;
        else totals[dest] = totals[dest]! + votes;
      }
    }
    return all;
  };

  give(
    store.size,
    (i) => i,
    (i) => store.start(i),
    () => 0,
  );

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
      piles[c] = new Pile();
      totals[c] = quota;
      // r. 48(3): surplus × paper value / total, to 5 decimals, remainder ignored; once per distinct value.
      const newIds = new Map<number, number>();
      const newId = (v: number): number => {
        let id = newIds.get(v);
        if (id === undefined)
          newIds.set(v, (id = valueId(FP.mulDiv(surplus, values[v]!, total, 'truncate'))));
        return id;
      };
      const moved = give(
        pile.length,
        (i) => pile.b[i]!,
        (i) => pile.at[i]! + 1,
        (i) => newId(pile.v[i]!),
      );
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
      piles[c] = new Pile();
      totals[c] = 0n;
      give(
        pile.length,
        (i) => pile.b[i]!,
        (i) => pile.at[i]! + 1,
        (i) => pile.v[i]!,
      );
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
