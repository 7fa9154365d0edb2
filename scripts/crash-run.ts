// The bigger kill runs of test/server/crash.test.ts and test/server/idempotency.test.ts, for the figures in
// docs/OPERATIONS.md: `npx tsx scripts/crash-run.ts [RUNS [ACT…]]`, RUNS per act and database (default 30), ACT
// accept and init (the default), secret (opening a secret vote), freeze (a `councils serve` child freezing a
// credential list) or retry (a write retried with its
// Idempotency-Key after a kill of the server);
// PostgreSQL when its binaries are on PATH. Prints, per database, how many runs left a half-done act.
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import {
  acceptUnderKill,
  freezeUnderKill,
  initUnderKill,
  retryUnderKill,
  secretSetupUnderKill,
  sharedDatabase,
  verifyAll,
} from '../test/support/crash-runs.ts';

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
            : act === 'retry'
              ? await retryUnderKill(shared.url, shared.dir, runs)
              : act === 'secret'
                ? await secretSetupUnderKill(shared.url, shared.dir, runs)
                : act === 'freeze'
                  ? await freezeUnderKill(shared.url, shared.dir, runs)
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
