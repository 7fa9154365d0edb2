// The one entry point the core calls to count any vote: countVote(spec, ballots) → CountReport (JSON-safe).
// The contract is documented in docs/COUNTING.md; keep the two in step.
import { approval } from './approval.ts';
import { BallotStore } from './ballot-store.ts';
import { borda } from './borda.ts';
import { debianReport, rankedPairsReport, schulzeReport } from './condorcet-methods.ts';
import { AGAINST, decideMajority, type MajorityRule, type QuorumRule } from './majority.ts';
import { meekStv } from './meek-stv.ts';
import { plurality } from './plurality.ts';
import type { CountReport } from './report.ts';
import { countSb1288 } from './sb1288.ts';
import { score } from './score.ts';
import { scottishStv } from './scottish-stv.ts';
import { TieBreaker, type TieBreakSpec } from './tie-break.ts';

import { methodIds, type MethodId } from '../lib/methods.ts';

export { methodIds, type MethodId };

export type BallotShape = 'choice' | 'approve' | 'ranking' | 'scores';

export interface CountSpec {
  method: MethodId;
  /** Option ids, in their published order (also the default fixed tie-break order). */
  options: string[];
  /** Seats to fill (STV, and the top-N of plurality/approval/score/Borda); default 1. */
  seats?: number;
  tieBreak?: TieBreakSpec;
  /** 'debian': the default option ("none of the above"); default "against" if an option, else the last. */
  defaultOption?: string;
  /** 'majority': simple, absolute or a supermajority fraction of votes cast. */
  majority?: MajorityRule;
  /** 'debian': S of the S:1 supermajority each listed option needs against the default option. */
  supermajority?: Record<string, number>;
  /** 'majority': none / fraction / absolute; 'debian': 3·√N/2 with N developers. */
  quorum?: QuorumRule | { kind: 'debian'; developers: number | string };
  /** 'majority': total weight of the electorate (decimal string or number); default: all ballots cast. */
  electorate?: number | string;
  /** 'score': the highest score (scores are integers 0..maxScore). */
  maxScore?: number;
  /** Schulze ('winning-votes' default) and ranked pairs ('margins' default). */
  strength?: 'winning-votes' | 'margins';
  /** Ranked ballots: unranked options below ranked ones ('below', default) or not compared ('ignore'). */
  unranked?: 'below' | 'ignore';
  /** Most ranks a ballot may use (IRV/STV exhausted-ballot categories); default: the number of options. */
  maxRankingLevels?: number;
}

export type CountBallot = { weight?: bigint } & (
  | { choice: string | null }
  | { approve: string[] }
  | { ranking: string[][] }
  | { scores: Record<string, number> }
);

/** Which ballot shape a method needs. */
export function ballotShape(method: MethodId): BallotShape {
  switch (method) {
    case 'majority':
    case 'plurality':
      return 'choice';
    case 'approval':
      return 'approve';
    case 'score':
      return 'scores';
    default:
      return 'ranking';
  }
}

function pick<K extends BallotShape>(
  ballots: Iterable<CountBallot>,
  shape: K,
): Extract<CountBallot, Record<K, unknown>>[] {
  const out: Extract<CountBallot, Record<K, unknown>>[] = [];
  let k = 0;
  for (const b of ballots) {
    k++;
    if (typeof b !== 'object' || b === null || !(shape in b))
      throw new TypeError(`ballot ${k} must have "${shape}"`);
    if (b.weight !== undefined && (typeof b.weight !== 'bigint' || b.weight <= 0n)) {
      throw new RangeError(`ballot ${k}: weight must be a positive bigint`);
    }
    out.push(b as Extract<CountBallot, Record<K, unknown>>);
  }
  return out;
}

/** Ranked ballots into a compact store; every ranked option must be one of spec.options, and appear once. */
export function storeOf(options: readonly string[], ballots: Iterable<CountBallot>): BallotStore {
  const store = new BallotStore(options);
  let k = 0;
  for (const b of pick(ballots, 'ranking')) {
    k++;
    const seen = new Set<string>();
    for (const g of b.ranking) {
      for (const o of g) {
        if (seen.has(o)) throw new RangeError(`ballot ${k} ranks "${o}" twice`);
        seen.add(o);
        if (o === '#' || !options.includes(o))
          throw new RangeError(`ballot ${k} ranks unknown option "${o}"`);
      }
    }
    store.addNames(b.ranking, b.weight ?? 1n);
  }
  return store;
}

const toBig = (v: number | string, what: string): bigint => {
  if (typeof v === 'number' ? !Number.isSafeInteger(v) || v < 0 : !/^\d+$/.test(v)) {
    throw new RangeError(`${what} must be a non-negative integer`);
  }
  return BigInt(v);
};

export function countVote(spec: CountSpec, ballots: Iterable<CountBallot>): CountReport {
  const { seats, ties } = checkSpec(spec);
  const opts = spec.options;
  switch (spec.method) {
    case 'majority':
      return majorityReport(spec, pick(ballots, 'choice'));
    case 'plurality':
      return plurality(opts, pick(ballots, 'choice'), seats, ties);
    case 'approval':
      return approval(opts, pick(ballots, 'approve'), seats, ties);
    case 'score':
      if (spec.maxScore === undefined) throw new RangeError('maxScore is required for score voting');
      return score(opts, pick(ballots, 'scores'), seats, spec.maxScore, ties);
    default:
      return countStore(spec, storeOf(opts, ballots));
  }
}

function checkSpec(spec: CountSpec): { seats: number; ties: TieBreaker } {
  if (!methodIds.includes(spec.method)) throw new RangeError(`method must be one of ${methodIds.join(', ')}`);
  if (!Array.isArray(spec.options) || spec.options.length === 0)
    throw new RangeError('options must be a non-empty array');
  if (new Set(spec.options).size !== spec.options.length) throw new RangeError('options must be distinct');
  const seats = spec.seats ?? 1;
  if (!Number.isInteger(seats) || seats < 1) throw new RangeError('seats must be a positive integer');
  return { seats, ties: new TieBreaker(spec.tieBreak ?? { kind: 'backwards' }, spec.options) };
}

/**
 * Count a method of the 'ranking' shape straight from a ballot store whose candidates are spec.options, in the
 * same order (as a ballot-file reader builds it): the same report as countVote over the store's entries, without
 * turning every distinct ballot back into names and building the store again.
 */
export function countStore(spec: CountSpec, store: BallotStore): CountReport {
  const { seats, ties } = checkSpec(spec);
  const tieSpec = spec.tieBreak ?? { kind: 'backwards' };
  const opts = spec.options;
  if (ballotShape(spec.method) !== 'ranking')
    throw new RangeError(`${spec.method} does not count ranked ballots`);
  if (store.candidates.length !== opts.length || store.candidates.some((c, i) => c !== opts[i])) {
    throw new RangeError("the store's candidates must be the options, in order");
  }
  switch (spec.method) {
    case 'borda':
      return borda(store, seats, ties);
    case 'schulze':
      return schulzeReport(store, ties, spec.strength ?? 'winning-votes', {
        unranked: spec.unranked ?? 'below',
      });
    case 'ranked-pairs':
      return rankedPairsReport(store, ties, spec.strength ?? 'margins', {
        unranked: spec.unranked ?? 'below',
      });
    case 'debian': {
      // Default: "against" (the status quo) when it is an option, else the last option, as on Debian ballots.
      const defaultOption = spec.defaultOption ?? (opts.includes(AGAINST) ? AGAINST : opts[opts.length - 1]!);
      if (!opts.includes(defaultOption)) throw new RangeError('defaultOption must be one of options');
      if (spec.quorum && spec.quorum.kind !== 'debian' && spec.quorum.kind !== 'none')
        throw new RangeError('debian takes quorum { kind: "debian", developers }');
      const developers =
        spec.quorum?.kind === 'debian' ? toBig(spec.quorum.developers, 'quorum.developers') : undefined;
      return debianReport(store, ties, defaultOption, developers, spec.supermajority ?? {});
    }
    case 'irv':
      return countSb1288(store, {
        seats: 1,
        tieBreak: tieSpec,
        maxRankingLevels: spec.maxRankingLevels ?? null,
      });
    case 'wigm-stv':
      return countSb1288(store, {
        seats,
        tieBreak: tieSpec,
        maxRankingLevels: spec.maxRankingLevels ?? null,
      });
    case 'scottish-stv':
      return scottishStv(store, { seats, tieBreak: tieSpec });
    case 'meek-stv':
      return meekStv(store, { seats, tieBreak: tieSpec, maxRankingLevels: spec.maxRankingLevels ?? null });
    default:
      throw new RangeError(`${spec.method} does not count ranked ballots`);
  }
}

function majorityReport(spec: CountSpec, ballots: { choice: string | null; weight?: bigint }[]): CountReport {
  const alternatives = spec.options.filter((o) => o !== AGAINST);
  if (spec.quorum?.kind === 'debian')
    throw new RangeError('majority takes quorum none, fraction or absolute');
  const cast = ballots.reduce((s, b) => s + (b.weight ?? 1n), 0n);
  const r = decideMajority({
    alternatives,
    ballots,
    electorate: spec.electorate === undefined ? cast : toBig(spec.electorate, 'electorate'),
    rule: spec.majority ?? { kind: 'simple' },
    quorum: spec.quorum ?? { kind: 'none' },
  });
  return {
    method: 'majority',
    winners: r.winner ? [r.winner] : [],
    rounds: [
      {
        number: 1,
        tallies: { ...r.tallies, ':abstentions': r.abstentions },
        elected: r.winner ? [r.winner] : [],
        excluded: [],
        tieBreaks: [],
        action: r.outcome,
      },
    ],
    explanation: r.explanation,
    details: { majority: r },
  };
}
