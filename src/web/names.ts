// Names for ids: councils by the organisation's tree, options of a vote by their alternatives.
import { t, tDynamic } from './strings.ts';
import type { Alternative, Org } from './types.ts';

/** What an option is named by: its motion's alternatives, and whether the motion is an election. */
export interface Options {
  alternatives: Alternative[];
  kind: string;
}

export function councilName(org: Org, id: string): string {
  return org.councils.find((c) => c.id === id)?.name ?? id;
}

/** A count's own lines for ballots that no longer count (src/count/sb1288.ts), in words. */
const exhaustedParts: Record<string, 'exhaustedOvervotes' | 'exhaustedFewer' | 'exhaustedOther'> = {
  ':Overvotes': 'exhaustedOvervotes',
  ':Abstentions': 'exhaustedFewer',
  ':Other exhausted': 'exhaustedOther',
};

export const isExhaustedPart = (id: string): boolean => id in exhaustedParts;

/** What to call an option of a vote or a line of a count report. */
export function optionLabel(motion: Options, id: string): string {
  // In an election "against" rejects every candidate; elsewhere it keeps things as they are.
  if (id === 'against') return t(motion.kind === 'election' ? 'againstAll' : 'against');
  if (id === ':abstentions') return t('abstentions');
  if (id === ':exhausted') return t('exhausted');
  const part = exhaustedParts[id];
  if (part) return t(part);
  const a = motion.alternatives.find((x) => x.id === id);
  if (!a) return id;
  return a.candidateName ?? a.title;
}

export function methodName(method: string): string {
  return tDynamic(`method_${method}`, method);
}

export function stateName(state: string): string {
  return tDynamic(`state_${state}`, state);
}
