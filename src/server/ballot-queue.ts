// Secret ballots' proof checks on a job queue shared by every process on one PostgreSQL database (issue #18 item 3,
// docs/DEPLOYMENT.md "The ballot-check queue"): pg-boss, in the database's own `pgboss` schema. A process that
// receives a cast sends its ballot as a job; any process working the queue (a `councils serve` with ballot threads,
// on this machine or another) takes a batch, checks 5.1 and 5.4–5.7 of each ballot on its worker threads
// (src/node/ballot-checks.ts) and announces the verdicts with NOTIFY; the sender waits for its own.
//
// What a hostile member or a failing machine can and cannot do with it:
// - A ballot is let into the organisation's queue with only its id, credential and time checked (BallotCrypto.
//   preverified) when, and only when, a worker's verdict for that job was ok and names the SHA-256 of the ballot's
//   canonical JSON (the bytes the log will hold) that the sender computed itself from the very object it then
//   casts, and that object is what the ledger is given. A copy that differs (a job's JSON changed on the way, a
//   verdict for another job) is checked fully in the queue; the election is pinned by the fingerprint the
//   queue's check compares.
// - No verdict within the deadline (no worker running, a worker killed or stopped mid-batch, the notification
//   lost with a connection): the cast goes on as if there were no queue, checked on this process's threads if it
//   has them, else fully in the organisation's queue. A lost job never loses a ballot: nothing is acknowledged
//   before the log's commit, and the job is only a check. pg-boss gives a job taken by a worker that died to
//   another after its expiry; a worker skips jobs older than the deadline, whose senders have moved on.
// - A worker's rejection is answered as the queue would answer (ballot_rejected, the check and the reason) when
//   it names the same digest; a member can cast again.
// On SQLite there is no queue: one process owns the file, and its threads check the ballots.
import { createHash, randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { BallotBody, Verdict } from '../ballot/index.ts';
import type { Election } from '../ballot/election.ts';
import { BallotUncheckable, type BallotChecks } from '../node/ballot-checks.ts';
import { canonicalJson } from '../record/canonical-json.ts';
import type { Db } from '../store/db.ts';
import { DedicatedConnection } from '../store/dedicated.ts';
import { sql } from 'kysely';

export const ballotCheckQueue = 'councils-ballot-checks';
/** Told after jobs are sent: workers fetch at once rather than at their next poll. */
const jobsChannel = 'councils_ballot_jobs';
/** Verdicts, as JSON arrays of [job id, digest, verdict]. */
const verdictsChannel = 'councils_ballot_checked';
/** Verdicts per NOTIFY (a payload stays under 8,000 bytes). */
const perNotice = 25;

interface CheckJob {
  org: string;
  vote: string;
  fingerprint: string;
  ballot: BallotBody;
}

/** A worker's answer: the verdict, or null when it could not check (no such election there). */
type Announced = [id: string, digest: string, verdict: Verdict | 'uncheckable' | null];

/** A sender's answer: the verdict, 'uncheckable' (the worker's pool refused it, BallotUncheckable), or none. */
export type QueueVerdict = Verdict | 'uncheckable' | undefined;

/** The SHA-256 of a ballot's canonical JSON (what the log holds), hex; null if it has none (then no verdict). */
export function ballotDigest(ballot: unknown): string | null {
  try {
    return createHash('sha256').update(canonicalJson(ballot)).digest('hex');
  } catch {
    return null;
  }
}

export interface BallotQueueOptions {
  /** This process's ballot threads: with them it works the queue too; without, it only sends. */
  checks?: BallotChecks | null;
  /** A vote's election as this process knows it (caught up), for the jobs it works. */
  election?: (orgId: string, voteId: string) => Promise<Election | undefined>;
  /** How long a sender waits for a verdict before checking without the queue (default 10 s). */
  deadlineMs?: number;
  /** How often an idle worker looks for jobs when no notification came (default 2 s). */
  pollMs?: number;
}

export class BallotQueue {
  /** What this process sent and worked since it started (GET /health shows them). */
  readonly counts = { sent: 0, answered: 0, unanswered: 0, worked: 0 };
  private readonly passed = new WeakSet<object>();
  private readonly waiting = new Map<string, { digest: string; resolve: (v: QueueVerdict) => void }>();
  private readonly outgoing: { id: string; data: CheckJob }[] = [];
  private flushing = false;
  private workerId: string | undefined;
  private readonly deadlineMs: number;
  /** LISTENs for verdicts and for jobs sent (set by start). */
  private listener!: DedicatedConnection;
  /** Set by close: the listener is not opened again. */
  private closed = false;
  /** The wait before the next try to listen again after the connection was lost (0: listening). */
  private retryMs = 0;

  private constructor(
    private readonly db: Db,
    private readonly boss: PgBoss,
    options: BallotQueueOptions,
  ) {
    this.deadlineMs = options.deadlineMs ?? 10_000;
  }

  /** Starts pg-boss (creating its schema and the queue if need be), listens, and works the queue if it can. */
  static async start(db: Db, url: string, options: BallotQueueOptions = {}): Promise<BallotQueue> {
    if (!db.dedicated) throw new Error('the ballot-check queue needs PostgreSQL');
    const boss = new PgBoss({
      connectionString: url,
      max: 4,
      application_name: `councils ${process.pid} ballot queue`,
      schedule: false,
      // Completed jobs (a ballot each) are kept only briefly: the verdict went out by NOTIFY.
      archiveCompletedAfterSeconds: 300,
      deleteAfterSeconds: 3600,
    });
    boss.on('error', (e: Error) => process.emitWarning(`ballot queue: ${e.message}`));
    await boss.start();
    const deadline = Math.ceil((options.deadlineMs ?? 10_000) / 1000);
    if (!(await boss.getQueue(ballotCheckQueue))) {
      // A job a worker took and did not finish (it died) goes back to the queue after its expiry, once.
      await boss
        .createQueue(ballotCheckQueue, {
          name: ballotCheckQueue,
          retryLimit: 1,
          expireInSeconds: 5 + deadline,
          // a job nobody took within minutes is deleted: its sender checked the ballot without it long ago
          retentionMinutes: 5,
        })
        .catch(async (e: unknown) => {
          if (!(await boss.getQueue(ballotCheckQueue))) throw e; // another process created it meanwhile: fine
        });
    }
    const queue = new BallotQueue(db, boss, options);
    queue.listener = new DedicatedConnection(
      db,
      `councils ${process.pid} ballot verdicts`,
      // verdicts missed while not listening: their senders' deadlines pass; listen again, with backoff
      () => queue.relisten(),
      async (client) => {
        client.on('notification', (n) => {
          if (n.channel === verdictsChannel) queue.heard(n.payload);
          else if (n.channel === jobsChannel && queue.workerId) boss.notifyWorker(queue.workerId);
        });
        await client.query(`listen ${verdictsChannel}; listen ${jobsChannel}`);
        // jobs sent while this worker was not listening are fetched now rather than at its next poll
        if (queue.workerId) boss.notifyWorker(queue.workerId);
      },
    );
    await queue.listener.connect();
    if (options.checks && options.election) {
      const { checks, election } = options;
      queue.workerId = await boss.work<CheckJob>(
        ballotCheckQueue,
        { batchSize: 64, includeMetadata: true, pollingIntervalSeconds: (options.pollMs ?? 2000) / 1000 },
        (jobs) => queue.work(jobs as PgBoss.JobWithMetadata<CheckJob>[], checks, election),
      );
    }
    return queue;
  }

  /** Whether this very body passed a worker's checks through the queue (BallotCrypto.preverified). */
  has(ballot: object): boolean {
    return this.passed.has(ballot);
  }

  /**
   * Checks 5.1 and 5.4–5.7 of a cast ballot on whichever process takes its job. Resolves with the verdict, or
   * undefined when there is none within the deadline (or the ballot has no canonical form): then the caller checks
   * it another way; or with 'uncheckable' when the worker's pool refused it for ending its threads (BallotUncheckable):
   * then the caller refuses it without checking it again (review-b finding 3). Never rejects.
   */
  check(orgId: string, voteId: string, election: Election, ballot: BallotBody): Promise<QueueVerdict> {
    const digest = ballotDigest(ballot);
    if (digest === null || !this.listener.open) {
      this.counts.unanswered++;
      return Promise.resolve(undefined);
    }
    const id = randomUUID();
    this.counts.sent++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), this.deadlineMs);
      const done = (v: QueueVerdict) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (v) this.counts.answered++;
        else this.counts.unanswered++;
        if (v !== 'uncheckable' && v?.ok) this.passed.add(ballot);
        resolve(v);
      };
      this.waiting.set(id, { digest, resolve: done });
      this.outgoing.push({
        id,
        data: { org: orgId, vote: voteId, fingerprint: election.fingerprint, ballot },
      });
      if (!this.flushing) {
        this.flushing = true;
        // the casts read in this turn of the event loop go in one insert
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Stops working and listening, and pg-boss (waiting for a batch in hand). Casts waiting check without it. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.workerId) await this.boss.offWork(ballotCheckQueue).catch(() => undefined);
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => undefined);
    await this.listener.end();
    for (const w of [...this.waiting.values()]) w.resolve(undefined);
  }

  /**
   * After the listening connection was lost (the server ended it, a failover, the network): opens another after
   * 0.1 s, doubling to 5 s while the database cannot be reached. Without it the queue switched itself off for the
   * process's life (every cast checked without it, `unanswered` rising on /health).
   */
  private relisten(): void {
    if (this.closed) return;
    this.retryMs = Math.min(Math.max(this.retryMs * 2, 100), 5000);
    setTimeout(() => {
      if (this.closed) return;
      this.listener.connect().then(
        () => {
          this.retryMs = 0;
          if (this.closed) void this.listener.end();
        },
        () => this.relisten(),
      );
    }, this.retryMs).unref();
  }

  private async flush(): Promise<void> {
    try {
      while (this.outgoing.length > 0) {
        const batch = this.outgoing.splice(0, 500);
        try {
          await this.boss.insert(batch.map((j) => ({ id: j.id, name: ballotCheckQueue, data: j.data })));
          await sql`select pg_notify(${jobsChannel}, '')`.execute(this.db.kysely);
        } catch {
          for (const j of batch) this.waiting.get(j.id)?.resolve(undefined); // not sent: checked without the queue
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private heard(payload: string | undefined): void {
    let verdicts: Announced[];
    try {
      verdicts = JSON.parse(payload ?? '') as Announced[];
      if (!Array.isArray(verdicts)) return;
    } catch {
      return; // not ours (anyone with the database can NOTIFY): the senders' deadlines pass
    }
    for (const a of verdicts) {
      if (!Array.isArray(a) || typeof a[0] !== 'string') continue;
      const w = this.waiting.get(a[0]);
      // a verdict on other bytes than the sender's own is no verdict on its ballot
      if (!w || a[1] !== w.digest) continue;
      const v = a[2];
      if (v === 'uncheckable') w.resolve('uncheckable');
      else if (v && v.ok === true) w.resolve({ ok: true });
      else if (v && v.ok === false && typeof v.check === 'string' && typeof v.reason === 'string')
        w.resolve({ ok: false, check: v.check, reason: v.reason });
      else w.resolve(undefined);
    }
  }

  /** One batch of jobs: checked on this process's threads, the verdicts announced; jobs past the deadline skipped. */
  private async work(
    jobs: PgBoss.JobWithMetadata<CheckJob>[],
    checks: BallotChecks,
    election: (orgId: string, voteId: string) => Promise<Election | undefined>,
  ): Promise<void> {
    // both times are the database's, so the machines' clocks need not agree
    const fresh = (j: PgBoss.JobWithMetadata<CheckJob>) =>
      new Date(j.startedOn).getTime() - new Date(j.createdOn).getTime() < this.deadlineMs;
    const announced = await Promise.all(
      jobs.filter(fresh).map(async (j): Promise<Announced> => {
        const { org, vote, fingerprint, ballot } = j.data;
        const digest = ballotDigest(ballot) ?? '';
        const e = await election(org, vote).catch(() => undefined);
        if (!e || e.fingerprint !== fingerprint) return [j.id, digest, null];
        const verdict = await checks
          .check(e, ballot)
          .catch((err: unknown) => (err instanceof BallotUncheckable ? ('uncheckable' as const) : null));
        return [j.id, digest, verdict];
      }),
    );
    this.counts.worked += announced.filter((a) => a[2] !== null).length;
    for (let i = 0; i < announced.length; i += perNotice) {
      const payload = JSON.stringify(announced.slice(i, i + perNotice));
      await sql`select pg_notify(${verdictsChannel}, ${payload})`.execute(this.db.kysely);
    }
  }
}
