// Secret votes (docs/BALLOT-PROTOCOL.md "In Councils"): opening with the setup entry, the trustees' DKG messages and
// partial decryptions, the frozen credential list, anonymous casts and challenges, and the closing once k valid
// partial decryptions are in. Every ballot is checked with src/ballot's checkBallot before it is accepted; a
// rejected one yields a Rejection and no entry.
import {
  ballotBytes,
  checkBallot,
  checkBallotQueued,
  checkSignedList,
  combine,
  credentialParts,
  entryShape,
  unknownMember,
  issuerPublicKey,
  makeElection,
  makeSetup,
  verifyPartial,
  verifySpoiled,
  BallotFormatError,
  BallotProtocolError,
  type BallotCrypto,
  type CredentialEntry,
  type IssuerKey,
  type SignedCredential,
  type PartialDecryptionBody,
  type SetupBody,
  type BallotBody,
  type SpoiledBody,
} from '../../ballot/index.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { InvalidCommand, reject, type Rejection } from '../kernel/errors.ts';
import type { ReasonId, ReasonParams } from '../kernel/reasons.ts';
import { closeVote, decideVoteCommand, electorateAt, hasStatusQuo } from '../votes/decide.ts';
import { addMinutes } from '../kernel/time.ts';
import { abortSecretVote } from './abort.ts';
import {
  aggregateOf,
  appointedTrustees,
  countSecret,
  keyOf,
  presentWeight,
  secretContest,
  secretMethods,
} from './vote.ts';
import { type Command, type Decision, newEntry, type NewEntry, type OrgState } from '../model.ts';
import type { DecisionSpec, Motion } from '../motions/types.ts';
import { isCouncilMember } from '../organisation/membership.ts';
import type { Vote } from '../votes/types.ts';
import type { SecretRequest, SecretSpec, SecretVote } from './types.ts';
import type { SecretCommand, TrusteeMessage } from './types.ts';
import {
  castOrSpoilRanked,
  isRankedMethod,
  MIX_MINUTES,
  lateShare,
  mixDecryption,
  postShuffle,
  rankedContest,
  skipMixer,
} from './mixed.ts';
import { MAX_RANKED_CANDIDATES } from '../../ballot/index.ts';

export const secretCommandTypes: readonly string[] = [
  'post_trustee_message',
  'issue_credential',
  'freeze_credentials',
  'cast_secret_ballot',
  'spoil_secret_ballot',
  'abort_secret_vote',
  'post_shuffle',
  'skip_mixer',
];

/**
 * Adds a checked secret-ballot spec to a motion's decision spec (move_motion's `secret`). When the organisation
 * has appointed trustees (appoint_trustees), they are the default and the only ones allowed; otherwise the mover
 * names members of the council.
 */
export function withSecret(
  state: OrgState,
  spec: DecisionSpec,
  secret: SecretRequest | undefined,
  councilId: string,
  now: string,
): DecisionSpec {
  if (secret === undefined) return spec;
  const ranked = isRankedMethod(spec.method);
  if (!ranked && !(secretMethods as readonly string[]).includes(spec.method)) {
    throw new InvalidCommand('secret_methods', 'secret', { methods: secretMethods.join(', ') });
  }
  const appointed = appointedTrustees(state);
  const t = secret?.trustees ?? (appointed.length > 0 ? appointed : undefined);
  if (!Array.isArray(t) || t.length < 1 || t.length > 255 || new Set(t).size !== t.length) {
    throw new InvalidCommand('trustees_list', 'secret.trustees');
  }
  t.forEach((m, i) => {
    const ok = appointed.length > 0 ? appointed.includes(m) : isCouncilMember(state, councilId, m, now);
    if (typeof m !== 'string' || !ok) {
      const problem = appointed.length > 0 ? 'trustee_not_appointed' : 'trustee_not_member';
      throw new InvalidCommand(problem, 'secret.trustees', { index: i, number: i + 1 });
    }
  });
  const k = secret.threshold ?? Math.floor(t.length / 2) + 1;
  if (!Number.isSafeInteger(k) || k < 1 || k > t.length) {
    throw new InvalidCommand('secret_threshold_range', 'secret.threshold', { max: t.length });
  }
  const r = secret.registrationMinutes;
  if (r !== undefined && (!Number.isSafeInteger(r) || r < 1)) {
    throw new InvalidCommand('registration_minutes', 'secret.registrationMinutes');
  }
  const mix = secret.mixMinutes;
  if (mix !== undefined && (!ranked || !Number.isSafeInteger(mix) || mix < 1)) {
    throw new InvalidCommand('mix_minutes', 'secret.mixMinutes');
  }
  return {
    ...spec,
    secret: {
      trustees: [...t],
      threshold: k,
      ...(r !== undefined ? { registrationMinutes: r } : {}),
      ...(appointed.length > 0 ? { appointed: true } : {}),
      ...(mix !== undefined ? { mixMinutes: mix } : {}),
    },
  };
}

/** The most bytes a secret ballot may have, so that its board entry (or a challenged one) fits a log entry. */
export const MAX_SECRET_BALLOT_BYTES = 60_000;

/**
 * Why a secret ballot over `options` alternatives of such a motion would not fit one log entry, if so: a range
 * proof has a branch per possible value, so a score ballot grows with options × (highest score + 1).
 */
export function secretBallotTooLarge(
  kind: Motion['kind'],
  decision: DecisionSpec,
  options: number,
): {
  problem: 'secret_ballot_too_large' | 'secret_ballot_too_large_score' | 'secret_ranked_too_large';
  params: ReasonParams;
} | null {
  if (!decision.secret) return null;
  if (isRankedMethod(decision.method)) {
    const c = options + (hasStatusQuo(kind, decision.method) ? 1 : 0);
    return c <= MAX_RANKED_CANDIDATES
      ? null
      : { problem: 'secret_ranked_too_large', params: { max: MAX_RANKED_CANDIDATES, candidates: c } };
  }
  const ids = Array.from({ length: options }, (_, i) => `a${i + 1}`);
  const contest = secretContest({ options: ids, statusQuo: hasStatusQuo(kind, decision.method) }, decision);
  const bytes = ballotBytes([contest]);
  if (bytes <= MAX_SECRET_BALLOT_BYTES) return null;
  return {
    problem: decision.method === 'score' ? 'secret_ballot_too_large_score' : 'secret_ballot_too_large',
    params: { options, bytes, max: MAX_SECRET_BALLOT_BYTES },
  };
}

const numberedChecks = ['5.1', '5.2', '5.3', '5.4', '5.5', '5.6', '5.7', '5.8'];

/**
 * A ballot the verifier refused, by the number of its check (docs/BALLOT-PROTOCOL.md §5): the number is the stable
 * part, worded in the member's language; the verifier's own words ride along as `reason`, a technical detail.
 */
export function ballotCheckRefusal(check: string, reason: string): Rejection {
  const id = numberedChecks.includes(check)
    ? (`ballot_check_${check.replace('.', '_')}` as const)
    : 'ballot_check';
  return reject('ballot_rejected', id as ReasonId, { check, reason });
}

/**
 * Commands on open votes that take another path when the vote is secret: opening adds the setup entry; open
 * ballots and early closing are refused. Undefined when the command is not about a secret vote.
 */
export function secretOverride(state: OrgState, c: Command, ctx: DecideContext): Decision | undefined {
  if (c.type === 'open_vote') {
    const spec = state.motions.get(c.motionId)?.decision.secret;
    return spec ? openSecretVote(state, c, ctx, spec) : undefined;
  }
  if (c.type === 'cast_ballot' || c.type === 'close_vote') {
    if (!state.votes.get(c.voteId)?.secret) return undefined;
    return c.type === 'cast_ballot'
      ? reject('wrong_state', 'cast_secret_ballot')
      : reject('wrong_state', 'secret_closes_by_trustees');
  }
  return undefined;
}

function openSecretVote(
  state: OrgState,
  c: Extract<Command, { type: 'open_vote' }>,
  ctx: DecideContext,
  motionSpec: SecretSpec,
): Decision {
  const motion = state.motions.get(c.motionId)!;
  let spec = motionSpec;
  if (c.secret !== undefined) {
    // trustees named anew: only to hold again a vote that failed (its trustees did not make a key)
    if (typeof c.secret !== 'object' || c.secret === null)
      throw new InvalidCommand('not_an_object', 'secret');
    const failed = [...state.votes.values()].some((v) => v.motionId === motion.id && v.outcome === 'failed');
    if (!failed) {
      return reject('wrong_state', 'trustees_of_motion');
    }
    spec = renamedSpec(state, motion, motionSpec, c.secret, ctx.now);
  }
  const appointed = appointedTrustees(state);
  const gone = spec.trustees.find((m) =>
    spec.appointed ? !appointed.includes(m) : !isCouncilMember(state, motion.councilId, m, ctx.now),
  );
  if (gone !== undefined) return reject('wrong_state', 'trustee_gone', { trustee: gone });
  const d = decideVoteCommand(state, c, ctx);
  if (!d.ok) return d;
  const opened = d.entries.find((e) => e.act === 'vote_opened')!;
  if (opened.act !== 'vote_opened') return d;
  const renamed = spec === motionSpec ? undefined : spec;
  const { setup, registrationEnds } = secretSetup(state, motion, opened.payload, ctx.now, spec, c.issuers);
  return accept(
    ...d.entries.map((e) =>
      e === opened && renamed
        ? { ...opened, payload: { ...opened.payload, secret: renamedRecord(renamed) } }
        : e,
    ),
    newEntry('board_posted', ctx.actor, ctx.now, {
      voteId: opened.payload.voteId,
      kind: 'setup',
      body: setup,
      registrationEnds,
      trustees: spec.trustees,
      ...(isRankedMethod(motion.decision.method) ? { mixMinutes: spec.mixMinutes ?? MIX_MINUTES } : {}),
    }),
  );
}

/** What a vote_opened entry records of trustees named anew (so the replay decides the opening again). */
const renamedRecord = (spec: SecretSpec): SecretRequest => ({
  trustees: [...spec.trustees],
  threshold: spec.threshold,
  ...(spec.registrationMinutes !== undefined ? { registrationMinutes: spec.registrationMinutes } : {}),
  ...(spec.mixMinutes !== undefined ? { mixMinutes: spec.mixMinutes } : {}),
});

/** The motion's secret spec with trustees, threshold or registration time named anew, checked as a mover's are. */
export function renamedSpec(
  state: OrgState,
  motion: Motion,
  spec: SecretSpec,
  request: SecretRequest,
  now: string,
): SecretSpec {
  const merged: SecretRequest = {
    trustees: request.trustees ?? spec.trustees,
    ...(request.threshold !== undefined
      ? { threshold: request.threshold }
      : request.trustees === undefined
        ? { threshold: spec.threshold }
        : {}),
    ...((request.registrationMinutes ?? spec.registrationMinutes) !== undefined
      ? { registrationMinutes: (request.registrationMinutes ?? spec.registrationMinutes)! }
      : {}),
    ...((request.mixMinutes ?? spec.mixMinutes) !== undefined
      ? { mixMinutes: (request.mixMinutes ?? spec.mixMinutes)! }
      : {}),
  };
  const checked = withSecret(
    state,
    { ...motion.decision, secret: undefined },
    merged,
    motion.councilId,
    now,
  ).secret;
  return checked!;
}

/**
 * The setup entry a secret vote opens with (docs/BALLOT-PROTOCOL.md "In Councils"): the manifest of the motion's
 * contest, the trustees' number and threshold, the issuing keys, and when registration ends. Decide makes it, and
 * the replay makes it again to check the logged one (`setupProblem`).
 */
export function secretSetup(
  state: OrgState,
  motion: Motion,
  opened: Pick<Vote, 'options' | 'statusQuo'> & { voteId: string; closesAt: string },
  now: string,
  spec: SecretSpec,
  issuerKeys: IssuerKey[] | undefined,
  /**
   * The replay of a ranked vote recorded before shuffles were signed (its recorded manifest has no mark): the
   * setup as that release made it. Only the replay passes it; a vote opened now is always marked.
   */
  unsignedShuffles = false,
): { setup: SetupBody; registrationEnds: string } {
  const total = Math.round((Date.parse(opened.closesAt) - Date.parse(now)) / 60_000);
  const minutes = spec.registrationMinutes ?? Math.max(1, Math.floor(total / 2));
  if (minutes >= total) {
    throw new InvalidCommand('registration_before_close', 'secret.registrationMinutes');
  }
  const ranked = isRankedMethod(motion.decision.method);
  const contest = ranked ? rankedContest(opened) : secretContest(opened, motion.decision);
  const manifest = {
    electionId: opened.voteId,
    title: motion.title,
    opensAt: Date.parse(now),
    closesAt: Date.parse(opened.closesAt),
    contests: [{ ...contest, title: motion.title }],
    // every shuffle signed by its slot's mixer (docs/MIXNET.md §12): in H_M, so in every trustee's key-generation
    // proofs and every ballot; the trustees' browsers and the CLI take part in no ranked vote without it
    ...(ranked
      ? { ballot: 'ranked' as const, ...(unsignedShuffles ? {} : { shuffles: 'signed' as const }) }
      : {}),
  };
  const issuers = checkIssuers(issuerKeys, electorateAt(state, motion.councilId, now));
  const setup = makeSetup(manifest, {
    n: spec.trustees.length,
    k: spec.threshold,
    ...(issuers ? { issuers } : {}),
  });
  return { setup, registrationEnds: addMinutes(now, minutes) };
}

/** The electorate's weight classes, ascending: one issuing key each (docs/BALLOT-PROTOCOL.md §4.1). */
export function weightClasses(electorate: readonly { weight: string }[]): number[] {
  return [...new Set(electorate.map((e) => Number(e.weight)))].sort((a, b) => a - b);
}

/**
 * Exactly one valid issuing key per weight class of the electorate. The server always adds them; without them
 * (as the replay decides `vote_opened` again, not knowing the keys) the vote opens but nobody can be issued a
 * credential, so it can never be frozen.
 */
function checkIssuers(
  issuers: IssuerKey[] | undefined,
  electorate: readonly { weight: string }[],
): IssuerKey[] | undefined {
  if (issuers === undefined) return undefined;
  const want = weightClasses(electorate);
  if (!Array.isArray(issuers)) throw new InvalidCommand('not_a_list', 'issuers');
  issuers.forEach((k, i) => {
    try {
      issuerPublicKey(k, `issuers[${i}]`);
    } catch (e) {
      if (e instanceof BallotFormatError)
        throw new InvalidCommand('issuer_key', 'issuers', { detail: e.message });
      throw e;
    }
  });
  const got = issuers.map((k) => k.weight).sort((a, b) => a - b);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new InvalidCommand('issuers_per_weight', 'issuers', { weights: want.join(', ') });
  }
  return issuers.map((k) => ({ weight: k.weight, n: k.n, e: k.e }));
}

export function decideSecretCommand(state: OrgState, c: SecretCommand, ctx: DecideContext): Decision {
  if (c.type === 'abort_secret_vote') return abortSecretVote(state, c, ctx);
  const vote = state.votes.get(c.voteId);
  if (!vote) return reject('not_found', 'no_such_vote');
  const sv = vote.secret;
  if (!sv) return reject('wrong_state', 'vote_not_secret');
  if (sv.result !== null || vote.closedAt !== null) return reject('vote_closed');
  switch (c.type) {
    case 'post_shuffle':
      return postShuffle(state, vote, sv, c.shuffle, ctx);
    case 'skip_mixer':
      return skipMixer(vote, sv, c.slot, ctx);
    case 'post_trustee_message':
      return trusteeMessage(state, vote, sv, c.message, ctx);
    case 'issue_credential':
      return issue(vote, sv, ctx);
    case 'freeze_credentials':
      return freeze(state.crypto, vote, sv, c.credentials, ctx);
    case 'cast_secret_ballot':
    case 'spoil_secret_ballot':
      if (sv.mix) return castOrSpoilRanked(state.crypto, vote, sv, c, ctx);
      return castOrSpoil(state.crypto, vote, sv, c as never, ctx);
  }
}

const post = (ctx: DecideContext, actor: string | null, voteId: string, kind: string, body: unknown) =>
  newEntry('board_posted', actor, ctx.now, { voteId, kind, body } as never);

function trusteeMessage(
  state: OrgState,
  vote: Vote,
  sv: SecretVote,
  m: TrusteeMessage,
  ctx: DecideContext,
): Decision {
  if (typeof m !== 'object' || m === null || typeof m.body !== 'object' || m.body === null) {
    throw new InvalidCommand('trustee_message_form', 'message');
  }
  const i = m.kind === 'dkg-accusation' ? m.body.accuser : m.body.trustee;
  const decrypting = m.kind === 'mix-decryption' || m.kind === 'partial-decryption';
  if (decrypting && (m.kind === 'mix-decryption') !== (sv.mix !== null)) {
    throw new InvalidCommand(
      sv.mix ? 'ranked_by_mix_decryption' : 'mix_decryption_ranked_only',
      'message.kind',
    );
  }
  if (!Number.isInteger(i) || i < 1 || i > sv.trustees.length) {
    throw new InvalidCommand('trustee_number_range', 'message.body', { max: sv.trustees.length });
  }
  if (ctx.actor === null || sv.trustees[i - 1] !== ctx.actor) {
    return reject('not_allowed', 'trustee_posts_own', { i });
  }
  // the body goes on the board as it is: one of the wrong shape would fail the board's check 1 for good, and
  // members it does not name would pad the board (docs/BALLOT-PROTOCOL.md §8.2), so both are refused here
  const shape = TRUSTEE_KINDS.includes(m.kind)
    ? (entryShape({ kind: m.kind, at: 0, body: m.body } as never) ?? unknownMember(m.kind as never, m.body))
    : null;
  if (shape !== null) throw new InvalidCommand('trustee_message_shape', 'message.body', { detail: shape });
  const n = sv.trustees.length;
  const count = (kind: string, who = i) =>
    sv.board.filter((e) => e.kind === kind && trusteeOf(e) === who).length;
  const all = (kind: string) => new Set(sv.board.filter((e) => e.kind === kind).map(trusteeOf)).size === n;
  const entry = post(ctx, ctx.actor, vote.id, m.kind, m.body);
  switch (m.kind) {
    case 'dkg-commit':
      if (sv.election) return reject('wrong_state', 'key_generation_over');
      if (count('dkg-commit') > 0) return reject('already_exists', 'trustee_committed');
      return accept(entry);
    case 'dkg-shares':
      if (!all('dkg-commit')) return reject('too_early', 'shares_after_commitments');
      // the key is the frozen election's; shares after the list would also break the board's order (check 1)
      if (sv.election) return reject('wrong_state', 'key_generation_over');
      if (count('dkg-shares') > 0) return reject('already_exists', 'trustee_dealt');
      return accept(entry);
    case 'dkg-accusation': {
      if (!all('dkg-shares')) return reject('too_early', 'accusations_after_shares');
      if (sv.election) return reject('wrong_state', 'key_generation_over');
      const dup = sv.board.some(
        (e) => e.kind === 'dkg-accusation' && e.body.accuser === i && e.body.accused === m.body.accused,
      );
      if (dup || m.body.accused === i) return reject('already_exists', 'accusation_made');
      return accept(entry);
    }
    case 'partial-decryption':
      return partialDecryption(state, vote, sv, m.body, entry, ctx);
    case 'mix-decryption':
      return mixDecryption(state, vote, sv, m.body, ctx);
    default:
      throw new InvalidCommand('trustee_message_kind', 'message.kind');
  }
}

const TRUSTEE_KINDS: readonly string[] = ['dkg-commit', 'dkg-shares', 'dkg-accusation', 'partial-decryption'];

function trusteeOf(e: SecretVote['board'][number]): number | undefined {
  if (e.kind === 'dkg-accusation') return e.body.accuser;
  const b = e.body as { trustee?: number };
  return b.trustee;
}

function partialDecryption(
  state: OrgState,
  vote: Vote,
  sv: SecretVote,
  body: PartialDecryptionBody,
  entry: NewEntry,
  ctx: DecideContext,
): Decision {
  const election = sv.election;
  if (!election) return reject('wrong_state', 'voting_never_opened');
  if (ctx.now < vote.closesAt) return reject('too_early', 'voting_open_until', { closesAt: vote.closesAt });
  const late = lateShare(sv, ctx.now);
  if (late) return late;
  if (!election.qualified.includes(body.trustee)) {
    return reject('not_allowed', 'trustee_disqualified', { trustee: body.trustee });
  }
  if (sv.partials.some((p) => p.trustee === body.trustee)) {
    return reject('already_exists', 'trustee_decrypted');
  }
  const g = state.crypto.group;
  const agg = aggregateOf(g, sv, election);
  const why = verifyPartial(g, election, agg, body);
  if (why !== null)
    return reject('invalid_proof', 'partial_decryption_invalid', { trustee: body.trustee, why });
  const partials = [...sv.partials, body];
  if (partials.length < election.setup.k) return accept(entry);
  const out = combine(g, election, agg, partials);
  if (!out.ok || !out.result)
    return reject('invalid_proof', 'tally_does_not_decode', {
      detail: out.reason ?? 'the tally does not decode',
    });
  const motion = state.motions.get(vote.motionId)!;
  const result = countSecret(
    vote,
    motion.decision,
    motion.kind === 'election',
    out.result.tallies[0]!,
    presentWeight(g, sv, election),
  );
  const org = { ...ctx, actor: null };
  return accept(
    entry,
    post(org, null, vote.id, 'result', out.result),
    ...closeVote(state, vote, org, result),
  );
}

/**
 * An elector is issued a credential (the server signs their blinded message once this is accepted): once per
 * member, before the list is frozen and registration ends. The entry names the member and the weight, which are
 * public already (the electorate); it lets anyone count issuances.
 */
function issue(vote: Vote, sv: SecretVote, ctx: DecideContext): Decision {
  const weight = ctx.actor === null ? undefined : vote.electorate.get(ctx.actor);
  if (weight === undefined) return reject('not_an_elector');
  if (!sv.setup.issuers) return reject('wrong_state', 'no_issuing_keys');
  if (sv.election) return reject('wrong_state', 'credentials_frozen');
  if (ctx.now >= sv.registrationEnds) return reject('wrong_state', 'registration_ended');
  if (sv.issued.some((i) => i.member === ctx.actor)) {
    return reject('already_exists', 'credential_issued');
  }
  return accept(post(ctx, ctx.actor, vote.id, 'credential-issued', { weight: Number(weight) }));
}

/** Issuances per weight class, from the log. */
export function issuedPerWeight(sv: SecretVote): Map<number, number> {
  const m = new Map<number, number>();
  for (const i of sv.issued) m.set(i.weight, (m.get(i.weight) ?? 0) + 1);
  return m;
}

function freeze(
  crypto: BallotCrypto,
  vote: Vote,
  sv: SecretVote,
  credentials: CredentialEntry[],
  ctx: DecideContext,
): Decision {
  if (ctx.actor !== null) return reject('not_allowed', 'credentials_frozen_by_organisation');
  if (sv.election) return reject('already_exists', 'credentials_frozen');
  if (ctx.now >= vote.closesAt) return reject('vote_closed');
  if (!Array.isArray(credentials)) throw new InvalidCommand('not_a_list', 'credentials');
  const electorate = [...vote.electorate.values()];
  const total = electorate.reduce((a, b) => a + b, 0n);
  const weight = credentials.reduce((a, c) => a + BigInt(Number.isSafeInteger(c?.weight) ? c.weight : 0), 0n);
  // The one check of registration the record can carry: never more credentials (or weight) than electors.
  if (credentials.length > electorate.length || weight > total) {
    throw new InvalidCommand('more_credentials_than_electors', 'credentials');
  }
  if (!sv.setup.issuers) return reject('wrong_state', 'no_issuing_keys');
  const failures = checkSignedList(
    sv.setup.issuers,
    sv.setup.setupHash,
    credentials as SignedCredential[],
    issuedPerWeight(sv),
    crypto.rsaPssVerify,
  );
  if (failures.length > 0) {
    const f = failures[0]!;
    throw f.index >= 0
      ? new InvalidCommand('credential_invalid', 'credentials', {
          index: f.index,
          number: f.index + 1,
          detail: f.reason,
        })
      : new InvalidCommand('credentials_invalid', 'credentials', { detail: f.reason });
  }
  if (credentials.length < electorate.length && ctx.now < sv.registrationEnds) {
    return reject('too_early', 'registration_open_until', { registrationEnds: sv.registrationEnds });
  }
  const key = keyOf(crypto.group, sv);
  if (!key?.ok) return reject('wrong_state', 'no_joint_key');
  const body = {
    credentials: credentials.map((c) => ({
      credential: c.credential,
      weight: c.weight,
      signature: c.signature!,
    })),
  };
  let sorted: CredentialEntry[];
  try {
    sorted = makeElection(crypto.group, sv.setup, key, body).credentials;
  } catch (e) {
    if (e instanceof BallotFormatError || e instanceof BallotProtocolError) {
      throw new InvalidCommand('credentials_invalid', 'credentials', { detail: e.message });
    }
    throw e;
  }
  // sorted by credential, whatever order the server listed them in (§4.1); in parts of at most
  // CREDENTIAL_PART_BYTES each, all in this one decision (§4.2)
  const bySig = new Map(body.credentials.map((c) => [c.credential, c.signature]));
  const list = sorted.map((c) => ({
    credential: c.credential,
    weight: c.weight,
    signature: bySig.get(c.credential)!,
  }));
  return accept(...credentialParts(list).map((part) => post(ctx, null, vote.id, 'credentials', part)));
}

function castOrSpoil(
  crypto: BallotCrypto,
  vote: Vote,
  sv: SecretVote,
  c:
    | { type: 'cast_secret_ballot'; voteId: string; ballot: BallotBody }
    | { type: 'spoil_secret_ballot'; voteId: string; spoiled: SpoiledBody },
  ctx: DecideContext,
): Decision {
  // The credential's signature is the authority; the entry must not name the member.
  if (ctx.actor !== null) return reject('not_allowed', 'secret_ballot_anonymous');
  const election = sv.election;
  if (!election) return reject('too_early', 'voting_opens_when_frozen');
  if (ctx.now >= vote.closesAt) return reject('vote_closed', 'voting_closed_at', { closesAt: vote.closesAt });
  const at = Date.parse(ctx.now);
  const ballot = c.type === 'cast_secret_ballot' ? c.ballot : c.spoiled?.ballot;
  // members no signature or hash covers would let anyone pad the board (docs/BALLOT-PROTOCOL.md §8.2)
  const [kind, body] = c.type === 'cast_secret_ballot' ? ['ballot', c.ballot] : ['spoiled', c.spoiled];
  const extra = unknownMember(kind as 'ballot' | 'spoiled', body);
  if (extra !== null) return reject('ballot_rejected', 'ballot_encoding', { extra });
  const g = crypto.group;
  // A ballot whose proofs the server checked before the queue (on worker threads, against this election) is checked
  // here only for what depends on the board and the time; any other, fully (docs/BALLOT-PROTOCOL.md §5).
  const verdict =
    c.type === 'cast_secret_ballot' && crypto.preverified?.has(c.ballot)
      ? checkBallotQueued(g, election, ballot, at, sv.usedIds)
      : checkBallot(g, election, ballot, at, sv.usedIds);
  if (!verdict.ok) return ballotCheckRefusal(verdict.check, verdict.reason);
  if (c.type === 'cast_secret_ballot') return accept(post(ctx, null, vote.id, 'ballot', c.ballot));
  const why = verifySpoiled(g, election, c.spoiled);
  if (why !== null) return reject('ballot_rejected', 'ballot_check_10', { why });
  return accept(post(ctx, null, vote.id, 'spoiled', c.spoiled));
}
