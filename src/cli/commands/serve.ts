// `councils serve`: the HTTP API (and the web app) on one port, with the scheduler for due votes and terms.
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { destroySpentIssuance } from '../../server/credential-issuer.ts';
import type { RecordHeld } from '../../node/record-keeper.ts';
import type { CheckpointSchedule } from '../../record/index.ts';
import { parseRateLimit, type RateLimit } from '../../server/rate-limit.ts';
import { parseTrustProxy, type TrustProxy } from '../../server/trust-proxy.ts';
import { issueDueCheckpoints, startScheduler } from '../../server/scheduler.ts';
import { electionOf } from '../../server/secret-votes.ts';
import { CouncilsService } from '../../server/service.ts';
import { checkReplicaOf, ReadReplica } from '../../server/read-replica.ts';
import { defaultFrom, smtpTransport } from '../../server/mail/mailer.ts';
import { startMailer } from '../../server/mail/notifier.ts';
import { startWebhookSender } from '../../server/webhooks/sender.ts';
import { checkSmtpUrl } from '../../server/mail/smtp-url.ts';
import { isPostgresUrl, openDatabase, openReadReplica, type Db } from '../../store/database.ts';
import { ownSqliteFile } from '../../store/owner-lock.ts';
import type { Clock } from '../../store/ledger.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';
import { loadConfig, parsePort as parsePortText } from '../../config.ts';
import { isRecommendedCost, type PasswordHashCost } from '../../server/password-hash.ts';
import { databaseUrl, keyDirFor, publicUrl } from '../config.ts';

export const serveUsage = `usage: councils serve [--port 3000] [--host 127.0.0.1] [--db PATH|postgres://…] [--url PUBLIC_URL] [--log]
                      [--anonymous-rate BURST/PER_MINUTE|off] [--trust-proxy false|true|HOPS|ADDRESS,…]
  The database defaults to $DATABASE_URL, else ${'./data/councils.db'} (SQLite).
  --anonymous-rate (or $COUNCILS_ANONYMOUS_RATE): requests per client address to the anonymous secret-ballot
  writes (credential listing, cast, challenge): BURST at once, refilled at PER_MINUTE; default 60/60; over it: 429 rate_limited.
  --trust-proxy (or $COUNCILS_TRUST_PROXY): behind a reverse proxy, which hops' X-Forwarded-For gives the client
  address for that limit: false (default: none, the address is the connection's), true (every hop), a hop count,
  or a comma-separated list of proxy addresses and CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8; or loopback).
  --smtp URL (or $COUNCILS_SMTP_URL): the SMTP relay e-mail goes through (smtp://user:pass@host:587 or smtps://…);
  without one, e-mail is off. --mail-from (or $COUNCILS_MAIL_FROM): the From address.
  --webhooks-allow-private (or $COUNCILS_WEBHOOKS_ALLOW_PRIVATE=1): webhooks may be sent to private, loopback and
  link-local addresses (a receiver on this machine or network); refused by default.
  --ballot-workers N (or $COUNCILS_BALLOT_WORKERS): threads checking secret ballots' proofs before the
  organisation's queue (default: one per core; 0: none, the queue checks them).
  --ballot-queue (or $COUNCILS_BALLOT_QUEUE=1), PostgreSQL only: those checks go through a job queue in the
  database (pg-boss), which every process with ballot threads works, on this machine or another (docs/DEPLOYMENT.md).
  --direct-database-url postgres://… (or $COUNCILS_DIRECT_DATABASE_URL), PostgreSQL only: the database itself, for
  the connections that live as long as a session (the scheduler's leases, LISTEN, the ballot queue), when --db is a
  pgbouncer in transaction mode (default: --db; docs/DEPLOYMENT.md "Past one machine").
  --read-replica postgres://… (or $COUNCILS_READ_REPLICA), PostgreSQL only: a streaming replica of the database;
  an organisation's pages are read there whenever it holds every entry the primary holds, else from the primary
  (writes and everything else stay on the primary; docs/DEPLOYMENT.md "The read replica").`;

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  service: CouncilsService;
  url: string;
  /** Organisations whose writes are refused because their record cannot be signed (docs/OPERATIONS.md). */
  held: RecordHeld[];
  stop(): Promise<void>;
}

export async function startServer(options: {
  db: Db;
  host: string;
  port: number;
  publicUrl?: string;
  logger?: boolean;
  schedulerMs?: number;
  keyDir: string;
  anonymousRate?: RateLimit | false;
  trustProxy?: TrustProxy;
  /** When the record keeper issues checkpoints (default: every 1,000 entries or 10 seconds). */
  checkpoint?: CheckpointSchedule;
  /** The server's clock (the system's by default; tests move one by hand). */
  clock?: Clock;
  /** The SMTP relay (none: e-mail off) and the From address (docs/NOTIFICATIONS.md). */
  smtpUrl?: string;
  mailFrom?: string;
  /** How often the mailer sends what is due (default every second). */
  mailerMs?: number;
  /** Webhooks may go to private and loopback addresses (docs/NOTIFICATIONS.md "Targets"). */
  webhooksAllowPrivate?: boolean;
  /** Threads checking secret ballots' proofs before the queue (default: one per core; 0: in the queue). */
  ballotWorkers?: number;
  /** A check's deadline per 640 ballot-options of its batch (ms; default 30 s: src/node/ballot-checks.ts deadlineOf). */
  ballotCheckMs?: number;
  /**
   * PostgreSQL: secret ballots' proofs checked on the job queue every process shares (src/server/ballot-queue.ts),
   * through pg-boss at this URL (the database's); this process works it too when it has ballot threads.
   */
  ballotQueue?: { url: string; deadlineMs?: number };
  /** PostgreSQL: a streaming replica of the database, for organisations' reads when it has caught up. */
  readReplica?: Db;
  /** The argon2id cost of new password hashes (default OWASP's m = 19 MiB, t = 2, p = 1). */
  passwordHash?: PasswordHashCost;
}): Promise<RunningServer> {
  const pub = publicUrl(options.publicUrl, options.host, options.port);
  const mail = options.smtpUrl
    ? {
        transport: smtpTransport(options.smtpUrl),
        from: options.mailFrom ?? defaultFrom(pub),
        publicUrl: pub,
      }
    : undefined;
  const service = new CouncilsService(options.db, options.clock, {
    keyDir: options.keyDir,
    ballotWorkers: options.ballotWorkers ?? os.availableParallelism(),
    ...(options.ballotCheckMs !== undefined
      ? { ballotRestartLimits: { checkMs: options.ballotCheckMs } }
      : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    ...(mail ? { mail } : {}),
    webhooks: { allowPrivate: options.webhooksAllowPrivate ?? false },
    ...(options.passwordHash ? { passwordHash: options.passwordHash } : {}),
  });
  if (options.ballotQueue) {
    const { BallotQueue } = await import('../../server/ballot-queue.ts');
    service.ballotQueue = await BallotQueue.start(options.db, options.ballotQueue.url, {
      checks: service.ballotChecks,
      election: (orgId, voteId) => electionOf(service, orgId, voteId),
      ...(options.ballotQueue.deadlineMs !== undefined ? { deadlineMs: options.ballotQueue.deadlineMs } : {}),
    });
  }
  const { webPlugin } = await import('../../server/web.ts');
  const app = await buildApp({
    service,
    publicUrl: pub,
    logger: options.logger ?? false,
    extend: webPlugin,
    ...(options.anonymousRate !== undefined ? { anonymousRate: options.anonymousRate } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  });
  // A replica failing reads is said once in the log, and once when it answers again (src/server/read-replica.ts).
  if (options.readReplica)
    service.readReplica = new ReadReplica(options.readReplica, options.db.kysely, (m) => app.log.warn(m));
  // Issuing keys that can no longer be used are destroyed before anything else runs (BALLOT-PROTOCOL.md §4.1).
  await destroySpentIssuance(service);
  // Every organisation's log key and signing mark, before serving: a lost key or a restored database is said now.
  const held: RecordHeld[] = [];
  for (const orgId of await service.orgIds()) {
    const h = await service.record.hold(orgId);
    if (h) held.push(h);
  }
  for (const h of held) app.log.error({ org: h.orgId, error: h.code }, h.message);
  const stopScheduler = startScheduler(service, options.schedulerMs ?? 5_000, (e) => app.log.error(e));
  const stopMailer = startMailer(service, options.mailerMs ?? 1_000, (e) => app.log.error(e));
  const stopWebhooks = startWebhookSender(service, options.mailerMs ?? 1_000, (e) => app.log.error(e));
  const address = await app.listen({ host: options.host, port: options.port });
  return {
    app,
    db: options.db,
    service,
    held,
    url: address.replace('[::1]', '127.0.0.1'),
    stop: async () => {
      // A round running now ends before the final checkpoints below (which it might otherwise issue too).
      await Promise.all([stopScheduler(), stopMailer(), stopWebhooks()]);
      await app.close();
      await service.ballotQueue?.close();
      await service.ballotChecks?.close();
      mail?.transport.close();
      // Whatever was appended since the last checkpoint is covered before the server stops (for the
      // organisations this process's scheduler acts for; another process's scheduler covers its own).
      const leased = service.leases.holding(await service.orgIds().catch(() => []));
      await issueDueCheckpoints(service, true, leased).catch((e) => app.log.error(e));
      await service.leases.release();
      await options.readReplica?.close();
      await options.db.close();
    },
  };
}

/** --port's value, or the fallback without one. */
export function parsePort(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  try {
    return parsePortText(v, '--port');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export const serveCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      url: { type: 'string' },
      log: { type: 'boolean' },
      'anonymous-rate': { type: 'string' },
      'trust-proxy': { type: 'string' },
      smtp: { type: 'string' },
      'mail-from': { type: 'string' },
      'webhooks-allow-private': { type: 'boolean' },
      'ballot-queue': { type: 'boolean' },
      'ballot-workers': { type: 'string' },
      'read-replica': { type: 'string' },
      'direct-database-url': { type: 'string' },
    },
  });
  const config = loadConfig();
  let anonymousRate: RateLimit | false | undefined = config.anonymousRate;
  try {
    if (values['anonymous-rate'] !== undefined) anonymousRate = parseRateLimit(values['anonymous-rate']);
  } catch (e) {
    throw new UsageError(`--anonymous-rate: ${(e as Error).message}`);
  }
  let trustProxy: TrustProxy | undefined = config.trustProxy;
  try {
    if (values['trust-proxy'] !== undefined) trustProxy = parseTrustProxy(values['trust-proxy']);
  } catch (e) {
    throw new UsageError(`--trust-proxy: ${(e as Error).message}`);
  }
  let smtpUrl = config.smtpUrl;
  try {
    if (values.smtp !== undefined) smtpUrl = checkSmtpUrl(values.smtp);
  } catch (e) {
    throw new UsageError(`--smtp: ${(e as Error).message}`);
  }
  const mailFrom = values['mail-from'] ?? config.mailFrom;
  let ballotWorkers = config.ballotWorkers;
  if (values['ballot-workers'] !== undefined) {
    ballotWorkers = Number(values['ballot-workers']);
    if (!/^\d+$/.test(values['ballot-workers']) || ballotWorkers > 256)
      throw new UsageError('--ballot-workers: a whole number of threads, 0 to 256');
  }
  const port = values.port === undefined ? (config.port ?? 3000) : parsePort(values.port, 3000);
  const host = values.host ?? config.host ?? '127.0.0.1';
  const url = databaseUrl(values.db);
  const ballotQueue = values['ballot-queue'] ?? config.ballotQueue;
  if (ballotQueue && !isPostgresUrl(url))
    throw new UsageError(
      '--ballot-queue needs PostgreSQL: on SQLite one process owns the file and its threads check the ballots',
    );
  const readReplica = values['read-replica'] ?? config.readReplica;
  if (readReplica !== undefined && !(isPostgresUrl(url) && isPostgresUrl(readReplica)))
    throw new UsageError(
      '--read-replica needs PostgreSQL: a postgres:// URL of a streaming replica of the --db database',
    );
  const direct = values['direct-database-url'] ?? config.directDatabaseUrl;
  if (direct !== undefined && !(isPostgresUrl(url) && isPostgresUrl(direct)))
    throw new UsageError(
      '--direct-database-url needs PostgreSQL: a postgres:// URL of the --db database itself, not its pooler',
    );
  // One process owns an SQLite file: a second server on it is refused here, before anything is read.
  const owner = isPostgresUrl(url) || url === ':memory:' ? undefined : ownSqliteFile(url);
  const db = await openDatabase(url, direct);
  const replicaDb = readReplica ? openReadReplica(readReplica) : undefined;
  if (replicaDb) {
    try {
      for (const w of await checkReplicaOf(db.kysely, replicaDb.kysely)) io.err(`councils serve: ${w}\n`);
    } catch (e) {
      await replicaDb.close();
      await db.close();
      throw e; // another system's data: "councils serve: the read replica is a replica of another …", exit 1
    }
  }
  const server = await startServer({
    keyDir: keyDirFor(url),
    db,
    host,
    port,
    ...(values.url ? { publicUrl: values.url } : {}),
    logger: values.log ?? false,
    ...(anonymousRate !== undefined ? { anonymousRate } : {}),
    ...(trustProxy !== undefined ? { trustProxy } : {}),
    checkpoint: config.checkpoint,
    ...(smtpUrl ? { smtpUrl } : {}),
    ...(mailFrom ? { mailFrom } : {}),
    webhooksAllowPrivate: values['webhooks-allow-private'] ?? config.webhooksAllowPrivate,
    ...(ballotWorkers !== undefined ? { ballotWorkers } : {}),
    ...(config.ballotCheckSeconds !== undefined ? { ballotCheckMs: config.ballotCheckSeconds * 1000 } : {}),
    // pg-boss on the database itself, beside the session-long connections (docs/DEPLOYMENT.md "Past one machine")
    ...(ballotQueue ? { ballotQueue: { url: direct ?? url } } : {}),
    ...(replicaDb ? { readReplica: replicaDb } : {}),
    ...(config.passwordHash ? { passwordHash: config.passwordHash } : {}),
  });
  io.out(`Councils is serving ${server.url} (database: ${db.description})\n`);
  const hashCost = config.passwordHash;
  if (hashCost) {
    const { memoryKiB: m, passes: t, lanes: p } = hashCost;
    io.out(
      `Passwords: argon2id at m=${m},t=${t},p=${p} (COUNCILS_PASSWORD_HASH)` +
        (isRecommendedCost(hashCost)
          ? '\n'
          : ', below every cost OWASP recommends: cheap to guess from a stolen database (docs/OPERATIONS.md "Accounts")\n'),
    );
  }
  io.out(
    smtpUrl
      ? `E-mail: on, through ${new URL(smtpUrl).host}\n`
      : 'E-mail: off (no --smtp or $COUNCILS_SMTP_URL)\n',
  );
  if (readReplica)
    io.out(`Reads: from the replica ${server.service.readReplica!.db.description} when it has caught up\n`);
  for (const h of server.held)
    io.err(`councils serve: ${h.orgId}: writes refused (${h.code}): ${h.message}\n`);
  const orgs = await server.service.orgIds();
  if (orgs.length === 0) {
    io.out(
      'No organisation yet. Found one from a file:   npx councils init examples/federation.yaml\n' +
        '                   or try a ready-made one:   npx councils demo\n',
    );
  }
  await waitForSignal(io, server);
  owner?.release();
  return 0;
};

export function waitForSignal(io: CommandIo, server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      io.out('Stopping: finishing requests in flight…\n');
      void server.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
