// One query API (Kysely) over two real databases: embedded SQLite (better-sqlite3, the default) and PostgreSQL
// (pg) when a postgres:// URL is given. Everything dialect-specific stays in this file.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.ts';
import { orgKeysMigration } from './migrations/2026-11-27T1045-org-keys.ts';
import { fillNameKeys } from './migrations/2026-12-07T0700-name-search.ts';
import { fillMembershipKeys } from './migrations/2026-12-07T1015-membership-name-key.ts';
import { fillSecretBoard } from './secret-board.ts';
import { rebuildAll } from './rebuild.ts';
import type { Database } from './schema.ts';
import type { Db } from './db.ts';

export { insertRows, type Cell, type Db, type DialectName } from './db.ts';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Opens (and migrates) the database named by `url`: a postgres:// URL, a file path, or ':memory:'. On PostgreSQL,
 * `direct` (default: `url`) is where the connections that live as long as a session go (Db.dedicated: the
 * scheduler's leases, the LISTENs), when `url` is a pooler in transaction mode (docs/DEPLOYMENT.md "pgbouncer").
 */
export async function openDatabase(url: string, direct?: string): Promise<Db> {
  if (direct !== undefined && !(isPostgresUrl(url) && isPostgresUrl(direct)))
    throw new Error('a direct database URL is for PostgreSQL: postgres:// URLs for both');
  const db = isPostgresUrl(url) ? openPostgres(url, {}, direct) : openSqlite(url);
  if (direct !== undefined && direct !== url) {
    try {
      await sameDatabase(db, direct);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  const applied = await migrate(db.kysely);
  // The name search's keys of rows written before it, in batches (nothing to do once its index exists).
  await fillNameKeys(db.kysely);
  // …and the memberships' copies of them (the search within a council), from the members' filled just now.
  await fillMembershipKeys(db.kysely);
  // The secret votes' board rows of entries logged without them (before the table, or by an older process during a
  // rolling upgrade), in batches from each organisation's mark: one read when none is missing.
  await fillSecretBoard(db.kysely);
  // Rows that two organisations' equal ids overwrote before their tables were keyed by organisation come back
  // from the logs (migration 2026-11-27T1045-org-keys): once, with the code and schema of now.
  if (applied.includes(orgKeysMigration)) await rebuildAll(db);
  return db;
}

/**
 * Opens a streaming replica of the PostgreSQL primary, for reads only (src/server/read-replica.ts): not migrated
 * (a replica is read-only; it holds the primary's schema as the WAL brings it). A replica that cannot be reached or
 * answers slowly must not hold members' reads: a connection is given 2 s, a statement 5 s (then the read fails over
 * to the primary where it can, or fails; it is never waited for the kernel's two-minute connect timeout).
 */
export function openReadReplica(url: string): Db {
  if (!isPostgresUrl(url)) throw new Error('a read replica is a PostgreSQL replica: a postgres:// URL');
  return openPostgres(url, {
    connectionTimeoutMillis: 2_000,
    statement_timeout: 5_000,
    query_timeout: 6_000,
  });
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a transaction the API acknowledged survives a power cut, not only a crash of the process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Kysely prepares every statement it runs; the append path's inserts repeat a few texts batch after batch, so
  // their prepared statements are kept (an insert is never iterated, so sharing one cannot collide).
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const database = {
    close: () => sqlite.close(),
    prepare(text: string) {
      if (!text.startsWith('insert into ')) return sqlite.prepare(text);
      let stmt = prepared.get(text);
      if (!stmt) {
        if (prepared.size >= 64) prepared.clear();
        stmt = sqlite.prepare(text);
        prepared.set(text, stmt);
      }
      return stmt;
    },
  };
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { kysely, dialect: 'sqlite', description: `SQLite ${path}`, close: () => kysely.destroy() };
}

function openPostgres(url: string, limits: pg.PoolConfig = {}, direct = url): Db {
  // int8 (bigint) counts come back as strings by default; ours fit in a JS number.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: 10, ...limits });
  // An idle connection that the server ends (a restart, a failover, pg_terminate_backend, DROP DATABASE … FORCE)
  // is an 'error' event on the pool; unheard, it would end the process. The pool drops that connection and opens
  // a new one for the next query, so saying so is all there is to do.
  pool.on('error', (error) => {
    process.emitWarning(
      `PostgreSQL ended an idle connection (${error.message}); the next query opens another`,
    );
  });
  // A connection that ends while a query runs on it (the server stopped, a replica halted mid-read) fails that
  // query, and the pool drops it when it is released; but the client also emits 'error', and a checked-out client
  // has no listener of the pool's: unheard, that event ended the process. The query's own rejection says it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  const clients = new Set<pg.Client>();
  return {
    kysely,
    dialect: 'postgres',
    description: `PostgreSQL ${safe}`,
    close: async () => {
      await Promise.all([...clients].map((c) => c.end().catch(() => undefined)));
      await kysely.destroy();
    },
    directUrl: direct,
    dedicated: async (applicationName) => {
      // Keepalives every few seconds: a session-level lock held on a connection whose far end vanished (a host
      // gone without closing its socket) is seen as gone on both sides within seconds, not hours.
      const client = new pg.Client({
        connectionString: direct,
        keepAlive: true,
        keepAliveInitialDelayMillis: 2_000,
        application_name: applicationName,
      });
      client.on('end', () => clients.delete(client));
      clients.add(client);
      try {
        await client.connect();
        // And PostgreSQL's side of the same: its keepalives, and how long data it sent may stay unacknowledged,
        // in seconds rather than the system's two hours (ignored on a Unix socket, where the kernel knows).
        await client.query(
          'set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3; ' +
            'set tcp_user_timeout = 15000',
        );
      } catch (e) {
        clients.delete(client);
        await client.end().catch(() => undefined);
        throw e;
      }
      return client;
    },
  };
}

interface Identity {
  system: string;
  database: string;
  standby: boolean;
}
const identityQuery =
  'select system_identifier::text as system, current_database() as database, pg_is_in_recovery() as standby ' +
  'from pg_control_system()';

/**
 * Refuses a direct URL that names another database than the pool's: the leases and LISTENs would live on one
 * database and the pool's writes, NOTIFYs and write locks on another, so two processes could both hold an
 * organisation's lease and a revocation would never be heard (docs/DEPLOYMENT.md "pgbouncer"). What each
 * connection reports is compared, not the URLs: through pgbouncer the pool's connection names the pooler, but
 * still reaches the server, whose `system_identifier` (one per cluster, kept by its streaming replicas) and
 * database name it reports. The direct connection must also be a primary: a replica shares the identifier but
 * cannot LISTEN or hold a lease that the primary's writers see.
 */
async function sameDatabase(db: Db, direct: string): Promise<void> {
  const { rows } = await db.kysely.executeQuery<Identity>(CompiledQuery.raw(identityQuery));
  const pool = rows[0]!;
  const client = new pg.Client({ connectionString: direct, connectionTimeoutMillis: 10_000 });
  let other: Identity;
  try {
    await client.connect();
    other = (await client.query<Identity>(identityQuery)).rows[0]!;
  } catch (e) {
    throw new Error(`the direct database URL cannot be reached: ${(e as Error).message}`, { cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
  const name = (i: Identity) => `database "${i.database}" of the cluster ${i.system}`;
  if (pool.system !== other.system || pool.database !== other.database)
    throw new Error(
      `the direct database URL reaches ${name(other)}, but the database URL reaches ${name(pool)}: ` +
        'they must name the same database (the leases and LISTENs go to the first, every write to the second)',
    );
  if (other.standby)
    throw new Error(
      `the direct database URL reaches a standby of ${name(other)}: it must reach the primary ` +
        '(a standby can neither LISTEN nor hold a lease its writers see)',
    );
}

/** Migrates to the latest schema; returns the names of the migrations it applied. */
async function migrate(kysely: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db: kysely, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
