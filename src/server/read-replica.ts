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
 * Refuses a read replica that is not a streaming replica of this primary: a server that accepts writes (the primary
 * itself, a promoted or diverged former replica, a restored copy) or a cluster of another system (a staging copy
 * holding the same organisation ids) would be served to members as the truth, since a read trusts the replica's
 * `orgs.size` alone. The system identifier (pg_control_system(), PostgreSQL 9.6+) is compared where the role may
 * read it; a replica must in any case be in recovery.
 */
export async function checkReplicaOf(primary: Kysely<Database>, replica: Kysely<Database>): Promise<void> {
  const recovery = await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(replica);
  if (recovery.rows[0]?.r !== true)
    throw new Error(
      'the read replica is not a streaming replica (it is not in recovery: it accepts writes of its own); ' +
        'give --read-replica a hot standby of the primary named by --db',
    );
  const system = (k: Kysely<Database>) =>
    sql<{ id: string }>`select system_identifier::text as id from pg_control_system()`
      .execute(k)
      .then((r) => r.rows[0]?.id)
      .catch(() => undefined); // a role without the right to read it: only the recovery check is made
  const [ours, theirs] = await Promise.all([system(primary), system(replica)]);
  if (ours !== undefined && theirs !== undefined && ours !== theirs)
    throw new Error(
      `the read replica is a replica of another PostgreSQL system (${theirs}, the primary is ${ours}); ` +
        'give --read-replica a hot standby of the primary named by --db',
    );
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
