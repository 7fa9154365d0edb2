// Starts a throwaway PostgreSQL cluster from the binaries on PATH (initdb, pg_ctl), as the `postgres` user when
// running as root (PostgreSQL refuses to run as root). Used by the test runner and the benchmarks.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export interface ThrowawayPostgres {
  url: string;
  stop: () => void;
}

export function startThrowawayPostgres(
  port = 54329 + Math.floor(Math.random() * 500),
): ThrowawayPostgres | undefined {
  if (!onPath('initdb') || !onPath('pg_ctl')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'councils-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (args: string[]) => {
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
    else execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
  };
  let user = process.env.USER ?? 'postgres';
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    user = 'postgres';
  }
  run(['initdb', '-D', join(dir, 'data'), '-A', 'trust', '-U', user, '--no-sync']);
  run([
    'pg_ctl',
    '-D',
    join(dir, 'data'),
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c max_connections=200`,
    'start',
  ]);
  const url = `postgresql://${user}@/postgres?host=${encodeURIComponent(dir)}&port=${port}`;
  return {
    url,
    stop: () => {
      try {
        run(['pg_ctl', '-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
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
  const asRoot = process.getuid?.() === 0;
  const run = (args: string[]) => {
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
    else execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
  };
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  run(['pg_basebackup', '-h', decodeURIComponent(m[1]!), '-p', m[2]!, '-D', data, '-R', '-X', 'stream']);
  const port = Number(m[2]) + 1 + Math.floor(Math.random() * 400);
  const start = () =>
    run([
      'pg_ctl',
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'log'),
      '-o',
      `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c max_connections=200 -c hot_standby=on`,
      'start',
    ]);
  start();
  return {
    url: primaryUrl.replace(/host=[^&]+&port=\d+/, `host=${encodeURIComponent(dir)}&port=${port}`),
    /** Stops the replica as a crash does (its data kept, for start() to bring it back as the same standby). */
    halt: () => run(['pg_ctl', '-D', data, '-m', 'immediate', 'stop']),
    start,
    stop: () => {
      try {
        run(['pg_ctl', '-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // already stopped
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
