// Durable appends through the ledger (decide → apply → one transaction per batch: entries with their leaf hashes,
// Merkle nodes, projection rows) on SQLite (WAL, synchronous=FULL) and PostgreSQL. Baseline in the same run: the
// same number of rows inserted raw into one table in one transaction per batch (no core, no tree, no projections).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/store/database.ts';
import { foundOrganisation, systemClock } from '../src/store/ledger.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';

const quick = process.argv.includes('--quick');
const total = quick ? 4000 : 40_000;
const batch = 1000;
const rounds = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function appendRate(db: Db): Promise<number> {
  const { ledger, outcome } = await foundOrganisation(
    db,
    {
      type: 'found_organisation',
      name: 'Bench',
      councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
      founders: [{ memberId: 'm0', name: 'M', councilId: 'all' }],
    },
    systemClock,
  );
  if (!outcome.ok) throw new Error(outcome.code);
  const moved = await ledger.execute({ type: 'move_motion', councilId: 'all', title: 'T', text: '' }, 'm0');
  if (!moved.ok || moved.entries[0]!.act !== 'motion_moved') throw new Error('move');
  const motionId = moved.entries[0]!.payload.motionId;
  const t = performance.now();
  for (let done = 0; done < total; done += batch) {
    // A burst of concurrent requests: the ledger decides them in order and commits them together.
    const results = await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        ledger.execute(
          { type: 'post_comment', motionId, stance: 'neutral', text: `comment ${done + i}` },
          'm0',
        ),
      ),
    );
    if (results.some((r) => !r.ok)) throw new Error('append refused');
  }
  return (total / (performance.now() - t)) * 1000;
}

async function rawRate(db: Db): Promise<number> {
  await sql`create table if not exists raw_rows (id integer primary key, body text not null)`.execute(
    db.kysely,
  );
  await sql`delete from raw_rows`.execute(db.kysely);
  const t = performance.now();
  for (let done = 0; done < total; done += batch) {
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < batch; i += 500) {
        const rows = Array.from({ length: Math.min(500, batch - i) }, (_, j) => ({
          id: done + i + j,
          body: `{"act":"comment_posted","n":${done + i + j}}`,
        }));
        await trx
          .insertInto('raw_rows' as never)
          .values(rows as never)
          .execute();
      }
    });
  }
  return (total / (performance.now() - t)) * 1000;
}

async function measure(name: string, open: () => Promise<Db>) {
  const ledger: number[] = [];
  const raw: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const db = await open();
    try {
      raw.push(await rawRate(db));
      ledger.push(await appendRate(db));
    } finally {
      await db.close();
    }
  }
  return { name, ledger: median(ledger), raw: median(raw) };
}

const dir = mkdtempSync(join(os.tmpdir(), 'councils-store-bench-'));
let n = 0;
const results = [
  await measure('SQLite (WAL, synchronous=FULL)', () => openDatabase(join(dir, `b${n++}.db`))),
];
const pg = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL, stop: () => {} }
  : startThrowawayPostgres();
if (pg) {
  try {
    const { withDatabase } = await import('../test/support/databases.ts');
    const pgName = process.env.DATABASE_URL ? 'PostgreSQL' : 'PostgreSQL (throwaway cluster, fsync=off)';
    results.push(
      await measure(pgName, async () => {
        const name = `bench_${n++}`;
        const admin = await openDatabase(pg.url);
        await sql.raw(`create database ${name}`).execute(admin.kysely);
        await admin.close();
        return openDatabase(withDatabase(pg.url, name));
      }),
    );
  } finally {
    pg.stop();
  }
}
rmSync(dir, { recursive: true, force: true });

console.log(`## Durable appends to the log

${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
${total} entries (debate comments) per run in bursts of ${batch} concurrent commands, median of ${rounds} runs. Each
entry is decided by the core, applied, and appended with its leaf hash, its Merkle nodes and its projection row in
the batch's one transaction. Baseline: the same number of rows inserted raw in one transaction per ${batch}.

| database | entries/s | raw rows/s (baseline) | ledger ÷ baseline |
|---|---|---|---|
${results.map((r) => `| ${r.name} | ${r.ledger.toFixed(0)} | ${r.raw.toFixed(0)} | ${(r.ledger / r.raw).toFixed(2)} |`).join('\n')}

Target: ≥ 10,000 entries/s on SQLite (TesseraCT publishes ≈ 10,000/s on NVMe; Trillian 400–1,000/s).
`);
