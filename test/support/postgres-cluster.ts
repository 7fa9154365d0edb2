// Starts a throwaway PostgreSQL cluster from the binaries on PATH (initdb, pg_ctl), as the `postgres` user when
// running as root (PostgreSQL refuses to run as root); a kept one, a streaming replica. Used by the test runner
// and the benchmarks.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export interface ThrowawayPostgres {
  url: string;
  stop: () => void;
}

/** Runs a PostgreSQL binary, as the `postgres` user when running as root. */
function runPg(args: string[]): void {
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
  else execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
}

/** The user the clusters are made for, after handing `dir` to the `postgres` user when running as root. */
function ownedByPostgres(dir: string): string {
  if (process.getuid?.() !== 0) return process.env.USER ?? 'postgres';
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  chownSync(dir, id('-u'), id('-g'));
  return 'postgres';
}

/** Starts the cluster in `dir`/data on a unix socket in `dir` (no TCP), without fsync; its superuser URL. */
function startCluster(dir: string, port: number, user: string, extra = ''): string {
  runPg([
    'pg_ctl',
    '-D',
    join(dir, 'data'),
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c max_connections=200${extra}`,
    'start',
  ]);
  return `postgresql://${user}@/postgres?host=${encodeURIComponent(dir)}&port=${port}`;
}

export function startThrowawayPostgres(
  port = 54329 + Math.floor(Math.random() * 500),
): ThrowawayPostgres | undefined {
  if (!onPath('initdb') || !onPath('pg_ctl')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'councils-pg-'));
  const user = ownedByPostgres(dir);
  runPg(['initdb', '-D', join(dir, 'data'), '-A', 'trust', '-U', user, '--no-sync']);
  return {
    url: startCluster(dir, port, user),
    stop: () => {
      try {
        runPg(['pg_ctl', '-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A cluster kept in `dir` across runs (made on first use, its data left in place when stopped), started for this
 * run: what a benchmark that keeps its founded organisations needs (bench/scale-reads.bench.ts --keep-dir).
 */
export function keptPostgres(dir: string, port = 55329 + Math.floor(Math.random() * 500)): ThrowawayPostgres {
  mkdirSync(dir, { recursive: true });
  const user = ownedByPostgres(dir);
  const data = join(dir, 'data');
  if (!existsSync(data)) runPg(['initdb', '-D', data, '-A', 'trust', '-U', user, '--no-sync']);
  return {
    url: startCluster(dir, port, user),
    stop: () => runPg(['pg_ctl', '-D', data, '-m', 'fast', 'stop']),
  };
}

/**
 * A streaming replica of a throwaway primary (its URL names a socket directory and a port): `pg_basebackup -R`
 * (which writes `primary_conninfo` and `standby.signal`), started on the next free port with hot standby, as the
 * `postgres` user when running as root. The primary needs nothing set: initdb's defaults allow local replication.
 */
export function startStreamingReplica(
  primaryUrl: string,
): ThrowawayPostgres & { halt: () => void; start: () => void } {
  const m = /host=([^&]+)&port=(\d+)/.exec(primaryUrl);
  if (!m) throw new Error('the primary must be named by a socket directory and a port');
  const dir = mkdtempSync(join(tmpdir(), 'councils-replica-'));
  const user = ownedByPostgres(dir);
  const data = join(dir, 'data');
  runPg(['pg_basebackup', '-h', decodeURIComponent(m[1]!), '-p', m[2]!, '-D', data, '-R', '-X', 'stream']);
  const port = Number(m[2]) + 1 + Math.floor(Math.random() * 400);
  const start = () => void startCluster(dir, port, user, ' -c hot_standby=on');
  start();
  return {
    url: primaryUrl.replace(/host=[^&]+&port=\d+/, `host=${encodeURIComponent(dir)}&port=${port}`),
    /** Stops the replica as a crash does (its data kept, for start() to bring it back as the same standby). */
    halt: () => runPg(['pg_ctl', '-D', data, '-m', 'immediate', 'stop']),
    start,
    stop: () => {
      try {
        runPg(['pg_ctl', '-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // already stopped
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
