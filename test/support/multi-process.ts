// Several `councils serve` processes on one PostgreSQL database serving one organisation (issue #18 item 2): the
// organisation and its members' API tokens are made in-process, then each client posts comments to any process
// with an Idempotency-Key, moving to another process (same key) when its process is gone. Used by
// test/server/multi-process.test.ts (small runs) and bench/multi-process.bench.ts (the bigger run).
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase } from '../../src/store/database.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { schedulerLeaseSpace } from '../../src/store/leases.ts';
import { organisation } from './factory.ts';
import { testPasswordHashCost } from './password-cost.ts';
import { serveProcess } from './serve-process.ts';

export interface Cluster {
  orgId: string;
  motionId: string;
  tokens: string[];
  keyDir: string;
  servers: { child: ChildProcess; url: string }[];
  stop(): Promise<void>;
}

/** An organisation founded for a load: its members' API tokens and a motion to comment on. */
export interface LoadOrg {
  orgId: string;
  motionId: string;
  tokens: string[];
}

/** Founds an organisation of `members` members with API tokens and a motion, its log key in `keyDir`. */
export async function foundForLoad(url: string, keyDir: string, members = 4): Promise<LoadOrg> {
  const db = await openDatabase(url);
  try {
    const service = new CouncilsService(db, undefined, { keyDir, passwordHash: testPasswordHashCost });
    const names = Array.from({ length: members }, (_, i) => `Member ${i}`);
    const { orgId, invitations } = await service.foundWithInvitations(
      organisation({
        name: 'Many processes',
        invitations: names.map((name) => ({ name, councilId: 'all' })),
      }),
    );
    const tokens: string[] = [];
    let mover = '';
    for (const [i, inv] of invitations.entries()) {
      const joined = await service.acceptInvitation(inv.token, {
        email: `member${i}@example.org`,
        password: 'correct horse battery',
      });
      mover ||= joined.memberId;
      const principal = { memberId: joined.memberId, orgId, via: 'token' as const };
      tokens.push((await service.createApiToken(principal, 'load')).token);
    }
    const [moved] = await service.run(orgId, mover, {
      type: 'move_motion',
      councilId: 'all',
      title: 'Many hands',
      text: 'Comments from every process.',
    });
    return { orgId, motionId: (moved!.payload as { motionId: string }).motionId, tokens };
  } finally {
    await db.close();
  }
}

/** Founds an organisation of `members` members with API tokens and a motion, then starts `processes` servers. */
export async function startCluster(
  url: string,
  dir: string,
  processes: number,
  members = 4,
): Promise<Cluster> {
  const keyDir = join(dir, 'keys');
  const { orgId, motionId, tokens } = await foundForLoad(url, keyDir, members);
  const env = { COUNCILS_KEY_DIR: keyDir, COUNCILS_CHECKPOINT_SECONDS: '1' };
  const servers = await Promise.all(Array.from({ length: processes }, () => serveProcess(url, env)));
  return {
    orgId,
    motionId,
    tokens,
    keyDir,
    servers,
    stop: async () => {
      for (const s of servers)
        if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
      await Promise.all(servers.map((s) => exited(s.child)));
    },
  };
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface LoadFigures {
  /** Comments the servers acknowledged (201, or 409 idempotency_answer_lost: done, its answer lost). */
  acknowledged: number;
  /** Answers other than those, from a live server (each is a failed request). */
  failed: string[];
  /** Requests whose connection broke (a killed server): sent again to another process with the same key. */
  retried: number;
  /** Texts of the acknowledged comments. */
  texts: string[];
  ms: number;
}

/**
 * `clients` clients each post `perClient` comments, one at a time, each to the next live server in turn; a
 * request whose connection fails is sent again, with the same Idempotency-Key, to another live server.
 * `onProgress(n)` is called after each acknowledgement with the total so far.
 */
export async function commentLoad(
  cluster: Cluster,
  clients: number,
  perClient: number,
  onProgress?: (acknowledged: number) => void,
  /** The servers the load goes to (indices into cluster.servers; all by default). */
  to: readonly number[] = cluster.servers.map((_, i) => i),
): Promise<LoadFigures> {
  const figures: LoadFigures = { acknowledged: 0, failed: [], retried: 0, texts: [], ms: 0 };
  const dead = new Set<number>();
  const started = performance.now();
  let turn = 0;
  const next = () => {
    for (let i = 0; i < to.length; i++) {
      const k = to[turn++ % to.length]!;
      if (!dead.has(k) && cluster.servers[k]!.child.signalCode === null) return k;
    }
    throw new Error('no server left');
  };
  const client = async (c: number) => {
    const token = cluster.tokens[c % cluster.tokens.length]!;
    for (let i = 0; i < perClient; i++) {
      const text = `client ${c} comment ${i} ${randomUUID()}`;
      const key = randomUUID();
      for (let attempt = 0; ; attempt++) {
        const k = next();
        let res: Response;
        try {
          res = await fetch(
            `${cluster.servers[k]!.url}/api/v1/orgs/${cluster.orgId}/motions/${cluster.motionId}/comments`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'application/json',
                'idempotency-key': key,
              },
              body: JSON.stringify({ stance: 'neutral', text }),
            },
          );
        } catch {
          // The server is gone (killed): the same request, with the same key, to another one.
          dead.add(k);
          figures.retried++;
          if (attempt > 20) throw new Error('no server answers');
          continue;
        }
        let body: { error?: string };
        try {
          body = (await res.json()) as { error?: string };
        } catch {
          // Killed between its headers and its body: the same request, with the same key, to another server.
          dead.add(k);
          figures.retried++;
          if (attempt > 20) throw new Error('no server answers');
          continue;
        }
        if (res.status === 201 || body.error === 'idempotency_answer_lost') {
          figures.acknowledged++;
          figures.texts.push(text);
          onProgress?.(figures.acknowledged);
        } else if (body.error === 'idempotency_in_flight' && attempt < 50) {
          // The first attempt is still being answered by a process that was killed holding it: try again.
          await new Promise((r) => setTimeout(r, 100));
          continue;
        } else {
          figures.failed.push(`${res.status} ${JSON.stringify(body)}`);
        }
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  figures.ms = performance.now() - started;
  return figures;
}

/** The comments in the organisation's log: how many times each text was stored. */
export async function storedComments(url: string, orgId: string): Promise<Map<string, number>> {
  const db = await openDatabase(url);
  try {
    const stored = new Map<string, number>();
    for await (const e of readEntries(db.kysely, orgId)) {
      if (e.act !== 'comment_posted') continue;
      const text = e.payload.text;
      stored.set(text, (stored.get(text) ?? 0) + 1);
    }
    return stored;
  } finally {
    await db.close();
  }
}

/** The PostgreSQL backend (pid) holding the organisation's scheduler lease, and its application_name. */
export async function leaseHolder(
  url: string,
  orgId: string,
): Promise<{ pid: number; application: string } | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ pid: number; application_name: string }>(
      `select l.pid, a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.classid = $1::oid
          and l.objid = (hashtext($2)::bigint & 4294967295)::oid and l.objsubid = 2`,
      [schedulerLeaseSpace, orgId],
    );
    const row = r.rows[0];
    return row && { pid: row.pid, application: row.application_name };
  } finally {
    await c.end();
  }
}
