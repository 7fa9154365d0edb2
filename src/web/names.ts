// Names for ids: councils by the organisation's tree, options of a vote by their alternatives.
import { t, tDynamic } from './strings.ts';
import type { Alternative, Org } from './types.ts';

export function councilName(org: Org, id: string): string {
  return org.councils.find((c) => c.id === id)?.name ?? id;
}

/** What to call an option of a vote or a line of a count report. */
export function optionLabel(alternatives: Alternative[], id: string): string {
  if (id === 'against') return t('against');
  if (id === ':abstentions') return t('abstentions');
  if (id === ':exhausted') return t('exhausted');
  const a = alternatives.find((x) => x.id === id);
  if (!a) return id;
  return a.candidateName ?? a.title;
}

export function methodName(method: string): string {
  return tDynamic(`method_${method}`, method);
}

export function stateName(state: string): string {
  return tDynamic(`state_${state}`, state);
}
