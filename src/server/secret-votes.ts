// Service verbs of secret votes (docs/BALLOT-PROTOCOL.md "In Councils"): the board as the booth and the trustees
// read it, credential issuance by blind signature and the anonymous listing of signed credentials (§4.1), freezing
// the list, and the time-driven freeze at the registration deadline. Ballots go through service.run with no actor.
import * as ballot from '../ballot/index.ts';
import { openVotes, type Command, type Entry, type OrgState, type Vote } from '../core/index.ts';
import { ballotCheckRefusal, issuedPerWeight } from '../core/secret/decide.ts';
import { aggregateOf, keyOf, reopenBoard } from '../core/secret/vote.ts';
import {
  checkDecryptionShape,
  checkShuffleShape,
  currentList,
  dueSlot,
  mixDecryptionDue,
  mixFailure,
  mixTurn,
  shuffleRefusal,
} from '../core/secret/mixed.ts';
import { reject } from '../core/kernel/errors.ts';
import { addMinutes } from '../core/kernel/time.ts';
import type { AggregateSums, BoardPosted, MixState, SecretVote } from '../core/secret/types.ts';
import { settledSums } from '../core/secret/settled.ts';
import { secretFailure } from '../core/secret/abort.ts';
import { awaitedTrustees, decryptionOpens, disqualifiedTrustees } from '../core/secret/decryption.ts';
import { readEntriesAt } from '../store/log-repository.ts';
import {
  ballotsByCode,
  boardPage,
  keepSums,
  keptSums,
  lastCastAfter,
  voteBoardEntries,
} from '../store/secret-board.ts';
import { countListed, isListed, listCredential, listedCredentials } from '../store/secret-credentials.ts';
import { BallotUncheckable, ChecksStopped } from '../node/ballot-checks.ts';
import { blindSign } from './credential-issuer.ts';
import { endedMix, endedShuffle, noShuffle, positions } from './ended-mix.ts';
import { endedReads } from './ended-reads.ts';
import { ApiError, fromRejection, invalidRequest, retryAfter } from './errors.ts';
import { presentReceipt, presentSecretView } from './presenters/secret.ts';
import type {
  Issued,
  Listed,
  MixBoardView,
  MixListView,
  MixShuffleView,
  MixShufflesView,
  MixView,
  Receipt,
  SecretView,
} from './responses/secret.ts';
import type { CouncilsService } from './service.ts';

export type SecretPhase = SecretView['phase'];

function secretOf(state: OrgState, voteId: string): { vote: Vote; sv: NonNullable<Vote['secret']> } {
  const vote = state.votes.get(voteId);
  if (!vote) throw new ApiError('not_found', 'no such vote');
  if (!vote.secret) throw new ApiError('not_found', 'this vote is not secret');
  return { vote, sv: vote.secret };
}

/**
 * The vote's secret state with its board: as the ledger keeps it while the vote runs, read again from the log once
 * the vote has ended and its board was dropped from memory (src/core/secret/settled.ts). Only for what shows the
 * board; the rules of an ended vote need none of it.
 */
export async function withBoard(
  service: CouncilsService,
  orgId: string,
  state: OrgState,
  vote: Vote,
): Promise<SecretVote> {
  const sv = vote.secret!;
  if (!sv.settled) return sv;
  const span = sv.span;
  return endedReads(service).get(`${orgId}\u0000${vote.id}\u0000${span.to}\u0000board`, span.entries, () =>
    reopenBoard(
      state.crypto.group,
      vote,
      voteBoardEntries(service.db.kysely, orgId, vote.id, span.from, span.to),
    ),
  );
}

/**
 * An ended homomorphic vote's sums when a restart's replay settled it without them (settled.ts): read as its close
 * kept them (`secret_sums`, one row: O(options)), then kept in its settled summary. A vote that ended before the
 * table (an older database) has none kept: its first view sums them once from its board read again (shared by
 * concurrent views), and keeps them.
 */
async function keptSumsOf(
  service: CouncilsService,
  orgId: string,
  state: OrgState,
  vote: Vote,
): Promise<AggregateSums | null> {
  const settled = vote.secret!.settled!;
  const kept = await keptSums(service.db.kysely, orgId, vote.id);
  settled.aggregate = kept !== undefined ? kept : await summedOnce(service, orgId, state, vote);
  return settled.aggregate;
}

/** Sums read again (a vote that ended before `secret_sums`): from its board as every view reads it (ended-reads.ts). */
async function summedOnce(
  service: CouncilsService,
  orgId: string,
  state: OrgState,
  vote: Vote,
): Promise<AggregateSums | null> {
  const board = await withBoard(service, orgId, state, vote);
  const settled = vote.secret!.settled!;
  if (settled.aggregate !== undefined) return settled.aggregate; // summed by a view that got the board first
  const sums = (settled.aggregate = settledSums(state.crypto.group, board));
  await keepSums(service.db.kysely, orgId, new Map([[vote.id, sums]]));
  return sums;
}

function phaseOf(g: ballot.Group, vote: Vote, sv: SecretVote, now: string): SecretPhase {
  if (vote.outcome === 'failed') return 'failed';
  if (sv.result || vote.closedAt) return 'decided';
  if (!sv.election) return keyOf(g, sv)?.ok ? 'registration' : 'key-generation';
  if (now < vote.closesAt) return 'voting';
  if (sv.mix && mixTurn(vote, sv, sv.mix) !== null) return 'mixing';
  return 'decryption';
}

/**
 * How much of the board a view carries: `all`; `election`, up to the credential list (setup, key generation, the
 * list's parts), without the ballots, which grow with the vote; `key`, setup and key generation only, which with
 * the list's summary (`credentialList`) is what a booth needs (docs/BALLOT-PROTOCOL.md §4.3).
 */
export type SecretBoardPart = 'all' | 'election' | 'key';

const lastPhase: Record<SecretBoardPart, number> = {
  all: Infinity,
  election: ballot.PHASE.credentials,
  key: ballot.PHASE['dkg-accusation'],
};

/** A page of the board a view carries: the entries after seq `after`, at most `limit` of them. */
export interface BoardPageAsked {
  after?: number | undefined;
  limit?: number | undefined;
}

/** The most board entries a view carries, and the default: a whole board is read page by page (`boardNext`). */
export const BOARD_PAGE = 1000;

/**
 * Everything a booth or a trustee needs, all of it public board data (no member → credential link). Its board is a
 * page: the entries after `after` (a seq), at most `limit`, and `boardNext` the `after` of the next page (null after
 * the last). A vote that runs shows it from memory; an ended one (src/core/secret/settled.ts) from its settled
 * summary, and its entries read by index, a page at a time (`key` and `election`: the prefix's rows by seq).
 */
export async function secretView(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  board: SecretBoardPart = 'all',
  /** The member reading, when signed in to this organisation: the view carries their weight, no one else's. */
  viewer?: string,
  asked: BoardPageAsked = {},
): Promise<SecretView> {
  const state = await service.ledger(orgId).current();
  const { vote, sv } = secretOf(state, voteId);
  const g = state.crypto.group;
  const now = service.now();
  const upTo = lastPhase[board];
  const after = asked.after ?? -1;
  const limit = Math.min(asked.limit ?? BOARD_PAGE, BOARD_PAGE);
  const paged = (entries: SecretView['board']) => ({
    board: entries,
    boardNext: entries.length === limit ? entries.at(-1)!.seq : null,
  });
  if (sv.settled) {
    // an ended vote: its summary, and its board's entries read by index, O(page)
    const { settled } = sv;
    const entries =
      board === 'all'
        ? await boardPage(service.db.kysely, orgId, voteId, 'board', after, limit)
        : await readEntriesAt(
            service.db.kysely,
            orgId,
            settled.prefix
              .filter((e) => ballot.PHASE[e.kind] <= upTo && e.seq > after)
              .slice(0, limit)
              .map((e) => e.seq),
          );
    return presentSecretView(vote, sv, {
      phase: phaseOf(g, vote, sv, now),
      registered:
        settled.credentialList?.count ?? (await countListed(service.db.kysely, orgId, voteId)).total,
      ...paged(entries.map(boardEntryOf)),
      credentialList: settled.credentialList,
      aggregate:
        settled.aggregate === undefined ? await keptSumsOf(service, orgId, state, vote) : settled.aggregate,
      decrypted: settled.decrypted,
      viewer,
      disqualified: settled.disqualified,
      awaited: [],
    });
  }
  const phase = phaseOf(g, vote, sv, now);
  const list = sv.election;
  const agg = !sv.mix && (phase === 'decryption' || phase === 'decided') ? aggregateOf(g, sv, list!) : null;
  const shown: SecretView['board'] = [];
  for (let i = firstAfter(sv.seqs, after); i < sv.board.length && shown.length < limit; i++) {
    const e = sv.board[i]!;
    if (ballot.PHASE[e.kind] <= upTo)
      shown.push({ seq: sv.seqs[i]!, kind: e.kind, at: e.at, body: { ...e.body } });
  }
  return presentSecretView(vote, sv, {
    phase,
    registered: list ? list.credentials.length : (await countListed(service.db.kysely, orgId, voteId)).total,
    ...paged(shown),
    credentialList: list && {
      credentialHash: list.credentialHash,
      count: list.credentials.length,
      totalWeight: list.totalWeight,
    },
    aggregate: agg && {
      counted: agg.counted.length,
      superseded: agg.superseded.length,
      ciphertexts: agg.ciphertexts,
    },
    // a ranked vote's trustees decrypt the mixed list (its own board): their shares count here alike
    decrypted: sv.mix ? sv.mix.partials.map((p) => p.decryption.trustee) : sv.partials.map((p) => p.trustee),
    viewer,
    disqualified: disqualifiedTrustees(g, sv, vote.closedAt !== null),
    awaited: awaitedNow(vote, sv, now),
  });
}

/** The index of the first seq after `after` in ascending `seqs` (a binary search). */
function firstAfter(seqs: readonly number[], after: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A `board_posted` entry as the board view shows it. */
const boardEntryOf = (e: Entry): SecretView['board'][number] => {
  const p = e.payload as BoardPosted;
  return {
    seq: e.seq,
    kind: p.kind as ballot.BoardEntry['kind'],
    at: Date.parse(e.time),
    body: { ...(p.body as object) },
  };
};

/** The trustees still to decrypt: from when they can (voting over; a ranked vote's mixing ended) until the vote ends. */
function awaitedNow(vote: Vote, sv: SecretVote, now: string): string[] {
  const opens = decryptionOpens(vote);
  return vote.closedAt === null && opens !== null && now >= opens ? awaitedTrustees(sv) : [];
}

function openForRegistration(service: CouncilsService, sv: NonNullable<Vote['secret']>): void {
  if (!sv.setup.issuers) throw new ApiError('wrong_state', 'this vote has no credential-issuing keys');
  // an ended vote keeps the list's summary only (src/core/secret/settled.ts)
  if (sv.election || sv.settled?.credentialList)
    throw new ApiError('wrong_state', 'the credential list is already frozen');
  if (service.now() >= sv.registrationEnds) throw new ApiError('wrong_state', 'registration has ended');
}

/**
 * Issues a credential to an elector (§4.1 step 1): signs their blinded message with the key of their weight, and
 * returns the signature only once the core has accepted (and logged) the issuance, once per member.
 */
export async function issueCredential(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  memberId: string,
  blindedMessage: string,
): Promise<Issued> {
  const state = await service.ledger(orgId).current();
  const { vote, sv } = secretOf(state, voteId);
  const weight = vote.electorate.get(memberId);
  if (weight === undefined) throw new ApiError('not_an_elector');
  openForRegistration(service, sv);
  if (sv.issued.some((i) => i.member === memberId)) {
    throw new ApiError('already_exists', 'a credential was issued to this member already');
  }
  const key = sv.setup.issuers!.find((k) => k.weight === Number(weight));
  if (!key) throw new ApiError('wrong_state', `no issuing key for weight ${weight}`);
  const blindSignature = await blindSign(service.db, orgId, key, blindedMessage);
  await service.run(orgId, memberId, { type: 'issue_credential', voteId });
  return { blindSignature, weight: key.weight };
}

/**
 * Lists a signed credential (§4.1 step 2), anonymously: the signature is the authority. Freezes the list when as
 * many credentials are listed as there are electors.
 */
export async function listSignedCredential(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  c: ballot.SignedCredential,
): Promise<Listed> {
  const state = await service.ledger(orgId).current();
  const { vote, sv } = secretOf(state, voteId);
  openForRegistration(service, sv);
  try {
    const g = state.crypto.group;
    const X = g.decode(ballot.fromHex(c.credential, 32, 'credential'), 'credential');
    if (g.eq(X, g.identity)) throw new ballot.BallotFormatError('the identity');
  } catch (e) {
    if (e instanceof ballot.BallotFormatError || e instanceof RangeError)
      throw invalidRequest('credential_format', 'credential', { detail: e.message });
    throw e;
  }
  if (!ballot.verifyToken(sv.setup.issuers!, sv.setup.setupHash, c, state.crypto.rsaPssVerify)) {
    throw new ApiError(
      'invalid_proof',
      'the signature is not the issuing key’s for this credential and weight',
    );
  }
  // counts, not the list: a listing costs the same whether it is the first or the ten-thousandth
  const db = service.db.kysely;
  // a repeat is named before the per-weight count, which would otherwise refuse it as one too many; the insert
  // below still refuses a repeat that races this check
  if (await isListed(db, orgId, voteId, c.credential)) {
    throw new ApiError('already_exists', 'this credential is listed already');
  }
  const listed = await countListed(db, orgId, voteId);
  const ofWeight = listed.perWeight.get(c.weight) ?? 0;
  if (ofWeight + 1 > (issuedPerWeight(sv).get(c.weight) ?? 0)) {
    throw new ApiError('not_allowed', `more credentials of weight ${c.weight} than were issued`);
  }
  const ok = await listCredential(service.db.kysely, {
    orgId,
    voteId,
    credential: c.credential,
    weight: c.weight,
    signature: c.signature,
  });
  if (!ok) throw new ApiError('already_exists', 'this credential is listed already');
  // freezeWhenReady counts again after this insert on purpose: with listings in flight at once, `listed` may
  // already be stale, and only a count made after the insert lets the last of them freeze the list.
  const frozen = await freezeWhenReady(service, orgId, voteId);
  return { registered: listed.total + 1, electors: vote.electorate.size, frozen };
}

/**
 * Freezes the credential list when every elector has listed a credential or registration has ended, once the
 * trustees' joint key exists. The core refuses a list that is not signed, or longer than the issuances.
 */
export async function freezeWhenReady(
  service: CouncilsService,
  orgId: string,
  voteId: string,
): Promise<boolean> {
  const ledger = service.ledger(orgId);
  const state = await ledger.current();
  const vote = state.votes.get(voteId);
  const sv = vote?.secret;
  if (!vote || !sv || sv.election || vote.closedAt) return false;
  const { total } = await countListed(service.db.kysely, orgId, voteId);
  const due = total >= vote.electorate.size || service.now() >= sv.registrationEnds;
  if (!due || total === 0 || !keyOf(state.crypto.group, sv)?.ok) return false;
  const credentials = await listedCredentials(service.db.kysely, orgId, voteId);
  const outcome = await ledger.execute({ type: 'freeze_credentials', voteId, credentials }, null);
  return outcome.ok;
}

/** Runs a secret-vote command; after a DKG message the list may be ready to freeze. */
/**
 * Checks 5.1 and 5.4–5.7 of a cast ballot before the organisation's queue: on the job queue every process shares
 * when the service has it (src/server/ballot-queue.ts), else (or when the queue gives no verdict in time) on the
 * service's worker threads when it has them (ServiceOptions.ballotWorkers). A ballot that fails is refused here as
 * the queue would refuse it (`ballot_rejected`, the check and the reason), and one that passes is checked in the
 * queue only for its id, its credential and the time. Whatever this cannot look up (no such vote, no election
 * yet), or has no verdict on, is left to the queue's full check.
 */
export async function checkBallotBeforeQueue(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  body: ballot.BallotBody,
): Promise<void> {
  const { ballotChecks: checks, ballotQueue: queue } = service;
  if ((!checks && !queue) || typeof body !== 'object' || body === null) return;
  const election = await electionOf(service, orgId, voteId);
  // ranked ballots (docs/MIXNET.md §7.2) are checked in the queue
  if (!election || election.setup.manifest.ballot === 'ranked') return;
  const q = queue ? await queue.check(orgId, voteId, election, body) : undefined;
  // refused by the other process's pool for ending its threads: not checked again here (nor on the only thread)
  if (q === 'uncheckable') throw new ApiError('ballot_uncheckable');
  let v = q;
  // a pool stopped for its cool-down (src/node/ballot-checks.ts) refuses the cast with 503 and a Retry-After of the
  // cool-down's rest, not a 500; the checks are not made on the server's only thread instead. A ballot whose check
  // ends the threads (twice) is refused alone, 422, and recorded nowhere.
  if (!v && checks)
    v = await checks.check(election, body).catch((e: unknown) => {
      if (e instanceof ChecksStopped) throw retryAfter(new ApiError('ballot_checks_paused'), e.retryAfter);
      throw e instanceof BallotUncheckable ? new ApiError('ballot_uncheckable') : e;
    });
  if (v && !v.ok) {
    // the queue's own refusal (src/core/secret/decide.ts): the same id, reason and parameters
    throw fromRejection(ballotCheckRefusal(v.check, v.reason));
  }
}

/**
 * Before a shuffle's body is read: the core's own refusal if `memberId` is not the due mixer of this vote now (a
 * body of up to 64 MiB is read only from the mixer whose turn it is).
 */
export async function refuseShuffleEarly(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  memberId: string,
): Promise<void> {
  const state = await service.ledger(orgId).current();
  const { vote, sv } = secretOf(state, voteId);
  // an ended vote's board is not in memory (src/core/secret/settled.ts): the queue's own refusal of any command
  if (sv.settled) throw fromRejection(reject('vote_closed'));
  const refused = shuffleRefusal(vote, sv, memberId, service.now());
  if (refused && !refused.ok) throw fromRejection(refused);
}

/** Whether `memberId` may now post a decryption of this vote's mixed list (a trustee, mixing over): its large body. */
export async function mayPostMixDecryption(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  memberId: string,
): Promise<boolean> {
  const state = await service.ledger(orgId).current();
  const sv = state.votes.get(voteId)?.secret;
  const vote = state.votes.get(voteId);
  return !!vote && !!sv && sv.trustees.includes(memberId) && mixDecryptionDue(vote, sv, service.now());
}

/**
 * A shuffle's or a mix decryption's proofs verified on the worker threads before the organisation's queue
 * (src/server/mix-checks.ts), when the service has them and the queue's cheap checks would let the body through
 * (whose turn, the sender, the shape): a proof that fails is refused here as the queue would refuse it; one that
 * passes is not verified again in the queue. Anything else is left to the queue, which verifies in full.
 */
export async function checkMixBeforeQueue(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  memberId: string,
  kind: 'shuffle' | 'mix-decryption',
  raw: unknown,
): Promise<void> {
  if (!service.ballotChecks) return;
  const state = await service.ledger(orgId).current();
  const vote = state.votes.get(voteId);
  const sv = vote?.secret;
  const now = service.now();
  if (!vote || !sv?.mix || !sv.election) return;
  let trustee = 0;
  try {
    if (kind === 'shuffle') {
      if (shuffleRefusal(vote, sv, memberId, now) !== null) return;
      if (checkShuffleShape(raw).mixer !== sv.mix.shuffles.length + 1) return;
    } else {
      if (!mixDecryptionDue(vote, sv, now)) return;
      trustee = checkDecryptionShape(raw).trustee;
      if (!sv.election.qualified.includes(trustee)) return;
      if (
        sv.trustees[trustee - 1] !== memberId ||
        sv.mix.partials.some((p) => p.decryption.trustee === trustee)
      )
        return;
    }
  } catch {
    return; // the queue refuses the shape, with the field
  }
  const list = currentList(sv.election, sv.mix);
  if (list.length === 0) return;
  const why = await service.mixChecks.check(`${orgId}/${voteId}`, sv.election, kind, raw as object, list);
  if (why === null || why === undefined) return;
  throw fromRejection(
    kind === 'shuffle'
      ? reject('invalid_proof', 'shuffle_invalid', { reason: why })
      : reject('invalid_proof', 'mix_decryption_invalid', { trustee, why }),
  );
}

/**
 * A secret vote's election while the vote runs (the cache's when there: an election never changes once made; an
 * ended vote has none in memory, src/core/secret/settled.ts, and refuses every ballot).
 */
export async function electionOf(
  service: CouncilsService,
  orgId: string,
  voteId: string,
): Promise<ballot.Election | undefined> {
  const ledger = service.ledger(orgId);
  const electionIn = (state: OrgState | null) => state?.votes.get(voteId)?.secret?.election;
  return electionIn(ledger.cached) ?? electionIn(await ledger.current()) ?? undefined;
}

export async function runSecret(
  service: CouncilsService,
  orgId: string,
  actor: string | null,
  command: Command & { voteId: string },
): Promise<Entry[]> {
  const entries = await service.run(orgId, actor, command);
  if (command.type === 'post_trustee_message') await freezeWhenReady(service, orgId, command.voteId);
  return entries;
}

/**
 * The scheduler's part: freeze every list that is full or whose registration deadline has passed, and end as
 * failed every vote that can no longer reach a result (key generation failed by the deadline; see
 * src/core/secret/abort.ts).
 */
export async function runDueSecretActs(
  service: CouncilsService,
  orgIds?: readonly string[],
): Promise<number> {
  let acts = 0;
  const now = service.now();
  for (const orgId of orgIds ?? (await service.orgIds())) {
    const state = await service.ledger(orgId).current();
    // The open votes only (the scheduler's index, src/core/schedule), not every vote the organisation ever held.
    for (const v of openVotes(state)) {
      const sv = v.secret;
      if (sv?.mix && sv.election && v.closedAt === null && now >= v.closesAt) {
        acts += await runDueMixActs(service, orgId, v, sv.mix);
        continue;
      }
      if (!sv || sv.election || v.closedAt !== null) continue;
      if (now < sv.registrationEnds) {
        // A list made full by a listing whose freeze a crash cut off freezes here, not at the deadline.
        if (await freezeWhenReady(service, orgId, v.id)) acts++;
        continue;
      }
      if (now < v.closesAt && (await freezeWhenReady(service, orgId, v.id))) {
        acts++;
        continue;
      }
      const reason = secretFailure(state.crypto.group, v, now);
      if (reason === null) continue;
      const outcome = await service
        .ledger(orgId)
        .execute({ type: 'abort_secret_vote', voteId: v.id, reason }, null);
      if (outcome.ok) acts++;
    }
  }
  return acts;
}

/**
 * The voter's check of a confirmation code against the board (docs/BALLOT-PROTOCOL.md §8, voter check): from the
 * board in memory while the vote runs; for an ended vote, the ballot found by its code and a later cast of its
 * credential by index (`secret_board`), O(1) whatever the number of ballots. The rules checked every ballot before
 * it was logged, and `councils verify` checks them all again from the log.
 */
export async function checkReceipt(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  code: string,
): Promise<Receipt> {
  const state = await service.ledger(orgId).current();
  const { sv } = secretOf(state, voteId);
  if (sv.settled) return settledReceipt(service, orgId, voteId, sv, code);
  if (sv.mix) return rankedReceipt(sv, sv.mix, code);
  return presentReceipt(ballot.voterCheck(state.crypto.group, sv.board, code), sv);
}

/** An ended vote's receipt, by index: as `voterCheck` (homomorphic) and `rankedReceipt` (mixed) answer. */
async function settledReceipt(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  sv: SecretVote,
  code: string,
): Promise<Receipt> {
  const db = service.db.kysely;
  const rows = await ballotsByCode(db, orgId, voteId, code);
  const ranked = sv.mix !== null;
  const spoiled = rows.find((r) => r.kind === 'spoiled' || r.kind === 'ranked-spoiled');
  const cast = rows.find((r) => r.kind === 'ballot' || r.kind === 'ranked-ballot');
  // a homomorphic vote's check finds a cast ballot first, a mixed vote's a challenged one (as before settling)
  if (spoiled && (ranked || !cast))
    return { status: 'spoiled', ballotId: spoiled.ballotId!, seq: spoiled.seq, tallied: false };
  if (!cast || !sv.settled!.credentialList) return { status: 'not-found', tallied: false };
  const tallied = ranked ? (sv.settled!.mix?.decrypted ?? null) !== null : sv.result !== null;
  const later = await lastCastAfter(db, orgId, voteId, cast.credential!, cast.seq);
  if (later)
    return {
      status: 'superseded',
      ballotId: cast.ballotId!,
      seq: cast.seq,
      by: later.ballotId!,
      tallied: ranked && tallied,
    };
  return { status: 'counted', ballotId: cast.ballotId!, seq: cast.seq, tallied };
}

/** The scheduler's part of a mixed vote after its close: skip a mixer past its deadline, or end a vote that cannot finish. */
async function runDueMixActs(
  service: CouncilsService,
  orgId: string,
  v: Vote,
  mix: MixState,
): Promise<number> {
  const now = service.now();
  const ledger = service.ledger(orgId);
  const reason = mixFailure(v, v.secret!, now);
  if (reason !== null) {
    const outcome = await ledger.execute({ type: 'abort_secret_vote', voteId: v.id, reason }, null);
    return outcome.ok ? 1 : 0;
  }
  const turn = mixTurn(v, v.secret!, mix);
  if (!turn || now < turn.deadline) return 0;
  const outcome = await ledger.execute({ type: 'skip_mixer', voteId: v.id, slot: turn.slot }, null);
  return outcome.ok ? 1 : 0;
}

/** GET …/secret/mix (docs/MIXNET.md §16.2): from the mix in memory, or an ended vote's summary of it (no list read). */
export async function mixView(service: CouncilsService, orgId: string, voteId: string): Promise<MixView> {
  const state = await service.ledger(orgId).current();
  const { vote, sv } = secretOf(state, voteId);
  const mix = sv.mix;
  if (!mix) throw new ApiError('not_found', 'this vote is not ranked: it has no mix');
  const now = service.now();
  const phase = phaseOf(state.crypto.group, vote, sv, now);
  const turn = sv.election && now >= vote.closesAt ? mixTurn(vote, sv, mix) : null;
  const kept = sv.settled?.mix;
  const summary = kept ?? {
    shuffles: mix.shuffles,
    skipped: mix.skipped,
    cast: mix.cast.length,
    mixed: sv.election ? ballot.mixInput(sv.election, mix.cast).length : 0,
    decrypted: mix.result ? mix.result.result.plaintexts.length : null,
  };
  const decrypted = sv.settled?.decrypted ?? mix.partials.map((p) => p.decryption.trustee);
  // each slot's deadline: from the close or the previous turn's end, as mixTurn reckons it
  const turns = [
    ...summary.shuffles.map((s, i) => ({ slot: s.slot, time: s.time, shuffle: i + 1 })),
    ...summary.skipped.map((s) => ({ slot: s.slot, time: s.time, shuffle: null })),
  ].sort((a, b) => a.slot - b.slot);
  let since = vote.closesAt;
  const mixers = sv.trustees.map((memberId, i) => {
    const slot = i + 1;
    const t = turns.find((x) => x.slot === slot);
    if (t) {
      const deadline = addMinutes(since, mix.mixMinutes);
      since = t.time;
      return {
        slot,
        memberId,
        status: t.shuffle ? ('posted' as const) : ('skipped' as const),
        shuffle: t.shuffle,
        deadline,
      };
    }
    const due = turn?.slot === slot;
    return {
      slot,
      memberId,
      status: due ? ('due' as const) : ('waiting' as const),
      shuffle: null,
      deadline: due ? turn!.deadline : null,
    };
  });
  const result = vote.result as { details?: { invalid?: { index: number; reason: string }[] } } | null;
  const count =
    summary.decrypted !== null && vote.closedAt !== null
      ? {
          valid: summary.decrypted - (result?.details?.invalid?.length ?? 0),
          invalid: result?.details?.invalid ?? [],
        }
      : null;
  return {
    voteId: vote.id,
    phase,
    candidates: mix.candidates,
    width: ballot.rankedWidth(mix.candidates.length),
    closesAt: vote.closesAt,
    mixers,
    shuffles: summary.shuffles.length,
    threshold: sv.setup.k,
    trustees: sv.trustees.map((memberId, i) => ({
      trustee: i + 1,
      memberId,
      decrypted: decrypted.includes(i + 1),
    })),
    cast: summary.cast,
    mixed: summary.mixed,
    count,
    ...(phase === 'failed'
      ? { failure: (vote.result as { details: { failed: string } }).details.failed }
      : {}),
  };
}

/** A ranked vote's secret state and its mix as kept (an ended vote's: the settled summary's turns, no list). */
function rankedOf(state: OrgState, voteId: string): { vote: Vote; sv: SecretVote; mix: MixState } {
  const { vote, sv } = secretOf(state, voteId);
  if (!sv.mix) throw new ApiError('not_found', 'this vote is not ranked: it has no mix');
  return { vote, sv, mix: sv.mix };
}

/** A page of a list asked by position: `after` the last position shown (none: from the first), at most `limit`. */
export interface MixPageAsked {
  after?: number | undefined;
  limit?: number | undefined;
}

/**
 * GET …/secret/mix/list: the list the due mixer shuffles, or the final list the trustees decrypt; whole, or a page
 * of it when asked (`after`, `limit`). An ended vote's is its last shuffle's, read by its seqs (ended-mix.ts), not
 * its whole board; only a vote that ended with no shuffle (it failed: its list would be the ballots) is rebuilt.
 */
export async function mixListView(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  asked: MixPageAsked = {},
): Promise<MixListView> {
  const state = await service.ledger(orgId).current();
  const { vote, sv, mix } = rankedOf(state, voteId);
  const kept = sv.settled?.mix;
  if (!(sv.settled ? sv.settled.credentialList : sv.election) || service.now() < vote.closesAt)
    throw new ApiError('wrong_state', 'the list exists once voting has closed');
  const shuffles = kept ? kept.shuffles.length : mix.shuffles.length;
  const slot = dueSlot(sv.trustees.length, shuffles, kept ? kept.skipped.length : mix.skipped.length);
  let ciphertexts: ballot.MixList;
  if (!kept) ciphertexts = currentList(sv.election!, mix);
  else if (shuffles > 0)
    ciphertexts = (await endedShuffle(service, orgId, vote, shuffles)).shuffle.ciphertexts;
  else {
    const board = await withBoard(service, orgId, state, vote);
    ciphertexts = currentList(board.election!, board.mix!);
  }
  const { from, to, next } = positions(
    ciphertexts.length,
    asked.after ?? -1,
    asked.limit ?? ciphertexts.length,
  );
  const page = { ciphertexts: ciphertexts.slice(from, to), next };
  // the due slot as mixTurn's, counted from the turns taken (an ended vote's from its summary)
  if (slot !== null) return { stage: 'shuffle', mixer: shuffles + 1, slot, ...page };
  return { stage: vote.closedAt === null ? 'decrypt' : 'done', mixer: null, slot: null, ...page };
}

/**
 * GET …/secret/mix/board: everything verifyMixBoard takes (docs/MIXNET.md §9), bodies joined from their parts. An
 * ended vote's is its mix entries, one index range (ended-mix.ts), not its whole board rebuilt.
 */
export async function mixBoardView(
  service: CouncilsService,
  orgId: string,
  voteId: string,
): Promise<MixBoardView> {
  const state = await service.ledger(orgId).current();
  const { vote, sv, mix: live } = rankedOf(state, voteId);
  const mix = sv.settled ? await endedMix(service, orgId, vote) : live;
  const open = (x: unknown) => x as Record<string, unknown>;
  return {
    cast: mix.cast.map((c) => ({ seq: c.seq, at: c.at, ballot: open(c.ballot) })),
    spoiled: mix.spoiled.map((s) => ({ seq: s.seq, at: s.at, spoiled: open(s.spoiled) })),
    shuffles: mix.shuffles.map((s) => ({ seqs: s.seqs, slot: s.slot, shuffle: open(s.shuffle) })),
    skipped: mix.skipped.map((s) => ({ seq: s.seq, slot: s.slot, reason: s.reason })),
    partials: mix.partials.map((p) => ({ seqs: p.seqs, decryption: open(p.decryption) })),
    result: mix.result ? { seq: mix.result.seq, result: open(mix.result.result) } : null,
  };
}

/** GET …/secret/mix/shuffles: who shuffled, in which order, and the seqs of their entries (no list read). */
export async function mixShufflesView(
  service: CouncilsService,
  orgId: string,
  voteId: string,
): Promise<MixShufflesView> {
  const state = await service.ledger(orgId).current();
  const { sv, mix } = rankedOf(state, voteId);
  return {
    shuffles: (sv.settled?.mix ?? mix).shuffles.map((s, i) => ({
      mixer: i + 1,
      slot: s.slot,
      memberId: sv.trustees[s.slot - 1] ?? '',
      seqs: s.seqs,
      time: s.time,
    })),
  };
}

/** The proof's lists of one element a position (docs/MIXNET.md §10): a page of a shuffle cuts them with its list. */
const PER_POSITION = ['commitments', 'chain', 'tHat', 'sHat', 'sPrime'] as const;

/**
 * GET …/secret/mix/shuffles/:mixer: a page of shuffle `mixer` (1-based), its positions after `after`, at most
 * `limit` (MixShuffleView). An ended vote's shuffle is read by its seqs (ended-mix.ts); a running vote's is in memory.
 */
export async function mixShuffleView(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  mixer: number,
  asked: MixPageAsked = {},
): Promise<MixShuffleView> {
  const state = await service.ledger(orgId).current();
  const { vote, sv, mix } = rankedOf(state, voteId);
  const s = sv.settled ? await endedShuffle(service, orgId, vote, mixer) : mix.shuffles[mixer - 1];
  if (!s) throw noShuffle(mixer);
  const { ciphertexts, proof, signature } = s.shuffle;
  const { from, to, next } = positions(ciphertexts.length, asked.after ?? -1, asked.limit ?? BOARD_PAGE);
  const cut: Record<string, unknown> = { ...proof };
  for (const k of PER_POSITION) cut[k] = proof[k].slice(from, to);
  return {
    mixer,
    slot: s.slot,
    seqs: s.seqs,
    time: s.time,
    count: ciphertexts.length,
    ciphertexts: ciphertexts.slice(from, to),
    proof: cut,
    ...(signature ? { signature: { ...signature } } : {}),
    next,
  };
}

/** The voter's check of a ranked ballot's confirmation code: on the board, and the last of its credential? */
function rankedReceipt(sv: NonNullable<Vote['secret']>, mix: MixState, code: string): Receipt {
  const tallied = mix.result !== null;
  const spoiled = mix.spoiled.find((s) => s.spoiled.ballot.code === code);
  if (spoiled)
    return { status: 'spoiled', ballotId: spoiled.spoiled.ballot.id, seq: spoiled.seq, tallied: false };
  const c = mix.cast.find((x) => x.ballot.code === code);
  if (!c || !sv.election) return { status: 'not-found', tallied: false };
  const later = mix.cast.filter((x) => x.ballot.credential === c.ballot.credential && x.seq > c.seq);
  if (later.length > 0)
    return {
      status: 'superseded',
      ballotId: c.ballot.id,
      seq: c.seq,
      by: later[later.length - 1]!.ballot.id,
      tallied,
    };
  return { status: 'counted', ballotId: c.ballot.id, seq: c.seq, tallied };
}
