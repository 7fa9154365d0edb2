// Presenters of secret votes (see organisation.ts): the board view, the writes' replies and the voter's receipt
// check, in the shapes of src/server/responses/secret.ts (docs/BALLOT-PROTOCOL.md "In Councils").
import {
  type BallotBody,
  type SpoiledBody,
  type SpoiledRankedBody,
  type VoterCheck,
} from '../../ballot/index.ts';
import type { Entry, NotDecrypted, Vote } from '../../core/index.ts';
import type { AggregateSums, SecretVote } from '../../core/secret/types.ts';
import type { Cast, Receipt, SecretView, Spoiled, TrusteePosted } from '../responses/secret.ts';

/**
 * What the board view shows beside the vote: its phase, the credentials listed so far, which board entries, and what
 * the board sums to; from the board in memory while the vote runs, from its settled summary and the log once it has
 * ended (src/server/secret-votes.ts).
 */
export interface SecretViewParts {
  phase: SecretView['phase'];
  registered: number;
  /** The board entries shown (all, up to the credential list, or the key), in board order: a page. */
  board: SecretView['board'];
  /** The `after` of the next page, or null after the last. */
  boardNext: number | null;
  /** The frozen list's H_C, length and weight (§4.3), once frozen. */
  credentialList: SecretView['credentialList'] | null;
  /** The homomorphic aggregate's sums, once casting is over. */
  aggregate: AggregateSums | null;
  /** The trustees whose decryption is on the board. */
  decrypted: number[];
  /** The member reading, when signed in to the vote's organisation. */
  viewer?: string | undefined;
  /** The trustees disqualified in key generation. */
  disqualified?: number[];
  /** The trustees (members) whose decryption is still awaited, once they can decrypt (secret-votes.ts). */
  awaited?: string[];
}

/** Why a failed vote was not decrypted, if that is why it failed (src/core/secret/decryption.ts). */
const notDecryptedOf = (vote: Vote): NotDecrypted | undefined =>
  (vote.result as { details?: { notDecrypted?: NotDecrypted } } | null)?.details?.notDecrypted;

/** Everything a booth or a trustee needs, all of it public board data (no member → credential link). */
export function presentSecretView(
  vote: Vote,
  sv: Pick<SecretVote, 'mix' | 'trustees' | 'setup' | 'registrationEnds' | 'issued' | 'decryption'>,
  parts: SecretViewParts,
): SecretView {
  const { phase } = parts;
  return {
    voteId: vote.id,
    motionId: vote.motionId,
    phase,
    ballotKind: sv.mix ? 'ranked' : 'homomorphic',
    trustees: sv.trustees.map((memberId, i) => ({ trustee: i + 1, memberId })),
    threshold: sv.setup.k,
    registrationEnds: sv.registrationEnds,
    closesAt: vote.closesAt,
    electors: vote.electorate.size,
    /** The viewer's weight: it says which issuing key signs for them (every elector's: GET …/electorate). */
    viewerWeight: parts.viewer === undefined ? null : Number(vote.electorate.get(parts.viewer) ?? 0) || null,
    issued: sv.issued.length,
    registered: parts.registered,
    options: sv.setup.manifest.contests[0]!.options,
    board: parts.board,
    boardNext: parts.boardNext,
    ...(parts.credentialList ? { credentialList: parts.credentialList } : {}),
    ...(phase === 'failed'
      ? { failure: (vote.result as { details: { failed: string } }).details.failed }
      : {}),
    // a ranked vote's trustees decrypt the mixed list (its own board): their shares count here alike
    decrypted: parts.decrypted,
    awaited: parts.awaited ?? [],
    disqualified: parts.disqualified ?? [],
    decryptBy: sv.decryption?.decryptBy ?? null,
    ...(notDecryptedOf(vote) ? { notDecrypted: notDecryptedOf(vote)! } : {}),
    ...(parts.aggregate ? { aggregate: parts.aggregate } : {}),
  };
}

/** The voter's check of a confirmation code (§8): the board entry's seq for the index, and whether it is tallied. */
export function presentReceipt(result: VoterCheck, sv: SecretVote): Receipt {
  if ('index' in result) {
    const { index, ...rest } = result;
    return { ...rest, seq: sv.seqs[index]!, tallied: sv.result !== null && result.status === 'counted' };
  }
  return { ...result, tallied: false };
}

export const presentTrusteePosted = (entries: readonly Entry[]): TrusteePosted => ({
  seq: entries[0]!.seq,
  acts: entries.map((e) => e.act),
});

export const presentCast = (entries: readonly Entry[], ballot: Pick<BallotBody, 'id' | 'code'>): Cast => ({
  seq: entries[0]!.seq,
  ballotId: ballot.id,
  code: ballot.code,
});

export const presentSpoiled = (
  entries: readonly Entry[],
  spoiled: SpoiledBody | SpoiledRankedBody,
): Spoiled =>
  'ranking' in spoiled
    ? {
        seq: entries[0]!.seq,
        ballotId: (spoiled as SpoiledRankedBody).ballot?.id,
        ranking: (spoiled as SpoiledRankedBody).ranking,
      }
    : { seq: entries[0]!.seq, ballotId: spoiled.ballot?.id, plaintext: (spoiled as SpoiledBody).plaintext };
