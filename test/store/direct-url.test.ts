// `--direct-database-url` (the session-long connections: leases, LISTEN, pg-boss) must reach the database the pool
// reaches (docs/DEPLOYMENT.md "pgbouncer"): a URL naming another database of the same server, or a database of
// another cluster, is refused at open with a message saying both, before anything is migrated; the same database
// through another spelling of its URL is accepted. Two real databases of the test's PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/store/database.ts';
import { withDatabase } from '../support/databases.ts';

const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

test(
  'a direct URL naming another database than the pool is refused at open',
  { skip: pgUrl ? false : 'no PostgreSQL' },
  async () => {
    const a = `councils_test_${randomBytes(6).toString('hex')}`;
    const b = `councils_test_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE ${a}`);
    await admin(`CREATE DATABASE ${b}`);
    try {
      const urlA = withDatabase(pgUrl!, a);
      const urlB = withDatabase(pgUrl!, b);
      await assert.rejects(
        openDatabase(urlA, urlB),
        (e: Error) =>
          e.message.includes(`the direct database URL reaches database "${b}"`) &&
          e.message.includes(`the database URL reaches database "${a}"`) &&
          e.message.includes('must name the same database'),
      );
      // Refused before migrating: the pool's database has no tables yet.
      const c = new pg.Client({ connectionString: urlA });
      await c.connect();
      try {
        const { rows } = await c.query(
          `select count(*)::int as n from pg_tables where schemaname = 'public'`,
        );
        assert.equal(rows[0].n, 0);
      } finally {
        await c.end();
      }
      // The same database, spelled another way (another application name), is the same database.
      const sameA = `${urlA}${urlA.includes('?') ? '&' : '?'}application_name=councils-direct`;
      const db = await openDatabase(urlA, sameA);
      await db.close();
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${a}`);
      await admin(`DROP DATABASE IF EXISTS ${b}`);
    }
  },
);
