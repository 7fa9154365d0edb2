// The databases every store test runs against: real SQLite always, real PostgreSQL when the test runner
// started a throwaway cluster (TEST_DATABASE_URL) or DATABASE_URL names one. Each test gets a fresh database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/store/database.ts';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  open(): Promise<Db>;
}

async function freshPostgres(baseUrl: string): Promise<Db> {
  const name = `councils_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = withDatabase(baseUrl, name);
  const db = await openDatabase(dbUrl);
  const close = db.close;
  return {
    ...db,
    close: async () => {
      await close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/**
 * An empty PostgreSQL database of its own on the server `baseUrl` names, to open (and open again, as a restarted
 * server does) by its URL; `drop` removes it, closing whatever is still connected to it.
 */
export async function emptyPostgres(baseUrl: string, prefix = 'councils_test') {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(text).finally(() => c.end());
  };
  await admin(`create database ${name}`);
  return {
    url: withDatabase(baseUrl, name),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** The same server URL naming another database (works for unix-socket URLs, which `URL` cannot parse). */
export function withDatabase(baseUrl: string, name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(baseUrl);
  if (!m) throw new Error(`not a PostgreSQL URL: ${baseUrl}`);
  return `${m[1]}/${name}${m[2] ?? ''}`;
}

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: 'sqlite', open: () => openDatabase(':memory:') }];
  const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (pgUrl) list.push({ name: 'postgres', open: () => freshPostgres(pgUrl) });
  else if (process.env.CI)
    throw new Error('CI must run the store suite on PostgreSQL: set TEST_DATABASE_URL');
  return list;
}

/** A clock the tests move by hand. */
export class TestClock {
  constructor(public t = Date.parse('2026-01-05T09:00:00.000Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advanceMinutes(m: number): void {
    this.t += m * 60_000;
  }
}
