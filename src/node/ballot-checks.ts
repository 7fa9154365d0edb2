// Secret ballots' proofs checked before the organisation's ledger queue (issue #18 item 3, #19 item 4): checks 5.1
// and 5.4–5.7 of each cast ballot on worker threads, in batches of the ballots waiting for the same election (one
// multi-scalar multiplication a batch, src/ballot/check-ballot.ts), so that the queue, which runs one command after
// another, keeps only the lookups that depend on the board and the time (checkBallotQueued). The core learns which
// ballots passed through BallotCrypto.preverified: this object's `has`, true only for the very body objects checked
// here (a copy, or a body from anywhere else, is checked fully in the queue).
// The same threads verify mixed votes' shuffle proofs and trustees' decryptions of the mixed list before the queue
// (checkMix; src/server/mix-checks.ts), at most one thread fewer than the pool so that cast ballots keep one.
import type { BallotBody, Verdict } from '../ballot/index.ts';
import type { Election } from '../ballot/election.ts';
import type { MixList } from '../ballot/mixnet/shuffle.ts';
import { ModuleWorker } from './module-worker.ts';

/** Elections a worker keeps (the pool mirrors this: it sends an election again once the worker has dropped it). */
export const KEPT_ELECTIONS = 16;

/** A proof of a mixed vote to verify: a shuffle of `list`, or a trustee's decryption of `list`, as JSON text. */
export interface MixJob {
  kind: 'shuffle' | 'mix-decryption';
  list: MixList;
  /** The body's canonical JSON, the bytes the log will hold. */
  text: string;
}

/** A worker's verdict on a MixJob: the SHA-256 (hex) of the text it parsed and checked, and why it failed if it did. */
export interface MixVerdict {
  ok: boolean;
  reason?: string;
  digest: string;
}

export type CheckRequest =
  | { id: number; op: 'election'; election: Election }
  | { id: number; op: 'check'; fingerprint: string; ballots: BallotBody[] }
  | { id: number; op: 'mix'; fingerprint: string; job: MixJob };

export type CheckReply =
  { id: number; ok: true; verdicts?: Verdict[]; mix?: MixVerdict } | { id: number; ok: false; error: string };

/** Ballots of one election checked together at most (one batch of verifyBallotsBatched). */
const MAX_BATCH = 128;

/**
 * The ballot-options (ballots × the election's options) a batch's check gets RestartLimits.checkMs for: 128 ballots
 * of 5 options. One batch of 128 ballots of a 50-option contest (6,400) took 7.1 s (max 1) to 10.9 s (approval) on
 * one worker at load 16–18 (review C): its deadline is 10 × checkMs, 300 s by default, ≈ 27× that.
 */
export const DEADLINE_BALLOT_OPTIONS = 640;

/** The deadline of a batch's check (ms): `checkMs` per DEADLINE_BALLOT_OPTIONS of its ballot-options, at least `checkMs`. */
export function deadlineOf(checkMs: number, election: Election, ballots: number): number {
  const options = election.setup.manifest.contests.reduce((n, c) => n + c.options.length, 0);
  return checkMs * Math.max(1, (ballots * options) / DEADLINE_BALLOT_OPTIONS);
}

/**
 * How far the pool goes on restarting workers that end (a crash, a kill, a build that does not load). The ends are
 * counted since a worker last answered a request, or since the end of a worker that had run for a whole cool-down
 * (`windowMs`) since it was ready, so that idle workers ended now and then (hours apart) never add up, while
 * workers that end soon after they start (however slow their start) do. The k-th counted end waits
 * `backoffMs`·2^(k−1) (at most `maxBackoffMs`) before its replacement starts, and the `maxEnds`-th stops the pool
 * for a cool-down of `windowMs`: every waiting and later check fails with `broken` (a ChecksStopped; the server
 * answers 503 ballot_checks_paused with Retry-After), and it is said (`say`). After the cool-down one worker is
 * started; its first answer brings the others back, its end stops the pool for another cool-down. The count does
 * not depend on how many workers there are nor on how fast they end, so one worker trips it as several do: with
 * the defaults, a worker that always ends stops the pool after 20 ends, about 70 s with one worker (the backoffs),
 * less with more.
 *
 * A ballot that ends workers (a poisoned ballot: out of memory, a trap, an exception outside the check's own try)
 * is cornered by bisection: the honest ballots of its batch are checked apart and answered, and the ballot, once it
 * has ended a worker alone after ending one already, is refused with BallotUncheckable (the server answers 422
 * ballot_uncheckable). The ends it caused are then no longer counted: one member's poisoned ballots, however many
 * in a row, never stop the pool for everyone; they cost a worker's restart each (said, at most once a cool-down).
 */
export interface RestartLimits {
  /**
   * The deadline of a batch's check on its worker (ms), scaled with its work: `checkMs` for every
   * DEADLINE_BALLOT_OPTIONS ballot-options it holds (its ballots × the election's options), and `checkMs` at least
   * (deadlineOf). The worker checks a batch in one multi-scalar multiplication and cannot report progress ballot by
   * ballot, so the deadline is scaled rather than reset per ballot answered: an honest batch, however big, gets
   * time in proportion. A worker that has not answered by then is stuck (a check that never ends, a thread
   * blocked): it is terminated and replaced at once, and its batch is split as a crash's is (run's bisection), each
   * half checked apart with its own deadline, so that the honest ballots are checked and answered and a ballot that
   * passes its deadline alone (after passing it, or ending a worker, once already) is refused with
   * BallotUncheckable (the server's 422 ballot_uncheckable). Such ends are the pool's own act and not counted toward
   * `maxEnds`: one member's ballots that hang a check cannot pause everyone's checks; each costs a thread for the
   * deadlines of the halves that hold it.
   */
  checkMs: number;
  maxEnds: number;
  /** The cool-down after the `maxEnds`-th end. */
  windowMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  say: (message: string) => void;
}

export const defaultRestartLimits: RestartLimits = {
  checkMs: 30_000,
  maxEnds: 20,
  windowMs: 60_000,
  backoffMs: 50,
  maxBackoffMs: 5_000,
  say: (m) => process.emitWarning(m),
};

/** Why a check was not made: the pool is stopped for its cool-down (RestartLimits). */
export class ChecksStopped extends Error {
  constructor(
    message: string,
    /** When the cool-down ends (ms since the epoch): then one worker is tried again. */
    readonly until: number,
  ) {
    super(message);
  }

  /** Whole seconds until the cool-down ends, at least 1 (a Retry-After). */
  get retryAfter(): number {
    return Math.max(1, Math.ceil((this.until - Date.now()) / 1000));
  }
}

/**
 * Why a batch's check was given up: it passed its deadline (RestartLimits.checkMs, deadlineOf); the worker is being
 * replaced. The pool splits the batch and checks its halves again (run): no cast is refused with it but when the
 * pool closes meanwhile. A ChecksStopped whose Retry-After is a second: the replacement is starting.
 */
export class CheckTimedOut extends ChecksStopped {}

/**
 * Why a ballot was not checked: its check ended a worker (or failed outside the checks) alone, after doing so once
 * already, alone or in a batch (RestartLimits). Nothing else about the ballot is known; it is recorded nowhere.
 */
export class BallotUncheckable extends Error {}

interface Waiting {
  election: Election;
  ballot: BallotBody;
  resolve: (v: Verdict) => void;
  reject: (e: Error) => void;
  /** Held by a worker that ended before answering: checked again, alone if it was alone then, else refused. */
  resent?: true;
  /** The part of a split batch it belongs to: checked with that part only (see run's bisection). */
  part?: object;
  /** Found to end workers (`ended`): refused with BallotUncheckable. */
  poisoned?: true;
}

/** A worker's end counted toward the restart cap, with the batch it held if it held one. */
interface End {
  at: number;
  batch: Waiting[] | undefined;
}

interface MixWaiting {
  election: Election;
  job: MixJob;
  resolve: (v: MixVerdict) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: ModuleWorker<CheckRequest, CheckReply>;
  /** Fingerprints the worker holds, oldest first (its own Map's order). */
  elections: string[];
  busy: boolean;
  /** The batch it is checking, until it answers: the batch to blame if it ends. */
  batch?: Waiting[];
  /** When the worker was ready (ms since the epoch). */
  readyAt?: number;
  /** Terminated by the pool for passing a check's deadline: given nothing more, replaced once it has ended. */
  stuck?: true;
}

export class BallotChecks {
  private readonly passed = new WeakSet<object>();
  private readonly waiting: Waiting[] = [];
  /**
   * Ballots of batches that ended a worker (suspects of poison), in parts: checked behind the fresh casts, on the
   * first worker only (with one worker, in turn with the fresh casts), so that a flood of poisoned casts being
   * bisected never holds the honest casts that arrive meanwhile (review-b finding 2).
   */
  private readonly suspects: Waiting[] = [];
  /** Workers checking suspects now (at most one). */
  private suspectRunning = 0;
  /** With fresh casts and suspects both waiting, whether a free worker takes the suspects next (turns). */
  private suspectsTurn = false;
  private readonly mixWaiting: MixWaiting[] = [];
  /** Threads verifying a mix proof now (at most one fewer than the pool, and at least one). */
  private mixRunning = 0;
  private slots: Slot[] = [];
  /** Workers that ended since one last answered a request (or ran a cool-down), the poisoned ballots' left out. */
  private ends: End[] = [];
  /** Ballots refused as poisoned (BallotUncheckable) since the pool started, and since that was last said. */
  readonly counts = { uncheckable: 0 };
  private unsaid = 0;
  private saidAt = -Infinity;
  /** When a stuck worker was last said (at most once a cool-down). */
  private stuckSaidAt = -Infinity;
  /** After a cool-down, until the one worker started answers: its end stops the pool again. */
  private probing = false;
  /** The end of the cool-down. */
  private cooling: NodeJS.Timeout | null = null;
  /** Replacements waiting for their backoff. */
  private readonly restarts = new Set<NodeJS.Timeout>();
  /** Why the pool stopped restarting workers, during its cool-down: every check fails with it. */
  private brokenBy: ChecksStopped | null = null;
  private readonly limits: RestartLimits;

  /** `workers` threads, started on the first ballot. */
  constructor(
    readonly workers: number,
    limits: Partial<RestartLimits> = {},
  ) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError('workers: a positive integer');
    this.limits = { ...defaultRestartLimits, ...limits };
  }

  /** Why the pool stopped restarting its workers (too many ended without an answer), during its cool-down, or null. */
  get broken(): ChecksStopped | null {
    return this.brokenBy;
  }

  /** Whether this very body passed checks 5.1 and 5.4–5.7 here (BallotCrypto.preverified). */
  has(ballot: object): boolean {
    return this.passed.has(ballot);
  }

  /** Checks 5.1 and 5.4–5.7 of a cast ballot against its election; the time and the id are the queue's. */
  check(election: Election, ballot: BallotBody): Promise<Verdict> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ election, ballot, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Verifies a shuffle's or a mix decryption's proofs against `job.list` on a worker thread. Rejects if the worker
   * ended meanwhile (the caller then leaves the check to the queue); a proof is never sent to a second worker.
   */
  checkMix(election: Election, job: MixJob): Promise<MixVerdict> {
    return new Promise((resolve, reject) => {
      this.mixWaiting.push({ election, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts the worker threads now rather than on the first ballot, and waits until they are ready. */
  async start(): Promise<void> {
    this.spawn();
    await Promise.all(this.slots.map((s) => s.worker.ready));
  }

  /** Ends the worker threads (idempotent); ballots still waiting are refused with an error. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    for (const t of this.restarts) clearTimeout(t);
    this.restarts.clear();
    if (this.cooling) clearTimeout(this.cooling);
    this.cooling = null;
    for (const w of [...this.waiting.splice(0), ...this.suspects.splice(0), ...this.mixWaiting.splice(0)])
      w.reject(new Error('ballot checks closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    if (this.slots.length === 0) this.slots = Array.from({ length: this.workers }, () => this.slot());
  }

  /** A new worker; when it ends (a crash, a kill, a failure to load) while in the pool, another takes its place. */
  private slot(): Slot {
    const worker = new ModuleWorker<CheckRequest, CheckReply>(
      new URL('./ballot-check-worker', import.meta.url),
      'ballot check worker',
    );
    worker.unref(); // an idle pool does not keep the process alive
    const slot: Slot = { worker, elections: [], busy: false };
    worker.ready.then(
      () => (slot.readyAt = Date.now()),
      () => undefined, // it ended: `ended`
    );
    void worker.ended.then((why) => this.ended(slot, why));
    return slot;
  }

  /**
   * A worker of the pool ended (not by close(), which empties the pool first): its replacement starts after the
   * backoff, or, at the limit (or if it was the one tried after a cool-down), the pool stops (RestartLimits). An end
   * while checking one ballot alone that had ended a worker before marks it poisoned: its ends are forgotten.
   */
  private ended(slot: Slot, why: Error): void {
    if (!this.slots.includes(slot) || this.brokenBy) return;
    // terminated for passing a check's deadline (run): replaced at once, not counted
    if (slot.stuck) return this.replace(slot, 0);
    const now = Date.now();
    // a worker that ran a whole cool-down before it ended: the ends before it are forgotten
    if (slot.readyAt !== undefined && now - slot.readyAt >= this.limits.windowMs) this.ends = [];
    const batch = slot.batch;
    const alone = batch?.length === 1 ? batch[0]! : undefined;
    if (alone?.resent) this.poisoned(alone);
    else this.ends.push({ at: now, batch });
    const n = this.ends.length;
    if (n >= this.limits.maxEnds || (this.probing && !alone?.poisoned)) return this.stop(n, why);
    // the backoff grows with the ends no ballot is blamed for (a worker ending idle, loading, or given the election):
    // an end blamed on the ballots it was checking (a suspect poison) restarts after the base backoff, however many
    const unblamed = this.ends.filter((e) => e.batch === undefined).length;
    this.replace(
      slot,
      Math.min(
        this.limits.maxBackoffMs,
        this.limits.backoffMs * 2 ** Math.max(0, (batch ? 0 : unblamed) - 1),
      ),
    );
  }

  /** Starts a worker in the place of the slot's ended one after `ms`, unless the pool closed or stopped meanwhile. */
  private replace(slot: Slot, ms: number): void {
    const t = setTimeout(() => {
      this.restarts.delete(t);
      const i = this.slots.indexOf(slot);
      if (i < 0 || this.brokenBy) return;
      this.slots[i] = this.slot();
      this.dispatch();
    }, ms);
    this.restarts.add(t);
  }

  /** A ballot found to end workers: refused (by run), the ends it caused no longer counted, said now and then. */
  private poisoned(w: Waiting): void {
    w.poisoned = true;
    this.ends = this.ends.filter((e) => !e.batch?.includes(w));
    this.counts.uncheckable++;
    this.unsaid++;
    const now = Date.now();
    if (now - this.saidAt < this.limits.windowMs) return;
    this.saidAt = now;
    this.limits.say(
      `${this.unsaid} secret ballot(s) ended a ballot check worker twice and were refused (ballot_uncheckable); ` +
        `not counted toward the pool's restart limit (${this.counts.uncheckable} since the server started)`,
    );
    this.unsaid = 0;
  }

  /** Stops restarting workers for the cool-down; every check fails meanwhile. */
  private stop(n: number, why: Error): void {
    this.probing = false;
    for (const t of this.restarts) clearTimeout(t);
    this.restarts.clear();
    const s = this.limits.windowMs / 1000;
    this.brokenBy = new ChecksStopped(
      `ballot check workers ended ${n} times without answering (the last: ${why.message}); ` +
        `none started for ${s} s, then one is tried again: ballot checks fail until then`,
      Date.now() + this.limits.windowMs,
    );
    this.limits.say(this.brokenBy.message);
    this.cooling = setTimeout(() => this.tryAgain(), this.limits.windowMs);
    this.cooling.unref();
    this.dispatch(); // fails what waits
  }

  /** The end of a cool-down: one worker started (unless one still runs); its first answer brings the others back. */
  private tryAgain(): void {
    this.cooling = null;
    if (this.slots.length === 0) return; // closed
    this.brokenBy = null;
    this.probing = true;
    if (this.slots.every((s) => s.worker.hasEnded)) this.slots[0] = this.slot();
    this.dispatch();
  }

  /** A worker answered a request: the ends are forgiven, and after a cool-down the other workers start again. */
  private answered(): void {
    this.ends = [];
    if (!this.probing) return;
    this.probing = false;
    this.slots = this.slots.map((s) => (s.worker.hasEnded ? this.slot() : s));
    this.dispatch();
  }

  private dispatch(): void {
    if (this.brokenBy) {
      for (const w of [...this.waiting.splice(0), ...this.suspects.splice(0), ...this.mixWaiting.splice(0)])
        w.reject(this.brokenBy);
      return;
    }
    this.spawn();
    for (const slot of this.slots) {
      // an ended worker waits for its replacement (ended above), as does a stuck one being terminated
      if (slot.busy || slot.worker.hasEnded || slot.stuck) continue;
      if (this.mixWaiting.length > 0 && this.mixRunning < Math.max(1, this.slots.length - 1)) {
        const m = this.mixWaiting.shift()!;
        slot.busy = true;
        this.mixRunning++;
        void this.runMix(slot, m).finally(() => {
          slot.busy = false;
          this.mixRunning--;
          this.dispatch();
        });
        continue;
      }
      // suspects on the first worker only (with several, the others never end for them: fresh casts always find
      // one), and only when no fresh cast waits or it is their turn
      const suspect =
        this.suspects.length > 0 &&
        (this.slots.length === 1 || slot === this.slots[0]) &&
        this.suspectRunning === 0 &&
        (this.waiting.length === 0 || this.suspectsTurn);
      if (!suspect && this.waiting.length === 0) continue;
      const queue = suspect ? this.suspects : this.waiting;
      if (this.suspects.length > 0 && this.waiting.length > 0) this.suspectsTurn = !suspect;
      // the oldest fresh ballot's election, with every other fresh ballot waiting for it, up to MAX_BATCH; or the
      // first part of a batch that ended a worker, alone
      const { part, election } = queue[0]!;
      const fp = election.fingerprint;
      const batch: Waiting[] = [];
      for (let i = 0; i < queue.length && batch.length < MAX_BATCH;) {
        const w = queue[i]!;
        if (w.part === part && w.election.fingerprint === fp) batch.push(...queue.splice(i, 1));
        else i++;
      }
      slot.busy = true;
      if (suspect) this.suspectRunning++;
      void this.run(slot, batch).finally(() => {
        slot.busy = false;
        if (suspect) this.suspectRunning--;
        this.dispatch();
      });
    }
  }

  /** Sends `election` to the slot's worker unless it holds it. */
  private async holding(slot: Slot, election: Election): Promise<void> {
    await slot.worker.ready;
    if (!slot.elections.includes(election.fingerprint)) {
      await slot.worker.request({ op: 'election', election });
      slot.elections.push(election.fingerprint);
      if (slot.elections.length > KEPT_ELECTIONS) slot.elections.shift();
    }
  }

  private async runMix(slot: Slot, m: MixWaiting): Promise<void> {
    try {
      await this.holding(slot, m.election);
      const r = await slot.worker.request({ op: 'mix', fingerprint: m.election.fingerprint, job: m.job });
      this.answered();
      m.resolve(r.mix!);
    } catch (e) {
      m.reject(e as Error);
    }
  }

  /**
   * `request`'s answer, or CheckTimedOut once `ms` (deadlineOf) has passed without one: the worker is then stuck,
   * and terminated (`ended` replaces it at once, uncounted); said at most once a cool-down.
   */
  private async inTime<T>(slot: Slot, request: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        slot.stuck = true;
        const s = ms / 1000;
        const now = Date.now();
        if (now - this.stuckSaidAt >= this.limits.windowMs) {
          this.stuckSaidAt = now;
          this.limits.say(`a ballot check worker did not answer within ${s} s: ended and replaced`);
        }
        reject(
          new CheckTimedOut(
            `the ballot check did not answer within ${s} s; its worker is being replaced`,
            now + this.limits.backoffMs,
          ),
        );
        void slot.worker.terminate();
      }, ms);
    });
    try {
      return await Promise.race([request, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async run(slot: Slot, batch: Waiting[]): Promise<void> {
    const election = batch[0]!.election;
    let checking = false;
    try {
      await this.holding(slot, election);
      checking = true;
      slot.batch = batch;
      const r = await this.inTime(
        slot,
        slot.worker.request({
          op: 'check',
          fingerprint: election.fingerprint,
          ballots: batch.map((w) => w.ballot),
        }),
        deadlineOf(this.limits.checkMs, election, batch.length),
      );
      slot.batch = undefined;
      this.answered();
      batch.forEach((w, i) => {
        const v = r.verdicts![i]!;
        if (v.ok) this.passed.add(w.ballot);
        w.resolve(v);
      });
    } catch (e) {
      // A worker that ended mid-batch (the pool has replaced it), whose check failed outside the checks' own
      // verdicts, or that passed the batch's deadline (stuck: being replaced, `inTime`): the ballots go back to the
      // front of the queue, in two halves checked apart, so that a poisoned or hanging ballot among honest ones is
      // cornered by bisection and only it is refused (ending about log2(batch) + 1 workers; refusing the whole batch
      // would answer up to 127 honest casts with an error for one bad one, every time it is cast again). A ballot
      // alone in a batch is checked once more on its own (the end may have been no fault of it), and refused with
      // BallotUncheckable when it ends a worker or passes its deadline alone again (`ended` marks the first poisoned).
      const timedOut = e instanceof CheckTimedOut;
      const closed = this.slots.length === 0;
      const ended = slot.worker.hasEnded;
      if (ended) await slot.worker.ended; // `ended` (registered first) has counted this end, or found the poison
      slot.batch = undefined;
      if (!closed && ended && !checking) {
        // the worker ended before it was given the ballots (its start-up, the election): not theirs, checked again
        (batch[0]!.resent ? this.suspects : this.waiting).unshift(...batch);
        return;
      }
      if (closed || (!ended && !checking)) {
        // closed, or the election could not be sent: no ballot's fault
        for (const w of batch) w.reject(e as Error);
        return;
      }
      // (the pool replaces an ended worker itself: `ended`; a pool that stopped restarting fails these in dispatch)
      if (batch.length === 1) {
        const [w] = batch as [Waiting];
        if (w.poisoned || (w.resent && (timedOut || !ended))) {
          this.counts.uncheckable += w.poisoned ? 0 : 1;
          const what = timedOut ? 'did not end in time' : ended ? 'ended a ballot check worker' : 'failed';
          return w.reject(
            new BallotUncheckable(`checking this ballot ${what} twice (the last: ${(e as Error).message})`),
          );
        }
        w.resent = true;
        w.part = {};
        this.suspects.unshift(w);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      const halves = [batch.slice(0, half), batch.slice(half)];
      for (const part of halves) {
        const tag = {};
        for (const w of part) {
          w.resent = true;
          w.part = tag;
        }
      }
      this.suspects.unshift(...halves.flat());
    }
  }
}
