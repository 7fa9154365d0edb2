// Service verbs of secret votes (docs/BALLOT-PROTOCOL.md "In Councils"): the board as the booth and the trustees
// read it, credential issuance by blind signature and the anonymous listing of signed credentials (§4.1), freezing
// the list, and the time-driven freeze at the registration deadline. Ballots go through service.run with no actor.
import * as ballot from '../ballot/index.ts';
import type { Command, Entry, OrgState, Vote } from '../core/index.ts';
import { issuedPerWeight } from '../core/secret/decide.ts';
import { aggregateOf, keyOf } from '../core/secret/vote.ts';
import { secretFailure } from '../core/secret/abort.ts';
import { countListed, isListed, listCredential, listedCredentials } from '../store/secret-credentials.ts';
import { blindSign } from './credential-issuer.ts';
import { ApiError } from './errors.ts';
import { presentReceipt, presentSecretView } from './presenters/secret.ts';
import type { Issued, Listed, Receipt, SecretView } from './responses/secret.ts';
import type { CouncilsService } from './service.ts';

export type SecretPhase = SecretView['phase'];

function secretOf(state: OrgState, voteId: string): { vote: Vote; sv: NonNullable<Vote['secret']> } {
  const vote = state.votes.get(voteId);
  if (!vote) throw new ApiError('not_found', 'no such vote');
  if (!vote.secret) throw new ApiError('not_found', 'this vote is not secret');
  return { vote, sv: vote.secret };
}

function phaseOf(g: ballot.Group, vote: Vote, now: string): SecretPhase {
  const sv = vote.secret!;
  if (vote.outcome === 'failed') return 'failed';
  if (sv.result || vote.closedAt) return 'decided';
  if (!sv.election) return keyOf(g, sv)?.ok ? 'registration' : 'key-generation';
  return now < vote.closesAt ? 'voting' : 'decryption';
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

/** Everything a booth or a trustee needs, all of it public board data (no member → credential link). */
export async function secretView(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  board: SecretBoardPart = 'all',
  /** The member reading, when signed in to this organisation: the view carries their weight, no one else's. */
  viewer?: string,
): Promise<SecretView> {
  const state = await service.ledger(orgId).current();
  const { vote, sv } = secretOf(state, voteId);
  const now = service.now();
  const phase = phaseOf(state.crypto.group, vote, now);
  const registered = sv.election
    ? sv.election.credentials.length
    : (await countListed(service.db.kysely, orgId, voteId)).total;
  return presentSecretView(vote, sv, {
    phase,
    registered,
    upTo: lastPhase[board],
    aggregate:
      phase === 'decryption' || phase === 'decided'
        ? aggregateOf(state.crypto.group, sv, sv.election!)
        : null,
    viewer,
  });
}

function openForRegistration(service: CouncilsService, sv: NonNullable<Vote['secret']>): void {
  if (!sv.setup.issuers) throw new ApiError('wrong_state', 'this vote has no credential-issuing keys');
  if (sv.election) throw new ApiError('wrong_state', 'the credential list is already frozen');
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
      throw new ApiError('invalid_request', `credential: ${e.message}`, 'credential');
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
 * Checks 5.1 and 5.4–5.7 of a cast ballot on the service's worker threads, before the organisation's queue, when it
 * has them (ServiceOptions.ballotWorkers): a ballot that fails is refused here as the queue would refuse it
 * (`ballot_rejected`, the check and the reason), and one that passes is checked in the queue only for its id, its
 * credential and the time. Whatever this cannot look up (no such vote, no election yet) is left to the queue.
 */
export async function checkBallotBeforeQueue(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  body: ballot.BallotBody,
): Promise<void> {
  const checks = service.ballotChecks;
  if (!checks || typeof body !== 'object' || body === null) return;
  const election = (await service.ledger(orgId).current()).votes.get(voteId)?.secret?.election;
  if (!election) return;
  const v = await checks.check(election, body);
  if (!v.ok) {
    // the queue's own refusal (src/core/secret/decide.ts): the same id, reason and parameters
    const e = new ApiError('ballot_rejected', `${v.check} ${v.reason}`);
    e.reason = 'ballot_check';
    e.params = { check: v.check, reason: v.reason };
    throw e;
  }
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
    for (const v of state.votes.values()) {
      const sv = v.secret;
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

/** The voter's check of a confirmation code against the board (docs/BALLOT-PROTOCOL.md §8, voter check). */
export async function checkReceipt(
  service: CouncilsService,
  orgId: string,
  voteId: string,
  code: string,
): Promise<Receipt> {
  const state = await service.ledger(orgId).current();
  const { sv } = secretOf(state, voteId);
  return presentReceipt(ballot.voterCheck(state.crypto.group, sv.board, code), sv);
}
