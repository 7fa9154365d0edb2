// A secret vote in the core (docs/BALLOT-PROTOCOL.md "In Councils"): the state a vote's board makes, the mapping
// of a motion's method to one ballot contest, and the count of the decrypted totals. The board IS the log: every
// `board_posted` entry is one board entry { kind, at = the entry's time in ms, body }.
import {
  joinCredentialParts,
  makeElection,
  BallotFormatError,
  BallotProtocolError,
  type BoardEntry,
  type Contest,
  type Election,
  type Group,
  type SetupBody,
} from '../../ballot/index.ts';
import { countTotals, quorumRequired } from '../../count/index.ts';
import { AGAINST } from '../votes/ballot-content.ts';
import type { DecisionSpec } from '../motions/types.ts';
import type { Vote } from '../votes/types.ts';
import type { VoteResult } from '../votes/decide.ts';
import type { BoardPosted, SecretVote } from './types.ts';
import type { Entry } from '../model.ts';
import { applyMixPosted, MIX_MINUTES, newMixState } from './mixed.ts';
import { aggregateOf, keyOf } from './board-sums.ts';
import { MIX_KINDS } from './board-rows.ts';

export { aggregateOf, keyOf };

/** Methods whose result depends on per-option totals only, so they can be counted homomorphically. */
export const secretMethods = ['majority', 'plurality', 'approval', 'score'] as const;

/** The option a blank single-choice ballot selects; its total counts for the quorum only. */
export const ABSTAIN = 'abstain';

/** The trustees appointed by the privileged act appoint_trustees (docs/POWER.md), if any. */
export function appointedTrustees(state: object): string[] {
  const power = (state as { power?: { trustees?: unknown } }).power;
  return Array.isArray(power?.trustees) ? (power.trustees as string[]) : [];
}

/** The contest a motion's vote becomes; option order is the ballot's. */
export function secretContest(vote: Pick<Vote, 'options' | 'statusQuo'>, decision: DecisionSpec): Contest {
  const options = vote.statusQuo ? [...vote.options, AGAINST] : [...vote.options];
  switch (decision.method) {
    case 'majority':
    case 'plurality':
      // single choice, with an explicit blank so every ballot selects exactly one option
      return { id: 'motion', title: '', options: [...options, ABSTAIN], min: 1, max: 1, optionMax: 1 };
    case 'approval':
      return { id: 'motion', title: '', options, min: 0, max: options.length, optionMax: 1 };
    case 'score': {
      const r = decision.maxScore ?? 5;
      return { id: 'motion', title: '', options, min: 0, max: options.length * r, optionMax: r };
    }
    default:
      throw new RangeError(`method ${decision.method} cannot be counted by secret ballot`);
  }
}

/** Applies one board entry to a secret vote's state (apply trusts it: decide checked it). */
export function postToBoard(g: Group, sv: SecretVote, entry: BoardEntry, seq: number): void {
  sv.board.push(entry);
  sv.seqs.push(seq);
  switch (entry.kind) {
    case 'credentials': {
      // the list is frozen with its last part (§4.2; an entry without parts is a whole list)
      if (entry.body.part !== entry.body.parts) return;
      const key = keyOf(g, sv);
      const parts = sv.board.filter((e) => e.kind === 'credentials').map((e) => e.body);
      try {
        sv.election = key?.ok ? makeElection(g, sv.setup, key, joinCredentialParts(parts)) : null;
      } catch (e) {
        // only a log altered after the freeze gets here; the replay's secret_ballot check names the fault
        if (!(e instanceof BallotFormatError || e instanceof BallotProtocolError)) throw e;
        sv.election = null;
      }
      return;
    }
    case 'ballot':
      sv.usedIds.add(entry.body.id);
      sv.cast.push({ ballot: entry.body, at: entry.at });
      return;
    case 'spoiled':
      sv.usedIds.add(entry.body.ballot.id);
      return;
    case 'partial-decryption':
      sv.partials.push(entry.body);
      return;
    case 'result':
      sv.result = entry.body;
      return;
    default:
      return;
  }
}

/** Weight of the counted ballots: who took part, for the quorum. */
export function presentWeight(g: Group, sv: SecretVote, election: Election): bigint {
  const weights = new Map(election.credentials.map((c) => [c.credential, BigInt(c.weight)]));
  const counted = new Set(aggregateOf(g, sv, election).counted);
  return sv.cast.reduce(
    (s, c) => s + (counted.has(c.ballot.id) ? weights.get(c.ballot.credential)! : 0n),
    0n,
  );
}

/**
 * Counts a secret vote from its decrypted tallies with countTotals: the same outcomes, winners and quorum rule as
 * countBallots gives for open ballots of the same content.
 */
export function countSecret(
  vote: Vote,
  decision: DecisionSpec,
  isElection: boolean,
  tallies: readonly number[],
  present: bigint,
): VoteResult {
  const contest = secretContest(vote, decision);
  const totals: Record<string, bigint> = {};
  let abstentions = 0n;
  contest.options.forEach((o, i) => {
    const t = BigInt(tallies[i] ?? 0);
    if (o === ABSTAIN) abstentions = t;
    else totals[o] = t;
  });
  const electorate = [...vote.electorate.values()].reduce((a, b) => a + b, 0n);
  const options = vote.statusQuo ? [...vote.options, AGAINST] : [...vote.options];
  if (decision.method === 'majority') {
    const report = countTotals(
      {
        method: 'majority',
        options: vote.options,
        majority: decision.rule ?? { kind: 'simple' },
        quorum: decision.quorum,
        electorate: electorate.toString(),
      },
      totals,
      abstentions,
    );
    const m = (report.details as { majority: { outcome: VoteResult['outcome'] } }).majority;
    const outcome = isElection && m.outcome === 'adopted' ? 'elected' : m.outcome;
    return { report, outcome, winners: report.winners };
  }
  const required = quorumRequired(decision.quorum, electorate);
  const base = {
    method: decision.method,
    winners: [],
    rounds: [],
    details: { present: `${present}`, required: `${required}` },
  };
  const line = `present ${present} of electorate ${electorate}; quorum requires ${required}`;
  if (present < required)
    return { report: { ...base, explanation: [line] }, outcome: 'no_quorum', winners: [] };
  if (Object.values(totals).every((t) => t === 0n)) {
    return {
      report: { ...base, explanation: ['no ballot expressed a preference'] },
      outcome: isElection ? 'none_elected' : 'rejected',
      winners: [],
    };
  }
  const report = countTotals(
    {
      method: decision.method,
      options,
      seats: vote.seats,
      tieBreak: { kind: 'backwards', seed: vote.id },
      ...(decision.maxScore !== undefined ? { maxScore: decision.maxScore } : {}),
    },
    totals,
  );
  report.explanation.unshift(line);
  const winners = report.winners.filter((w) => w !== AGAINST);
  if (isElection) return { report, outcome: winners.length ? 'elected' : 'none_elected', winners };
  const adopted = report.winners[0] !== undefined && report.winners[0] !== AGAINST;
  return { report, outcome: adopted ? 'adopted' : 'rejected', winners: adopted ? [report.winners[0]!] : [] };
}

/** apply's handler for `board_posted`. */
export function applyBoardPosted(
  g: Group,
  vote: Vote,
  p: BoardPosted,
  time: string,
  seq: number,
  actor: string | null = null,
): void {
  // a final vote's board is in the log only (settled.ts): the live rules refuse any entry after the close, and the
  // replay names one that a log has (replay.ts `lateBoardProblem`)
  if (vote.secret?.settled) return;
  if (p.kind === 'setup') {
    vote.secret = {
      setup: p.body as SetupBody,
      trustees: p.trustees ?? [],
      registrationEnds: p.registrationEnds ?? vote.closesAt,
      board: [],
      seqs: [],
      actors: [],
      election: null,
      issued: [],
      usedIds: new Set(),
      cast: [],
      partials: [],
      result: null,
      aggregate: null,
      mix: null,
      span: { from: seq, to: seq, entries: 0 },
    };
    const manifest = (p.body as SetupBody).manifest;
    if (manifest?.ballot === 'ranked')
      vote.secret.mix = newMixState([...(manifest.contests[0]?.options ?? [])], p.mixMinutes ?? MIX_MINUTES);
  }
  if (!vote.secret) throw new RangeError(`vote ${vote.id}: board entry before its setup`);
  vote.secret.span.to = seq;
  vote.secret.span.entries++;
  if (p.kind === 'credential-issued') {
    const weight = (p.body as { weight?: unknown })?.weight;
    vote.secret.issued.push({ member: actor ?? '', weight: Number(weight), seq });
    return;
  }
  if (MIX_KINDS.includes(p.kind)) {
    if (!vote.secret.mix) throw new RangeError(`vote ${vote.id}: ${p.kind} on a homomorphic vote`);
    applyMixPosted(vote.secret, p.kind, p.body, time, seq, actor);
    return;
  }
  vote.secret.actors.push(actor);
  postToBoard(g, vote.secret, { kind: p.kind, at: Date.parse(time), body: p.body } as BoardEntry, seq);
}

/**
 * A settled vote's secret state as it was before settling (settled.ts), made again from its `board_posted` entries
 * as the log holds them (`span`); other entries are passed over. Throws when they are not all there.
 */
export async function reopenBoard(
  g: Group,
  vote: Vote,
  entries: AsyncIterable<Entry> | Iterable<Entry>,
): Promise<SecretVote> {
  const kept = vote.secret;
  if (!kept?.settled) throw new RangeError(`vote ${vote.id}: its board is not settled`);
  // what applyBoardPosted reads of the vote
  const shell = { id: vote.id, closesAt: vote.closesAt } as Vote;
  for await (const e of entries) {
    if (e.act === 'board_posted' && e.payload.voteId === vote.id && e.seq <= kept.span.to)
      applyBoardPosted(g, shell, e.payload, e.time, e.seq, e.actor);
  }
  const sv = shell.secret;
  if (!sv || sv.span.from !== kept.span.from || sv.span.entries !== kept.span.entries)
    throw new RangeError(
      `vote ${vote.id}: the log gives ${sv?.span.entries ?? 0} of its ${kept.span.entries} board entries`,
    );
  if (kept.decryption) sv.decryption = kept.decryption;
  return sv;
}
