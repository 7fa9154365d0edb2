// PostgreSQL may end a connection at any time (a restart, a failover, an operator's pg_terminate_backend). An idle
// connection that ends is an 'error' event on the pool; before, nothing listened and the process died with it, so
// one restart of the database stopped the server. Now the pool drops the connection and the next query opens one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { testDatabases } from '../support/databases.ts';

const postgres = testDatabases().find((d) => d.name === 'postgres');

test('an idle connection ended by the server does not end the process', { skip: !postgres }, async () => {
  const db = await postgres!.open();
  try {
    await sql`select 1`.execute(db.kysely); // leaves an idle connection in the pool
    const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(db.kysely);
    const admin = new pg.Client({
      connectionString: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL,
    });
    await admin.connect();
    const ended = await admin.query(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [rows[0]!.db],
    );
    await admin.end();
    assert.ok(ended.rows.length > 0, 'no connection of the pool was ended');
    await new Promise((r) => setTimeout(r, 300)); // the ended connection's error arrives on the idle client
    const again = await sql<{ x: number }>`select 2 as x`.execute(db.kysely);
    assert.deepEqual(again.rows, [{ x: 2 }]);
  } finally {
    await db.close();
  }
});
