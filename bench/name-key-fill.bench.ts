// How long the upgrade to the name search (migration 2026-12-07T0700-name-search and the fill of its keys) stops
// the world at a large organisation (docs/DEPLOYMENT.md): a copy of a kept organisation of bench/scale-reads
// (`--keep-dir`, read-only: the SQLite file copied to a temporary directory, the PostgreSQL database copied with
// CREATE DATABASE … TEMPLATE in the kept cluster and dropped after) is put back as it was before that migration
// where it had run (its index and column dropped, its migration unrecorded), then opened by `openDatabase`, which migrates and
// fills; the time of that open is the figure. `--before DIR`: the same with the code in DIR (a checkout of the
// commit before, with node_modules) on a fresh copy, in the same run.
//
//   npx tsx bench/name-key-fill.bench.ts --keep-dir /work/wt/cache/orgs [--members 1000000] [--before /work/wt/base]
//     [--sqlite-only | --postgres-only]
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Db } from '../src/store/database.ts';
import { withDatabase } from '../test/support/databases.ts';
import { keptPostgres } from './scale-org.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const keepDir = flag('--keep-dir');
if (!keepDir) throw new Error('--keep-dir DIR: the organisations kept by bench/scale-reads.bench.ts');
const members = Number(flag('--members') ?? 1_000_000);
const before = flag('--before');
const migration = '2026-12-07T0700-name-search';
// Kept organisations founded before the migration need nothing undone.
const migrated = `select 1 from kysely_migration where name = '${migration}'`;
const undo = [
  'drop index if exists members_name_key_idx',
  'drop index if exists councils_name_key_idx',
  'alter table members drop column name_key',
  'alter table councils drop column name_key',
  `delete from kysely_migration where name = '${migration}'`,
];

type Open = (url: string) => Promise<Db>;
const opener = async (root: string): Promise<Open> =>
  ((await import(join(resolve(root), 'src/store/database.ts'))) as { openDatabase: Open }).openDatabase;
const trees: [string, string][] = [
  ['this tree', '.'],
  ...(before ? [['before', before] as [string, string]] : []),
];

async function timedOpen(open: Open, url: string): Promise<{ seconds: number; rows: number }> {
  const t = performance.now();
  const db = await open(url);
  const seconds = (performance.now() - t) / 1000;
  const { rows } = await db.kysely
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('name_key', 'is not', null)
    .execute()
    .then((r) => ({ rows: Number(r[0]!.n) }));
  await db.close();
  return { seconds, rows };
}

const results: string[] = [];
const load = () => os.loadavg()[0]!.toFixed(1);

if (!args.includes('--postgres-only')) {
  const kept = join(keepDir, `sqlite-${members}.db`);
  if (!existsSync(kept)) throw new Error(`no kept organisation: ${kept}`);
  for (const [label, root] of trees) {
    const dir = mkdtempSync(join(os.tmpdir(), 'councils-fill-'));
    try {
      const file = join(dir, 'org.db');
      copyFileSync(kept, file);
      const sqlite = new BetterSqlite3(file);
      if (sqlite.prepare(migrated).get()) for (const s of undo) sqlite.exec(s);
      sqlite.close();
      const l = load();
      const r = await timedOpen(await opener(root), file);
      results.push(
        `SQLite · ${label} · ${members} members · load ${l}: ${r.seconds.toFixed(1)} s (${r.rows} keys)`,
      );
      console.error(results.at(-1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (!args.includes('--sqlite-only')) {
  const cluster = keptPostgres(join(keepDir, 'postgres'));
  const admin = async (url: string, statements: string[]) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      for (const s of statements) await c.query(s);
    } finally {
      await c.end();
    }
  };
  try {
    for (const [label, root] of trees) {
      const scratch = `councils_fill_${members}`;
      await admin(cluster.url, [
        `drop database if exists ${scratch}`,
        `create database ${scratch} template councils_kept_${members}`,
      ]);
      try {
        const url = withDatabase(cluster.url, scratch);
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        const done = (await c.query(migrated)).rows.length > 0;
        await c.end();
        await admin(url, [
          ...(done ? undo : []),
          'vacuum analyze members',
          'vacuum analyze councils',
          'checkpoint',
        ]);
        const l = load();
        const r = await timedOpen(await opener(root), url);
        results.push(
          `PostgreSQL · ${label} · ${members} members · load ${l}: ${r.seconds.toFixed(1)} s (${r.rows} keys)`,
        );
        console.error(results.at(-1));
      } finally {
        await admin(cluster.url, [`drop database if exists ${scratch}`]);
      }
    }
  } finally {
    cluster.stop();
  }
}
console.log(results.join('\n'));
