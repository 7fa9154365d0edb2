// Starts the deployment of docs/DEPLOYMENT.md on one machine, for trying it and for tests: a throwaway PostgreSQL
// primary (or $DATABASE_URL), a streaming replica of it, N `councils serve` processes on the primary, and haproxy
// in front of them routing by organisation. Stops everything on Ctrl-C.
//
//   npx tsx scripts/topology.ts [--processes 3] [--port 8080]
//
// Needs PostgreSQL's binaries (initdb, pg_ctl, pg_basebackup) and haproxy (Debian: apt-get install -y haproxy).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { serveProcess } from '../test/support/serve-process.ts';

const { values } = parseArgs({
  options: { processes: { type: 'string', default: '3' }, port: { type: 'string', default: '8080' } },
});
const processes = Number(values.processes);
const port = Number(values.port);
const dir = mkdtempSync(join(tmpdir(), 'councils-topology-'));
const children: ChildProcess[] = [];
const stops: (() => void)[] = [];

/** Runs a PostgreSQL binary, as the postgres user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(args: string[]): void {
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
  else execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
}

/** A streaming replica of the throwaway primary (pg_basebackup -R), on its own port; undefined if it cannot be. */
function startReplica(primaryUrl: string): string | undefined {
  const m = /host=([^&]+)&port=(\d+)/.exec(primaryUrl);
  if (!m) return undefined;
  const socketDir = decodeURIComponent(m[1]!);
  const replicaDir = join(dir, 'replica');
  const replicaPort = Number(m[2]) + 1000;
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  asPostgres([
    'pg_basebackup',
    '-h',
    socketDir,
    '-p',
    m[2]!,
    '-D',
    join(replicaDir, 'data'),
    '-R',
    '-X',
    'stream',
  ]);
  asPostgres([
    'pg_ctl',
    '-D',
    join(replicaDir, 'data'),
    '-w',
    '-l',
    join(dir, 'replica.log'),
    '-o',
    `-k ${dir} -p ${replicaPort} -c listen_addresses='' -c max_connections=200`,
    'start',
  ]);
  stops.push(() => asPostgres(['pg_ctl', '-D', join(replicaDir, 'data'), '-m', 'fast', 'stop']));
  return primaryUrl.replace(/host=[^&]+&port=\d+/, `host=${encodeURIComponent(dir)}&port=${replicaPort}`);
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

async function main(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const pg = startThrowawayPostgres();
    if (!pg) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found, and no DATABASE_URL');
    stops.push(pg.stop);
    url = pg.url;
  }
  let replica: string | undefined;
  try {
    replica = startReplica(url);
  } catch (e) {
    console.error(`no replica: ${(e as Error).message.split('\n')[0]}`);
  }
  const env = { COUNCILS_KEY_DIR: join(dir, 'keys'), COUNCILS_TRUST_PROXY: 'loopback' };
  const servers = await Promise.all(Array.from({ length: processes }, () => serveProcess(url, env)));
  children.push(...servers.map((s) => s.child));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    haproxyConfig(
      port,
      servers.map((s) => new URL(s.url).host),
    ),
  );
  const check = spawnSync('haproxy', ['-c', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its configuration: ${check.stderr}`);
  const haproxy = spawn('haproxy', ['-db', '-f', config], { stdio: 'inherit' });
  children.push(haproxy);
  console.log(`primary:  ${url}`);
  if (replica) console.log(`replica:  ${replica}`);
  for (const s of servers) console.log(`api:      ${s.url} (pid ${s.child.pid})`);
  console.log(
    `haproxy:  http://127.0.0.1:${port}   (councils init --db '${url}' … to found an organisation)`,
  );
  console.log('ready');
}

function stop(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  for (const s of stops.reverse()) {
    try {
      s();
    } catch {
      // stopping what is already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

process.once('SIGINT', stop);
process.once('SIGTERM', stop);
main().catch((e) => {
  console.error(e);
  stop();
});
