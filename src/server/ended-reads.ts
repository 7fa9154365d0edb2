// Ended votes' records read again from the log for their readers (docs/SCALE.md "Closing a vote"): a whole board
// rebuilt (`withBoard` in secret-votes.ts), a mixed vote's whole mix or one shuffle read by index (ended-mix.ts).
// An ended vote's page is read by many at once (its result is news) and each read costs O(what it reads) of the
// server's only JavaScript thread, so all of them go through one EndedReads a service:
// - a read in progress is shared by every request for its key (never read twice at once, never dropped while read);
// - one read runs at a time in the process (a turn shared by boards, mixes and shuffles);
// - a finished read is kept while used (KEPT_IDLE_MS after its last use) within KEPT_ENTRIES log entries in all,
//   each read weighted by the entries it reads (the latest is kept whatever its weight);
// - a failed read is kept as failed for FAILED_MS after it failed, however often it is asked for (an operator's
//   damaged log is not read again on every request, and a repaired one is read again soon after).
// What a read gives is shared by every request that gets it: callers must not change it.
import { perService } from './per-service.ts';

export const KEPT_ENTRIES = 50_000;
export const KEPT_IDLE_MS = 60_000;
export const FAILED_MS = 10_000;

interface Kept {
  read: Promise<unknown>;
  entries: number;
  done: boolean;
  failed: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export class EndedReads {
  private readonly kept = new Map<string, Kept>();
  private turn: Promise<unknown> = Promise.resolve();

  /** The read of `key` (of about `entries` log entries): kept, in progress, or started in its turn by `read`. */
  get<T>(key: string, entries: number, read: () => Promise<T>): Promise<T> {
    let hit = this.kept.get(key);
    if (hit)
      this.kept.delete(key); // to the end: the most recently used
    else {
      const started = this.turn.then(read);
      this.turn = started.catch(() => undefined);
      const added: Kept = { read: started, entries, done: false, failed: false };
      started.then(
        () => this.finished(key, added, false),
        () => this.finished(key, added, true),
      );
      hit = added;
    }
    this.kept.set(key, hit);
    if (!hit.failed) this.expire(key, hit, KEPT_IDLE_MS);
    return hit.read as Promise<T>;
  }

  private expire(key: string, x: Kept, ms: number): void {
    clearTimeout(x.timer);
    x.timer = setTimeout(() => this.kept.get(key) === x && this.kept.delete(key), ms);
    x.timer.unref();
  }

  private finished(key: string, r: Kept, failed: boolean): void {
    r.done = true;
    r.failed = failed;
    if (failed && this.kept.get(key) === r) this.expire(key, r, FAILED_MS);
    let total = 0;
    for (const x of this.kept.values()) total += x.entries;
    const latest = [...this.kept.keys()].at(-1);
    for (const [k, x] of this.kept) {
      if (total <= KEPT_ENTRIES) break;
      if (!x.done || k === latest) continue;
      clearTimeout(x.timer);
      this.kept.delete(k);
      total -= x.entries;
    }
  }
}

/** The service's EndedReads (one a service, so two services on one process, as in tests, share nothing). */
export const endedReads = perService(() => new EndedReads());
