// A final secret vote keeps its result, not its board (docs/BALLOT-PROTOCOL.md "In Councils", docs/SCALE.md
// "Closing a vote"). Once a secret vote has closed (`vote_closed`, its result recorded) or failed (`vote_failed`,
// aborted or not decrypted in time), the rules refuse every board entry for it (decide.ts `vote_closed`), and a vote
// held again is a new vote with a board of its own. What later acts read of it is small: its setup (the issuing
// keys a restart destroys), its trustees, who was issued a credential (the inbox's `vote_result`), its decryption
// duty and its tally. The board itself (every credential, encrypted ballot and proof, a mixed vote's shuffles and
// decrypted list) is dropped from memory; a page that shows it reads it again from the log (`reopenBoard`, between
// `span.from` and `span.to`), and the replay checks each board before it is dropped (replay.ts).
import type { Vote } from '../votes/types.ts';
import { newMixState } from './mix-state.ts';

/** Drops a final secret vote's board from memory (called by `settleVotes` for the votes that closed). */
export function settleSecretVote(vote: Vote): void {
  const sv = vote.secret;
  if (!sv || sv.settled || vote.closedAt === null) return;
  const list = sv.election;
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
    settled: {
      credentialList: list
        ? {
            credentialHash: list.credentialHash,
            count: list.credentials.length,
            totalWeight: list.totalWeight,
          }
        : null,
    },
  };
}
