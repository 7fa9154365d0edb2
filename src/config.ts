// The one place the environment is read: every variable Councils takes, parsed and checked when a command starts,
// with an error that names the variable. Flags, where a command has them, override these (src/cli/config.ts);
// the table in docs/OPERATIONS.md "Configuration" lists the same variables (test/cli/config.test.ts holds the two
// together). The log keys an operator may give instead of key files, COUNCILS_LOG_KEY_<ORG>, are read by the
// record keeper when it needs the key (src/node/record-keeper.ts) and checked as keys there.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseRateLimit, type RateLimit } from './server/rate-limit-spec.ts';
import { parseTrustProxy, type TrustProxy } from './server/trust-proxy.ts';
import { checkSmtpUrl } from './server/mail/smtp-url.ts';
import { parsePasswordHashCost, type PasswordHashCost } from './server/password-hash.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

/** A variable with a value it cannot take; `variable` names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export interface Config {
  /** DATABASE_URL: a postgres:// URL, an SQLite file path, or :memory: (a flag or ./data/councils.db if unset). */
  databaseUrl: string | undefined;
  /** PORT and HOST of `councils serve` and `demo`. */
  port: number | undefined;
  host: string | undefined;
  /** COUNCILS_PUBLIC_URL: where members reach the app (links in invitations), without a trailing slash. */
  publicUrl: string | undefined;
  /** COUNCILS_KEY_DIR: where the log keys are kept. */
  keyDir: string | undefined;
  /** COUNCILS_CHECKPOINT_ENTRIES and COUNCILS_CHECKPOINT_SECONDS: a checkpoint every N entries or T seconds. */
  checkpoint: { everyEntries: number; everyMs: number };
  /** COUNCILS_ANONYMOUS_RATE and COUNCILS_TRUST_PROXY of `councils serve`. */
  anonymousRate: RateLimit | false | undefined;
  trustProxy: TrustProxy | undefined;
  /** COUNCILS_SMTP_URL and COUNCILS_MAIL_FROM of `councils serve`: the SMTP relay (none: e-mail off) and From. */
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** COUNCILS_WEBHOOKS_ALLOW_PRIVATE=1 of `councils serve`: webhooks may go to private and loopback addresses. */
  webhooksAllowPrivate: boolean;
  /** COUNCILS_BALLOT_QUEUE=1 of `councils serve` on PostgreSQL: secret ballots' proofs checked on the shared queue. */
  ballotQueue: boolean;
  /**
   * COUNCILS_DIRECT_DATABASE_URL of `councils serve` on PostgreSQL: the database itself, for the session-long
   * connections (leases, LISTEN, the ballot queue's pg-boss) when DATABASE_URL is a pgbouncer in transaction mode.
   */
  directDatabaseUrl: string | undefined;
  /** COUNCILS_READ_REPLICA of `councils serve` on PostgreSQL: a streaming replica's URL for organisations' reads. */
  readReplica: string | undefined;
  /** COUNCILS_BALLOT_WORKERS of `councils serve`: threads checking secret ballots' proofs (default: every core). */
  ballotWorkers: number | undefined;
  /** COUNCILS_BALLOT_CHECK_SECONDS of `councils serve`: a check's deadline per 640 ballot-options (default 30). */
  ballotCheckSeconds: number | undefined;
  /** COUNCILS_PASSWORD_HASH of `councils serve` and `demo`: the argon2id cost of new password hashes. */
  passwordHash: PasswordHashCost | undefined;
  /** COUNCILS_URL and COUNCILS_TOKEN: the server and API token of the member commands (pay, petition, approve). */
  apiUrl: string | undefined;
  token: string | undefined;
  /** COUNCILS_SERVER: the server of `councils trustee` and `councils ballot`. */
  ballotServer: string | undefined;
  /** COUNCILS_SECRETS: where trustees' and voters' secrets are kept (0600 files). */
  secretsDir: string;
  /** COUNCILS_APPROVAL_KEY: a member's approval key file. */
  approvalKey: string;
  /** COUNCILS_VERIFY_STATE: what `councils verify` remembers of the logs it verified. */
  verifyState: string;
  /** COUNCILS_DEBUG: print the stack of an unexpected error. */
  debug: boolean;
}

export const defaultCheckpoint = { everyEntries: 1000, everyMs: 10_000 } as const;

/** Every variable read here or by the launcher, with what it means: the source of the documented table. */
export const variables: readonly { name: string; meaning: string }[] = [
  { name: 'DATABASE_URL', meaning: 'the database: postgres://…, an SQLite file, or :memory:' },
  { name: 'PORT', meaning: 'the port of serve and demo (0–65535)' },
  { name: 'HOST', meaning: 'the address serve listens on' },
  { name: 'COUNCILS_PUBLIC_URL', meaning: 'where members reach the app (http or https URL)' },
  { name: 'COUNCILS_KEY_DIR', meaning: 'where the log keys are kept' },
  { name: 'COUNCILS_LOG_KEY_<ORG>', meaning: "an organisation's log signer key instead of its key file" },
  {
    name: 'COUNCILS_CHECKPOINT_ENTRIES',
    meaning: 'a checkpoint after this many entries (a whole number ≥ 1)',
  },
  { name: 'COUNCILS_CHECKPOINT_SECONDS', meaning: 'a checkpoint after this many seconds (a number > 0)' },
  {
    name: 'COUNCILS_ANONYMOUS_RATE',
    meaning: 'rate limit of the anonymous ballot writes: BURST/PER_MINUTE or off',
  },
  {
    name: 'COUNCILS_TRUST_PROXY',
    meaning: 'which proxies give the client address: false, true, HOPS or addresses',
  },
  {
    name: 'COUNCILS_SMTP_URL',
    meaning: 'the SMTP relay of e-mail: smtp:// or smtps:// URL (none: e-mail off)',
  },
  { name: 'COUNCILS_MAIL_FROM', meaning: 'the From address of e-mail' },
  {
    name: 'COUNCILS_WEBHOOKS_ALLOW_PRIVATE',
    meaning: '1: webhooks may be sent to private, loopback and link-local addresses',
  },
  {
    name: 'COUNCILS_BALLOT_QUEUE',
    meaning: "1 (PostgreSQL): secret ballots' proofs checked on the job queue every process shares",
  },
  {
    name: 'COUNCILS_DIRECT_DATABASE_URL',
    meaning:
      'PostgreSQL: the database itself for the leases, LISTENs and ballot queue, when DATABASE_URL is a transaction-mode pgbouncer',
  },
  {
    name: 'COUNCILS_READ_REPLICA',
    meaning: "a streaming replica's postgres:// URL: organisations' reads go there when it has caught up",
  },
  { name: 'COUNCILS_BALLOT_WORKERS', meaning: "threads checking secret ballots' proofs (0: none)" },
  {
    name: 'COUNCILS_BALLOT_CHECK_SECONDS',
    meaning:
      'the deadline of a check on those threads per 640 ballot-options of its batch; a stuck thread is replaced, its batch split',
  },
  {
    name: 'COUNCILS_PASSWORD_HASH',
    meaning: 'the argon2id cost of new password hashes: m=KIB,t=PASSES,p=LANES (default m=19456,t=2,p=1)',
  },
  { name: 'COUNCILS_URL', meaning: 'the server of pay, petition and approve (http or https URL)' },
  { name: 'COUNCILS_TOKEN', meaning: "a member's API token for the member commands" },
  { name: 'COUNCILS_SERVER', meaning: 'the server of trustee and ballot (http or https URL)' },
  { name: 'COUNCILS_SECRETS', meaning: "where trustees' and voters' secrets are kept" },
  { name: 'COUNCILS_APPROVAL_KEY', meaning: "a member's approval key file" },
  { name: 'COUNCILS_VERIFY_STATE', meaning: 'the state file of councils verify' },
  { name: 'XDG_CONFIG_HOME', meaning: 'the folder of the secrets and the verify state when not given' },
  { name: 'COUNCILS_DEBUG', meaning: 'any value: print the stack of an unexpected error' },
  { name: 'COUNCILS_FROM_SOURCE', meaning: '1: run the TypeScript sources even when the build is fresh' },
  { name: 'NODE_ENV', meaning: '`test`: the test suite; honours the test-only fault below, nothing else' },
  {
    name: 'COUNCILS_TEST_CRASHING_BALLOT',
    meaning: "with NODE_ENV=test only: a ballot code whose check ends its worker (the crash tests' fault)",
  },
  {
    name: 'COUNCILS_TEST_HANGING_BALLOT',
    meaning:
      "with NODE_ENV=test only: a ballot code whose check blocks its worker for good (the deadline tests' fault)",
  },
];

/** A port number, 0–65535; `name` is what the error names (a variable or a flag). */
export function parsePort(text: string, name: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new ConfigError(name, `a port is 0..65535, not "${text}"`);
  return port;
}

function httpUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(name, `not a URL: "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, `an http or https URL, not "${text}"`);
  return text.replace(/\/+$/, '');
}

function threadCount(text: string, name: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n <= 256)) throw new ConfigError(name, `a number of threads from 0 to 256, not "${text}"`);
  return n;
}

function wholeNumber(text: string, name: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(name, `a whole number ≥ 1, not "${text}"`);
  return n;
}

function positiveNumber(text: string, name: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new ConfigError(name, `a number > 0, not "${text}"`);
  return n;
}

function parsedBy<T>(parse: (text: string) => T, text: string, name: string): T {
  try {
    return parse(text);
  } catch (e) {
    throw new ConfigError(name, (e as Error).message);
  }
}

/** Reads and checks every variable of `env` (an empty value counts as unset). */
export function loadConfig(env: Environment = process.env): Config {
  const get = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const read = <T>(name: string, parse: (text: string, name: string) => T): T | undefined => {
    const v = get(name);
    return v === undefined ? undefined : parse(v, name);
  };
  const configHome = get('XDG_CONFIG_HOME') ?? join(homedir(), '.config');
  const entries = read('COUNCILS_CHECKPOINT_ENTRIES', wholeNumber);
  const seconds = read('COUNCILS_CHECKPOINT_SECONDS', positiveNumber);
  return {
    databaseUrl: get('DATABASE_URL'),
    port: read('PORT', parsePort),
    host: get('HOST'),
    publicUrl: read('COUNCILS_PUBLIC_URL', httpUrl),
    keyDir: get('COUNCILS_KEY_DIR'),
    checkpoint: {
      everyEntries: entries ?? defaultCheckpoint.everyEntries,
      everyMs: seconds === undefined ? defaultCheckpoint.everyMs : seconds * 1000,
    },
    anonymousRate: read('COUNCILS_ANONYMOUS_RATE', (t, n) => parsedBy(parseRateLimit, t, n)),
    trustProxy: read('COUNCILS_TRUST_PROXY', (t, n) => parsedBy(parseTrustProxy, t, n)),
    smtpUrl: read('COUNCILS_SMTP_URL', (t, n) => parsedBy(checkSmtpUrl, t, n)),
    mailFrom: get('COUNCILS_MAIL_FROM'),
    webhooksAllowPrivate: get('COUNCILS_WEBHOOKS_ALLOW_PRIVATE') === '1',
    ballotQueue: get('COUNCILS_BALLOT_QUEUE') === '1',
    ballotWorkers: read('COUNCILS_BALLOT_WORKERS', threadCount),
    ballotCheckSeconds: read('COUNCILS_BALLOT_CHECK_SECONDS', positiveNumber),
    passwordHash: read('COUNCILS_PASSWORD_HASH', (t, n) => parsedBy(parsePasswordHashCost, t, n)),
    directDatabaseUrl: get('COUNCILS_DIRECT_DATABASE_URL'),
    readReplica: get('COUNCILS_READ_REPLICA'),
    apiUrl: read('COUNCILS_URL', httpUrl),
    token: get('COUNCILS_TOKEN'),
    ballotServer: read('COUNCILS_SERVER', httpUrl),
    secretsDir: get('COUNCILS_SECRETS') ?? join(configHome, 'councils', 'secrets'),
    approvalKey: get('COUNCILS_APPROVAL_KEY') ?? './councils-approval.key',
    verifyState: get('COUNCILS_VERIFY_STATE') ?? join(configHome, 'councils', 'verify-state.json'),
    debug: get('COUNCILS_DEBUG') !== undefined,
  };
}
