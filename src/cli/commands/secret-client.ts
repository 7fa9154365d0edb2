// What `councils trustee` and `councils ballot` share: talking to a server's secret-vote API with an API token,
// reading the board, and keeping secrets in files of mode 0600 on this machine (they never reach the server).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import type * as ballot from '../../ballot/index.ts';
import { UsageError } from '../command.ts';

export const connectionUsage = `  --server URL   the Councils server (default $COUNCILS_SERVER)
  --token TOKEN  an API token (default $COUNCILS_TOKEN); cast and challenge send none
  --org ID --vote ID
  --dir DIR      where secrets are kept, mode 0600 (default $COUNCILS_SECRETS or ~/.config/councils/secrets)`;

export interface Connection {
  server: string;
  token: string | undefined;
  org: string;
  vote: string;
  dir: string;
}

export const connectionOptions = {
  server: { type: 'string' },
  token: { type: 'string' },
  org: { type: 'string' },
  vote: { type: 'string' },
  dir: { type: 'string' },
} as const;

export function connection(values: Record<string, unknown>): Connection {
  const config = loadConfig();
  const server = (values.server as string | undefined) ?? config.ballotServer;
  const org = values.org as string | undefined;
  const vote = values.vote as string | undefined;
  if (!server || !org || !vote) throw new UsageError('give --server (or $COUNCILS_SERVER), --org and --vote');
  const dir = (values.dir as string | undefined) ?? config.secretsDir;
  return {
    server: server.replace(/\/+$/, ''),
    token: (values.token as string | undefined) ?? config.token,
    org,
    vote,
    dir,
  };
}

export { parseArgs };

/** One API call; `anonymous` sends no token (casting and challenging must not name the member). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the server, shaped by the caller
export async function api<T = any>(
  c: Connection,
  method: string,
  path: string,
  body?: unknown,
  anonymous = false,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!anonymous && c.token) headers.authorization = `Bearer ${c.token}`;
  const res = await fetch(`${c.server}/api/v1${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok)
    throw new Error(`${method} ${path}: ${res.status} ${json?.error ?? ''}: ${json?.message ?? text}`);
  return json as T;
}

export const votePath = (c: Connection) => `/orgs/${c.org}/votes/${c.vote}/secret`;

export interface SecretViewJson {
  phase: string;
  /** ranked: a mixed vote (docs/MIXNET.md §16). */
  ballotKind?: 'homomorphic' | 'ranked';
  trustees: { trustee: number; memberId: string }[];
  threshold: number;
  options: string[];
  board: (ballot.BoardEntry & { seq: number })[];
  /** The `after` of the board's next page, or null after the last. */
  boardNext?: number | null;
  aggregate?: ballot.Aggregate;
  /** Phase 'failed': why the vote ended without a result. */
  failure?: string;
}

/** The vote's board; a vote that failed (key generation, docs/BALLOT-PROTOCOL.md §10) is an error naming why. */
export async function readView(c: Connection): Promise<SecretViewJson> {
  const view = await api<SecretViewJson>(c, 'GET', votePath(c));
  // the board comes in pages by seq (docs/API.md): the rest read in turn, to the last
  for (let next = view.boardNext ?? null; next !== null;) {
    const page = await api<SecretViewJson>(c, 'GET', `${votePath(c)}?after=${next}`);
    view.board.push(...page.board);
    next = page.boardNext ?? null;
  }
  if (view.phase === 'failed') {
    throw new Error(`this vote failed: ${view.failure}; the council can hold the vote again`);
  }
  return view;
}

export const boardOf = (v: SecretViewJson): ballot.BoardEntry[] =>
  v.board.map(({ kind, at, body }) => ({ kind, at, body }) as ballot.BoardEntry);

export const bodies = <K extends ballot.BoardEntry['kind']>(v: SecretViewJson, kind: K) =>
  v.board.filter((e) => e.kind === kind).map((e) => e.body) as Extract<
    ballot.BoardEntry,
    { kind: K }
  >['body'][];

export function secretFile(c: Connection, what: string): string {
  return join(c.dir, `${c.org}-${c.vote}-${what}.json`);
}

export function readSecret<T>(c: Connection, what: string): T | undefined {
  const f = secretFile(c, what);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : undefined;
}

/** Writes a secret file readable by its owner only (0600, in a 0700 directory). */
export function writeSecret(c: Connection, what: string, value: unknown): string {
  mkdirSync(c.dir, { recursive: true, mode: 0o700 });
  const f = secretFile(c, what);
  writeFileSync(f, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  chmodSync(f, 0o600);
  return f;
}
