// The trustees' decryption duty and its deadline (docs/BALLOT-PROTOCOL.md "In Councils", docs/NOTIFICATIONS.md,
// docs/MIXNET.md §16.4). When a secret vote's trustees can decrypt — a homomorphic vote once its voting time is
// over, a mixed (ranked) vote once its mixing has ended (the last mixer shuffled or was skipped) — and its result is
// not yet in, the organisation records the duty (`call_for_decryption`, the scheduler's act, actor null): a
// `decryption_due` entry naming the trustees whose decryption is awaited and the time by which k of them must have
// decrypted — that start plus the procedure's `decryptionDays`. That entry is what the inbox, e-mail and webhooks
// announce, so a replay or `councils rebuild` makes the same duty. A share dated at or after the deadline is refused;
// if the deadline passes without k valid shares, the vote ends "not decrypted" (abort.ts: a `vote_failed` entry
// naming who did not decrypt) instead of waiting for ever.
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { reject } from '../kernel/errors.ts';
import { addDays } from '../kernel/time.ts';
import { type Decision, newEntry, type OrgState } from '../model.ts';
import { procedureOf } from '../procedure/decide.ts';
import type { Vote } from '../votes/types.ts';
import type { SecretVote } from './types.ts';
import type { Group } from '../../ballot/index.ts';
import { keyOf } from './vote.ts';
import { mixingEnded } from './mixed.ts';

export type { DecryptionCommand, DecryptionDue, DecryptionDuty, NotDecrypted } from './decryption-types.ts';
import type { DecryptionCommand, DecryptionDue, NotDecrypted } from './decryption-types.ts';

/** The trustees (numbers) who have posted a valid decryption share: of the tally, or of a mixed vote's final list. */
function decrypted(sv: SecretVote): number[] {
  return sv.mix ? sv.mix.partials.map((p) => p.decryption.trustee) : sv.partials.map((p) => p.trustee);
}

/** Whether the vote's decrypted result is on its board. */
const resultIn = (sv: SecretVote): boolean => (sv.mix ? sv.mix.result !== null : sv.result !== null);

/**
 * The trustees (members) whose partial decryption is still awaited: the qualified ones (a trustee disqualified in
 * key generation holds no share) who have not posted one.
 */
export function awaitedTrustees(sv: SecretVote): string[] {
  if (!sv.election) return [];
  const done = new Set(decrypted(sv));
  return sv.election.qualified.filter((i) => !done.has(i)).map((i) => sv.trustees[i - 1]!);
}

/**
 * When the trustees can begin to decrypt: a homomorphic vote's voting end; a mixed vote's end of mixing (the time
 * of its last mixer's shuffle or skip), or null while it is mixing or when nobody shuffled (it fails).
 */
export function decryptionOpens(vote: Vote): string | null {
  const sv = vote.secret;
  if (!sv?.election) return null;
  return sv.mix ? mixingEnded(vote, sv, sv.mix) : vote.closesAt;
}

/** The deadline recorded by the vote's decryption duty, or null (no duty yet, or the procedure sets none). */
export const decryptionDeadline = (sv: SecretVote): string | null => sv.decryption?.decryptBy ?? null;

/**
 * The trustees (numbers) disqualified in key generation: by the frozen election, or by the key once it is made, or,
 * when the vote has ended (`ended`) without one, by what key generation came to. None while it is under way.
 */
export function disqualifiedTrustees(g: Group, sv: SecretVote, ended: boolean): number[] {
  const key = sv.election ? null : keyOf(g, sv);
  const qualified = sv.election?.qualified ?? (key?.ok || ended ? key?.qualified : undefined);
  if (!qualified) return [];
  return sv.trustees.map((_, i) => i + 1).filter((i) => !qualified.includes(i));
}

/**
 * Whether the organisation should now record the decryption duty of `vote`: a secret vote whose trustees can
 * decrypt (decryptionOpens) and whose result is not in.
 */
export function decryptionCallDue(vote: Vote, now: string): boolean {
  const sv = vote.secret;
  if (!sv || sv.decryption || resultIn(sv) || vote.closedAt !== null) return false;
  const opens = decryptionOpens(vote);
  return opens !== null && now >= opens;
}

export function callForDecryption(state: OrgState, c: DecryptionCommand, ctx: DecideContext): Decision {
  const vote = state.votes.get(c.voteId);
  if (!vote) return reject('not_found', 'no_such_vote');
  if (!vote.secret) return reject('wrong_state', 'vote_not_secret');
  if (ctx.actor !== null) return reject('not_allowed', 'decryption_called_by_organisation');
  if (vote.secret.decryption) return reject('already_exists', 'decryption_called');
  if (!decryptionCallDue(vote, ctx.now)) return reject('wrong_state', 'no_decryption_due');
  const days = procedureOf(state)?.decryptionDays ?? 0;
  return accept(
    newEntry('decryption_due', null, ctx.now, {
      voteId: vote.id,
      // counted from the voting's (or the mixing's) end, not from when the scheduler got to it, so a late tick
      // moves nothing
      decryptBy: days > 0 ? addDays(decryptionOpens(vote)!, days) : null,
      awaited: awaitedTrustees(vote.secret),
      refusesLate: true,
    }),
  );
}

/** Why the vote ends not decrypted at `now` (its deadline passed without k shares), or null. */
export function decryptionFailure(
  vote: Vote,
  now: string,
): { reason: string; notDecrypted: NotDecrypted } | null {
  const sv = vote.secret;
  const by = sv?.decryption?.decryptBy;
  if (!sv?.election || !by || resultIn(sv) || vote.closedAt !== null || now < by) return null;
  const needed = sv.election.setup.k;
  const awaited = awaitedTrustees(sv);
  const shares = decrypted(sv).length;
  const reason = `not decrypted by ${by}: ${shares} of the ${needed} partial decryptions needed were posted; not decrypted by ${awaited.join(', ') || 'nobody'}`;
  // keys in the order the record's canonical JSON keeps them, so the replay compares like with like
  return { reason, notDecrypted: { awaited, decryptBy: by, needed, shares } };
}

/** apply's handler for `decryption_due`. */
export function applyDecryptionDue(vote: Vote, p: DecryptionDue, time: string, seq: number): void {
  if (!vote.secret) throw new RangeError(`vote ${vote.id}: a decryption duty for a vote that is not secret`);
  vote.secret.decryption = { ...p, calledAt: time, seq };
}
