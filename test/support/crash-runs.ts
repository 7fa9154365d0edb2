// Kill runs: a real child process (test/support/crash-child.ts) does one multi-step act and is killed with SIGKILL
// at a random moment of it; then the database is checked for a half-done act and the act is tried again. Used by
// test/server/crash.test.ts (a few runs) and scripts/crash-run.ts (the bigger run whose figures are reported).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import * as ballot from '../../src/ballot/index.ts';
import type { Command } from '../../src/core/index.ts';
import { issueCredential, listSignedCredential } from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { listOrgIds } from '../../src/store/log-repository.ts';
import { recordKeyHistory } from '../../src/store/record-repository.ts';
import { countListed, issuerKeyId, issuerKeyIds } from '../../src/store/secret-credentials.ts';
import { cli } from './cli.ts';
import { withDatabase } from './databases.ts';
import { organisation } from './factory.ts';
import { testPasswordHashCost } from './password-cost.ts';
import { supportScript } from './paths.ts';
import { serveProcess } from './serve-process.ts';

/** A fresh database for child processes to share: an SQLite file, or a new PostgreSQL database. */
export async function sharedDatabase(
  kind: 'sqlite' | 'postgres',
  pgUrl?: string,
): Promise<{ url: string; dir: string; drop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'councils-crash-'));
  if (kind === 'sqlite') {
    return {
      url: join(dir, 'councils.db'),
      dir,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `councils_crash_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(pgUrl!, name),
    dir,
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the child; once it says "ready", kills it after `killAfterMs` (never, if undefined). Resolves with its
 * standard output, whether it was killed before finishing, and how long it ran after "ready".
 */
export function runChild(
  args: string[],
  keyDir: string,
  killAfterMs: number | undefined,
): Promise<{ out: string; killed: boolean; ms: number }> {
  const p = spawn(process.execPath, [...supportScript('crash-child'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, COUNCILS_KEY_DIR: keyDir },
  });
  let out = '';
  let err = '';
  let readyAt = 0;
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d) => {
      out += d;
      if (readyAt === 0 && out.startsWith('ready\n')) {
        readyAt = performance.now();
        if (killAfterMs !== undefined) setTimeout(() => p.kill('SIGKILL'), killAfterMs);
      }
    });
    p.stderr!.on('data', (d) => (err += d));
    p.on('exit', (code, signal) => {
      const ms = readyAt ? performance.now() - readyAt : 0;
      if (signal === 'SIGKILL') resolve({ out: out.slice(6), killed: true, ms });
      else if (code === 0) resolve({ out: out.slice(6), killed: false, ms });
      else reject(new Error(`crash child exited ${code}: ${err}`));
    });
  });
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The founding of a kill test's organisation: one council, `all`, and an invitation for each name. */
function killTestOrg(names: string[]) {
  return organisation({
    name: 'Kill test',
    councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
    founders: [],
    invitations: names.map((name) => ({ name, councilId: 'all' })),
  });
}

export interface AcceptFigures {
  runs: number;
  killed: number;
  /** The invitation is marked used but nobody was admitted by it. */
  usedNobodyAdmitted: number;
  /** A member admitted without an account, or an account of nobody admitted (its e-mail taken forever). */
  accountMismatch: number;
  /** Trying the acceptance again did not end with the person admitted. */
  retryFailed: number;
}

/** `runs` acceptances of fresh invitations, each killed 0–`maxDelayMs` after it starts, then checked and retried. */
export async function acceptUnderKill(url: string, dir: string, runs: number, maxDelayMs = 150) {
  const keyDir = join(dir, 'keys');
  const db = await openDatabase(url);
  const founding = killTestOrg(Array.from({ length: runs }, (_, i) => `Person ${i}`));
  const { orgId, invitations } = await new CouncilsService(db, undefined, { keyDir }).foundWithInvitations(
    founding,
  );
  await db.close();
  const figures: AcceptFigures = {
    runs,
    killed: 0,
    usedNobodyAdmitted: 0,
    accountMismatch: 0,
    retryFailed: 0,
  };
  for (const [i, inv] of invitations.entries()) {
    const email = `person${i}@example.org`;
    const delay = Math.random() * maxDelayMs;
    const r = await runChild(['accept', url, inv.token, email], keyDir, delay);
    if (r.killed) figures.killed++;
    const after = await openDatabase(url);
    try {
      const service = new CouncilsService(after, undefined, { keyDir, passwordHash: testPasswordHashCost });
      const state = await service.ledger(orgId).current();
      const usedBy = state.invitations.get(inv.invitationId)?.usedBy ?? null;
      const secret = await after.kysely
        .selectFrom('invitation_secrets')
        .select('used_at')
        .where('token_hash', '=', hashOf(inv.token))
        .executeTakeFirstOrThrow();
      const account = await after.kysely
        .selectFrom('accounts')
        .select('member_id')
        .where('email', '=', email)
        .executeTakeFirst();
      if (secret.used_at !== null && usedBy === null) figures.usedNobodyAdmitted++;
      if ((usedBy === null) !== (account === undefined) || (account && account.member_id !== usedBy))
        figures.accountMismatch++;
      // The restart: the person tries again with the same link.
      try {
        await service.acceptInvitation(inv.token, { email, password: 'correct horse battery' });
      } catch {
        // refused: fine only if they were admitted already
      }
      const now = (await service.ledger(orgId).current()).invitations.get(inv.invitationId)?.usedBy ?? null;
      const account2 = await after.kysely
        .selectFrom('accounts')
        .select('member_id')
        .where('email', '=', email)
        .executeTakeFirst();
      if (now === null || account2?.member_id !== now) figures.retryFailed++;
    } finally {
      await after.close();
    }
  }
  return { figures, orgId, keyDir };
}

export interface InitFigures {
  runs: number;
  killed: number;
  /** An organisation in the database without its log key (recorded and in its file). */
  withoutKey: number;
  /** An organisation whose founders' invitation secrets are not all there. */
  withoutSecrets: number;
  /** An organisation whose founders' links were neither printed nor given by the next `councils init`. */
  linksLost: number;
  /** Files of a founding that did not commit, still there after the next `councils init`. */
  leftovers: number;
}

/** `runs` of `councils init FILE`, each killed at a random moment, each followed by a `councils init FILE` again. */
export async function initUnderKill(url: string, dir: string, file: string, runs: number) {
  const keyDir = join(dir, 'keys');
  const founders = (await cliInit(url, keyDir, file)).invitations.length; // one whole run: how long it takes
  const full = await runChild(['init', url, file], keyDir, undefined);
  const figures: InitFigures = {
    runs,
    killed: 0,
    withoutKey: 0,
    withoutSecrets: 0,
    linksLost: 0,
    leftovers: 0,
  };
  for (let i = 0; i < runs; i++) {
    const db0 = await openDatabase(url);
    const before = new Set(await listOrgIds(db0.kysely));
    await db0.close();
    // Its first half opens the database and reads the file: the kills fall in the second, where it writes.
    const r = await runChild(['init', url, file], keyDir, full.ms * (0.5 + 0.6 * Math.random()));
    if (r.killed) figures.killed++;
    const printed = parsed(r.out);
    const again = await cliInit(url, keyDir, file); // the operator runs it again
    const db = await openDatabase(url);
    try {
      const orgs = (await listOrgIds(db.kysely)).filter((o) => !before.has(o));
      for (const orgId of orgs) {
        const keys = await recordKeyHistory(db.kysely, orgId);
        if (keys.length === 0 || !existsSync(join(keyDir, `${orgId}.key`))) figures.withoutKey++;
        const secrets = await db.kysely
          .selectFrom('invitation_secrets')
          .select('token_hash')
          .where('org_id', '=', orgId)
          .execute();
        if (secrets.length !== founders) figures.withoutSecrets++;
        const links = [printed, again].find((p) => p?.orgId === orgId)?.invitations ?? [];
        const known = new Set(secrets.map((s) => s.token_hash));
        if (links.length !== founders || !links.every((l) => known.has(hashOf(l.token)))) figures.linksLost++;
      }
      const live = new Set(await listOrgIds(db.kysely));
      const stray = readdirSync(keyDir).filter((f) => !live.has(f.split('.')[0]!));
      figures.leftovers += stray.length;
    } finally {
      await db.close();
    }
  }
  return { figures, keyDir, fullMs: full.ms };
}

/** The in-process `councils init`s one at a time: each sets $COUNCILS_KEY_DIR for its run (runs may overlap). */
let initTurn: Promise<unknown> = Promise.resolve();

function cliInit(url: string, keyDir: string, file: string) {
  const mine = initTurn.then(async () => {
    const saved = process.env.COUNCILS_KEY_DIR;
    process.env.COUNCILS_KEY_DIR = keyDir;
    try {
      const r = await cli('init', file, '--db', url, '--json');
      if (r.code !== 0) throw new Error(`councils init: ${r.err}`);
      return parsed(r.out)!;
    } finally {
      if (saved === undefined) delete process.env.COUNCILS_KEY_DIR;
      else process.env.COUNCILS_KEY_DIR = saved;
    }
  });
  initTurn = mine.catch(() => undefined);
  return mine;
}

function parsed(out: string): { orgId: string; invitations: { token: string }[] } | undefined {
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/** Checkpoints every organisation, exports each as a bundle and runs `councils verify` on it; returns failures. */
export async function verifyAll(url: string, dir: string, keyDir: string): Promise<string[]> {
  const db: Db = await openDatabase(url);
  const failures: string[] = [];
  try {
    const service = new CouncilsService(db, undefined, { keyDir });
    for (const orgId of await listOrgIds(db.kysely)) {
      try {
        await service.record.issue(orgId, true);
      } catch (e) {
        failures.push(`${orgId}: ${(e as Error).message}`); // e.g. no log key: it can never be checkpointed
        continue;
      }
      const bundle = join(dir, `bundle-${orgId}`);
      const exported = await cli('export', '--db', url, '--org', orgId, '--bundle', bundle);
      if (exported.code !== 0) {
        failures.push(`${orgId}: export ${exported.err}`);
        continue;
      }
      const vkey = readFileSync(join(bundle, 'vkey'), 'utf8').trim();
      const v = await cli('verify', bundle, '--key', vkey, '--no-state', '--json');
      if (v.code !== 0) failures.push(`${orgId}: ${v.out}${v.err}`);
    }
  } finally {
    await db.close();
  }
  return failures;
}

/** Kills a server child with SIGKILL, if it still runs, and waits until it has gone. */
async function killServer(server: { child: ChildProcess }): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const gone = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGKILL');
  await gone;
}

/** The first trustee moves a secret motion in `all`, with these trustees (2 of them decrypt); returns its id. */
async function moveSecretMotion(s: CouncilsService, orgId: string, trustees: string[], title: string) {
  const [e] = await s.run(orgId, trustees[0]!, {
    type: 'move_motion',
    councilId: 'all',
    title,
    text: '',
    alternatives: [{ title: 'Yes', text: '' }],
    secret: { trustees, threshold: 2, registrationMinutes: 60 },
  } as never);
  return (e!.payload as { motionId: string }).motionId;
}

export interface RetryFigures {
  runs: number;
  /** The server was killed before it answered. */
  killed: number;
  /** The motion was moved twice: the retry acted again. */
  actedTwice: number;
  /** The motion was not moved at all after the retry. */
  notDone: number;
}

/**
 * `runs` writes (a motion) to a `councils serve` child killed with SIGKILL 0–`maxDelayMs` after the request was
 * sent; the server is started again and the client retries with the same Idempotency-Key until it has an answer.
 */
export async function retryUnderKill(url: string, dir: string, runs: number, maxDelayMs = 40) {
  const keyDir = join(dir, 'keys');
  const db = await openDatabase(url);
  const founding = killTestOrg(['Ana']);
  const founded = await new CouncilsService(db, undefined, { keyDir }).foundWithInvitations(founding);
  await db.close();
  let server = await serveProcess(url, { COUNCILS_KEY_DIR: keyDir });
  const figures: RetryFigures = { runs, killed: 0, actedTwice: 0, notDone: 0 };
  try {
    const joined = await fetch(`${server.url}/api/v1/invitations/${founded.invitations[0]!.token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@example.org', password: 'correct horse battery' }),
    });
    const headers = {
      'content-type': 'application/json',
      cookie: joined.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': ((await joined.json()) as { csrfToken: string }).csrfToken,
    };
    const path = `/api/v1/orgs/${founded.orgId}/councils/all/motions`;
    for (let i = 0; i < runs; i++) {
      const title = `Crash ${i}`;
      const init = {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `"${randomUUID()}"` },
        body: JSON.stringify({ title, text: '', alternatives: [{ title: 'Yes', text: '' }] }),
      };
      let answered = false;
      const sent = fetch(server.url + path, init).then(
        () => void (answered = true),
        () => undefined,
      );
      await new Promise((r) => setTimeout(r, Math.random() * maxDelayMs));
      server.child.kill('SIGKILL');
      await Promise.all([sent, new Promise((r) => server.child.once('exit', r))]);
      if (!answered) figures.killed++;
      server = await serveProcess(url, { COUNCILS_KEY_DIR: keyDir });
      for (;;) {
        const res = await fetch(server.url + path, init);
        const body = (await res.json()) as { error?: string };
        if (res.status !== 409 || body.error !== 'idempotency_in_flight') break;
      }
      const check = await openDatabase(url);
      try {
        const state = await new CouncilsService(check, undefined, { keyDir }).ledger(founded.orgId).current();
        const moved = [...state.motions.values()].filter((m) => m.title === title).length;
        if (moved > 1) figures.actedTwice++;
        if (moved === 0) figures.notDone++;
      } finally {
        await check.close();
      }
    }
  } finally {
    // Gone before its database is dropped: a server still connected would hold the drop up or see it.
    await killServer(server);
  }
  return { figures, keyDir };
}

export interface SecretSetupFigures {
  runs: number;
  killed: number;
  /** Private issuing keys of no open vote (made for a vote that never opened). */
  orphanKeys: number;
  /** An open secret vote whose private issuing keys are missing (nobody could be issued a credential). */
  voteWithoutKeys: number;
}

/** `runs` openings of a secret vote (its issuing keys made and kept), each killed at a random moment, then retried. */
export async function secretSetupUnderKill(url: string, dir: string, runs: number) {
  const keyDir = join(dir, 'keys');
  const db = await openDatabase(url);
  const service = new CouncilsService(db, undefined, { keyDir, passwordHash: testPasswordHashCost });
  const { orgId, invitations } = await service.foundWithInvitations(killTestOrg(['Ana', 'Ben', 'Cai']));
  const members: string[] = [];
  for (const [i, inv] of invitations.entries()) {
    const r = await service.acceptInvitation(inv.token, {
      email: `m${i}@example.org`,
      password: 'correct horse battery',
    });
    members.push(r.memberId);
  }
  const moveSecret = (s: CouncilsService, title: string) => moveSecretMotion(s, orgId, members, title);
  const calibration = await moveSecret(service, 'Calibration');
  await db.close();
  const full = await runChild(['open-vote', url, orgId, members[0]!, calibration], keyDir, undefined);
  const figures: SecretSetupFigures = { runs, killed: 0, orphanKeys: 0, voteWithoutKeys: 0 };
  for (let i = 0; i < runs; i++) {
    const before = await openDatabase(url);
    const motionId = await moveSecret(new CouncilsService(before, undefined, { keyDir }), `Secret ${i}`);
    await before.close();
    const r = await runChild(
      ['open-vote', url, orgId, members[0]!, motionId],
      keyDir,
      Math.random() * full.ms * 1.1,
    );
    if (r.killed) figures.killed++;
    const after = await openDatabase(url);
    try {
      const s = new CouncilsService(after, undefined, { keyDir });
      const keyIds = async () => {
        const state = await s.ledger(orgId).current();
        const wanted = new Set<string>();
        for (const v of state.votes.values())
          for (const k of v.secret?.setup.issuers ?? []) wanted.add(issuerKeyId(k));
        const held = new Set(await issuerKeyIds(after.kysely, orgId));
        return { wanted, held };
      };
      const { wanted, held } = await keyIds();
      figures.orphanKeys += [...held].filter((k) => !wanted.has(k)).length;
      if ([...wanted].some((k) => !held.has(k))) figures.voteWithoutKeys++;
      const state = await s.ledger(orgId).current();
      if (![...state.votes.values()].some((v) => v.motionId === motionId))
        await s.run(orgId, members[0]!, { type: 'open_vote', motionId }); // the restart: open it again
    } finally {
      await after.close();
    }
  }
  return { figures, keyDir, fullMs: full.ms };
}

export interface FreezeFigures {
  runs: number;
  /** Kills that fell before the list was frozen (it froze after the restart instead). */
  killedBeforeFreeze: number;
  /** Kills that fell after the freeze had committed. */
  killedAfterFreeze: number;
  /** A frozen list whose issuing keys or listed credentials are still there. */
  frozenWithKeys: number;
  /** Issuing keys or listed credentials gone (some or all) while the list is not frozen. */
  keysWithoutFreeze: number;
  /** A vote whose list was still not frozen after a restart of the server. */
  neverFrozen: number;
}

/**
 * `runs` freezes of a full credential list by a `councils serve` child's scheduler (its first pass, 5 s after it
 * starts), each killed with SIGKILL at a random moment `windowMs` after "serving", around the freeze, then checked in the database: frozen with the vote's issuing keys and listed credentials destroyed, or not frozen
 * with both whole. The next run's server is the restart that freezes what a kill left unfrozen.
 */
export async function freezeUnderKill(
  url: string,
  dir: string,
  runs: number,
  windowMs: [number, number] = [4_200, 5_200],
) {
  const keyDir = join(dir, 'keys');
  const g = await ballot.sodiumGroup();
  const rnd = (n: number) => new Uint8Array(randomBytes(n));
  const members = ['m0', 'm1', 'm2'];
  const db = await openDatabase(url);
  const { orgId } = await new CouncilsService(db, undefined, { keyDir }).found(
    organisation({
      name: 'Kill test',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
    }),
  );
  await db.close();
  /** A secret vote of the three members, every credential issued and listed, then its key generation: full, not frozen. */
  const readyVote = async (title: string): Promise<string> => {
    const d = await openDatabase(url);
    try {
      const s = new CouncilsService(d, undefined, { keyDir });
      const run = (actor: string, c: Command) => s.run(orgId, actor, c);
      const motionId = await moveSecretMotion(s, orgId, members, title);
      const [opened] = await run('m0', { type: 'open_vote', motionId, minutes: 120 } as never);
      const voteId = (opened!.payload as { voteId: string }).voteId;
      const setup = (await s.ledger(orgId).current()).votes.get(voteId)!.secret!.setup;
      const key = setup.issuers![0]!;
      for (const m of members) {
        const c = ballot.makeCredential(g, rnd);
        const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
        const issued = await issueCredential(s, orgId, voteId, m, req.blindedMessage);
        const signed = ballot.finishToken(key, setup.setupHash, c.public, issued.blindSignature, req.inv)!;
        // without the trustees' joint key the full list cannot freeze yet
        if ((await listSignedCredential(s, orgId, voteId, signed)).frozen) throw new Error('froze early');
      }
      const r1 = members.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
      const post = (i: number, kind: string, body: unknown) =>
        run(members[i]!, { type: 'post_trustee_message', voteId, message: { kind, body } } as never);
      for (const [i, r] of r1.entries()) await post(i, 'dkg-commit', r.message);
      const commits = r1.map((r) => r.message);
      // service.run, not runSecret: the last message does not freeze the list, the scheduler's pass will
      for (const [i, r] of r1.entries())
        await post(i, 'dkg-shares', ballot.dkgShares(g, setup, r.secret, commits, rnd));
      return voteId;
    } finally {
      await d.close();
    }
  };
  /** Each secret vote's freeze and what is left of its issuance, read from the database. */
  const inspect = async () => {
    const d = await openDatabase(url);
    try {
      const state = await new CouncilsService(d, undefined, { keyDir }).ledger(orgId).current();
      const held = new Set(await issuerKeyIds(d.kysely, orgId));
      const out = [];
      for (const v of state.votes.values()) {
        if (!v.secret) continue;
        const keys = (v.secret.setup.issuers ?? []).map(issuerKeyId);
        out.push({
          voteId: v.id,
          frozen: v.secret.election !== null && v.secret.board.some((e) => e.kind === 'credentials'),
          keysHeld: keys.filter((k) => held.has(k)).length,
          keys: keys.length,
          listed: (await countListed(d.kysely, orgId, v.id)).total,
          electors: v.electorate.size,
        });
      }
      return out;
    } finally {
      await d.close();
    }
  };
  const env = { COUNCILS_KEY_DIR: keyDir };
  const figures: FreezeFigures = {
    runs,
    killedBeforeFreeze: 0,
    killedAfterFreeze: 0,
    frozenWithKeys: 0,
    keysWithoutFreeze: 0,
    neverFrozen: 0,
  };
  const unfrozen = new Set<string>();
  const check = async () => {
    for (const v of await inspect()) {
      if (v.frozen && (v.keysHeld > 0 || v.listed > 0)) figures.frozenWithKeys++;
      if (!v.frozen && (v.keysHeld < v.keys || v.listed < v.electors)) figures.keysWithoutFreeze++;
      if (v.frozen) unfrozen.delete(v.voteId);
    }
  };
  for (let i = 0; i < runs; i++) {
    const voteId = await readyVote(`Secret ${i}`);
    unfrozen.add(voteId);
    const server = await serveProcess(url, env);
    // from 80 ms before the calibrated freeze to 20 ms after it: the pass, its transaction and its commit
    // The scheduler's first pass comes 5 s after it starts, a little before "serving" is printed.
    await new Promise((r) => setTimeout(r, windowMs[0] + Math.random() * (windowMs[1] - windowMs[0])));
    await killServer(server);
    await check();
    if (unfrozen.has(voteId)) figures.killedBeforeFreeze++;
    else figures.killedAfterFreeze++;
  }
  if (unfrozen.size > 0) {
    // The last restart, left to run its pass: every vote's list is full, so no key is left once all are frozen.
    const server = await serveProcess(url, env);
    const started = performance.now();
    const poll = await openDatabase(url);
    try {
      while ((await issuerKeyIds(poll.kysely, orgId)).length > 0 && performance.now() - started < 15_000)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      await poll.close();
      await killServer(server);
    }
    await check();
    figures.neverFrozen += unfrozen.size;
  }
  return { figures, keyDir };
}
