// `councils serve` with its pool through a real pgbouncer in transaction mode and its session-long connections
// (the scheduler's leases, the LISTENs, the ballot queue's pg-boss) on the database itself, given by
// --direct-database-url (docs/DEPLOYMENT.md "Past one machine"): members write and read through it, no
// session-long connection goes through pgbouncer (its own list of clients says so) while they reach PostgreSQL
// directly, and `councils verify` passes on the record written that way. A direct URL naming another database is
// refused at start.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/store/database.ts';
import { verifyAll } from '../support/crash-runs.ts';
import { exited, foundForLoad } from '../support/multi-process.ts';
import { councilsBin } from '../support/serve-process.ts';

const pgUrl = process.env.TEST_DATABASE_URL;
const pgbouncer = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));

/** Polls until `check` is true, for at most `ms`. */
async function within(ms: number, what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A pgbouncer in transaction mode in front of `database` of the cluster at `socketDir`:`port`, on a socket. */
function startPgbouncer(socketDir: string, port: string, database: string) {
  const dir = mkdtempSync(join(tmpdir(), 'councils-pgbouncer-'));
  const asRoot = process.getuid?.() === 0;
  const listen = Number(port) + 1000 + Math.floor(Math.random() * 1000);
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `councils = host=${socketDir} port=${port} dbname=${database} user=postgres`,
      '[pgbouncer]',
      'listen_addr =',
      `listen_port = ${listen}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      'default_pool_size = 4',
      'max_client_conn = 200',
      `logfile = ${join(dir, 'log')}`,
      '',
    ].join('\n'),
  );
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    for (const f of ['', 'users.txt', 'pgbouncer.ini']) chownSync(join(dir, f), id('-u'), id('-g'));
  }
  const args = [pgbouncer!, join(dir, 'pgbouncer.ini')];
  const child: ChildProcess = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' })
    : spawn(args[0]!, args.slice(1), { stdio: 'ignore' });
  const at = (db: string) => `postgresql://postgres@/${db}?host=${encodeURIComponent(dir)}&port=${listen}`;
  return {
    url: at('councils'),
    admin: at('pgbouncer'),
    socket: join(dir, `.s.PGSQL.${listen}`),
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test(
  'serve through pgbouncer in transaction mode, its session-long connections direct: writes, reads, verify',
  {
    skip: !pgUrl
      ? 'no PostgreSQL'
      : !pgbouncer
        ? 'pgbouncer is not installed (apt-get install pgbouncer)'
        : false,
    timeout: 120_000,
  },
  async (t) => {
    const began = performance.now();
    const phase = (what: string) => t.diagnostic(`${what}: ${Math.round(performance.now() - began)} ms`);
    const m = /host=([^&]+)&port=(\d+)/.exec(pgUrl!);
    assert.ok(m, 'the suite names PostgreSQL by a socket directory and a port');
    const database = `councils_pgbouncer_${process.pid}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    const direct = pgUrl!.replace(/\/[^/?]*\?/, `/${database}?`);
    const bouncer = startPgbouncer(decodeURIComponent(m[1]!), m[2]!, database);
    const dir = mkdtempSync(join(tmpdir(), 'councils-pgbouncer-test-'));
    let server: ChildProcess | undefined;
    try {
      await within(30_000, 'pgbouncer listens', () => existsSync(bouncer.socket));
      // Founded (and the schema migrated) through pgbouncer, as `serve` does at start.
      const keyDir = join(dir, 'keys');
      const { orgId, motionId, tokens } = await foundForLoad(bouncer.url, keyDir, 3);
      // A direct URL naming another database than pgbouncer's pool reaches (here the server's `postgres`) is
      // refused at start: the pool's connection reports the server's database behind pgbouncer.
      await assert.rejects(
        openDatabase(bouncer.url, pgUrl!),
        (e: Error) =>
          e.message.includes(`reaches database "postgres"`) && e.message.includes(`database "${database}"`),
      );
      server = spawn(
        process.execPath,
        [councilsBin, 'serve', '--port', '0', '--db', bouncer.url, '--direct-database-url', direct],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            COUNCILS_KEY_DIR: keyDir,
            COUNCILS_CHECKPOINT_SECONDS: '1',
            COUNCILS_BALLOT_QUEUE: '1',
            COUNCILS_BALLOT_WORKERS: '1',
          },
        },
      );
      let out = '';
      server.stdout!.on('data', (d) => (out += d));
      server.stderr!.on('data', (d) => (out += d));
      await within(60_000, `serve started: ${out}`, () => /serving http/.test(out));
      phase('founded, serve started');
      const base = /serving (http:\/\/\S+)/.exec(out)![1]!;
      const motionUrl = `${base}/api/v1/orgs/${orgId}/motions/${motionId}`;

      // Writes and reads through pgbouncer, from several members at once.
      const texts = tokens.flatMap((_, c) => [0, 1, 2].map((i) => `member ${c} comment ${i}`));
      await Promise.all(
        tokens.map(async (token, c) => {
          for (const text of texts.filter((x) => x.startsWith(`member ${c} `))) {
            const res = await fetch(`${motionUrl}/comments`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ stance: 'neutral', text }),
            });
            assert.equal(res.status, 201, await res.text());
            const page = await fetch(motionUrl, { headers: { authorization: `Bearer ${token}` } });
            assert.equal(page.status, 200);
            const seen = ((await page.json()) as { comments: { text: string }[] }).comments.map(
              (x) => x.text,
            );
            assert.ok(seen.includes(text), `a member's comment is on their next read: ${text}`);
          }
        }),
      );

      phase('written and read');
      // The pool's connections are pgbouncer's clients; the session-long ones are not, and are on PostgreSQL.
      const bouncerAdmin = new pg.Client({ connectionString: bouncer.admin });
      await bouncerAdmin.connect();
      const clients = (await bouncerAdmin.query('show clients')).rows as {
        database: string;
        application_name: string;
      }[];
      await bouncerAdmin.end();
      const pooled = clients.filter((c) => c.database === 'councils');
      t.diagnostic(`pgbouncer's clients: ${pooled.map((c) => c.application_name || '(pool)').join(', ')}`);
      assert.ok(pooled.length > 0, 'the pool goes through pgbouncer');
      const session = /revocations|verdicts|ballot queue|^councils \d+$/;
      assert.deepEqual(
        pooled.filter((c) => session.test(c.application_name)),
        [],
        'no session-long connection through pgbouncer',
      );
      // The scheduler takes its leases at its first round: waited for, not assumed.
      await within(30_000, 'the session-long connections on PostgreSQL directly', async () => {
        const { rows } = await admin.query<{ name: string }>(
          'select application_name as name from pg_stat_activity where datname = $1',
          [database],
        );
        return [/revocations$/, /ballot verdicts$/, /^councils \d+$/].every((name) =>
          rows.some((r) => name.test(r.name)),
        );
      });

      server.kill('SIGTERM');
      await exited(server);
      phase('connections checked, serve stopped');
      assert.deepEqual(await verifyAll(direct, dir, keyDir), []);
      phase('verified');
    } finally {
      if (server && server.exitCode === null && server.signalCode === null) {
        server.kill('SIGKILL');
        await exited(server);
      }
      await bouncer.stop();
      await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
