import { byCodeUnits } from '../../lib/order.ts';
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

/**
 * The report's order of months and of councils: by UTF-16 code units, the core's own order, not the process's. It
 * was `localeCompare` in the process's default locale, so two processes (another LANG, another Node's ICU) ordered
 * the councils differently and a cursor given by one skipped or repeated councils in the other. A fixed
 * `Intl.Collator` would still change with the ICU a Node is built with, and a collation takes distinct ids for equal
 * ("é" and "e" + U+0301), which a cursor must tell apart. Months (YYYY-MM) come in time order; council ids are
 * identifiers, ordered as the log's reader would order them in any language.
 */
const order = byCodeUnits;

/** Where `key` is or would go in `sorted`: the first index whose key does not come before it. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(sorted[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds a new key to a sorted list; the log's months come in order, so this is nearly always an append. */
function insertSorted(sorted: string[], key: string): void {
  const at =
    sorted.length === 0 || order(sorted[sorted.length - 1]!, key) < 0
      ? sorted.length
      : lowerBound(sorted, key);
  sorted.splice(at, 0, key);
}

class Tally {
  totals = zero();
  months = new Map<string, Metrics>();
  /** The months' keys, kept in order as they come: no sort per report. */
  private readonly monthOrder: string[] = [];
  add(metric: Metric, time: string): void {
    this.totals[metric]++;
    const month = time.slice(0, 7);
    let m = this.months.get(month);
    if (!m) {
      m = zero();
      this.months.set(month, m);
      insertSorted(this.monthOrder, month);
    }
    m[metric]++;
  }
  byMonth() {
    return this.monthOrder.map((month) => ({ month, ...this.months.get(month)! }));
  }
}

/** A page of the report (`TransparencyTally.page`): the organisation's figures whole, a page of its councils'. */
export interface TransparencyPage extends TransparencyReport {
  /** How many councils have a row in the whole report. */
  councilCount: number;
  /** The last council of this page when more follow (pass as `after`), else null. */
  next: string | null;
}

/**
 * The report's running count: feed it a log's entries in order with `add`, ask for the `report` at any point.
 * The server keeps one per organisation and adds only the entries appended since (docs/POWER.md), so a request
 * does not read the whole log; the result equals `transparencyReport` over all the entries.
 */
export class TransparencyTally {
  private readonly org = new Tally();
  private readonly councils = new Map<string, Tally>();
  /** The councils' ids in the report's order, kept as each first counts: a page is a binary search and a slice. */
  private readonly councilOrder: string[] = [];
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
      councils: this.councilOrder.map((id) => this.councilRow(id)),
    };
  }

  /**
   * The organisation's totals and months whole, and up to `limit` councils' rows after the council `after` in the
   * report's order (or only the council `council`'s row): O(limit × months), whatever the number of councils.
   * Undefined when `after` names no council of the report.
   */
  page(p: {
    after?: string | undefined;
    limit: number;
    council?: string | undefined;
  }): TransparencyPage | undefined {
    let ids: string[];
    let next: string | null = null;
    if (p.council !== undefined) {
      ids = this.councils.has(p.council) ? [p.council] : [];
    } else {
      let from = 0;
      if (p.after !== undefined) {
        const at = lowerBound(this.councilOrder, p.after);
        if (this.councilOrder[at] !== p.after) return undefined;
        from = at + 1;
      }
      ids = this.councilOrder.slice(from, from + p.limit);
      if (from + p.limit < this.councilOrder.length) next = ids[ids.length - 1]!;
    }
    return {
      totals: { ...this.org.totals },
      byMonth: this.org.byMonth(),
      councils: ids.map((id) => this.councilRow(id)),
      councilCount: this.councilOrder.length,
      next,
    };
  }

  private councilRow(councilId: string) {
    const t = this.councils.get(councilId)!;
    return { councilId, totals: { ...t.totals }, byMonth: t.byMonth() };
  }

  private count(metric: Metric, time: string, councilId?: string): void {
    this.org.add(metric, time);
    if (councilId === undefined) return;
    let t = this.councils.get(councilId);
    if (!t) {
      t = new Tally();
      this.councils.set(councilId, t);
      insertSorted(this.councilOrder, councilId);
    }
    t.add(metric, time);
  }
}

/** Counts over the entries of one organisation's log, in order, from the first. */
export function transparencyReport(entries: Iterable<Entry>): TransparencyReport {
  const tally = new TransparencyTally();
  for (const e of entries) tally.add(e);
  return tally.report();
}
