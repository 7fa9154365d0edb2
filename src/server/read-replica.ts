// Reads from a streaming replica of the PostgreSQL primary (docs/DEPLOYMENT.md "The read replica"; issue #18 item 5),
// without a member ever seeing their own write vanish.
//
// An organisation's log is append-only and its projection rows are written in the same transaction as its
// entries, so a replica (which replays the primary's WAL in order) holds, for each organisation, a prefix of what
// the primary holds: the organisation's `orgs.size` there says how long a prefix. A read may use the replica when
// that size is at least the log size the read must reflect, which is the primary's: the process catches its cache
// up with the primary first (OrgLedger.current(): one indexed read of the entries past its size, no row when
// nothing was appended; it also waits for this process's own batches), and the replica serves the read only if it
// has every entry the primary had then. So a write acknowledged by any process, before the read began, is in what
// the read sees, wherever the read is served. Otherwise the read goes to the primary, as without a replica.
//
// A read the replica fails after it was chosen (the replica stopped or restarted mid-request, a connection cut, a
// hot-standby conflict cancelling the statement) is run once more on the primary, which holds at least as much; the
// replica is then left alone for a short back-off, so the next reads go straight to the primary, and is asked again
// after it. An error of the request's own is not retried.
//
// Only reads of an organisation's projection tables come here. Writes, the ledger's catch-up, sessions and tokens,
// rate limits, idempotency answers and everything under a lock stay on the primary.
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import pg from 'pg';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';

/**
 * Refuses a read replica of another PostgreSQL system (a staging copy, a cluster restored from another backup):
 * it may hold the same organisation ids with other data, and a read trusts the replica's `orgs.size` alone, so its
 * pages would be served to members as the truth. The system identifier (pg_control_system(), PostgreSQL 9.6+) is
 * the cluster's own: a streaming replica, and a replica promoted by a failover, share the primary's. What is only
 * doubtful is said, not refused (a process that will not start is worse than one that reads the primary): a replica
 * that cannot be reached now (reads go to the primary until it answers), one not in recovery (the primary itself,
 * or a promoted former replica: reading it is reading a primary), an identifier the role may not read. Returns
 * those warnings.
 */
export async function checkReplicaOf(
  primary: Kysely<Database>,
  replica: Kysely<Database>,
): Promise<string[]> {
  const warnings: string[] = [];
  let recovery: boolean | undefined;
  try {
    const r = await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(replica);
    recovery = r.rows[0]?.r === true;
  } catch (e) {
    return [
      `the read replica cannot be reached now (${(e as Error).message}): reads go to the primary until it answers`,
    ];
  }
  if (!recovery)
    warnings.push(
      'the read replica is not in recovery (it accepts writes: the primary itself, or a promoted replica); ' +
        'its pages are read only when it holds every entry the primary holds',
    );
  const system = (k: Kysely<Database>) =>
    sql<{ id: string }>`select system_identifier::text as id from pg_control_system()`
      .execute(k)
      .then((r) => r.rows[0]?.id)
      .catch(() => undefined);
  const [ours, theirs] = await Promise.all([system(primary), system(replica)]);
  if (ours === undefined || theirs === undefined)
    warnings.push(
      "the PostgreSQL system identifiers could not be read: the replica is not checked to be this primary's",
    );
  else if (ours !== theirs)
    throw new Error(
      `the read replica is a replica of another PostgreSQL system (${theirs}, the primary is ${ours}); ` +
        'give --read-replica a hot standby of the primary named by --db',
    );
  return warnings;
}

/**
 * Whether a query's error is the replica's rather than the request's, so that the same read may be answered by the
 * primary: the connection failed or was cut (no SQLSTATE: refused, reset, ended, timed out), the server is stopping,
 * starting or out of connections (classes 08, 53, 57P01–57P03), or hot standby cancelled the statement to replay
 * the primary's WAL ("canceling statement due to conflict with recovery": 40001, or 57P04 for a dropped
 * database). An error of the request's own (a bad value, a statement the 5 s timeout cancelled: 57014) is not: the
 * primary would answer it the same, at the primary's cost.
 */
export function isReplicaFault(error: unknown): boolean {
  // a SQLSTATE comes from the server's answer (pg's DatabaseError); Node's socket errors have codes of five
  // capitals too (EPIPE, EBADF), which are the connection's failures, not SQLSTATEs (review finding)
  const sqlstate = error instanceof pg.DatabaseError ? error.code : undefined;
  if (sqlstate === undefined) return error instanceof Error; // pg's "Connection terminated…", ECONNRESET, ENOENT
  return (
    sqlstate.startsWith('08') ||
    sqlstate.startsWith('53') ||
    sqlstate === '40001' ||
    /^57P0[1-4]$/.test(sqlstate)
  );
}

/** How long a replica that failed a read is left alone: the first back-off, doubled while it keeps failing. */
const firstBackOffMs = 500;
const longestBackOffMs = 5_000;

export class ReadReplica {
  /**
   * Reads served by the replica; sent to the primary because the replica was behind, could not be asked, or was
   * resting after a failure (`down`); and reads the replica failed that the primary answered (`retried`).
   */
  readonly counts = { replica: 0, behind: 0, failed: 0, down: 0, retried: 0 };
  /** The replica's handle given to reads: a query the replica fails as its own fault is run again on the primary. */
  private readonly reading: Kysely<Database>;
  /** Until when (performance.now()) reads go straight to the primary, and the back-off after the next failure. */
  private restUntil = 0;
  private backOffMs = firstBackOffMs;
  private isDown = false;

  /**
   * `say` is told once when the replica starts failing reads and once when it answers again (a log's warning),
   * not at every read in between.
   */
  constructor(
    readonly db: Db,
    primary: Kysely<Database>,
    private readonly say: (message: string) => void = (m) => process.emitWarning(m),
  ) {
    this.reading = retriedOn(db.kysely, primary, (e) => {
      this.counts.retried++;
      this.failed(e);
    });
  }

  /**
   * The replica's handle when it holds at least `size` entries of the organisation's log, else undefined (read
   * the primary). Never rejects: a replica that cannot be reached is a replica behind, and is left alone for a
   * back-off (0.5 s, doubling to 5 s while it keeps failing) so that reads do not each wait for it.
   */
  async upTo(orgId: string, size: number): Promise<Kysely<Database> | undefined> {
    if (performance.now() < this.restUntil) {
      this.counts.down++;
      return undefined;
    }
    try {
      const row = await sql<{ size: number | string }>`select size from orgs where id = ${orgId}`.execute(
        this.db.kysely,
      );
      this.answered();
      const held = row.rows[0] === undefined ? -1 : Number(row.rows[0].size);
      if (held >= size) {
        this.counts.replica++;
        return this.reading;
      }
      this.counts.behind++;
    } catch (e) {
      this.counts.failed++;
      this.failed(e);
    }
    return undefined;
  }

  private failed(error: unknown): void {
    if (this.isDown) this.backOffMs = Math.min(this.backOffMs * 2, longestBackOffMs);
    else
      this.say(
        `the read replica failed a read (${(error as Error).message}); reads go to the primary until it answers`,
      );
    this.isDown = true;
    this.restUntil = performance.now() + this.backOffMs;
  }

  private answered(): void {
    if (!this.isDown) return;
    this.isDown = false;
    this.backOffMs = firstBackOffMs;
    this.say('the read replica answers again: reads go to it when it has caught up');
  }
}

/**
 * A Kysely handle that runs each query on `replica` and, when the replica fails it as its own fault
 * (isReplicaFault), once more on `primary`, which holds at least what the replica held (it is ahead of every
 * replica), so the read still reflects every acknowledged write. Only for reads outside a transaction: a
 * transaction or a stream through it is refused (a write must never reach the primary by this path twice).
 */
function retriedOn(
  replica: Kysely<Database>,
  primary: Kysely<Database>,
  onRetry: (error: unknown) => void,
): Kysely<Database> {
  const refused = () => Promise.reject(new Error('a read on the replica runs outside a transaction'));
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      try {
        return await replica.executeQuery<R>(query);
      } catch (e) {
        if (!isReplicaFault(e)) throw e;
        onRetry(e);
        return primary.executeQuery<R>(query);
      }
    },
    streamQuery: () => {
      throw new Error('a read on the replica is not streamed');
    },
  };
  const driver: Driver = {
    init: () => Promise.resolve(),
    acquireConnection: () => Promise.resolve(connection),
    beginTransaction: refused,
    commitTransaction: refused,
    rollbackTransaction: refused,
    releaseConnection: () => Promise.resolve(),
    destroy: () => Promise.resolve(), // the replica's and the primary's pools are closed by their owners
  };
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createIntrospector: (db) => new PostgresIntrospector(db),
    },
  });
}
