// The bigger kill run of test/server/crash.test.ts, for the figures in docs/OPERATIONS.md ("Crashes and
// recovery"): `npx tsx scripts/crash-run.ts [RUNS [ACT…]]` (default 30 per act and database, acts accept and init; PostgreSQL when its
// binaries are on PATH). Prints, per database, how many runs left a half-done act.
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { acceptUnderKill, initUnderKill, sharedDatabase, verifyAll } from '../test/support/crash-runs.ts';

const runs = Number(process.argv[2] ?? 30);
const cluster = process.env.DATABASE_URL ? undefined : startThrowawayPostgres();
const pgUrl = process.env.DATABASE_URL ?? cluster?.url;
try {
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (kind === 'postgres' && !pgUrl) continue;
    const acts = process.argv.length > 3 ? process.argv.slice(3) : ['accept', 'init'];
    for (const act of acts) {
      const shared = await sharedDatabase(kind, pgUrl);
      try {
        const r =
          act === 'accept'
            ? await acceptUnderKill(shared.url, shared.dir, runs)
            : await initUnderKill(shared.url, shared.dir, 'examples/federation.yaml', runs);
        const failures = await verifyAll(shared.url, shared.dir, r.keyDir);
        console.log(JSON.stringify({ kind, act, ...r.figures, verifyFailures: failures.length }));
      } finally {
        await shared.drop();
      }
    }
  }
} finally {
  cluster?.stop();
}
