// The procedure's part of `councils verify` (replay.ts): each phase change a member's entry records must be the
// one the rules decide when its command is decided again. Whether a motion needed seconders, whether a second
// put it on the agenda, whether a closure was carried, whether a motion was an emergency: an entry that says
// otherwise (written into the log by hand) is named.
import type { Entry, NewEntry } from '../model.ts';

const phaseFields: Partial<Record<Entry['act'], readonly string[]>> = {
  motion_moved: ['seconders', 'emergency'],
  debate_opened: ['seconders'],
  motion_seconded: ['agenda'],
  closure_supported: ['carried'],
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
