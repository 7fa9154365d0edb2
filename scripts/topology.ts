// Starts the deployment of docs/DEPLOYMENT.md on one machine, for trying it and for tests
// (test/server/topology.test.ts): a throwaway PostgreSQL primary, a streaming replica of it (pg_basebackup -R),
// N `councils serve` API processes on the primary reading from the replica, M job-queue workers (`councils serve
// --ballot-queue` with ballot threads, outside haproxy's backend), and haproxy in front of the API processes routing
// by organisation. Stops everything on Ctrl-C (or `stop()` when imported).
//
//   npx tsx scripts/topology.ts [--processes 3] [--workers 1] [--port 8080]
//
// Needs PostgreSQL's binaries (initdb, pg_ctl, pg_basebackup) and haproxy (Debian: apt-get install -y haproxy).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  startStreamingReplica,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from '../test/support/postgres-cluster.ts';
import { serveProcess } from '../test/support/serve-process.ts';

export interface TopologyOptions {
  /** API processes behind haproxy (default 3). */
  processes?: number;
  /** Job-queue workers: processes with ballot threads that take no HTTP traffic from haproxy (default 1). */
  workers?: number;
  /** haproxy's port (default: a free one). */
  port?: number;
  /** More environment for every `councils serve`. */
  env?: Record<string, string>;
  /** Run once the databases are up, before any process starts (e.g. to found an organisation). */
  prepare?: (primary: string, keyDir: string) => Promise<void>;
}

export interface Topology {
  primary: string;
  replica: string;
  /** The log keys directory every process shares. */
  keyDir: string;
  api: { child: ChildProcess; url: string }[];
  workers: { child: ChildProcess; url: string }[];
  haproxy: ChildProcess;
  /** haproxy's address: what members use. */
  url: string;
  stop(): Promise<void>;
}

/** haproxy's configuration: every request for /api/v1/orgs/<org>/… to the same process while it is up. */
export function haproxyConfig(listen: number, servers: string[]): string {
  return `global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # a connection refused (a process gone) is tried again, the last time on another process
  retries 2
  option redispatch
frontend councils
  bind 127.0.0.1:${listen}
  default_backend api
backend api
  # The organisation is the path's fifth field (/api/v1/orgs/<org>/…): one process serves each organisation
  # while it is up, so its write lock is never waited for; consistent hashing moves only that process's
  # organisations when one goes. Requests without an organisation spread by the same hash of an empty field.
  balance hash path,field(5,/)
  hash-type consistent
  option httpchk GET /api/v1/health
${servers.map((s, i) => `  server api${i + 1} ${s} check inter 1s fall 2 rise 1`).join('\n')}
`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const dir = mkdtempSync(join(tmpdir(), 'councils-topology-'));
  const keyDir = join(dir, 'keys');
  const children: ChildProcess[] = [];
  const clusters: ThrowawayPostgres[] = [];
  const stop = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(children.map(exited));
    for (const c of clusters.reverse()) {
      try {
        c.stop();
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pg = startThrowawayPostgres();
    if (!pg) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found');
    clusters.push(pg);
    const replica = startStreamingReplica(pg.url);
    clusters.push(replica);
    await options.prepare?.(pg.url, keyDir);
    const env = {
      COUNCILS_KEY_DIR: keyDir,
      COUNCILS_TRUST_PROXY: 'loopback',
      COUNCILS_READ_REPLICA: replica.url,
      COUNCILS_BALLOT_QUEUE: '1',
      ...options.env,
    };
    const workers = options.workers ?? 1;
    // With workers, the API processes only send the ballots' checks to the queue; without, they check them too.
    const apiEnv = workers > 0 ? { ...env, COUNCILS_BALLOT_WORKERS: '0' } : env;
    const starting = [
      ...Array.from({ length: options.processes ?? 3 }, () => serveProcess(pg.url, apiEnv)),
      ...Array.from({ length: workers }, () => serveProcess(pg.url, env)),
    ];
    const started = await Promise.allSettled(starting);
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value.child);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const servers = started.map(
      (s) => (s as PromiseFulfilledResult<{ child: ChildProcess; url: string }>).value,
    );
    const api = servers.slice(0, options.processes ?? 3);
    const port = options.port ?? (await freePort());
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      haproxyConfig(
        port,
        api.map((s) => new URL(s.url).host),
      ),
    );
    const check = spawnSync('haproxy', ['-c', '-f', config], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy refused its configuration: ${check.stderr}`);
    const haproxy = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(haproxy);
    const url = `http://127.0.0.1:${port}`;
    // Ready when haproxy answers the health check through a process.
    const deadline = performance.now() + 30_000;
    for (;;) {
      const ok = await fetch(`${url}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (haproxy.exitCode !== null) throw new Error(`haproxy exited ${haproxy.exitCode}`);
      if (performance.now() > deadline) throw new Error('haproxy did not answer within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      primary: pg.url,
      replica: replica.url,
      keyDir,
      api,
      workers: servers.slice(api.length),
      haproxy,
      url,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      processes: { type: 'string', default: '3' },
      workers: { type: 'string', default: '1' },
      port: { type: 'string', default: '8080' },
    },
  });
  const t = await startTopology({
    processes: Number(values.processes),
    workers: Number(values.workers),
    port: Number(values.port),
  });
  console.log(`primary:  ${t.primary}`);
  console.log(`replica:  ${t.replica}`);
  for (const s of t.api) console.log(`api:      ${s.url} (pid ${s.child.pid})`);
  for (const s of t.workers) console.log(`worker:   ${s.url} (pid ${s.child.pid}, not behind haproxy)`);
  console.log(`haproxy:  ${t.url}   (councils init --db '${t.primary}' … to found an organisation)`);
  console.log('ready; Ctrl-C stops everything');
  const end = () => void t.stop().then(() => process.exit(0));
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
