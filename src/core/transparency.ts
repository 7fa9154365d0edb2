// The transparency report (docs/POWER.md): from the log alone, per organisation and per council and by calendar
// month (UTC), how many petitions were opened and succeeded, recalls moved and passed, privileged acts requested,
// carried out and reversed, and sealed entries created and revealed. Anyone holding the log can recompute it.
import type { Entry } from './entry.ts';

export const metricNames = [
  'petitionsOpened',
  'petitionsSucceeded',
  'recallsMoved',
  'recallsPassed',
  'actsRequested',
  'actsApproved',
  'actsReversed',
  'sealedCreated',
  'sealedRevealed',
] as const;
export type Metric = (typeof metricNames)[number];
export type Metrics = Record<Metric, number>;

export interface TransparencyReport {
  totals: Metrics;
  byMonth: ({ month: string } & Metrics)[];
  councils: { councilId: string; totals: Metrics; byMonth: ({ month: string } & Metrics)[] }[];
}

const zero = (): Metrics => Object.fromEntries(metricNames.map((m) => [m, 0])) as Metrics;

// Sealed entries are acts named "<thing>_sealed"; their opening "<thing>_revealed" (docs/RECORD.md).
const isSealed = (act: string) => act.endsWith('_sealed');
const isRevealed = (act: string) => act.endsWith('_revealed');

class Tally {
  totals = zero();
  months = new Map<string, Metrics>();
  add(metric: Metric, time: string): void {
    this.totals[metric]++;
    const month = time.slice(0, 7);
    const m = this.months.get(month) ?? zero();
    m[metric]++;
    this.months.set(month, m);
  }
  byMonth() {
    return [...this.months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, m]) => ({ month, ...m }));
  }
}

/** Counts over the entries of one organisation's log, in order. */
export function transparencyReport(entries: Iterable<Entry>): TransparencyReport {
  const org = new Tally();
  const councils = new Map<string, Tally>();
  const petitionCouncil = new Map<string, string>();
  const recallMotions = new Map<string, string>();
  const requestCouncil = new Map<string, string>();
  const count = (metric: Metric, time: string, councilId?: string) => {
    org.add(metric, time);
    if (councilId === undefined) return;
    const t = councils.get(councilId) ?? new Tally();
    t.add(metric, time);
    councils.set(councilId, t);
  };
  for (const e of entries) {
    switch (e.act) {
      case 'petition_opened': {
        const c = e.payload.targetCouncilId ?? e.payload.councilId;
        petitionCouncil.set(e.payload.petitionId, c);
        count('petitionsOpened', e.time, c);
        break;
      }
      case 'petition_succeeded':
        count('petitionsSucceeded', e.time, petitionCouncil.get(e.payload.petitionId));
        break;
      case 'motion_moved':
        if (e.payload.kind === 'recall') {
          recallMotions.set(e.payload.motionId, e.payload.councilId);
          count('recallsMoved', e.time, e.payload.councilId);
        }
        break;
      case 'motion_decided':
        if (e.payload.adopted && recallMotions.has(e.payload.motionId))
          count('recallsPassed', e.time, recallMotions.get(e.payload.motionId));
        break;
      case 'privileged_act_requested':
        requestCouncil.set(e.payload.requestId, e.payload.councilId);
        count('actsRequested', e.time, e.payload.councilId);
        break;
      case 'privileged_act_done':
        count('actsApproved', e.time, requestCouncil.get(e.payload.requestId));
        break;
      case 'privileged_act_reversed':
        count('actsReversed', e.time, requestCouncil.get(e.payload.requestId));
        break;
      default:
        if (isSealed(e.act)) count('sealedCreated', e.time);
        else if (isRevealed(e.act)) count('sealedRevealed', e.time);
    }
  }
  return {
    totals: org.totals,
    byMonth: org.byMonth(),
    councils: [...councils.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([councilId, t]) => ({ councilId, totals: t.totals, byMonth: t.byMonth() })),
  };
}
