// Reports for the Condorcet family: Schulze, ranked pairs and the Debian A.6 procedure, each with the pairwise
// matrix, the Condorcet winner (if any), and the Smith and Schwartz sets in `details`.
import type { BallotStore } from './ballot-store.ts';
import { condorcetWinner, schwartzSet, smithSet } from './condorcet.ts';
import { countDebian, debianQuorumDecimal } from './debian.ts';
import { PairwiseMatrix, type PairwiseOptions } from './pairwise.ts';
import { rankedPairs, type RankedPairsStrength } from './ranked-pairs.ts';
import type { CountReport } from './report.ts';
import { schulze, type SchulzeStrength } from './schulze.ts';
import { SeededLot, type TieBreaker } from './tie-break.ts';

function condorcetDetails(m: PairwiseMatrix, names: readonly string[]) {
  const w = condorcetWinner(m);
  return {
    pairwise: m.toJson(names),
    condorcetWinner: w === null ? null : names[w]!,
    smithSet: smithSet(m).map((c) => names[c]!),
    schwartzSet: schwartzSet(m).map((c) => names[c]!),
  };
}

const tieInfo = (ties: TieBreaker) => ({
  kind: ties.spec.kind,
  ...(ties.spec.seed ? { seed: ties.spec.seed } : {}),
});

export function schulzeReport(
  store: BallotStore,
  ties: TieBreaker,
  strength: SchulzeStrength = 'winning-votes',
  pairwise: PairwiseOptions = {},
): CountReport {
  const names = store.candidates;
  const m = PairwiseMatrix.fromStore(store, pairwise);
  const r = schulze(m, strength);
  const winner = ties.choose(r.winners, 'highest', 1, 'elect');
  return {
    method: 'schulze',
    winners: [names[winner]!],
    ranking: r.ranking.map((g) => g.map((c) => names[c]!)),
    rounds: [
      {
        number: 1,
        tallies: {},
        elected: [names[winner]!],
        excluded: [],
        tieBreaks: [...ties.records],
        action: `strongest paths (${strength})`,
      },
    ],
    explanation: [
      `Schulze method, link strength by ${strength}`,
      r.winners.length > 1
        ? `potential winners ${r.winners.map((c) => names[c]).join(', ')} tie`
        : `${names[winner]} wins`,
    ],
    tieBreak: tieInfo(ties),
    details: {
      ...condorcetDetails(m, names),
      strength,
      strongestPaths: Object.fromEntries(
        names.map((n, x) => [
          n,
          Object.fromEntries(names.map((o, y) => [o, r.paths[x]![y]!.toString()]).filter(([o]) => o !== n)),
        ]),
      ),
    },
  };
}

/** The tie-breaking ranking of candidates: a draw from the seed when there is one, else the fixed order. */
function tbrc(n: number, ties: TieBreaker, names: readonly string[]): number[] {
  if (ties.spec.seed && ties.spec.kind !== 'fixed') {
    const lot = new SeededLot(ties.spec.seed);
    const left = Array.from({ length: n }, (_, i) => i);
    const out: number[] = [];
    while (left.length) out.push(left.splice(lot.below(left.length).value, 1)[0]!);
    return out;
  }
  const order = ties.spec.order ?? names;
  const ranked = order.map((o) => names.indexOf(o)).filter((c) => c >= 0);
  return [...ranked, ...names.map((_, c) => c).filter((c) => !ranked.includes(c))];
}

export function rankedPairsReport(
  store: BallotStore,
  ties: TieBreaker,
  strength: RankedPairsStrength = 'margins',
  pairwise: PairwiseOptions = {},
): CountReport {
  const names = store.candidates;
  const m = PairwiseMatrix.fromStore(store, pairwise);
  const order = tbrc(names.length, ties, names);
  const r = rankedPairs(m, order, strength);
  const tieBreaks = r.usedTieBreak
    ? [
        {
          round: 1,
          purpose: 'order' as const,
          among: names.slice(),
          chosen: names[order[0]!]!,
          reason: `pairs of equal strength ordered by the tie-breaking ranking ${order.map((c) => names[c]).join(' > ')}`,
        },
      ]
    : [];
  return {
    method: 'ranked-pairs',
    winners: [names[r.order[0]!]!],
    ranking: r.order.map((c) => [names[c]!]),
    rounds: [
      {
        number: 1,
        tallies: {},
        elected: [names[r.order[0]!]!],
        excluded: [],
        tieBreaks,
        action: 'pairs locked in order of strength',
      },
    ],
    explanation: r.pairs.map(
      (p) =>
        `${names[p.winner]} over ${names[p.loser]} (${strength} ${p.strength}): ${p.locked ? 'locked' : 'skipped, would make a cycle'}`,
    ),
    tieBreak: tieInfo(ties),
    details: { ...condorcetDetails(m, names), strength },
  };
}

export function debianReport(
  store: BallotStore,
  ties: TieBreaker,
  defaultOption: string,
  developers: bigint | undefined,
  supermajority: Readonly<Record<string, number>>,
): CountReport {
  const names = store.candidates;
  const m = PairwiseMatrix.fromStore(store);
  const d = store.indexOf(defaultOption);
  const sm = new Map(Object.entries(supermajority).map(([o, s]) => [store.indexOf(o), BigInt(s)]));
  const r = countDebian(m, {
    defaultOption: d,
    ...(developers !== undefined ? { developers } : {}),
    supermajority: sm,
  });
  const winner = ties.choose(r.winners, 'highest', 1, 'elect');
  const explanation: string[] = [];
  if (developers !== undefined)
    explanation.push(`quorum Q = 3·√${developers}/2 ≈ ${debianQuorumDecimal(developers, 6)}`);
  for (const o of r.options) {
    explanation.push(
      `${names[o.option]}: V(A,D) = ${o.over}, V(D,A) = ${o.against}; quorum ${o.quorumMet ? 'reached' : 'NOT reached'}; ` +
        `majority ${o.ratio} ${o.majorityMet ? 'meets' : 'does NOT meet'} ${o.required}:1`,
    );
  }
  explanation.push(`Schwartz set: ${r.schwartz.map((c) => names[c]).join(', ')}; winner ${names[winner]}`);
  return {
    method: 'debian',
    winners: [names[winner]!],
    ranking: r.ranking.map((g) => g.map((c) => names[c]!)),
    rounds: [
      {
        number: 1,
        tallies: {},
        elected: [names[winner]!],
        excluded: names.filter((_, c) => !r.remaining.includes(c)),
        tieBreaks: [...ties.records],
      },
    ],
    explanation,
    tieBreak: tieInfo(ties),
    details: {
      ...condorcetDetails(m, names),
      defaultOption,
      options: r.options.map((o) => ({
        option: names[o.option],
        over: o.over.toString(),
        against: o.against.toString(),
        quorumMet: o.quorumMet,
        ratio: o.ratio,
        required: `${o.required}:1`,
        majorityMet: o.majorityMet,
      })),
      remaining: r.remaining.map((c) => names[c]!),
      schwartzSetAfterDropping: r.schwartz.map((c) => names[c]!),
    },
  };
}
