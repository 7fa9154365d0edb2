// A final secret vote keeps its result, not its board (docs/BALLOT-PROTOCOL.md "In Councils", docs/SCALE.md
// "Closing a vote"). Once a secret vote has closed (`vote_closed`, its result recorded) or failed (`vote_failed`,
// aborted or not decrypted in time), the rules refuse every board entry for it (decide.ts `vote_closed`), and a vote
// held again is a new vote with a board of its own. What later acts read of it is small: its setup (the issuing
// keys a restart destroys), its trustees, who was issued a credential (the inbox's `vote_result`), its decryption
// duty and its tally. The board itself (every credential, encrypted ballot and proof, a mixed vote's shuffles and
// decrypted list) is dropped from memory; what its pages show besides the lists is kept here, O(trustees + options)
// (`SettledBoard`), and the lists are read from the log by index (src/server/secret-votes.ts). The replay checks
// each board before it is dropped (replay.ts).
import { mixInput, PHASE, BallotFormatError, BallotProtocolError, type Group } from '../../ballot/index.ts';
import type { Vote } from '../votes/types.ts';
import { aggregateOf, keyOf } from './board-sums.ts';
import { newMixState } from './mix-state.ts';
import type { AggregateSums, SecretVote, SettledBoard } from './types.ts';

/** Drops a final secret vote's board from memory (called by `settleVotes` for the votes that closed). */
export function settleSecretVote(g: Group, vote: Vote): void {
  const sv = vote.secret;
  if (!sv || sv.settled || vote.closedAt === null) return;
  vote.secret = {
    setup: sv.setup,
    trustees: sv.trustees,
    registrationEnds: sv.registrationEnds,
    ...(sv.decryption ? { decryption: sv.decryption } : {}),
    board: [],
    seqs: [],
    actors: [],
    election: null,
    issued: sv.issued,
    usedIds: new Set(),
    cast: [],
    partials: [],
    // a homomorphic vote's decrypted totals: one per option (a mixed vote's decrypted list is one per ballot)
    result: sv.result,
    aggregate: null,
    mix: sv.mix && newMixState(sv.mix.candidates, sv.mix.mixMinutes),
    span: sv.span,
    settled: settledBoard(g, vote, sv),
  };
}

/**
 * An ended homomorphic vote's sums as its pages show them, from its whole board (sums it unless cached), or null
 * from a log altered after the vote (the replay's secret_ballot check names the fault) or a board never frozen.
 */
export function settledSums(g: Group, sv: SecretVote): AggregateSums | null {
  if (!sv.election) return null;
  try {
    const agg = aggregateOf(g, sv, sv.election);
    return { counted: agg.counted.length, superseded: agg.superseded.length, ciphertexts: agg.ciphertexts };
  } catch (e) {
    if (e instanceof BallotFormatError || e instanceof BallotProtocolError) return null;
    throw e;
  }
}

/**
 * The sums an ended vote keeps beside its board (src/store/secret-board.ts, `secret_sums`), taken as it settles,
 * its board still whole: a homomorphic vote's (null from a damaged log); undefined for a vote that shows none
 * (mixed, failed, never frozen, not secret). Cached by the close's decision; summed here otherwise (a rebuild).
 */
export function closingSums(g: Group, vote: Vote): AggregateSums | null | undefined {
  const sv = vote.secret;
  if (!sv || sv.settled || !sv.election || sv.mix || vote.outcome === 'failed') return undefined;
  return settledSums(g, sv);
}

/** What the ended vote's pages show of its board, taken from the whole board before it is dropped. */
function settledBoard(g: Group, vote: Vote, sv: SecretVote): SettledBoard {
  const list = sv.election;
  const prefix = sv.board.flatMap((e, i) =>
    PHASE[e.kind] <= PHASE.credentials ? [{ seq: sv.seqs[i]!, kind: e.kind }] : [],
  );
  // the sums the trustees decrypted, when the decision that checked their shares cached them (the live close); a
  // restart's replay does not sum them (O(ballots) of crypto at every start, review-c finding 3): undefined, and
  // the first view that shows them sums them from the board read again (secret-votes.ts); a failed vote shows none
  const homomorphic = list && !sv.mix && vote.outcome !== 'failed';
  const aggregate = !homomorphic ? null : sv.aggregate ? settledSums(g, sv) : undefined;
  const qualified = list?.qualified ?? keyOf(g, sv)?.qualified;
  const mix = sv.mix;
  return {
    credentialList: list
      ? { credentialHash: list.credentialHash, count: list.credentials.length, totalWeight: list.totalWeight }
      : null,
    prefix,
    aggregate,
    decrypted: mix ? mix.partials.map((p) => p.decryption.trustee) : sv.partials.map((p) => p.trustee),
    disqualified: qualified ? sv.trustees.map((_, i) => i + 1).filter((i) => !qualified.includes(i)) : [],
    mix: mix && {
      shuffles: mix.shuffles.map((s) => ({ slot: s.slot, seqs: s.seqs, time: s.time })),
      skipped: mix.skipped.map((s) => ({ slot: s.slot, time: s.time })),
      cast: mix.cast.length,
      mixed: list ? mixInput(list, mix.cast).length : 0,
      decrypted: mix.result ? mix.result.result.plaintexts.length : null,
    },
  };
}
