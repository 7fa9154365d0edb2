// The Debian constitution, appendix A.6 (standard resolution procedure), over a pairwise matrix:
//   quorum:   an option A is dropped unless V(A,D) > Q, where Q = 3·√N/2 and N is the number of developers
//             (constitution §4.2(7)); decided exactly as 4·V² > 9·N, with no square root and no float;
//   majority: an option needing an S:1 supermajority is dropped unless V(A,D) >= S·V(D,A) and V(A,D) > V(D,A);
//   then the Schwartz set and Schulze (winning votes) among the options left, with the default option D.
import type { PairwiseMatrix } from './pairwise.ts';
import { schwartzSet, range } from './condorcet.ts';
import { schulze } from './schulze.ts';
import { exactRatio } from '../lib/rational.ts';
import { formatRational } from './fixed-point.ts';

export interface DebianRules {
  /** Index of the default option ("None of the above", "Further discussion"). */
  defaultOption: number;
  /** Developer count N for the quorum 3·√N/2; omit for no quorum. */
  developers?: bigint;
  /** Supermajority S (for S:1) per option index; options not listed need 1:1. */
  supermajority?: ReadonlyMap<number, bigint>;
}

export interface DebianOptionResult {
  option: number;
  /** V(A,D) and V(D,A). */
  against: bigint;
  over: bigint;
  quorumMet: boolean;
  required: bigint;
  /** V(A,D)/V(D,A) to 3 decimals (half-even), "inf" when V(D,A) = 0. */
  ratio: string;
  majorityMet: boolean;
}

export interface DebianResult {
  options: DebianOptionResult[];
  remaining: number[];
  schwartz: number[];
  winners: number[];
  ranking: number[][];
}

/** V > 3·√N/2 exactly: 2V > 3√N ⇔ 4V² > 9N for V >= 0. */
export function debianQuorumMet(votes: bigint, developers: bigint): boolean {
  return 4n * votes * votes > 9n * developers;
}

/** Q = 3·√N/2 as a decimal truncated to `places` (for display only; decisions use debianQuorumMet). */
export function debianQuorumDecimal(developers: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  // floor(3·√N/2 · 10^p) = floor(√(9N·10^2p) / 2)
  const root = isqrt(9n * developers * scale * scale);
  const units = root / 2n;
  const digits = units.toString().padStart(places + 1, '0');
  return places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
}

export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('n must be non-negative');
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n;
  for (;;) {
    const y = (x + n / x) / 2n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

export function countDebian(m: PairwiseMatrix, rules: DebianRules): DebianResult {
  const d = rules.defaultOption;
  if (!Number.isInteger(d) || d < 0 || d >= m.n) throw new RangeError('defaultOption is out of range');
  const options: DebianOptionResult[] = [];
  const remaining: number[] = [d];
  for (const a of range(m.n)) {
    if (a === d) continue;
    const over = m.get(a, d);
    const against = m.get(d, a);
    const quorumMet = rules.developers === undefined || debianQuorumMet(over, rules.developers);
    const required = rules.supermajority?.get(a) ?? 1n;
    const majorityMet = over >= required * against && over > against;
    const ratio = against === 0n ? 'inf' : formatRational(exactRatio(over, against), 3, 'half-even');
    options.push({ option: a, over, against, quorumMet, required, ratio, majorityMet });
    if (quorumMet && majorityMet) remaining.push(a);
  }
  remaining.sort((x, y) => x - y);
  const schwartz = schwartzSet(m, remaining);
  const result = schulze(m, 'winning-votes', remaining);
  return { options, remaining, schwartz, winners: result.winners, ranking: result.ranking };
}
