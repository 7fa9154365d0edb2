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
