// The org-keys migration (2026-11-27T1045) on a database made before it, on real SQLite and real PostgreSQL: two
// organisations founded from one file, whose councils overwrote each other's rows under the old keys. After the
// migration the lost rows are back (rebuilt from the logs), and accounts, sessions, API tokens and open
// invitations made before it keep working.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { projectionTables } from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { insertRows, openDatabase, type Cell, type Db } from '../../src/store/database.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { ApiClient } from '../support/api-client.ts';
import { federation } from '../support/api-org.ts';
import { TestClock, withDatabase } from '../support/databases.ts';
import { testPasswordHashCost } from '../support/password-cost.ts';

const migration = '2026-11-27T1045-org-keys';
const privateTables = [
  'log_entries',
  'merkle_nodes',
  'tree_states',
  'checkpoints',
  'record_key_history',
  'accounts',
  'sessions',
  'api_tokens',
  'invitation_secrets',
];

interface Target {
  name: string;
  /** A database migrated up to just before the org-keys migration, and the URL that opens it. */
  make(): Promise<{ old: Kysely<any>; url: string; drop(): Promise<void> }>;
}

async function migrateBefore(old: Kysely<any>): Promise<void> {
  const all = await migrationProvider.getMigrations();
  const before = Object.fromEntries(Object.entries(all).filter(([n]) => n < migration));
  const provider = { getMigrations: async (): Promise<Record<string, Migration>> => before };
  const r = await new Migrator({ db: old, provider }).migrateToLatest();
  assert.equal(r.error, undefined, String(r.error));
}

const targets: Target[] = [
  {
    name: 'sqlite',
    make: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'councils-orgkeys-'));
      const url = join(dir, 'councils.db');
      const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(url) }) });
      await migrateBefore(old);
      return { old, url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (pgUrl) {
  targets.push({
    name: 'postgres',
    make: async () => {
      const name = `councils_orgkeys_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = withDatabase(pgUrl, name);
      const old = new Kysely<any>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
      });
      await migrateBefore(old);
      return {
        old,
        url,
        drop: async () => {
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name}`);
          await c.end();
        },
      };
    },
  });
}

/** Copies every row into the old schema; projection rows upsert on their old keys, as the old store did. */
async function copyInto(source: Db, old: Kysely<any>, orgIds: string[]): Promise<void> {
  // Today's tables have columns that later migrations added; the old schema takes only the ones it had.
  const oldColumns = new Map(
    (await old.introspection.getTables()).map((t) => [t.name, new Set(t.columns.map((c) => c.name))]),
  );
  for (const table of privateTables) {
    const had = oldColumns.get(table)!;
    const rows = (
      (await source.kysely
        .selectFrom(table as never)
        .selectAll()
        .execute()) as Record<string, Cell>[]
    ).map((r) => Object.fromEntries(Object.entries(r).filter(([c]) => had.has(c))));
    if (rows.length > 0) await old.insertInto(table).values(rows).execute();
  }
  for (const orgId of orgIds) {
    for (const [table, def] of Object.entries(projectionTables)) {
      // A projection that later migrations added is not in the old schema: the rebuild makes it.
      const had = oldColumns.get(table);
      if (!had) continue;
      const columns = def.columns.filter((c) => had.has(c));
      const col = table === 'orgs' ? 'id' : 'org_id';
      const rows = (await source.kysely
        .selectFrom(table as never)
        .selectAll()
        .where(col as never, '=', orgId as never)
        .execute()) as Record<string, Cell>[];
      const cells = rows.map((r) => columns.map((c) => r[c] ?? null));
      await insertRows(old as never, table, columns, cells, def.keyColumns);
    }
  }
}

for (const target of targets) {
  describe(`the org-keys migration on ${target.name}`, () => {
    test('lost rows come back from the logs; accounts, sessions, tokens and invitations keep working', async () => {
      const keyDir = mkdtempSync(join(tmpdir(), 'councils-keys-'));
      const clock = new TestClock();
      const { old, url, drop } = await target.make();
      let oldOpen = true;
      try {
        // Made with today's store: two organisations from one file, the second with other names.
        const source = await openDatabase(':memory:');
        const s1 = new CouncilsService(source, clock, { keyDir, passwordHash: testPasswordHashCost });
        const app1 = await buildApp({ service: s1, publicUrl: 'http://127.0.0.1:3000' });
        const a = await s1.foundWithInvitations(federation);
        const b = await s1.foundWithInvitations({
          ...federation,
          name: 'Copy',
          councils: federation.councils.map((c) => ({ ...c, name: `${c.name} (copy)` })),
        });
        const anaA = await new ApiClient(app1).join(a.invitations[0]!.token, 'ana@a.example');
        const anaB = await new ApiClient(app1).join(b.invitations[0]!.token, 'ana@b.example');
        const { token } = await anaA.ok<{ token: string }>('POST', '/tokens', { name: 'script' });
        const expected = {
          a: await dumpProjections(source.kysely, a.orgId),
          b: await dumpProjections(source.kysely, b.orgId),
        };
        await copyInto(source, old, [a.orgId, b.orgId]);
        await app1.close();
        await source.close();
        const councilsOfA = await old
          .selectFrom('councils')
          .selectAll()
          .where('org_id', '=', a.orgId)
          .execute();
        assert.equal(councilsOfA.length, 0, "under the old keys B's councils overwrote A's");
        await old.destroy();
        oldOpen = false;

        // Opening it migrates and rebuilds.
        const db = await openDatabase(url);
        try {
          assert.deepEqual(await dumpProjections(db.kysely, a.orgId), expected.a);
          assert.deepEqual(await dumpProjections(db.kysely, b.orgId), expected.b);
          const service = new CouncilsService(db, clock, { keyDir, passwordHash: testPasswordHashCost });
          const app = await buildApp({ service, publicUrl: 'http://127.0.0.1:3000' });
          try {
            // The sessions of before: each member in their own organisation.
            for (const [before, orgId, council] of [
              [anaA, a.orgId, 'North'],
              [anaB, b.orgId, 'North (copy)'],
            ] as const) {
              const c = new ApiClient(app);
              c.cookie = before.cookie;
              c.csrf = before.csrf;
              const me = await c.ok<{ organisation: { id: string }; member: { id: string } }>('GET', '/me');
              assert.equal(me.organisation.id, orgId);
              assert.equal(me.member.id, before.memberId);
              const north = await c.ok<{ name: string }>('GET', `/orgs/${orgId}/councils/north`);
              assert.equal(north.name, council);
            }
            // Signing in with the password of before, the API token of before, an invitation of before.
            const signedIn = await new ApiClient(app).ok<{ orgId: string; memberId: string }>(
              'POST',
              '/session',
              {
                email: 'ana@a.example',
                password: 'correct horse battery',
              },
            );
            assert.deepEqual(signedIn, { ...signedIn, orgId: a.orgId, memberId: anaA.memberId });
            await new ApiClient(app, token).ok('GET', `/orgs/${a.orgId}/councils/north`);
            const ben = await new ApiClient(app).join(a.invitations[1]!.token, 'ben@a.example');
            assert.equal(ben.orgId, a.orgId);
          } finally {
            await app.close();
          }
        } finally {
          await db.close();
        }
      } finally {
        if (oldOpen) await old.destroy();
        await drop();
        rmSync(keyDir, { recursive: true, force: true });
      }
    });
  });
}
