// Mixed secret votes (docs/MIXNET.md §16): a secret vote whose method counts rankings takes ranked ballots, which
// the vote's trustees shuffle in turn after the close (each with a proof the server checks before logging it), then
// decrypt with proofs; the k-th valid decryption combines the result, counts the rankings by the motion's method and
// closes the vote. Everything here is pure: the time is the command's, the randomness the mixers' and trustees' own.
import {
  checkRankedBallot,
  combineMix,
  decodeRankings,
  mixInput,
  mixerKeys,
  shuffleSignatureProblem,
  signedShuffles,
  verifyMixPartial,
  verifyMixBoard,
  verifyShuffle,
  verifySpoiledRanked,
  type Group,
  type BallotCrypto,
  type Contest,
  type Election,
  type MixDecryptionBody,
  type MixList,
  type RankedBallotBody,
  type DkgCommitBody,
  type ShuffleBody,
  type SpoiledRankedBody,
} from '../../ballot/index.ts';
import {
  ballotShape,
  countVote,
  quorumRequired,
  type CountBallot,
  type MethodId,
} from '../../count/index.ts';
import { canonicalJson } from '../../record/index.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { InvalidCommand, reject } from '../kernel/errors.ts';
import { splitJsonText } from '../kernel/entry-size.ts';
import { addMinutes } from '../kernel/time.ts';
import { AGAINST } from '../votes/ballot-content.ts';
import { closeVote, type VoteResult } from '../votes/decide.ts';
import type { DecisionSpec } from '../motions/types.ts';
import type { Vote } from '../votes/types.ts';
import { type Decision, newEntry, type NewEntry, type OrgState } from '../model.ts';
import type { MixPart, MixState, SecretVote } from './types.ts';

/** Each mixer's time when the motion names none: one day (docs/MIXNET.md §16.4). */
export const MIX_MINUTES = 1440;
/** The most bytes of a shuffle's, decryption's or result's JSON text one board entry holds. */
export const MIX_PART_BYTES = 60_000;

/** Whether a method counts rankings, so that its secret votes go through the mix-net. */
export const isRankedMethod = (method: MethodId): boolean => ballotShape(method) === 'ranking';

/** The contest of a mixed vote: the candidates in rank-vector order (the status quo last, as on open ballots). */
export function rankedContest(vote: Pick<Vote, 'options' | 'statusQuo'>): Contest {
  const options = vote.statusQuo ? [...vote.options, AGAINST] : [...vote.options];
  return { id: 'motion', title: '', options, min: 0, max: options.length, optionMax: options.length };
}

export { newMixState } from './mix-state.ts';

/** The slot (1-based) due to shuffle after `shuffles` shuffles and `skipped` skips of `trustees` slots; null after the last. */
export function dueSlot(trustees: number, shuffles: number, skipped: number): number | null {
  const done = shuffles + skipped;
  return done < trustees ? done + 1 : null;
}

/** The slot due to shuffle, since when and until when; null once every slot has shuffled or been skipped. */
export function mixTurn(
  vote: Pick<Vote, 'closesAt'>,
  sv: Pick<SecretVote, 'trustees'>,
  mix: MixState,
): { slot: number; since: string; deadline: string } | null {
  const slot = dueSlot(sv.trustees.length, mix.shuffles.length, mix.skipped.length);
  if (slot === null) return null;
  const times = [vote.closesAt, ...mix.shuffles.map((s) => s.time), ...mix.skipped.map((s) => s.time)];
  const since = times.reduce((a, b) => (b > a ? b : a));
  return { slot, since, deadline: addMinutes(since, mix.mixMinutes) };
}

/**
 * When mixing ended: the time of the last mixer's shuffle or skip, once every slot has had its turn and one
 * shuffled; null while a mixer is due, or when nobody shuffled (the vote fails: mixFailure).
 */
export function mixingEnded(
  vote: Pick<Vote, 'closesAt'>,
  sv: Pick<SecretVote, 'trustees'>,
  mix: MixState,
): string | null {
  const turn = mixTurn(vote, sv, mix);
  if (turn !== null || mix.shuffles.length === 0) return null;
  return [...mix.shuffles.map((s) => s.time), ...mix.skipped.map((s) => s.time)].reduce((a, b) =>
    b > a ? b : a,
  );
}

/** The list the next mixer shuffles, or (mixing over) the list the trustees decrypt. */
export function currentList(election: Election, mix: MixState): MixList {
  const last = mix.shuffles[mix.shuffles.length - 1];
  return last ? last.shuffle.ciphertexts : mixInput(election, mix.cast);
}

/** Why a mixed vote can never reach a result at `now`, or null (src/core/secret/abort.ts asks). */
export function mixFailure(vote: Vote, sv: SecretVote, now: string): string | null {
  const mix = sv.mix;
  if (!mix || !sv.election || mix.result || vote.closedAt !== null || now < vote.closesAt) return null;
  if (mixInput(sv.election, mix.cast).length === 0)
    return `voting closed at ${vote.closesAt} with no ballot cast`;
  if (mixTurn(vote, sv, mix) === null && mix.shuffles.length === 0)
    return 'no mixer shuffled the ballots, and an unmixed list would show who voted what';
  return null;
}

/** apply's part: one board entry of a mixed vote. Throws on parts out of order (the log is corrupt). */
export function applyMixPosted(
  sv: SecretVote,
  kind: string,
  body: unknown,
  time: string,
  seq: number,
  actor: string | null,
): void {
  const mix = sv.mix!;
  const at = Date.parse(time);
  const byMember = kind === 'shuffle' || kind === 'mix-decryption';
  if (byMember === (actor === null)) mix.named.push({ seq, kind });
  switch (kind) {
    case 'ranked-ballot': {
      const b = body as RankedBallotBody;
      sv.usedIds.add(b.id);
      mix.cast.push({ ballot: b, at, seq });
      return;
    }
    case 'ranked-spoiled': {
      const s = body as SpoiledRankedBody;
      sv.usedIds.add(s.ballot.id);
      mix.spoiled.push({ spoiled: s, at, seq });
      return;
    }
    case 'mixer-skipped': {
      const s = body as { slot: number; reason: string };
      mix.skipped.push({ slot: s.slot, reason: s.reason, seq, time });
      return;
    }
    case 'shuffle':
    case 'mix-decryption':
    case 'mix-result': {
      const p = body as MixPart;
      const who = kind === 'shuffle' ? p.slot : kind === 'mix-decryption' ? p.trustee : 0;
      const pending: NonNullable<MixState['pending']> = mix.pending ?? {
        kind,
        who: who ?? 0,
        texts: [],
        seqs: [],
        actor,
      };
      // every part of one body is posted under one authority
      if (actor !== pending.actor) mix.named.push({ seq, kind });
      if (
        pending.kind !== kind ||
        pending.who !== who ||
        p.part !== pending.texts.length ||
        !Number.isSafeInteger(p.parts) ||
        p.part >= p.parts ||
        typeof p.text !== 'string'
      ) {
        throw new RangeError(`vote board: ${kind} part ${String(p.part)} out of place`);
      }
      pending.texts.push(p.text);
      pending.seqs.push(seq);
      if (p.part < p.parts - 1) {
        mix.pending = pending;
        return;
      }
      mix.pending = null;
      const joined = JSON.parse(pending.texts.join('')) as unknown;
      if (kind === 'shuffle')
        mix.shuffles.push({
          slot: who!,
          shuffle: joined as ShuffleBody,
          seqs: pending.seqs,
          actor: pending.actor,
          time,
        });
      else if (kind === 'mix-decryption')
        mix.partials.push({
          decryption: joined as MixDecryptionBody,
          seqs: pending.seqs,
          actor: pending.actor,
          time,
        });
      else mix.result = { result: joined as never, seq: pending.seqs[0]! };
      return;
    }
    default:
      throw new RangeError(`vote board: ${kind} on a mixed vote`);
  }
}

/** The entries of one large body: its canonical JSON text cut into parts, written in order by one decision. */
function parts(
  ctx: DecideContext,
  actor: string | null,
  voteId: string,
  kind: 'shuffle' | 'mix-decryption' | 'mix-result',
  who: Record<string, number>,
  body: unknown,
): NewEntry[] {
  const pieces = splitJsonText(canonicalJson(body), MIX_PART_BYTES);
  return pieces.map((text, part) =>
    newEntry('board_posted', actor, ctx.now, {
      voteId,
      kind,
      body: { ...who, part, parts: pieces.length, text },
    } as never),
  );
}

const post = (ctx: DecideContext, voteId: string, kind: string, body: unknown): NewEntry =>
  newEntry('board_posted', null, ctx.now, { voteId, kind, body } as never);

// Strict shapes: members no hash or signature covers would let anyone pad the board (docs/BALLOT-PROTOCOL.md §8.2).
const HEX64 = /^[0-9a-f]{64}$/;
function exact(x: unknown, keys: readonly string[], where: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw new InvalidCommand('not_an_object', where);
  const extra = Object.keys(x).find((k) => !keys.includes(k));
  if (extra !== undefined) throw new InvalidCommand('unexpected_member', where, { name: extra });
  const missing = keys.find((k) => !(k in x));
  if (missing !== undefined) throw new InvalidCommand('missing_member', where, { name: missing });
  return x as Record<string, unknown>;
}
function hex(x: unknown, where: string): void {
  if (typeof x !== 'string' || !HEX64.test(x)) throw new InvalidCommand('hex64', where);
}
function list(x: unknown, where: string, each: (y: unknown, w: string) => void): void {
  if (!Array.isArray(x)) throw new InvalidCommand('not_a_list', where);
  x.forEach((y, i) => each(y, `${where}[${i}]`));
}
const pair = (y: unknown, w: string) => {
  const c = exact(y, ['alpha', 'beta'], w);
  hex(c.alpha, `${w}.alpha`);
  hex(c.beta, `${w}.beta`);
};
const schnorr = (y: unknown, w: string) => {
  const p = exact(y, ['R', 's'], w);
  hex(p.R, `${w}.R`);
  hex(p.s, `${w}.s`);
};

export function checkShuffleShape(x: unknown): ShuffleBody {
  const signed = typeof x === 'object' && x !== null && 'signature' in x;
  const s = exact(x, ['mixer', 'ciphertexts', 'proof', ...(signed ? ['signature'] : [])], 'shuffle');
  if (signed) schnorr(s.signature, 'shuffle.signature');
  list(s.ciphertexts, 'shuffle.ciphertexts', (v, w) => list(v, w, pair));
  const p = exact(
    s.proof,
    ['commitments', 'chain', 't1', 't2', 't3', 't4', 'tHat', 's1', 's2', 's3', 's4', 'sHat', 'sPrime'],
    'shuffle.proof',
  );
  for (const k of ['t1', 't2', 't3', 's1', 's2', 's3']) hex(p[k], `shuffle.proof.${k}`);
  for (const k of ['commitments', 'chain', 'tHat', 's4', 'sHat', 'sPrime'])
    list(p[k], `shuffle.proof.${k}`, hex);
  list(p.t4, 'shuffle.proof.t4', pair);
  return x as ShuffleBody;
}

export function checkDecryptionShape(x: unknown): MixDecryptionBody {
  const d = exact(x, ['trustee', 'decryptions'], 'message.body');
  list(d.decryptions, 'message.body.decryptions', (v, w) =>
    list(v, w, (y, w2) => {
      const m = exact(y, ['M', 'proof'], w2);
      hex(m.M, `${w2}.M`);
      const p = exact(m.proof, ['a1', 'a2', 's'], `${w2}.proof`);
      for (const k of ['a1', 'a2', 's']) hex(p[k], `${w2}.proof.${k}`);
    }),
  );
  return x as MixDecryptionBody;
}

function rankedBallotShape(x: unknown, where: string): string | null {
  try {
    const b = exact(x, ['election', 'id', 'credential', 'ciphertexts', 'code', 'signature'], where);
    list(b.ciphertexts, `${where}.ciphertexts`, (y, w) => {
      const c = exact(y, ['alpha', 'beta', 'proof'], w);
      schnorr(c.proof, `${w}.proof`);
    });
    schnorr(b.signature, `${where}.signature`);
    return null;
  } catch (e) {
    if (e instanceof InvalidCommand) return e.message;
    throw e;
  }
}

/** A ranked ballot cast or challenged (anonymous): checks R.1–R.7 (docs/MIXNET.md §7.2). */
export function castOrSpoilRanked(
  crypto: BallotCrypto,
  vote: Vote,
  sv: SecretVote,
  c: { type: 'cast_secret_ballot'; ballot: unknown } | { type: 'spoil_secret_ballot'; spoiled: unknown },
  ctx: DecideContext,
): Decision {
  if (ctx.actor !== null) return reject('not_allowed', 'secret_ballot_anonymous');
  const election = sv.election;
  if (!election) return reject('too_early', 'voting_opens_when_frozen');
  if (ctx.now >= vote.closesAt) return reject('vote_closed', 'voting_closed_at', { closesAt: vote.closesAt });
  const cast = c.type === 'cast_secret_ballot';
  const ballot = (cast ? c.ballot : (c.spoiled as { ballot?: unknown } | null)?.ballot) as RankedBallotBody;
  const extra = cast
    ? rankedBallotShape(c.ballot, 'ballot')
    : (() => {
        try {
          exact(c.spoiled, ['ballot', 'ballotNonce', 'ranking'], 'spoiled');
          return rankedBallotShape(ballot, 'spoiled.ballot');
        } catch (e) {
          if (e instanceof InvalidCommand) return e.message;
          throw e;
        }
      })();
  if (extra !== null) return reject('ballot_rejected', 'ballot_encoding', { extra });
  const g = crypto.group;
  const verdict = checkRankedBallot(g, election, ballot, Date.parse(ctx.now), sv.usedIds);
  if (!verdict.ok)
    return reject('ballot_rejected', 'ballot_check', { check: verdict.check, reason: verdict.reason });
  if (cast) return accept(post(ctx, vote.id, 'ranked-ballot', ballot));
  const why = verifySpoiledRanked(g, election, c.spoiled as SpoiledRankedBody);
  if (why !== null) return reject('ballot_rejected', 'ballot_check_10', { why });
  return accept(post(ctx, vote.id, 'ranked-spoiled', c.spoiled));
}

/** A mixed vote's mix and election once voting has closed, or the refusal. */
function afterClose(
  vote: Vote,
  sv: SecretVote,
  now: string,
): { mix: MixState; election: Election } | Decision {
  if (!sv.mix) return reject('wrong_state', 'vote_not_ranked');
  if (!sv.election) return reject('wrong_state', 'voting_never_opened');
  if (now < vote.closesAt) return reject('too_early', 'voting_open_until', { closesAt: vote.closesAt });
  return { mix: sv.mix, election: sv.election };
}

/**
 * Why `actor` may not post a shuffle of this vote at `now`, or null: postShuffle's first checks, which the server
 * also makes before it reads a shuffle's body (src/server/routes/secret.ts).
 */
export function shuffleRefusal(
  vote: Vote,
  sv: SecretVote,
  actor: string | null,
  now: string,
): Decision | null {
  const open = afterClose(vote, sv, now);
  if ('ok' in open) return open;
  const turn = mixTurn(vote, sv, open.mix);
  if (!turn) return reject('wrong_state', 'mixing_over');
  if (actor === null || sv.trustees[turn.slot - 1] !== actor)
    return reject('not_allowed', 'not_your_turn', { due: turn.slot });
  return null;
}

/** Whether the trustees may decrypt the mixed list at `now` (mixing over, one shuffle at least, not too late). */
export function mixDecryptionDue(vote: Vote, sv: SecretVote, now: string): boolean {
  const mix = sv.mix;
  return (
    mix !== null &&
    sv.election !== null &&
    vote.closedAt === null &&
    now >= vote.closesAt &&
    mixingEnded(vote, sv, mix) !== null &&
    lateShare(sv, now) === null
  );
}

/** The due mixer posts its shuffle; the proof is verified against the current list before anything is logged. */
export function postShuffle(
  state: OrgState,
  vote: Vote,
  sv: SecretVote,
  shuffle: unknown,
  ctx: DecideContext,
): Decision {
  const refused = shuffleRefusal(vote, sv, ctx.actor, ctx.now);
  if (refused) return refused;
  const mix = sv.mix!;
  const election = sv.election!;
  const turn = mixTurn(vote, sv, mix)!;
  const body = checkShuffleShape(shuffle);
  const want = mix.shuffles.length + 1;
  if (body.mixer !== want) throw new InvalidCommand('mixer_number', 'shuffle.mixer', { want });
  const input = currentList(election, mix);
  if (input.length === 0) return reject('wrong_state', 'nothing_to_mix');
  // a proof the server verified against this very list before the queue (worker threads) is not verified again
  if (!state.crypto.preverified?.shuffle?.(body, input)) {
    const v = verifyShuffle(state.crypto.group, election, input, body);
    if (!v.ok) return reject('invalid_proof', 'shuffle_invalid', { reason: v.reason });
  }
  // signed by the due slot's mixer (docs/MIXNET.md §12): required when the manifest says so, checked whenever present
  if (signedShuffles(election) || body.signature !== undefined) {
    const key = voteMixerKeys(sv)[turn.slot];
    const why = shuffleSignatureProblem(state.crypto.group, election, turn.slot, input, body, key);
    if (why !== null) return reject('invalid_proof', 'shuffle_invalid', { reason: why });
  }
  return accept(...parts(ctx, ctx.actor, vote.id, 'shuffle', { slot: turn.slot }, body));
}

/** Each trustee's communication key, from the vote's dkg-commit messages: the key its shuffles are signed with. */
export const voteMixerKeys = (sv: Pick<SecretVote, 'board'>) =>
  mixerKeys(sv.board.flatMap((e) => (e.kind === 'dkg-commit' ? [e.body as DkgCommitBody] : [])));

/** The scheduler skips the due mixer once its deadline has passed. */
export function skipMixer(vote: Vote, sv: SecretVote, slot: number, ctx: DecideContext): Decision {
  const mix = sv.mix;
  if (!mix) return reject('wrong_state', 'vote_not_ranked');
  if (ctx.actor !== null) return reject('not_allowed', 'failed_vote_by_organisation');
  const turn = mixTurn(vote, sv, mix);
  if (!sv.election || !turn || ctx.now < vote.closesAt) return reject('wrong_state', 'mixing_over');
  if (slot !== turn.slot) return reject('wrong_state', 'not_your_turn', { due: turn.slot });
  if (ctx.now < turn.deadline) return reject('too_early', 'mixer_deadline', { deadline: turn.deadline });
  return accept(
    post(ctx, vote.id, 'mixer-skipped', {
      slot,
      reason: `mixer ${slot} did not shuffle by ${turn.deadline}`,
    }),
  );
}

/**
 * The refusal of a decryption share dated at or after the deadline its duty recorded (docs/MIXNET.md §16.4), for
 * homomorphic and mixed votes alike: the vote ends not decrypted then, whether or not the scheduler has written it.
 */
export function lateShare(sv: Pick<SecretVote, 'decryption'>, now: string): Decision | null {
  // a duty recorded before the rule (no refusesLate) took a late share until the scheduler acted: so does its replay
  if (sv.decryption?.refusesLate !== true) return null;
  const by = sv.decryption.decryptBy;
  return by && now >= by ? reject('too_late', 'decryption_deadline_passed', { decryptBy: by }) : null;
}

/** A trustee's decryption of the final list; the k-th valid one combines, counts and closes the vote. */
export function mixDecryption(
  state: OrgState,
  vote: Vote,
  sv: SecretVote,
  raw: unknown,
  ctx: DecideContext,
): Decision {
  const open = afterClose(vote, sv, ctx.now);
  if ('ok' in open) return open;
  const { mix, election } = open;
  if (mixingEnded(vote, sv, mix) === null) return reject('too_early', 'mixing_not_over');
  const late = lateShare(sv, ctx.now);
  if (late) return late;
  const body = checkDecryptionShape(raw);
  if (!election.qualified.includes(body.trustee))
    return reject('not_allowed', 'trustee_disqualified', { trustee: body.trustee });
  if (mix.partials.some((p) => p.decryption.trustee === body.trustee))
    return reject('already_exists', 'trustee_decrypted');
  const g = state.crypto.group;
  const list = currentList(election, mix);
  const why = state.crypto.preverified?.mixDecryption?.(body, list)
    ? null
    : verifyMixPartial(g, election, list, body);
  if (why !== null) return reject('invalid_proof', 'mix_decryption_invalid', { trustee: body.trustee, why });
  const posted = parts(ctx, ctx.actor, vote.id, 'mix-decryption', { trustee: body.trustee }, body);
  const partials = [...mix.partials.map((p) => p.decryption), body];
  if (partials.length < election.setup.k) return accept(...posted);
  // every partial here was verified against this list: this one just now (or before the queue), the others before
  // they were logged
  const out = combineMix(g, election, list, partials, () => true);
  if (!out.ok || !out.result)
    return reject('invalid_proof', 'tally_does_not_decode', { detail: out.reason ?? 'no combination' });
  const motion = state.motions.get(vote.motionId)!;
  const rankings = decodeRankings(g, election, out.result);
  const result = countMixed(vote, motion.decision, motion.kind === 'election', rankings);
  const org = { ...ctx, actor: null };
  return accept(
    ...posted,
    ...parts(org, null, vote.id, 'mix-result', {}, out.result),
    ...closeVote(state, vote, org, result),
  );
}

/**
 * Counts the decrypted rankings by the vote's method, as countBallots counts open ranked ballots of weight 1: the
 * quorum over every ballot mixed (invalid ones were cast), then the valid non-blank rankings, every round shown;
 * invalid ballots are listed in the report and count for nothing.
 */
export function countMixed(
  vote: Vote,
  decision: DecisionSpec,
  isElection: boolean,
  rankings: readonly ({ ok: true; ranking: string[][] } | { ok: false; reason: string })[],
): VoteResult {
  const electorate = [...vote.electorate.values()].reduce((a, b) => a + b, 0n);
  const present = BigInt(rankings.length);
  const required = quorumRequired(decision.quorum, electorate);
  const invalid = rankings.flatMap((r, index) => (r.ok ? [] : [{ index, reason: r.reason }]));
  const valid = rankings.flatMap((r) => (r.ok ? [r.ranking] : []));
  const counted = valid.filter((r) => r.length > 0);
  const line = `present ${present} of electorate ${electorate}; quorum requires ${required}`;
  const mixed = `${rankings.length} ballots decrypted from the mix: ${valid.length} valid (${valid.length - counted.length} blank), ${invalid.length} invalid`;
  const invalidLines = invalid.map(
    (i) => `invalid ballot at position ${i.index} of the final list: ${i.reason}`,
  );
  const base = {
    method: decision.method,
    winners: [],
    rounds: [],
    details: { present: `${present}`, required: `${required}`, invalid },
  };
  if (present < required)
    return {
      report: { ...base, explanation: [line, mixed, ...invalidLines] },
      outcome: 'no_quorum',
      winners: [],
    };
  if (counted.length === 0) {
    return {
      report: { ...base, explanation: [line, mixed, ...invalidLines, 'no ballot expressed a preference'] },
      outcome: isElection ? 'none_elected' : 'rejected',
      winners: [],
    };
  }
  const options = vote.statusQuo ? [...vote.options, AGAINST] : [...vote.options];
  const report = countVote(
    {
      method: decision.method,
      options,
      seats: vote.seats,
      tieBreak: { kind: 'backwards', seed: vote.id },
    },
    counted.map((ranking) => ({ ranking })) as CountBallot[],
  );
  report.explanation.unshift(line, mixed, ...invalidLines);
  report.details = { ...(report.details as object), invalid };
  const winners = report.winners.filter((w) => w !== AGAINST);
  if (isElection) return { report, outcome: winners.length ? 'elected' : 'none_elected', winners };
  const adopted = report.winners[0] !== undefined && report.winners[0] !== AGAINST;
  return { report, outcome: adopted ? 'adopted' : 'rejected', winners: adopted ? [report.winners[0]!] : [] };
}

/**
 * `councils verify`'s checks of a mixed vote beyond the election's board (docs/MIXNET.md §9 and §16): who posted
 * what (ballots, skips and the result anonymous; each shuffle by its slot's trustee, each decryption by its
 * trustee), the mixers' order and deadlines, every slot's turn before the first decryption, at most k decryptions
 * by qualified trustees, none repeated and none at or after the deadline of the duty, the result with the k-th,
 * every challenged ballot, and verifyMixBoard (M.1–M.3) over the ballots, the shuffles, the decryptions and the
 * result. Replay and verify accept exactly what the live path (postShuffle, skipMixer, mixDecryption) can write:
 * M.1 checks every ranked ballot of every mixed vote, failed or not; while the vote is still mixing or decrypting,
 * or after it failed, M.3 checks each decryption on its own instead of the result.
 */
export function mixProblems(g: Group, vote: Vote, sv: SecretVote): { text: string; seq?: number }[] {
  const mix = sv.mix!;
  const election = sv.election!;
  const out: { text: string; seq?: number }[] = [];
  const at = (seq: number, text: string) => out.push({ text: `entry ${seq}: ${text}`, seq });
  for (const n of mix.named)
    at(
      n.seq,
      `a ${n.kind} entry ${n.kind === 'shuffle' || n.kind === 'mix-decryption' ? 'not posted by its member' : 'names a member'}`,
    );
  if (mix.pending && vote.closedAt !== null)
    at(mix.pending.seqs[0]!, `a ${mix.pending.kind} left without its last part`);
  out.push(...turnProblems(vote, sv, mix));
  out.push(...decryptionProblems(vote, sv, mix));
  for (const s of mix.spoiled) {
    const why = verifySpoiledRanked(g, election, s.spoiled);
    if (why !== null) at(s.seq, `challenged ballot: ${why}`);
  }
  const closed = vote.closedAt !== null;
  const failed = vote.outcome === 'failed';
  // nobody shuffled yet (still mixing), or the vote failed with nobody shuffling: the ballots are still checked
  const unmixed = mix.shuffles.length === 0 && (!closed || failed);
  const report = verifyMixBoard(g, election, {
    cast: mix.cast,
    shuffles: mix.shuffles.map((s) => s.shuffle),
    partials: mix.partials.map((p) => p.decryption),
    result: mix.result?.result ?? null,
    signers: { slots: mix.shuffles.map((s) => s.slot), keys: voteMixerKeys(sv) },
  });
  for (const c of report.checks) {
    if (unmixed && c.id !== 'M.1') continue;
    // no result (yet, or ever): each decryption is checked on its own below
    if (c.id === 'M.3' && !mix.result && (!closed || failed)) continue;
    for (const f of c.failures) out.push({ text: `check ${c.id} (${c.title}): ${f.where}: ${f.reason}` });
  }
  const chained = report.checks.find((c) => c.id === 'M.2')?.ok === true;
  if (!mix.result && chained) {
    const list = currentList(election, mix);
    for (const p of mix.partials) {
      const why = verifyMixPartial(g, election, list, p.decryption);
      if (why !== null) at(p.seqs[0]!, `decryption of trustee ${String(p.decryption?.trustee)}: ${why}`);
    }
  }
  return out;
}

/**
 * The mixers' turns, in slot order and log order: each slot once, each after the close, each shuffle by its slot's
 * trustee, each skip at or after its deadline; and every slot's turn taken, one of them a shuffle, before the
 * first decryption (the live path refuses a decryption while a mixer is due: mixingEnded).
 */
function turnProblems(vote: Vote, sv: SecretVote, mix: MixState): { text: string; seq: number }[] {
  const out: { text: string; seq: number }[] = [];
  const turns = [
    ...mix.shuffles.map((s) => ({
      slot: s.slot,
      time: s.time,
      seq: s.seqs[0]!,
      actor: s.actor as string | null,
      skip: false,
    })),
    ...mix.skipped.map((s) => ({ slot: s.slot, time: s.time, seq: s.seq, actor: null, skip: true })),
  ].sort((a, b) => a.seq - b.seq);
  let since = vote.closesAt;
  turns.forEach((t, i) => {
    const where = `entry ${t.seq}`;
    const push = (text: string) => out.push({ text: `${where}: ${text}`, seq: t.seq });
    if (t.slot !== i + 1) push(`mixer ${t.slot} where ${i + 1} was due`);
    if (i >= sv.trustees.length) push(`a turn after all ${sv.trustees.length} mixers had theirs`);
    if (t.time < vote.closesAt) push("a mixer's turn before voting closed");
    if (!t.skip && t.actor !== sv.trustees[t.slot - 1])
      push(`shuffle of slot ${t.slot} not posted by its mixer`);
    const deadline = addMinutes(since, mix.mixMinutes);
    if (t.skip && t.time < deadline) push(`mixer ${t.slot} skipped before its deadline ${deadline}`);
    since = t.time;
  });
  const first = mix.partials[0]?.seqs[0];
  if (first === undefined) return out;
  const before = turns.filter((t) => t.seq < first);
  if (before.length < sv.trustees.length)
    out.push({
      text: `entry ${first}: a decryption while mixer ${before.length + 1} of ${sv.trustees.length} had not had its turn`,
      seq: first,
    });
  else if (!before.some((t) => !t.skip))
    out.push({ text: `entry ${first}: a decryption of a list nobody shuffled`, seq: first });
  for (const t of turns)
    if (t.seq > first)
      out.push({ text: `entry ${t.seq}: a mixer's turn after decryption began`, seq: t.seq });
  return out;
}

/**
 * The decryptions as the live path takes them (mixDecryption): each by a qualified trustee, once, dated before the
 * deadline its duty recorded (if the duty came before it); at most k, the k-th bringing the result and the close in
 * the same decision, and no result on a vote left open.
 */
function decryptionProblems(vote: Vote, sv: SecretVote, mix: MixState): { text: string; seq?: number }[] {
  const out: { text: string; seq?: number }[] = [];
  const election = sv.election!;
  const k = election.setup.k;
  const seen = new Set<number>();
  const duty = sv.decryption;
  // every mixed vote's duty was written with the late-share rule: one without it (a writer that dropped the mark to
  // have a late share taken) is named; homomorphic duties recorded before the rule lack it honestly (lateShare)
  if (duty && duty.refusesLate !== true)
    out.push({
      text: `entry ${duty.seq}: the decryption duty of a mixed vote does not say it refuses late shares (refusesLate)`,
      seq: duty.seq,
    });
  mix.partials.forEach((p, i) => {
    const l = p.decryption?.trustee;
    const seq = p.seqs[0]!;
    const push = (text: string) => out.push({ text: `entry ${seq}: ${text}`, seq });
    if (p.actor !== sv.trustees[(l ?? 0) - 1])
      push(`decryption of trustee ${String(l)} not posted by its trustee`);
    if (!election.qualified.includes(l)) push(`decryption of trustee ${String(l)}, who holds no share`);
    if (seen.has(l)) push(`a second decryption of trustee ${String(l)}`);
    seen.add(l);
    if (i >= k) push(`decryption ${i + 1} where the ${k}-th closed the vote`);
    if (duty?.decryptBy && duty.refusesLate === true && duty.seq < seq && p.time >= duty.decryptBy)
      push(`decryption of trustee ${String(l)} at ${p.time}, after the deadline ${duty.decryptBy}`);
  });
  if (mix.result) {
    const last = mix.partials[k - 1]?.seqs.at(-1);
    if (last === undefined || mix.result.seq !== last + 1)
      out.push({
        text: `entry ${mix.result.seq}: a result not posted with the ${k}-th decryption`,
        seq: mix.result.seq,
      });
    if (vote.closedAt === null)
      out.push({ text: `entry ${mix.result.seq}: a result on a vote left open`, seq: mix.result.seq });
  }
  return out;
}
