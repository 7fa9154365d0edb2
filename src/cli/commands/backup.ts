// `councils backup`: a consistent copy of a running server's SQLite database (SQLite's online backup API, page by
// page, so concurrent writes are neither blocked for long nor half-copied) and of its keys directory (the log
// keys and their signing marks). For PostgreSQL it copies the keys and says how to dump the database.
// docs/OPERATIONS.md "Backup" and "Restore".
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { isPostgresUrl } from '../../store/database.ts';
import { UsageError, type Command } from '../command.ts';
import { databaseUrl, keyDirFor } from '../config.ts';

export const backupUsage = `usage: councils backup --out DIR [--db PATH|postgres://…]
  Writes DIR/councils.db (SQLite's online backup of the database, consistent while the server runs) and
  DIR/keys (the log keys and their signing marks, mode 0600; copied first, so the marks never run ahead of the
  database copy). For PostgreSQL only the keys are copied, with what to run for the database (pg_dump or
  point-in-time recovery). DIR must not exist or be empty. Restoring: docs/OPERATIONS.md.`;

export const postgresGuidance = `The database is PostgreSQL: back it up with PostgreSQL's own tools, AFTER this copy of the keys.
  A dump (consistent while the server runs):   pg_dump --format=custom --file=councils.dump "$DATABASE_URL"
  Restore it into an empty database:           pg_restore --no-owner --dbname="$NEW_DATABASE_URL" councils.dump
  Or continuous archiving and point-in-time recovery (PITR): see the PostgreSQL manual, "Continuous Archiving".
  Keep the keys directory with the dump, but on restore keep the live keys directory if it survived:
  its signing marks are what stops a restored database from forking the public record (docs/OPERATIONS.md).
`;

/** Copies the keys directory (log keys, candidate keys, signing marks) into `out`, keeping it private. */
export function copyKeys(keyDir: string, out: string): number {
  if (!existsSync(keyDir)) return 0;
  cpSync(keyDir, out, { recursive: true, preserveTimestamps: true });
  chmodSync(out, 0o700);
  for (const f of readdirSync(out)) if (!f.endsWith('.pub')) chmodSync(join(out, f), 0o600);
  return readdirSync(out).length;
}

/** SQLite's online backup of the database at `path` into `file` (safe while another process writes). */
export async function backupSqlite(path: string, file: string): Promise<void> {
  const source = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    await source.backup(file);
  } finally {
    source.close();
  }
}

export const backupCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, out: { type: 'string' } } });
  if (!values.out) throw new UsageError('--out DIR is required');
  const url = databaseUrl(values.db);
  const out = values.out;
  if (existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`${out} is not empty`);
  if (url === ':memory:') throw new UsageError('an in-memory database cannot be backed up');
  if (!isPostgresUrl(url) && !existsSync(url)) throw new UsageError(`no database at ${url}`);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  // Keys and marks first: a mark copied before the database can only be at or below what the copy holds.
  const keyDir = keyDirFor(url);
  const keys = copyKeys(keyDir, join(out, 'keys'));
  io.out(`keys: ${keys} files from ${keyDir} → ${join(out, 'keys')}\n`);
  if (isPostgresUrl(url)) {
    io.out(postgresGuidance);
    return 0;
  }
  await backupSqlite(url, join(out, 'councils.db'));
  io.out(`database: SQLite online backup of ${url} → ${join(out, 'councils.db')}\n`);
  return 0;
};
