// What a live page is told of an entry (docs/NOTIFICATIONS.md "Live pages"): its seq, its act and the ids of what
// it changed (council, motion, vote, petition, privileged request), never its content, its actor or anything else
// of its payload. A page that shows one of those things loads it again through the API, which decides what the
// member may read; so a stream tells a member nothing the record does not already tell them, and less.
import type { Entry, OrgState } from '../../core/index.ts';
import type { Change } from '../responses/live.ts';

export type { Change };

const idFields = ['councilId', 'motionId', 'voteId', 'petitionId', 'requestId'] as const;

/** The change an entry makes; a vote or motion named alone is completed from the state (its motion, its council). */
export function changeOf(entry: Entry, state: OrgState | null): Change {
  const p = entry.payload as unknown as Record<string, unknown>;
  const c: Change = { seq: entry.seq, act: entry.act };
  for (const f of idFields) if (typeof p[f] === 'string') c[f] = p[f];
  const vote = c.voteId !== undefined ? state?.votes.get(c.voteId) : undefined;
  if (vote) {
    c.motionId ??= vote.motionId;
    c.councilId ??= vote.councilId;
  }
  const motion = c.motionId !== undefined ? state?.motions.get(c.motionId) : undefined;
  if (motion) c.councilId ??= motion.councilId;
  const petition = c.petitionId !== undefined ? state?.power.petitions.get(c.petitionId) : undefined;
  if (petition) c.councilId ??= petition.councilId;
  return c;
}
