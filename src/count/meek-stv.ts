// Meek STV per the Proportional Representation Foundation's reference rule (prfound.org, "Reference Meek Rule"),
// as implemented by DavidCary/Meeks-PRF-js: 9-decimal fixed point, with
//   B.2.a  each ballot gives each hopeful or elected candidate, in order, its keep factor of the weight left,
//          rounded up ('ceiling'); the rest passes on; a defeated candidate passes everything on;
//   B.2.b  quota = votes for candidates / (seats + 1), truncated, plus 10^-9;
//   B.2.c  hopefuls with votes >= quota are elected (the round's iterations end);
//   B.2.e  iterate until total surplus < omega = 10^-6 or it stops falling;
//   B.2.f  keep factor := ceil(ceil(keep factor × quota) / votes);
//   B.3    with nobody elected, defeat the hopeful with fewest votes; every hopeful within the total surplus of the
//          fewest counts as tied, and the tie-breaker decides.
// Ballots are walked through a lazily expanded prefix tree (as the reference's "dynamic ballot tree"): identical
// prefixes are summed once, and a node is only expanded when its candidate stops being hopeful, so an iteration
// costs the number of distinct prefixes that matter, not the number of ballots.
import { OVERVOTE, TIED, type BallotStore } from './ballot-store.ts';
import { FixedPoint } from './fixed-point.ts';
import type { CountReport, Round } from './report.ts';
import { TieBreaker, type TieBreakSpec } from './tie-break.ts';

const FP = new FixedPoint(9);
const ULP = 1n;
const OMEGA = 1000n;

export interface MeekOptions {
  seats: number;
  maxRankingLevels?: number | null;
  tieBreak?: TieBreakSpec;
  /** Count a first round even when every hopeful can be elected without one (default true). */
  alwaysCountVotes?: boolean;
  /** Candidates excluded (withdrawn) before the count. */
  excluded?: readonly string[];
}

type Status = 'hopeful' | 'elected' | 'defeated';
// Leaf kinds of the tree, stored as negative "candidates".
const LEAF_OVERVOTE = -1;
const LEAF_ABSTENTION = -2;
const LEAF_OTHER = -3;

interface Node {
  cand: number;
  weight: bigint;
  children: Node[];
  byCand: Map<number, Node> | null;
  /** Ballots parked here, waiting for this node's candidate to stop being hopeful: [entry, next offset]. */
  parked: number[] | null;
}

export function meekStv(store: BallotStore, options: MeekOptions): CountReport {
  const names = store.candidates;
  const n = names.length;
  const seats = options.seats;
  if (!Number.isInteger(seats) || seats < 1)
    throw new RangeError(`seats must be a positive integer, not ${seats}`);
  const tieSpec = options.tieBreak ?? { kind: 'backwards' };
  const ties = new TieBreaker(tieSpec, names);
  const maxWellRanked = options.maxRankingLevels == null ? n : Math.min(n, options.maxRankingLevels);
  const status: Status[] = new Array<Status>(n).fill('hopeful');
  const excluded = new Set((options.excluded ?? []).map((x) => store.indexOf(x)));
  for (const c of excluded) status[c] = 'defeated';
  const kf = new Array<bigint>(n).fill(FP.one);
  const statusRound = new Array<number>(n).fill(0);
  const statusVotes = new Array<bigint | null>(n).fill(null);
  const statusKf = new Array<bigint>(n).fill(FP.one);
  const labels = [
    ...names,
    ':Overvotes',
    ':Abstentions',
    ':Other exhausted',
    ':Votes for candidates',
    ':Total votes',
    ':Quota',
    ':Iterations',
    ':Total surplus',
  ];
  const tallies: Record<string, bigint[]> = Object.fromEntries(labels.map((l) => [l, []]));
  const rounds: Round[] = [];
  const history: (bigint | undefined)[][] = [];
  const root: Node = { cand: -9, weight: store.totalWeight, children: [], byCand: new Map(), parked: [] };
  for (let b = 0; b < store.size; b++) root.parked!.push(b, store.start(b));
  const distinctOf = (b: number) => {
    let k = 0;
    for (const c of store.codes(b)) if (c !== OVERVOTE) k++;
    return k;
  };

  /** Move parked ballots of `node` one step down the tree (to their next candidate that matters). */
  const expand = (node: Node) => {
    const parked = node.parked!;
    node.parked = null;
    const data = store.rawData;
    for (let i = 0; i < parked.length; i += 2) {
      const b = parked[i]!;
      let k = parked[i + 1]!;
      const end = store.end(b);
      let target = LEAF_OTHER;
      let next = end;
      for (; k < end; k++) {
        const code = data[k]!;
        const tiedNext = k + 1 < end && data[k + 1]! & TIED && data[k + 1] !== OVERVOTE;
        if (code === OVERVOTE || tiedNext) {
          target = LEAF_OVERVOTE; // equal ranks count as an overvote of that rank
          break;
        }
        const c = code & ~TIED;
        if (excluded.has(c)) continue;
        target = c;
        next = k + 1;
        break;
      }
      if (k >= end) target = distinctOf(b) < maxWellRanked ? LEAF_ABSTENTION : LEAF_OTHER;
      let child = node.byCand!.get(target);
      if (!child) {
        child = {
          cand: target,
          weight: 0n,
          children: [],
          byCand: target >= 0 ? new Map() : null,
          parked: target >= 0 ? [] : null,
        };
        node.byCand!.set(target, child);
        node.children.push(child);
      }
      child.weight += store.weight(b);
      if (target >= 0) child.parked!.push(b, next);
    }
  };

  let iter: Map<string, bigint | null> = new Map();
  const add = (label: string, v: bigint) => iter.set(label, (iter.get(label) ?? 0n) + v);
  const cand = new Array<bigint>(n).fill(0n);
  let other = [0n, 0n, 0n];
  const distribute = (node: Node, w: bigint) => {
    if (node.cand < 0 && node.cand !== -9) {
      other[-node.cand - 1]! += w * node.weight;
      return;
    }
    if (node.cand >= 0) {
      const c = node.cand;
      if (status[c] !== 'defeated') {
        const keep = FP.mul(w, kf[c]!, 'ceiling');
        cand[c]! += keep * node.weight;
        w -= keep;
        if (w === 0n) return;
      }
    }
    if (node.parked) expand(node);
    for (const child of node.children) distribute(child, w);
  };

  let nbrRound = 0;
  let totalSurplus = 0n;
  let quota = 0n;
  let newElecteds: number[] = [];
  const hopeful = () => range(n).filter((c) => status[c] === 'hopeful');
  const elected = () => range(n).filter((c) => status[c] === 'elected');
  const electedOrder: string[] = [];

  const iterate = (iteration: number): boolean => {
    cand.fill(0n);
    other = [0n, 0n, 0n];
    distribute(root, FP.one);
    iter = new Map();
    for (let c = 0; c < n; c++) iter.set(names[c]!, status[c] === 'defeated' ? null : cand[c]!);
    add(':Overvotes', other[0]!);
    add(':Abstentions', other[1]!);
    add(':Other exhausted', other[2]!);
    iter.set(':Iterations', BigInt(iteration));
    const forCandidates = range(n).reduce((s, c) => (status[c] === 'defeated' ? s : s + cand[c]!), 0n);
    iter.set(':Votes for candidates', forCandidates);
    iter.set(':Total votes', forCandidates + other[0]! + other[1]! + other[2]!);
    quota = FP.div(forCandidates, FP.fromInteger(BigInt(seats + 1)), 'truncate') + ULP;
    iter.set(':Quota', quota);
    for (let c = 0; c < n; c++) {
      if (status[c] === 'hopeful') {
        statusRound[c] = nbrRound;
        statusVotes[c] = cand[c]!;
      }
      statusKf[c] = kf[c]!;
    }
    newElecteds = hopeful().filter((c) => cand[c]! >= quota);
    for (const c of newElecteds) status[c] = 'elected';
    totalSurplus = elected().reduce((s, c) => s + cand[c]! - quota, 0n);
    iter.set(':Total surplus', totalSurplus);
    return newElecteds.length === 0;
  };

  for (;;) {
    if (nbrRound > 0 || options.alwaysCountVotes === false) {
      // B.1: count complete?
      if (elected().length === seats || hopeful().length + elected().length <= seats) {
        const last = rounds[rounds.length - 1];
        const h = hopeful().map((c) => names[c]!);
        if (elected().length < seats) {
          // C.1: elect the remaining hopefuls.
          for (const c of hopeful()) status[c] = 'elected';
          electedOrder.push(...h);
          last?.elected.push(...h);
        } else {
          // C.2: defeat the remaining hopefuls.
          for (const c of hopeful()) status[c] = 'defeated';
          last?.excluded.push(...h);
        }
        break;
      }
    }
    nbrRound++;
    if (nbrRound > n + 2) throw new Error('internal: Meek count needs too many rounds');
    const tieStart = ties.records.length;
    let prev: bigint | null = null;
    let iteration = 0;
    for (;;) {
      iteration++;
      if (!iterate(iteration)) break;
      if (totalSurplus < OMEGA) break;
      if (prev !== null && totalSurplus >= prev) break;
      // B.2.f: new keep factors for elected candidates.
      for (const c of elected()) kf[c] = FP.div(FP.mul(kf[c]!, quota, 'ceiling'), cand[c]!, 'ceiling');
      prev = totalSurplus;
    }
    for (const l of labels) {
      const v = iter.get(l);
      if (v !== null && v !== undefined) tallies[l]!.push(v);
    }
    history.push(range(n).map((c) => (status[c] === 'defeated' ? undefined : cand[c]!)));
    const round: Round = {
      number: nbrRound,
      tallies: Object.fromEntries(
        range(n)
          .filter((c) => status[c] !== 'defeated')
          .map((c) => [names[c]!, FP.format(cand[c]!)]),
      ),
      quota: FP.format(quota),
      surplus: FP.format(totalSurplus),
      exhausted: FP.format(other[0]! + other[1]! + other[2]!),
      elected: newElecteds.map((c) => names[c]!),
      excluded: [],
      tieBreaks: [],
      action: `${iteration} iteration${iteration > 1 ? 's' : ''}`,
    };
    electedOrder.push(...round.elected);
    if (newElecteds.length === 0 && hopeful().length) {
      // B.3: defeat the lowest; hopefuls within the total surplus of the lowest are tied.
      const h = hopeful();
      const min = h.reduce((m, c) => (statusVotes[c]! < m ? statusVotes[c]! : m), statusVotes[h[0]!]!);
      const tied = h.filter((c) => statusVotes[c]! <= min + totalSurplus);
      const c = ties.choose(tied, 'lowest', nbrRound, 'exclude', history);
      status[c] = 'defeated';
      kf[c] = 0n;
      round.excluded.push(names[c]!);
    }
    round.tieBreaks = ties.records.slice(tieStart);
    rounds.push(round);
  }

  const fmtOf = (l: string) =>
    l === ':Iterations' ? (v: bigint) => v.toString() : (v: bigint) => FP.format(v);
  return {
    method: 'meek-stv',
    winners: electedOrder,
    rounds,
    explanation: ['Meek STV per the PR Foundation reference rule, 9 decimal places'],
    seats,
    tieBreak: { kind: tieSpec.kind, ...(tieSpec.seed ? { seed: tieSpec.seed } : {}) },
    decimals: 9,
    details: {
      status: range(n).map((c) => [
        names[c],
        status[c],
        statusRound[c],
        statusVotes[c] === null ? null : FP.format(statusVotes[c]!),
        FP.format(statusKf[c]!),
      ]),
      tally: Object.fromEntries(labels.map((l) => [l, tallies[l]!.map(fmtOf(l))])),
    },
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
