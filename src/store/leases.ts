// Who may write for an organisation, and who acts for it on a schedule, when several API processes share one
// PostgreSQL database (docs/DEPLOYMENT.md "Several API processes"). Both are PostgreSQL advisory locks keyed by
// (a space of our own, hashtext(organisation id)); two organisations whose ids hash alike only share a lock.
//
// - The write lock is transaction-level (pg_advisory_xact_lock), taken first in every batch's transaction: one
//   batch per organisation at a time across all processes, released by the commit or the rollback. A process
//   killed mid-batch loses its connection, PostgreSQL rolls the transaction back and the next waiter has the
//   lock at once; nothing is held between batches, so there is no lease to expire, renew or hand over, and a
//   process cut off from the database cannot commit under a lock it no longer holds (the lock and the write are
//   one transaction). It works through pgbouncer in transaction mode.
// - The scheduler's lease is session-level (pg_try_advisory_lock) on one dedicated connection per process
//   (src/store/dedicated.ts): held for as long as the process lives, so one process closes an organisation's
//   votes and issues its checkpoints; released by PostgreSQL when that connection ends (a kill -9 closes the
//   socket; a vanished or hung holder falls silent and PostgreSQL ends its session), and taken by another
//   process's next tick.
//
// On SQLite one process owns the file (src/store/owner-lock.ts): the locks are not needed and not taken.
import { PostgresAdapter, sql, type Transaction } from 'kysely';
import { DedicatedConnection } from './dedicated.ts';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** The first key of our advisory locks: "CNL" and a kind, so they do not meet another application's. */
export const writeLockSpace = 0x434e4c01;
export const schedulerLeaseSpace = 0x434e4c02;

/** Takes the organisation's write lock for the rest of the transaction (waiting for another process's batch). */
export async function takeWriteLock(trx: Transaction<Database>, orgId: string): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`select pg_advisory_xact_lock(${writeLockSpace}, hashtext(${orgId}))`.execute(trx);
}

function isPostgres(trx: Transaction<Database>): boolean {
  return trx.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The scheduler's leases of one process: session-level advisory locks on a dedicated connection. `leased(ids)`
 * tries, in one statement, to take those of `ids` not yet held, and returns the ones held; if the connection is
 * lost, every lease is lost with it (PostgreSQL released them) and the next call connects again. On SQLite the
 * process owns the file, so it holds every organisation.
 *
 * A holder that goes silent loses its leases within `silenceMs`: the connection says something every quarter of
 * it, and PostgreSQL ends a session idle for longer (idle_session_timeout), which releases its locks. Without it a
 * host that vanished without closing its socket (a power cut, a partition), or a process that hangs, would keep
 * its organisations' scheduling (votes closing, checkpoints) for as long as the kernel's TCP keepalives take to
 * give up, about two hours by default. The TCP keepalives of the connection are set to seconds too (Db.dedicated).
 */
export class SchedulerLeases {
  private readonly connection: DedicatedConnection | undefined;
  private readonly held = new Set<string>();

  constructor(
    private readonly db: Db,
    name = `councils ${process.pid}`,
    silenceMs = 30_000,
  ) {
    if (!db.dedicated) return;
    this.connection = new DedicatedConnection(
      db,
      name,
      () => this.held.clear(),
      async (client) => {
        await client.query(`set idle_session_timeout = ${Math.round(silenceMs)}`);
        const beat = setInterval(() => void client.query('select 1').catch(() => undefined), silenceMs / 4);
        beat.unref();
        const stop = () => clearInterval(beat);
        client.once('end', stop);
        client.once('error', stop);
      },
    );
  }

  async leased(orgIds: readonly string[]): Promise<string[]> {
    if (!this.connection) return [...orgIds];
    const client = await this.connection.connect();
    const wanted = orgIds.filter((id) => !this.held.has(id));
    if (wanted.length > 0) {
      const r = await client.query<{ id: string }>(
        'select id from unnest($1::text[]) as id where pg_try_advisory_lock($2, hashtext(id))',
        [wanted, schedulerLeaseSpace],
      );
      if (client === this.connection.open) for (const row of r.rows) this.held.add(row.id);
    }
    return orgIds.filter((id) => this.held.has(id));
  }

  /** The organisations whose lease this process holds now (every one asked for, on SQLite). */
  holding(orgIds: readonly string[]): string[] {
    return this.connection ? orgIds.filter((id) => this.held.has(id)) : [...orgIds];
  }

  /** Gives every lease up (closing the connection), so another process's next tick takes them. */
  async release(): Promise<void> {
    this.held.clear();
    await this.connection?.end();
  }
}
