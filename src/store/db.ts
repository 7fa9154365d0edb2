// The handle every module of the store works through, and the one bulk insert they share. Lower than database.ts
// (which opens, migrates and, once, rebuilds), so the repositories and the rebuild import it without a cycle.
import { CompiledQuery, PostgresAdapter, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type pg from 'pg';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Where it is, without any password: for logs and messages. */
  description: string;
  close(): Promise<void>;
  /**
   * PostgreSQL only: a connection of its own outside the pool, with TCP keepalives, for what lives as long as a
   * session (the scheduler's leases, LISTEN). Ended by close().
   */
  dedicated?: (applicationName: string) => Promise<pg.Client>;
  /**
   * PostgreSQL only: the URL of those session-long connections (and of pg-boss's): the database itself, where the
   * pool may go through a pooler in transaction mode (`councils serve --direct-database-url`).
   */
  directUrl?: string;
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

/**
 * `column` is one of `values`, with the values as one bound parameter (a PostgreSQL array, a JSON array read by
 * json_each on SQLite), not one each: a list may be longer than a statement may bind (SQLite's 32,766,
 * PostgreSQL's 65,535), e.g. the organisations whose scheduler lease a process holds.
 */
export function oneOf(
  q: Kysely<Database> | Transaction<Database>,
  column: string,
  values: readonly string[],
): RawBuilder<boolean> {
  return q.getExecutor().adapter instanceof PostgresAdapter
    ? sql<boolean>`${sql.ref(column)} = any(${[...values]}::text[])`
    : sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}
