// Ranked choice voting per California SB 1288 (2016), as specified by the reference tabulator DavidCary/CA-SB1288:
// IRV when one seat is filled, otherwise an STV in the WIGM (weighted inclusive Gregory) family at 5 decimals.
//   Ballots count for their highest-ranked continuing candidate; an overvoted rank exhausts the ballot there
//   (":Overvotes"); a ballot with no continuing candidate left is an ":Abstention" when the voter ranked fewer
//   candidates than allowed, else ":Other exhausted".
//   IRV: with two continuing candidates the one with fewer votes is defeated; optionally stop at a majority;
//   optionally "alternative defeats" (batch elimination) of every candidate whose votes, together with all lower
//   ones, are fewer than the next higher candidate's.
//   STV: threshold = votes for candidates / (seats + 1), rounded up at 5 decimals; a candidate with MORE than the
//   threshold is elected; all surpluses of a round are transferred together: surplus factor = surplus / votes
//   (truncated), each ballot's transfer value × factor (truncated); what truncation loses is ":Residual surplus".
//   Ties for defeat are broken by the tie-breaker (the official CA lot order: earlier listed is defeated).
import { OVERVOTE, TIED, type BallotStore } from './ballot-store.ts';
import { FixedPoint } from './fixed-point.ts';
import type { CountReport, Round } from './report.ts';
import { TieBreaker, type TieBreakSpec } from './tie-break.ts';

const FP = new FixedPoint(5);
export const OVERVOTES = ':Overvotes';
export const ABSTENTIONS = ':Abstentions';
export const OTHER_EXHAUSTED = ':Other exhausted';
export const RESIDUAL_SURPLUS = ':Residual surplus';

export interface Sb1288Options {
  seats: number;
  /** Most ranks a voter may use; null means no limit (the number of candidates). */
  maxRankingLevels?: number | null;
  tieBreak?: TieBreakSpec;
  stopAtMajority?: boolean;
  /** 'Y' / 'N' or one of those per round (IRV only). */
  alternativeDefeats?: string | readonly string[];
}

type Status = 'continuing' | 'elected' | 'defeated';

export function countSb1288(store: BallotStore, options: Sb1288Options): CountReport {
  const names = store.candidates;
  const n = names.length;
  const seats = options.seats;
  if (!Number.isInteger(seats) || seats < 1)
    throw new RangeError(`seats must be a positive integer, not ${seats}`);
  const irv = seats === 1;
  const maxLevels = options.maxRankingLevels ?? n;
  const tieSpec = options.tieBreak ?? { kind: 'backwards' };
  const ties = new TieBreaker(tieSpec, names);
  const labels = [...names, OVERVOTES, ABSTENTIONS, OTHER_EXHAUSTED, ...(irv ? [] : [RESIDUAL_SURPLUS])];
  const L = labels.length;
  const status: Status[] = new Array<Status>(n).fill('continuing');
  const statusRound = new Array<number>(n).fill(0);
  const statusVotes = new Array<bigint>(n).fill(0n);
  const tallies: bigint[][] = labels.map(() => []);
  const ballotsFor: number[][] = labels.map(() => []);
  // Per ballot entry: transfer value (units of 10^-5; 1.00000 at first).
  const tv: bigint[] = new Array<bigint>(store.size).fill(FP.one);
  const unit = (b: number): bigint => (irv ? store.weight(b) : tv[b]! * store.weight(b));
  const zero = 0n;
  let residual = 0n;
  let threshold = 0n;
  const rounds: Round[] = [];
  const history: (bigint | undefined)[][] = [];
  const explanation: string[] = [];
  const distinct = (b: number) => {
    let k = 0;
    for (const c of store.codes(b)) if (c !== OVERVOTE) k++;
    return k;
  };
  const hrcc = (b: number): number => {
    const codes = store.codes(b);
    for (let k = 0; k < codes.length; k++) {
      const code = codes[k]!;
      if (code === OVERVOTE) return n; // OVERVOTES label
      const c = code & ~TIED;
      const tiedNext = k + 1 < codes.length && codes[k + 1]! & TIED && codes[k + 1] !== OVERVOTE;
      if ((code & TIED || tiedNext) && code !== OVERVOTE) {
        // Equal ranks among continuing candidates are an overvote of that rank.
        let j = k;
        while (j > 0 && codes[j]! & TIED) j--;
        let e = j + 1;
        while (e < codes.length && codes[e]! & TIED && codes[e] !== OVERVOTE) e++;
        if (codes.subarray(j, e).some((x) => status[x & ~TIED] === 'continuing')) return n;
        k = e - 1;
        continue;
      }
      if (status[c] === 'continuing') return c;
    }
    return maxLevels > distinct(b) ? n + 1 : n + 2;
  };
  const assign = (list: Iterable<number>) => {
    for (const b of list) ballotsFor[hrcc(b)]!.push(b);
  };
  const continuing = () => range(n).filter((c) => status[c] === 'continuing');
  const setStatus = (cs: Iterable<number>, s: Status, round: Round) => {
    for (const c of cs) {
      if (status[c] !== 'continuing') throw new Error(`internal: ${names[c]} is not continuing`);
      status[c] = s;
      (s === 'elected' ? round.elected : round.excluded).push(names[c]!);
    }
  };
  const singleDefeat = (roundNo: number): number => {
    const cont = continuing();
    const min = cont.reduce((m, c) => (statusVotes[c]! < m ? statusVotes[c]! : m), statusVotes[cont[0]!]!);
    const tied = cont.filter((c) => statusVotes[c] === min);
    return ties.choose(tied, 'lowest', roundNo, 'exclude', history);
  };

  let nbrRound = 0;
  for (;;) {
    nbrRound++;
    const tieStart = ties.records.length;
    if (nbrRound === 1) {
      assign(range(store.size));
      if (!irv) {
        let total = zero;
        for (let c = 0; c < n; c++) for (const b of ballotsFor[c]!) total += unit(b);
        threshold = FP.div(total, FP.fromInteger(BigInt(seats + 1)), 'away');
      }
    }
    // Tally the round.
    for (let l = 0; l < L; l++) {
      if (l < n && status[l] === 'defeated') continue;
      let t = zero;
      if (labels[l] === RESIDUAL_SURPLUS) t = residual;
      else {
        for (const b of ballotsFor[l]!) t += unit(b);
        if (l < n && status[l] === 'elected' && t === zero) t = irv ? t : threshold;
      }
      tallies[l]!.push(t);
    }
    for (let c = 0; c < n; c++) {
      if (status[c] === 'continuing') {
        statusRound[c] = nbrRound;
        statusVotes[c] = tallies[c]![tallies[c]!.length - 1]!;
      }
    }
    history.push(
      range(n).map((c) => (status[c] === 'defeated' ? undefined : tallies[c]![tallies[c]!.length - 1]!)),
    );
    const round = roundRecord(
      nbrRound,
      labels,
      tallies,
      status,
      n,
      irv ? undefined : FP.format(threshold),
      irv,
    );
    rounds.push(round);
    const done = irv ? irvStep() : stvStep();
    round.tieBreaks = ties.records.slice(tieStart);
    if (done) break;

    function irvStep(): boolean {
      if (nbrRound === 1 && n === 0) return true;
      if (nbrRound === 1 && n === 1) {
        setStatus([0], 'elected', round);
        return true;
      }
      let defeated: number[] = [];
      if (continuing().length === 2) {
        defeated = [singleDefeat(nbrRound)];
        setStatus(defeated, 'defeated', round);
        setStatus(continuing(), 'elected', round);
        return true;
      }
      const cont = continuing();
      const total = cont.reduce((s, c) => s + statusVotes[c]!, 0n);
      const max = cont.reduce((m, c) => (statusVotes[c]! > m ? statusVotes[c]! : m), 0n);
      if (2n * max > total && options.stopAtMajority) {
        setStatus(
          cont.filter((c) => statusVotes[c] === max),
          'elected',
          round,
        );
        setStatus(continuing(), 'defeated', round);
        explanation.push(`round ${nbrRound}: majority of continuing votes, count stopped`);
        return true;
      }
      if (altDefeatsOption(options.alternativeDefeats, nbrRound) === 'Y') {
        defeated = alternativeDefeats(cont, statusVotes);
        setStatus(defeated, 'defeated', round);
      }
      if (defeated.length === 0) {
        defeated = [singleDefeat(nbrRound)];
        setStatus(defeated, 'defeated', round);
      }
      transferFromDefeated(defeated);
      return false;
    }

    function stvStep(): boolean {
      if (nbrRound === 1 && continuing().length <= seats) {
        setStatus(continuing(), 'elected', round);
        return true;
      }
      const withSurplus = range(n).filter(
        (c) =>
          status[c] !== 'defeated' &&
          tallies[c]![nbrRound - 1] !== undefined &&
          tallies[c]![nbrRound - 1]! > threshold,
      );
      setStatus(
        withSurplus.filter((c) => status[c] === 'continuing'),
        'elected',
        round,
      );
      if (range(n).filter((c) => status[c] === 'elected').length === seats) {
        setStatus(continuing(), 'defeated', round);
        return true;
      }
      let surplusTotal = 0n;
      for (const c of withSurplus) {
        const votes = tallies[c]![nbrRound - 1]!;
        const surplus = votes - threshold;
        surplusTotal += surplus;
        const factor = FP.div(surplus, votes, 'truncate');
        let transferred = 0n;
        for (const b of ballotsFor[c]!) {
          tv[b] = FP.mul(tv[b]!, factor, 'truncate');
          transferred += unit(b);
        }
        assign(ballotsFor[c]!);
        ballotsFor[c] = [];
        residual += surplus - transferred;
      }
      if (withSurplus.length) round.surplus = FP.format(surplusTotal);
      let defeated: number[] = [];
      if (withSurplus.length === 0) {
        defeated = [singleDefeat(nbrRound)];
        setStatus(defeated, 'defeated', round);
      }
      if (continuing().length + range(n).filter((c) => status[c] === 'elected').length === seats) {
        setStatus(continuing(), 'elected', round);
        return true;
      }
      transferFromDefeated(defeated);
      return false;
    }
  }

  function transferFromDefeated(defeated: number[]) {
    for (const c of defeated) {
      const list = ballotsFor[c]!;
      ballotsFor[c] = [];
      assign(list);
    }
  }

  const fmt = (v: bigint) => (irv ? v.toString() : FP.format(v));
  const winnersInOrder = rounds.flatMap((r) => r.elected);
  return {
    method: irv ? 'irv' : 'wigm-stv',
    winners: winnersInOrder,
    rounds,
    explanation: [
      irv
        ? 'instant runoff per California SB 1288'
        : `STV per California SB 1288, threshold ${FP.format(threshold)}`,
      ...explanation,
    ],
    seats,
    tieBreak: { kind: tieSpec.kind, ...(tieSpec.seed ? { seed: tieSpec.seed } : {}) },
    ...(irv ? {} : { decimals: 5 }),
    details: {
      status: range(n).map((c) => [names[c], status[c], statusRound[c], fmt(statusVotes[c]!)]),
      tally: Object.fromEntries(labels.map((l, k) => [l, tallies[k]!.map(fmt)])),
      ...(irv ? {} : { threshold: FP.format(threshold) }),
    },
  };
}

function roundRecord(
  number: number,
  labels: string[],
  tallies: bigint[][],
  status: Status[],
  n: number,
  quota: string | undefined,
  irv: boolean,
): Round {
  const fmt = (v: bigint) => (irv ? v.toString() : FP.format(v));
  const t: Record<string, string> = {};
  let exhausted = 0n;
  labels.forEach((l, k) => {
    const v = tallies[k]![tallies[k]!.length - 1];
    if (k < n && (status[k] === 'defeated' || tallies[k]!.length < number)) return;
    if (v === undefined) return;
    t[l] = fmt(v);
    if (k >= n && k < n + 3) exhausted += v;
  });
  return {
    number,
    tallies: t,
    ...(quota !== undefined ? { quota } : {}),
    exhausted: fmt(exhausted),
    elected: [],
    excluded: [],
    tieBreaks: [],
  };
}

function altDefeatsOption(opt: string | readonly string[] | undefined, round: number): string {
  if (opt === undefined) return 'N';
  if (typeof opt === 'string') return opt.toUpperCase();
  const v = opt[round - 1];
  if (v === undefined) throw new RangeError(`alternativeDefeats has no value for round ${round}`);
  return v.toUpperCase();
}

/** The largest set of lowest candidates whose total votes are fewer than the next higher candidate's votes. */
function alternativeDefeats(cont: number[], votes: bigint[]): number[] {
  const byVotes = [...cont].sort((a, b) => (votes[b]! > votes[a]! ? 1 : votes[b]! < votes[a]! ? -1 : 0));
  let lesser = cont.reduce((s, c) => s + votes[c]!, 0n);
  const toDefeat = new Set(cont);
  for (let ix = 0; ix < byVotes.length; ix++) {
    const c = byVotes[ix]!;
    lesser -= votes[c]!;
    toDefeat.delete(c);
    if (ix > 0 && lesser < votes[c]!) break;
  }
  return cont.filter((c) => toDefeat.has(c));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
