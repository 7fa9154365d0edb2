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
// Only reads of an organisation's projection tables come here. Writes, the ledger's catch-up, sessions and tokens,
// rate limits, idempotency answers and everything under a lock stay on the primary.
import { sql, type Kysely } from 'kysely';
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

export class ReadReplica {
  /** Reads served by the replica, and sent to the primary because the replica was behind or could not be asked. */
  readonly counts = { replica: 0, behind: 0, failed: 0 };

  constructor(readonly db: Db) {}

  /**
   * The replica's handle when it holds at least `size` entries of the organisation's log, else undefined (read
   * the primary). Never rejects: a replica that cannot be reached is a replica behind.
   */
  async upTo(orgId: string, size: number): Promise<Kysely<Database> | undefined> {
    try {
      const row = await sql<{ size: number | string }>`select size from orgs where id = ${orgId}`.execute(
        this.db.kysely,
      );
      const held = row.rows[0] === undefined ? -1 : Number(row.rows[0].size);
      if (held >= size) {
        this.counts.replica++;
        return this.db.kysely;
      }
      this.counts.behind++;
    } catch {
      this.counts.failed++;
    }
    return undefined;
  }
}
