// Majority-family decisions of one question with one or more competing alternatives, decided by single choice:
// simple majority, absolute majority (of the electorate) and supermajority (a fraction of votes cast), each with a
// quorum. Weights are bigint so deputies can carry their council's weight; no floating point anywhere.

/** A fraction of small integers, as written in a constitution (e.g. 2/3). */
export interface Fraction {
  num: number;
  den: number;
}

export type QuorumRule =
  { kind: 'none' } | ({ kind: 'fraction' } & Fraction) | { kind: 'absolute'; count: number };

export type MajorityRule = { kind: 'simple' } | { kind: 'absolute' } | ({ kind: 'supermajority' } & Fraction);

/** The option that rejects every alternative (the status quo). */
export const AGAINST = 'against';

/** One ballot: an alternative's id, AGAINST, or null for an abstention (counted for quorum only). */
export interface ChoiceBallot {
  choice: string | null;
  weight?: bigint;
}

export interface MajorityInput {
  alternatives: readonly string[];
  ballots: Iterable<ChoiceBallot>;
  /** Total weight of the electorate frozen when voting opened. */
  electorate: bigint;
  rule: MajorityRule;
  quorum: QuorumRule;
}

export type MajorityOutcome = 'adopted' | 'rejected' | 'no_quorum' | 'tie';

/** A JSON-safe report: every weight as a decimal string. */
export interface MajorityReport {
  method: 'majority';
  rule: MajorityRule;
  quorum: QuorumRule & { required: string; present: string; met: boolean };
  electorate: string;
  tallies: Record<string, string>;
  abstentions: string;
  votesCast: string;
  leader: string | null;
  outcome: MajorityOutcome;
  /** The alternative adopted, if any. */
  winner: string | null;
  explanation: string[];
}

function checkFraction(f: Fraction, what: string): void {
  if (
    !Number.isSafeInteger(f.num) ||
    !Number.isSafeInteger(f.den) ||
    f.den <= 0 ||
    f.num < 0 ||
    f.num > f.den
  ) {
    throw new RangeError(`${what} must be a fraction num/den with 0 <= num <= den and den > 0`);
  }
}

/** The smallest present weight that meets the quorum: ceil(num/den · electorate) for a fraction. */
export function quorumRequired(quorum: QuorumRule, electorate: bigint): bigint {
  switch (quorum.kind) {
    case 'none':
      return 0n;
    case 'absolute':
      if (!Number.isSafeInteger(quorum.count) || quorum.count < 0) {
        throw new RangeError('quorum.count must be a non-negative integer');
      }
      return BigInt(quorum.count);
    case 'fraction': {
      checkFraction(quorum, 'quorum');
      const num = BigInt(quorum.num) * electorate;
      const den = BigInt(quorum.den);
      return (num + den - 1n) / den;
    }
  }
}

export function decideMajority(input: MajorityInput): MajorityReport {
  const { alternatives, electorate, rule, quorum } = input;
  if (alternatives.length === 0) throw new RangeError('alternatives must not be empty');
  if (new Set(alternatives).size !== alternatives.length)
    throw new RangeError('alternatives must be distinct');
  if (alternatives.includes(AGAINST))
    throw new RangeError(`"${AGAINST}" is reserved and cannot be an alternative`);
  if (electorate < 0n) throw new RangeError('electorate must be non-negative');
  if (rule.kind === 'supermajority') checkFraction(rule, 'rule');

  const tallies = new Map<string, bigint>([...alternatives, AGAINST].map((a) => [a, 0n]));
  let abstentions = 0n;
  for (const b of input.ballots) {
    const w = b.weight ?? 1n;
    if (w <= 0n) throw new RangeError('ballot weight must be positive');
    if (b.choice === null) {
      abstentions += w;
      continue;
    }
    const t = tallies.get(b.choice);
    if (t === undefined) throw new RangeError(`ballot names unknown option "${b.choice}"`);
    tallies.set(b.choice, t + w);
  }
  let votesCast = 0n;
  for (const t of tallies.values()) votesCast += t;
  const present = votesCast + abstentions;
  const required = quorumRequired(quorum, electorate);
  const quorumMet = present >= required;

  const sorted = [...alternatives].sort((a, b) => Number(tallies.get(b)! - tallies.get(a)!));
  const top = sorted[0]!;
  const topVotes = tallies.get(top)!;
  const tiedTop = sorted.filter((a) => tallies.get(a) === topVotes);
  const explanation: string[] = [];
  explanation.push(`present ${present} of electorate ${electorate}; quorum requires ${required}`);

  let outcome: MajorityOutcome;
  let leader: string | null = tiedTop.length === 1 ? top : null;
  if (!quorumMet) {
    outcome = 'no_quorum';
    explanation.push('quorum not met: nothing is adopted');
  } else if (tiedTop.length > 1 && topVotes > 0n) {
    outcome = 'tie';
    leader = null;
    explanation.push(`tie between ${tiedTop.join(', ')} with ${topVotes} each: a tie fails`);
  } else {
    const rest = votesCast - topVotes;
    let passes: boolean;
    switch (rule.kind) {
      case 'simple':
        passes = topVotes > rest;
        explanation.push(`simple majority: ${top} has ${topVotes}, all other votes cast ${rest}; needs more`);
        if (topVotes === rest) outcome = 'tie';
        break;
      case 'absolute':
        passes = 2n * topVotes > electorate;
        explanation.push(`absolute majority: ${top} has ${topVotes}; needs more than half of ${electorate}`);
        break;
      case 'supermajority':
        passes = votesCast > 0n && topVotes * BigInt(rule.den) >= BigInt(rule.num) * votesCast;
        explanation.push(
          `supermajority ${rule.num}/${rule.den}: ${top} has ${topVotes} of ${votesCast} votes cast`,
        );
        break;
    }
    if (topVotes === 0n) passes = false;
    outcome ??= passes ? 'adopted' : 'rejected';
    if (outcome === 'tie') passes = false;
    explanation.push(passes ? `${top} is adopted` : 'no alternative is adopted');
  }
  const str = (n: bigint) => n.toString();
  return {
    method: 'majority',
    rule,
    quorum: { ...quorum, required: str(required), present: str(present), met: quorumMet },
    electorate: str(electorate),
    tallies: Object.fromEntries([...tallies].map(([k, v]) => [k, str(v)])),
    abstentions: str(abstentions),
    votesCast: str(votesCast),
    leader,
    outcome,
    winner: outcome === 'adopted' ? top : null,
    explanation,
  };
}
