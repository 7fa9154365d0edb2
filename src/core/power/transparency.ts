import type { Entry } from '../model.ts';
// The transparency report (docs/POWER.md): from the log alone, per organisation and per council and by calendar
// month (UTC), how many petitions were opened and succeeded, recalls moved and passed, privileged acts requested,
// carried out and reversed, and sealed entries created and revealed. Anyone holding the log can recompute it.

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

/**
 * The report's running count: feed it a log's entries in order with `add`, ask for the `report` at any point.
 * The server keeps one per organisation and adds only the entries appended since (docs/POWER.md), so a request
 * does not read the whole log; the result equals `transparencyReport` over all the entries.
 */
export class TransparencyTally {
  private readonly org = new Tally();
  private readonly councils = new Map<string, Tally>();
  private readonly petitionCouncil = new Map<string, string>();
  private readonly recallMotions = new Map<string, string>();
  private readonly requestCouncil = new Map<string, string>();
  /** How many entries were added: the seq of the next one. */
  size = 0;

  add(e: Entry): void {
    if (e.seq !== this.size) throw new RangeError(`entry ${e.seq} added to a tally of ${this.size} entries`);
    this.size++;
    switch (e.act) {
      case 'petition_opened': {
        const c = e.payload.targetCouncilId ?? e.payload.councilId;
        this.petitionCouncil.set(e.payload.petitionId, c);
        this.count('petitionsOpened', e.time, c);
        break;
      }
      case 'petition_succeeded':
        this.count('petitionsSucceeded', e.time, this.petitionCouncil.get(e.payload.petitionId));
        break;
      case 'motion_moved':
        if (e.payload.kind === 'recall') {
          this.recallMotions.set(e.payload.motionId, e.payload.councilId);
          this.count('recallsMoved', e.time, e.payload.councilId);
        }
        break;
      case 'motion_decided':
        if (e.payload.adopted && this.recallMotions.has(e.payload.motionId))
          this.count('recallsPassed', e.time, this.recallMotions.get(e.payload.motionId));
        break;
      case 'privileged_act_requested':
        this.requestCouncil.set(e.payload.requestId, e.payload.councilId);
        this.count('actsRequested', e.time, e.payload.councilId);
        break;
      case 'privileged_act_done':
        this.count('actsApproved', e.time, this.requestCouncil.get(e.payload.requestId));
        break;
      case 'privileged_act_reversed':
        this.count('actsReversed', e.time, this.requestCouncil.get(e.payload.requestId));
        break;
      default:
        if (isSealed(e.act)) this.count('sealedCreated', e.time);
        else if (isRevealed(e.act)) this.count('sealedRevealed', e.time);
    }
  }

  /** A fresh report (nothing in it is shared with the tally). */
  report(): TransparencyReport {
    return {
      totals: { ...this.org.totals },
      byMonth: this.org.byMonth(),
      councils: [...this.councils.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([councilId, t]) => ({ councilId, totals: { ...t.totals }, byMonth: t.byMonth() })),
    };
  }

  private count(metric: Metric, time: string, councilId?: string): void {
    this.org.add(metric, time);
    if (councilId === undefined) return;
    const t = this.councils.get(councilId) ?? new Tally();
    t.add(metric, time);
    this.councils.set(councilId, t);
  }
}

/** Counts over the entries of one organisation's log, in order, from the first. */
export function transparencyReport(entries: Iterable<Entry>): TransparencyReport {
  const tally = new TransparencyTally();
  for (const e of entries) tally.add(e);
  return tally.report();
}
