// Counting a mixed secret ranked vote (docs/MIXNET.md §9): the decrypted rankings, in the mixed list's order, counted
// by the vote's method exactly as open ranked ballots are (src/count's countVote, every round in the report); a
// ballot that decrypts to no valid ranking is counted as invalid, listed with its reason, and not passed to the count.
import { countVote, type CountReport, type CountSpec } from '../../count/index.ts';
import type { DecodedRanking } from '../../ballot/index.ts';

export interface RankedCount {
  report: CountReport;
  /** Ballots counted (valid rankings, blank ones included). */
  valid: number;
  /** Position in the final mixed list and reason of every invalid ballot. */
  invalid: { index: number; reason: string }[];
}

export function countRankings(spec: CountSpec, rankings: readonly DecodedRanking[]): RankedCount {
  const invalid: RankedCount['invalid'] = [];
  const ballots: { ranking: string[][] }[] = [];
  rankings.forEach((r, index) =>
    r.ok ? ballots.push({ ranking: r.ranking }) : invalid.push({ index, reason: r.reason }),
  );
  return { report: countVote(spec, ballots), valid: ballots.length, invalid };
}
