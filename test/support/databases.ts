// The databases every store test runs against: real SQLite always, real PostgreSQL when the test runner
// started a throwaway cluster (TEST_DATABASE_URL) or DATABASE_URL names one. Each test gets a fresh database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/store/database.ts';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  open(): Promise<Db>;
}

/**
 * A fresh database is a copy of the test run's template when the runner made one (`COUNCILS_TEST_PG_TEMPLATE`,
 * scripts/run-tests.ts): the same schema as migrating an empty one, for ≈ 0.17 s of CPU instead of ≈ 0.46 (client and
 * server) and half the wall. The migrations from empty still run: on the template, in `emptyPostgres` databases and
 * in the kill tests' shared databases.
 */
async function freshPostgres(baseUrl: string): Promise<Db> {
  const name = `councils_test_${randomBytes(6).toString('hex')}`;
  const template = process.env.COUNCILS_TEST_PG_TEMPLATE;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
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
    name,
    url: withDatabase(baseUrl, name),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/**
 * Makes the test run's template on the server `baseUrl` names (scripts/run-tests.ts): a database migrated from empty
 * by `openDatabase`, then closed (a template is copied only while nobody is connected to it). Returns its name.
 */
export async function makeTemplate(baseUrl: string): Promise<string> {
  const { name, url } = await emptyPostgres(baseUrl, 'councils_template');
  const db = await openDatabase(url);
  await db.close();
  return name;
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

/** A database a test opens again by its URL, as a restarted server does; `drop` removes it. */
export interface ReopenableDatabase {
  name: 'sqlite' | 'postgres';
  make(): Promise<{ url: string; drop: () => Promise<void> }>;
}

/**
 * The databases of `testDatabases`, to open again by URL: a file of its own on SQLite, a database of its own
 * (`prefix`_…) on the run's PostgreSQL.
 */
export function reopenableDatabases(prefix: string): ReopenableDatabase[] {
  return testDatabases().map(({ name }) => ({
    name,
    make: async () => {
      if (name === 'postgres')
        return emptyPostgres((process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL)!, prefix);
      const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
      return { url: join(dir, 'c.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  }));
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
