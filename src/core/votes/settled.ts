// A closed vote keeps its counts, not its ballots (docs/SCALE.md "Closing a vote"). Once a vote has closed nothing
// changes its electorate or its ballots, and what later reads them needs much less than two maps of every elector:
// who may vote and with what weight (reads, a secret vote's board after the close), who voted (the attention
// inbox's and the closing notices' `vote_result`) and who voted against the side that won (minority statements).
// `settleVotes` replaces the maps by the electorate's sorted ids and two arrays of positions in them; the
// functions below answer those questions alike of an open vote and of a settled one.
import { AGAINST, isAbstention, supports, type BallotContent } from './ballot-content.ts';
import type { SettledBallots, Vote } from './types.ts';
import { settleSecretVote } from '../secret/settled.ts';
import type { Group } from '../../ballot/index.ts';
import { byCodeUnits } from '../../lib/order.ts';

/** An electorate frozen for good: its ids in code-unit order, each with a weight (1 unless `weights` says). */
export class SettledElectorate implements ReadonlyMap<string, bigint> {
  constructor(
    /** Sorted in code-unit order (JavaScript's `<`), each once: the strings the members map holds. */
    readonly ids: readonly string[],
    /** Parallel to `ids`; null when every weight is 1 (as in every vote opened since 2026-11-28). */
    readonly weights: readonly bigint[] | null,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** The id's position in `ids`, or -1 (a binary search). */
  indexOf(id: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.ids[mid]!;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  weightAt(i: number): bigint {
    return this.weights?.[i] ?? 1n;
  }

  has(id: string): boolean {
    return this.indexOf(id) >= 0;
  }

  get(id: string): bigint | undefined {
    const i = this.indexOf(id);
    return i < 0 ? undefined : this.weightAt(i);
  }

  forEach(f: (weight: bigint, id: string, map: ReadonlyMap<string, bigint>) => void, self?: unknown): void {
    this.ids.forEach((id, i) => f.call(self, this.weightAt(i), id, this));
  }

  entries(): MapIterator<[string, bigint]> {
    return this.ids.map((id, i): [string, bigint] => [id, this.weightAt(i)]).values();
  }

  keys(): MapIterator<string> {
    return this.ids.values();
  }

  values(): MapIterator<bigint> {
    return this.ids.map((_, i) => this.weightAt(i)).values();
  }

  [Symbol.iterator](): MapIterator<[string, bigint]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'SettledElectorate';
  }
}

/** The votes closed since the last settling, by id (apply adds them; `settleVotes` empties the list). */
interface Settling {
  votes: ReadonlyMap<string, Vote>;
  settling: string[];
  /** A secret vote's aggregate and key are kept as sums in its group (secret/settled.ts). */
  crypto: { group: Group };
}

/**
 * Drops the per-elector maps of the votes closed since the last call. Called once a closing's rows are written
 * (the ledger, after each batch and each load or catch-up; a rebuild, after writing the vote's ballot rows), and by
 * a replay after each entry, so a replay decides later acts on the same state as the live process did.
 */
export function settleVotes(state: Settling): void {
  for (const id of state.settling.splice(0)) {
    const vote = state.votes.get(id);
    if (vote && vote.closedAt !== null && vote.ballots !== null) settle(vote, vote.ballots);
    // a secret vote's board too: its result stays, its ballots and proofs are read from the log when asked
    if (vote?.secret) settleSecretVote(state.crypto.group, vote);
  }
}

/** The ballot keys ("vote/member") of the votes `settleVotes` would settle now: what a rebuild writes first. */
export function settlingBallotKeys(state: Settling): string[] {
  const keys: string[] = [];
  for (const id of state.settling) {
    for (const memberId of state.votes.get(id)?.ballots?.keys() ?? []) keys.push(`${id}/${memberId}`);
  }
  return keys;
}

function settle(vote: Vote, ballots: ReadonlyMap<string, { ballot: BallotContent }>): void {
  const ids = [...vote.electorate.keys()].sort(byCodeUnits);
  const weights = ids.map((id) => vote.electorate.get(id)!);
  const electorate = new SettledElectorate(ids, weights.every((w) => w === 1n) ? null : weights);
  const won = vote.winner ?? AGAINST;
  const voters: number[] = [];
  const minority: number[] = [];
  for (const [memberId, { ballot }] of ballots) {
    const at = electorate.indexOf(memberId);
    // A ballot of no elector is a log the rules refuse (`councils verify` names it): that vote keeps its maps.
    if (at < 0) return;
    voters.push(at);
    if (!isAbstention(ballot) && !supports(ballot, won)) minority.push(at);
  }
  vote.electorate = electorate;
  vote.ballots = null;
  vote.settled = { voters: Uint32Array.from(voters).sort(), minority: Uint32Array.from(minority).sort() };
}

function settledOf(vote: Vote): { electorate: SettledElectorate; ballots: SettledBallots } {
  if (!(vote.electorate instanceof SettledElectorate) || !vote.settled)
    throw new RangeError(`vote ${vote.id} has neither its ballots nor what settling keeps of them`);
  return { electorate: vote.electorate, ballots: vote.settled };
}

function holds(sorted: Uint32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === x) return true;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Whether the member cast a ballot in the vote (for a secret vote, never: see `secret.issued`). */
export function hasVoted(vote: Vote, memberId: string): boolean {
  if (vote.ballots) return vote.ballots.has(memberId);
  const { electorate, ballots } = settledOf(vote);
  const at = electorate.indexOf(memberId);
  return at >= 0 && holds(ballots.voters, at);
}

/** The members who cast a ballot in the vote, each once. */
export function votersOf(vote: Vote): string[] {
  if (vote.ballots) return [...vote.ballots.keys()];
  const { electorate, ballots } = settledOf(vote);
  return Array.from(ballots.voters, (i) => electorate.ids[i]!);
}

/** How many electors have cast a ballot. */
export function ballotCount(vote: Vote): number {
  return vote.ballots ? vote.ballots.size : settledOf(vote).ballots.voters.length;
}

/**
 * Whether the member's ballot in a closed open (not secret) vote neither abstained nor supported the side that won:
 * the vote's `winner`, or AGAINST when nothing won (`motion_decided`, written by the same closing, names the same).
 */
export function votedInMinority(vote: Vote, memberId: string): boolean {
  if (vote.ballots) {
    const b = vote.ballots.get(memberId)?.ballot;
    return b !== undefined && !isAbstention(b) && !supports(b, vote.winner ?? AGAINST);
  }
  const { electorate, ballots } = settledOf(vote);
  const at = electorate.indexOf(memberId);
  return at >= 0 && holds(ballots.minority, at);
}
