// The procedure's part of `councils verify` (replay.ts): each phase change a member's entry records must be the
// one the rules decide when its command is decided again. Whether a motion needed seconders, whether a second
// put it on the agenda, whether a closure was carried, whether a motion was an emergency: an entry that says
// otherwise (written into the log by hand) is named.
import type { Entry, NewEntry, OrgState } from '../model.ts';
import { ballotCount } from '../votes/settled.ts';

const phaseFields: Partial<Record<Entry['act'], readonly string[]>> = {
  motion_moved: ['seconders', 'emergency'],
  debate_opened: ['seconders'],
  motion_seconded: ['agenda'],
  closure_supported: ['carried'],
  ballot_cast: ['replaces'],
  decryption_due: ['decryptBy', 'awaited'],
  vote_failed: ['notDecrypted'],
};

/** What differs between a logged entry's phase fields and the entry the rules decide, or null. */
export function phaseProblem(logged: Entry, decided: readonly NewEntry[]): string | null {
  const fields = phaseFields[logged.act];
  if (!fields) return null;
  const d = decided.find((x) => x.act === logged.act);
  if (!d) return `the rules make no ${logged.act} entry`;
  for (const k of fields) {
    const a = JSON.stringify((logged.payload as Record<string, unknown>)[k] ?? null);
    const b = JSON.stringify((d.payload as Record<string, unknown>)[k] ?? null);
    if (a !== b) return `its ${k} ${a} is not what the rules decide (${b})`;
  }
  return null;
}

/**
 * A vote's closing is the rules' consequence (on time, or the last elector's ballot), never a member's act: an
 * open vote closed before its closing time while electors had still to vote is named. (A secret vote closes when
 * its trustees have decrypted its tally, which its own replay checks.)
 */
export function closingProblem(state: OrgState, e: Entry): string | null {
  if (e.act !== 'vote_closed') return null;
  const vote = state.votes.get(e.payload.voteId);
  if (!vote || vote.secret || e.time >= vote.closesAt) return null;
  const voted = ballotCount(vote);
  if (voted >= vote.electorate.size) return null;
  return `vote ${vote.id} closes at ${e.time}, before its closing time ${vote.closesAt}, with ${voted} of ${vote.electorate.size} electors voted`;
}
