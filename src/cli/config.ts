import { dirname, join } from 'node:path';
import { loadConfig } from '../config.ts';
import { isPostgresUrl } from '../store/database.ts';

// Where the database is and where the app is reached: flags first, then the environment (src/config.ts, checked
// there), then defaults.
export const defaultDatabasePath = './data/councils.db';

export function databaseUrl(flag: string | undefined): string {
  return flag ?? loadConfig().databaseUrl ?? defaultDatabasePath;
}

export function publicUrl(flag: string | undefined, host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return (flag ?? loadConfig().publicUrl ?? `http://${shown}:${port}`).replace(/\/$/, '');
}

/** Where log keys live: $COUNCILS_KEY_DIR, else a keys/ folder beside an SQLite file, else ./data/keys. */
export function keyDirFor(dbUrl: string): string {
  const keyDir = loadConfig().keyDir;
  if (keyDir) return keyDir;
  if (isPostgresUrl(dbUrl) || dbUrl === ':memory:') return './data/keys';
  return join(dirname(dbUrl), 'keys');
}
