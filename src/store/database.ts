// One query API (Kysely) over two real databases: embedded SQLite (better-sqlite3, the default) and PostgreSQL
// (pg) when a postgres:// URL is given. Everything dialect-specific stays in this file.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.ts';
import { orgKeysMigration } from './migrations/2026-11-27T1045-org-keys.ts';
import { rebuildAll } from './rebuild.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Where it is, without any password: for logs and messages. */
  description: string;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Opens (and migrates) the database named by `url`: a postgres:// URL, a file path, or ':memory:'. */
export async function openDatabase(url: string): Promise<Db> {
  const db = isPostgresUrl(url) ? openPostgres(url) : openSqlite(url);
  const applied = await migrate(db.kysely);
  // Rows that two organisations' equal ids overwrote before their tables were keyed by organisation come back
  // from the logs (migration 2026-11-27T1045-org-keys): once, with the code and schema of now.
  if (applied.includes(orgKeysMigration)) await rebuildAll(db);
  return db;
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

function openPostgres(url: string): Db {
  // int8 (bigint) counts come back as strings by default; ours fit in a JS number.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return { kysely, dialect: 'postgres', description: `PostgreSQL ${safe}`, close: () => kysely.destroy() };
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

export type Cell = string | number | null;

// SQL text per statement shape (dialect, table, columns, rows, upsert key): built once, reused by every batch.
const insertSql = new Map<string, string>();

/**
 * Inserts many rows in as few statements as the databases allow, with SQL text built once per shape and the
 * values bound as parameters: the hot path of every append (entries, Merkle nodes, projection rows), where
 * building each statement through the query builder cost more than SQLite took to run it. `key` (the names of
 * the key columns, or a count > 0 of leading columns) makes it an upsert on that key (ON CONFLICT … DO UPDATE,
 * the same in both dialects).
 * Runs on `q`, so inside a transaction it is part of that transaction.
 */
export async function insertRows(
  q: Kysely<Database> | Transaction<Database>,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly Cell[])[],
  key: number | readonly string[] = 0,
): Promise<void> {
  const keyColumns = typeof key === 'number' ? columns.slice(0, key) : key;
  if (rows.length === 0) return;
  const postgres = q.getExecutor().adapter instanceof PostgresAdapter;
  // Under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters, and few distinct statement shapes.
  const perStatement = Math.max(1, Math.min(500, Math.floor(30_000 / columns.length)));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const text = insertText(postgres, table, columns, chunk.length, keyColumns);
    const params: Cell[] = [];
    for (const row of chunk) {
      if (row.length !== columns.length) throw new RangeError(`${table}: a row has ${row.length} values`);
      for (const v of row) params.push(v);
    }
    await q.executeQuery(CompiledQuery.raw(text, params));
  }
}

function insertText(
  postgres: boolean,
  table: string,
  columns: readonly string[],
  rowCount: number,
  keyColumns: readonly string[],
): string {
  const shape = `${postgres ? 'pg' : 'sqlite'}|${table}|${columns.join(',')}|${rowCount}|${keyColumns.join(',')}`;
  const cached = insertSql.get(shape);
  if (cached !== undefined) return cached;
  const quote = (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`not a plain SQL name: ${name}`);
    return `"${name}"`;
  };
  let n = 0;
  const row = () => `(${columns.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`;
  const values = Array.from({ length: rowCount }, row).join(', ');
  let text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${values}`;
  if (keyColumns.length > 0) {
    const rest = columns.filter((c) => !keyColumns.includes(c));
    const conflict = `on conflict (${keyColumns.map(quote).join(', ')})`;
    text +=
      rest.length === 0
        ? ` ${conflict} do nothing`
        : ` ${conflict} do update set ${rest.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
  }
  if (insertSql.size >= 256) insertSql.clear(); // shapes are few in practice; never let the cache grow unbounded
  insertSql.set(shape, text);
  return text;
}
