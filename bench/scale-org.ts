// A generated (seeded) federation for the scale benchmarks (issue #18, docs/SCALE.md): a root, regions of up to
// 100 base councils, base councils of 100 members; one base council has a decided motion whose vote all its members
// cast and an open one. The log is built through the core (decide, apply) and the store (appendEntries,
// writeProjections) in transactions of 20,000 entries — the same code as the ledger's, without its one-transaction
// batch, which would hold a million entries at once.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  apply,
  canonicalEntry,
  decide,
  emptyState,
  type Command,
  type Entry,
  type OrgState,
  type ProjectionKey,
} from '../src/core/index.ts';
import { hashSecret, secretToken } from '../src/server/service.ts';
import { insertApiToken } from '../src/store/account-repository.ts';
import type { Db } from '../src/store/database.ts';
import { appendEntries } from '../src/store/log-repository.ts';
import { writeProjections } from '../src/store/projection-repository.ts';
import { prng } from '../test/support/mulberry32.ts';

export const perBase = 100;
export const chunk = 20_000;

const syllables = [
  'an',
  'be',
  'ca',
  'do',
  'el',
  'fi',
  'go',
  'ha',
  'in',
  'jo',
  'ka',
  'lu',
  'ma',
  'ne',
  'or',
  'pa',
];

/**
 * A constitution whose motions go to the vote at once (no seconder, no minimum debate, the shortest vote a minute):
 * the benchmarks build their votes in one go, at one instant.
 */
export const immediateProcedure = {
  procedure: {
    seconders: { kind: 'absolute', count: 0 },
    debateMinimumMinutes: 0,
    votingMinimumMinutes: 1,
    emergency: null,
  },
};

export function founding(members: number): Extract<Command, { type: 'found_organisation' }> {
  const random = prng(members);
  const bases = Math.ceil(members / perBase);
  const regions = Math.max(1, Math.round(bases / 100));
  const word = () => Array.from({ length: 3 }, () => syllables[Math.floor(random() * 16)]).join('');
  return {
    type: 'found_organisation',
    name: `Federation of ${members}`,
    constitution: immediateProcedure,
    councils: [
      { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
      ...Array.from({ length: regions }, (_, r) => ({
        id: `r${r}`,
        name: `Region ${r}`,
        parentId: 'fed',
        seatsInParent: 1,
      })),
      ...Array.from({ length: bases }, (_, b) => ({
        id: `b${b}`,
        name: `Workplace ${b}`,
        parentId: `r${b % regions}`,
        seatsInParent: 1,
      })),
    ],
    founders: Array.from({ length: members }, (_, i) => ({
      memberId: `m${i}`,
      name: `${word()} ${word()}`,
      councilId: `b${Math.floor(i / perBase)}`,
    })),
  };
}

/** Decides commands against the state and writes their entries and rows in transactions of `chunk` entries. */
export class BulkLog {
  readonly state: OrgState = emptyState();
  private entries: Entry[] = [];
  private texts: string[] = [];
  private touched: ProjectionKey[] = [];
  private ids = 0;
  constructor(
    private readonly db: Db,
    private readonly now: string,
  ) {}

  async run(command: Command, actor: string | null): Promise<Entry[]> {
    const d = decide(this.state, command, {
      actor,
      now: this.now,
      newId: (kind) => `${kind}_${++this.ids}`,
    });
    if (!d.ok) throw new Error(`${command.type}: ${d.code} ${d.message}`);
    const out: Entry[] = [];
    for (const ne of d.entries) {
      const e = { ...ne, seq: this.state.size } as Entry;
      this.touched.push(...apply(this.state, e));
      this.entries.push(e);
      this.texts.push(canonicalEntry(e));
      out.push(e);
      if (this.entries.length >= chunk) await this.flush();
    }
    return out;
  }

  async flush(): Promise<void> {
    if (this.entries.length === 0) return;
    const [entries, texts, touched] = [this.entries, this.texts, this.touched];
    this.entries = [];
    this.texts = [];
    this.touched = [];
    await this.db.kysely.transaction().execute(async (trx) => {
      await appendEntries(trx, this.state.org!.id, entries, texts);
      await writeProjections(trx, this.state, touched);
    });
  }
}

export interface Seeded {
  orgId: string;
  size: number;
  token: string;
  decided: string;
  open: string;
  seconds: number;
}

export async function seed(db: Db, members: number): Promise<Seeded> {
  const started = performance.now();
  const log = new BulkLog(db, new Date().toISOString());
  await log.run(founding(members), null);
  const orgId = log.state.org!.id;
  const motion = async (title: string) => {
    const [moved] = await log.run({ type: 'move_motion', councilId: 'b0', title, text: 'Generated.' }, 'm0');
    const motionId = (moved as Extract<Entry, { act: 'motion_moved' }>).payload.motionId;
    const [opened] = await log.run({ type: 'open_vote', motionId }, 'm0');
    return { motionId, voteId: (opened as Extract<Entry, { act: 'vote_opened' }>).payload.voteId };
  };
  const decided = await motion('Decided');
  for (let i = 0; i < perBase; i++)
    await log.run({ type: 'cast_ballot', voteId: decided.voteId, ballot: { choice: 'a1' } }, `m${i}`);
  const open = await motion('Open');
  for (let i = 0; i < perBase / 2; i++)
    await log.run({ type: 'cast_ballot', voteId: open.voteId, ballot: { choice: 'against' } }, `m${i}`);
  await log.flush();
  const token = `cnl_${secretToken()}`;
  await insertApiToken(db.kysely, hashSecret(token), {
    id: 'bench',
    memberId: 'm0',
    orgId,
    name: 'bench',
    createdAt: new Date().toISOString(),
  });
  return {
    orgId,
    size: log.state.size,
    token,
    decided: decided.motionId,
    open: open.motionId,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A PostgreSQL cluster kept in `dir` across runs (created on first use), started for this run. */
export function keptPostgres(dir: string): { url: string; stop: () => void } {
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? 'postgres' : (process.env.USER ?? 'postgres');
  const run = (cmd: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', ...cmd], { stdio: 'pipe' })
      : execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'pipe' });
  mkdirSync(dir, { recursive: true });
  if (asRoot) {
    const id = (f: string) => Number(execFileSync('id', [f, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  if (!existsSync(data)) run(['initdb', '-D', data, '-A', 'trust', '-U', user, '--no-sync']);
  const port = 55329 + Math.floor(Math.random() * 500);
  run([
    'pg_ctl',
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c max_connections=200`,
    'start',
  ]);
  return {
    url: `postgresql://${user}@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    stop: () => run(['pg_ctl', '-D', data, '-m', 'fast', 'stop']),
  };
}
