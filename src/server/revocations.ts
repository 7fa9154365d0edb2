// Sessions and API tokens ended in one process end in every process on the same PostgreSQL database
// (docs/DEPLOYMENT.md "Rate limits and revocations"). Each process caches principals by the hash of their secret
// (CouncilsService) so that authenticating a request does not always wait for the database. On PostgreSQL a
// revocation (sign-out, a session or token revoked, a password changed or reset) is announced with NOTIFY on the
// channel `councils_revoked` once it is committed, and every process LISTENs on a dedicated connection and drops
// what was ended from its cache. A process caches principals only while it is listening: if its connection is
// lost it forgets them all and looks every principal up until it listens again, so no announcement can be missed.
// What remains is the time a notification takes to arrive (milliseconds). On SQLite one process owns the file,
// and its own revocations are all there are.
import { sql } from 'kysely';
import type { Db } from '../store/database.ts';
import { DedicatedConnection } from '../store/dedicated.ts';

export const revokedChannel = 'councils_revoked';

/** What was ended: sessions by the hash of their secret, API tokens by id, in one organisation. */
export interface Revoked {
  orgId: string;
  sessions: string[];
  tokens: string[];
}

// A NOTIFY payload must stay under 8,000 bytes: a session's hash is 64 characters.
const perNotice = 100;

export class Revocations {
  private readonly connection: DedicatedConnection | undefined;
  /** Bumped by every announcement heard, every loss of the connection and every start of listening. */
  private heard = 0;
  /** When listening was last tried (performance.now), so a database that is down is not asked on every request. */
  private triedAt = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly forget: (revoked: Revoked) => void,
    private readonly forgetAll: () => void,
  ) {
    if (!db.dedicated) return;
    this.connection = new DedicatedConnection(
      db,
      `councils ${process.pid} revocations`,
      () => {
        this.heard++;
        this.forgetAll();
      },
      async (client) => {
        client.on('notification', (n) => {
          if (n.channel !== revokedChannel || !n.payload) return;
          this.heard++;
          let revoked: Revoked;
          try {
            revoked = JSON.parse(n.payload) as Revoked;
          } catch {
            // Not ours (anyone with the database can NOTIFY): forget every cached sign-in rather than end the process.
            return this.forgetAll();
          }
          this.forget(revoked);
        });
        await client.query(`listen ${revokedChannel}`);
        this.heard++; // a lookup begun before listening may have missed an announcement: it is not cached
      },
    );
  }

  /** Whether principals may be cached now: always on SQLite; on PostgreSQL while listening. */
  get caching(): boolean {
    if (!this.connection) return true;
    if (!this.connection.open && performance.now() - this.triedAt > 1000) void this.listen();
    return this.connection.open !== null;
  }

  /** A mark to compare after a lookup: a principal read before an announcement may be cached only if none came. */
  get epoch(): number {
    return this.heard;
  }

  /** Tells every process what was ended (after it was committed). */
  async announce(revoked: Revoked): Promise<void> {
    if (!this.db.dedicated) return;
    const { orgId, sessions, tokens } = revoked;
    for (let i = 0; i === 0 || i < sessions.length + tokens.length; i += perNotice) {
      const s = sessions.slice(i, i + perNotice);
      const t = tokens.slice(Math.max(0, i - sessions.length), Math.max(0, i + perNotice - sessions.length));
      const payload = JSON.stringify({ orgId, sessions: s, tokens: t });
      await sql`select pg_notify(${revokedChannel}, ${payload})`.execute(this.db.kysely);
    }
  }

  /** Stops listening (the connection is ended with the database too). */
  async close(): Promise<void> {
    await this.connection?.end();
  }

  private listen(): Promise<unknown> {
    this.triedAt = performance.now();
    // Not listening: principals are looked up every time; tried again a second later.
    return this.connection!.connect().catch(() => undefined);
  }
}
