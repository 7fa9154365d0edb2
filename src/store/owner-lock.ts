// On SQLite one process owns the database file: the ledger's in-memory state is the log only while no other
// process appends to it, and SQLite has one writer at a time anyway (docs/DEPLOYMENT.md). `councils serve` takes
// an exclusive lock on a small file beside the database (`<file>-serve.lock`, itself an SQLite file held in an
// exclusive transaction) for as long as it runs; the operating system releases it when the process ends, also by
// kill -9. A second server on the same file is refused at start, before it reads or migrates anything.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** Refused: another process serves this SQLite file. */
export class FileOwned extends Error {
  override name = 'FileOwned';
  constructor(path: string) {
    super(
      `another process is serving ${path}: on SQLite one process owns the database file (its lock: ${lockPath(path)}). ` +
        'Stop that server first, or use PostgreSQL to run several processes on one database (docs/DEPLOYMENT.md)',
    );
  }
}

export function lockPath(dbPath: string): string {
  return `${dbPath}-serve.lock`;
}

/** Takes the file's ownership for this process, or throws FileOwned; `release` gives it up. */
export function ownSqliteFile(dbPath: string): { release(): void } {
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = new BetterSqlite3(lockPath(dbPath), { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('begin exclusive');
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new FileOwned(dbPath);
    throw e;
  }
  return { release: () => lock.close() };
}
