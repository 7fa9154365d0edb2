// Where the database is and where the app is reached: flags first, then the environment, then defaults.
export const defaultDatabasePath = './data/councils.db';

export function databaseUrl(flag: string | undefined): string {
  return flag ?? process.env.DATABASE_URL ?? defaultDatabasePath;
}

export function publicUrl(flag: string | undefined, host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return (flag ?? process.env.COUNCILS_PUBLIC_URL ?? `http://${shown}:${port}`).replace(/\/$/, '');
}
