// A secret vote that can never reach a result ends as failed (docs/BALLOT-PROTOCOL.md §10, "When key generation
// fails"): when registration has ended and the trustees' key generation has not made a joint key (fewer than k
// trustees qualified, or some never committed or dealt), or when voting time is over and the credential list was
// never frozen. The scheduler asks (actor null); the rules here decide, so a replay decides it again, reason
// included. The motion returns to debate and the council can hold the vote again.
import type { Group } from '../../ballot/index.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { reject } from '../kernel/errors.ts';
import { keyOf } from './vote.ts';
import { mixFailure } from './mixed.ts';
import { type Decision, newEntry, type OrgState } from '../model.ts';
import type { Vote } from '../votes/types.ts';
import type { SecretVote } from './types.ts';
import { decryptionFailure } from './decryption.ts';

/** Why the vote cannot go on at `now`, or null while it still can (`g` checks the trustees' key generation). */
export function secretFailure(g: Group, vote: Vote, now: string): string | null {
  const sv = vote.secret;
  if (sv?.mix && sv.election) return mixFailure(vote, sv, now);
  if (!sv || sv.election || sv.result || vote.closedAt !== null) return null;
  if (now >= sv.registrationEnds) {
    const problem = keyProblem(g, sv);
    if (problem)
      return `key generation failed by the registration deadline ${sv.registrationEnds}: ${problem}`;
  }
  if (now >= vote.closesAt)
    return `voting time ended at ${vote.closesAt} before the credential list was frozen`;
  return null;
}

function keyProblem(g: Group, sv: SecretVote): string | null {
  const key = keyOf(g, sv);
  if (key?.ok) return null;
  const { n, k } = sv.setup;
  if (!key) return "the trustees' messages do not make a key";
  const why = key.failures.map((f) => `trustee ${f.trustee}: ${f.reason}`).join('; ');
  return `${key.qualified.length} of ${n} trustees qualified, ${k} needed${why ? ` (${why})` : ''}`;
}

export function abortSecretVote(
  state: OrgState,
  c: { voteId: string; reason: string },
  ctx: DecideContext,
): Decision {
  const vote = state.votes.get(c.voteId);
  if (!vote) return reject('not_found', 'no_such_vote');
  if (!vote.secret) return reject('wrong_state', 'vote_not_secret');
  if (ctx.actor !== null) return reject('not_allowed', 'failed_vote_by_organisation');
  if (vote.closedAt !== null) return reject('vote_closed');
  // a vote whose trustees did not decrypt it by its deadline ends "not decrypted", naming who did not (decryption.ts)
  const late = decryptionFailure(vote, ctx.now);
  const reason = late?.reason ?? secretFailure(state.crypto.group, vote, ctx.now);
  if (reason === null) return reject('too_early', 'vote_can_finish');
  if (c.reason !== reason) return reject('wrong_state', 'vote_fails_because', { reason });
  const notDecrypted = late ? { notDecrypted: late.notDecrypted } : {};
  return accept(newEntry('vote_failed', null, ctx.now, { voteId: vote.id, reason, ...notDecrypted }));
}
