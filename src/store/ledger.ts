// The ledger runs commands: decide against the organisation's state, append the entries and their projection
// rows in one transaction, and only then answer. Commands for one organisation queue and are decided one after
// another, and each batch commits in a single transaction (group commit), so many concurrent requests cost one
// durable write. The in-memory state is a cache of the log. Any number of processes may serve one organisation
// on PostgreSQL (docs/DEPLOYMENT.md): each batch's transaction first takes the organisation's write lock (a
// transaction-level advisory lock, src/store/leases.ts), then catches the cache up with the entries other
// processes appended since (never replaying the whole log), and only then decides; so batches from different
// processes follow one another instead of colliding. Reads catch the cache up before they use it.
import { randomBytes } from 'node:crypto';
import {
  apply,
  decide,
  canonicalEntry,
  checkStorable,
  InvalidCommand,
  maxEntryBytes,
  emptyState,
  settleVotes,
  type BallotCrypto,
  type Command,
  type Decision,
  type Entry,
  type OrgState,
  type ProjectionKey,
} from '../core/index.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';
import { appendEntries, readEntries, readEntryPage } from './log-repository.ts';
import { takeWriteLock } from './leases.ts';
import { writeProjections } from './projection-repository.ts';
import { keepClosingSums } from './secret-board.ts';
import { recordWebhookDeliveries } from './webhook-repository.ts';
import { forgetSpentIssuance } from './secret-credentials.ts';
import { recordNotices } from './mail-repository.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type Outcome = { ok: true; entries: Entry[] } | Exclude<Decision, { ok: true }>;

/**
 * What a command writes beside its entries (an account, an invitation's secret, a stored response), committed in
 * the same transaction as the entries, so a crash leaves both or neither (docs/OPERATIONS.md).
 */
export interface SideWrites {
  /**
   * Checked against the database before the command is decided, on every attempt (a retry after another writer
   * committed sees what it wrote). Returns the error to answer with, or undefined; `claimed` holds the claims of
   * the commands accepted before it in the same batch.
   */
  check?: (q: Q, claimed: ReadonlySet<string>) => Promise<unknown>;
  /** Unique things the command takes once accepted (e.g. "email:a@b.c"), for the next commands' `check`. */
  claims?: readonly string[];
  /** Runs in the transaction that appends the command's entries. */
  write?: (trx: Q, entries: Entry[]) => Promise<void>;
}

type Q = Kysely<Database> | Transaction<Database>;

interface Pending {
  command: Command;
  actor: string | null;
  sides: SideWrites | undefined;
  resolve: (o: Outcome) => void;
  fail: (e: unknown) => void;
}

const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

export { maxEntryBytes };

// Random bytes are drawn 4 KiB at a time: one system call per ~340 ids instead of one per id.
let pool = randomBytes(4096);
let poolAt = 0;

/** A short random id with a readable prefix, e.g. "motion_k3x9q2m7f4hw". */
export function newRandomId(kind: string): string {
  if (poolAt + 12 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  let s = '';
  for (let i = 0; i < 12; i++) s += alphabet[pool[poolAt + i]! % alphabet.length];
  poolAt += 12;
  return `${kind}_${s}`;
}

export class OrgLedger {
  private state: OrgState | null = null;
  /** Bumped whenever the cache is dropped, so a load begun before cannot install an older state. */
  private generation = 0;
  private loading: Promise<OrgState> | null = null;
  /** The catch-up of reads under way, and the one that those who asked during it wait for (sharedCatchUp). */
  private reading: Promise<boolean> | null = null;
  private readingNext: Promise<boolean> | null = null;
  /** True while a batch holds the write lock with the cache caught up: the state then holds every entry. */
  private writing = false;
  private queue: Pending[] = [];
  private draining = false;
  /** How many times the whole log was read into a fresh cache (the first load, and after a failed write). */
  fullReplays = 0;

  constructor(
    private readonly db: Db,
    readonly orgId: string,
    private readonly clock: Clock,
    private readonly newId: (kind: string) => string = newRandomId,
    /** The backends secret ballots are checked with (the core's pure ones if not given). */
    private readonly crypto?: BallotCrypto,
  ) {}

  /**
   * The current state, caught up with every entry committed before the call (by this process or another on the
   * same PostgreSQL database): one indexed read of the entries past the cache, usually none. On SQLite one
   * process owns the file (src/store/owner-lock.ts), so the cache is the log. Callers must not change it.
   */
  async current(): Promise<OrgState> {
    for (;;) {
      const state = this.state ?? (await this.loadShared());
      if (state !== this.state) continue; // dropped or replaced while loading
      // A batch holding the write lock caught up under it: nothing can have been committed since.
      if (this.writing || this.db.dialect === 'sqlite') return state;
      if ((await this.sharedCatchUp()) && state === this.state) return state;
    }
  }

  /**
   * A catch-up that began after the call, shared by every read that asked meanwhile: concurrent reads make one
   * round trip (two at most, when one was already under way: an entry committed after that one's query was sent
   * but before this call would be missed by it, so those who came later wait for the next). False as catchUp.
   */
  private sharedCatchUp(): Promise<boolean> {
    const start = () => {
      const round: Promise<boolean> = (
        this.state ? this.catchUp(this.state, this.db.kysely) : Promise.resolve(false)
      ).finally(() => {
        if (this.reading === round) this.reading = null;
      });
      this.reading = round;
      return round;
    };
    if (!this.reading) return start();
    this.readingNext ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.readingNext = null;
        return start();
      });
    return this.readingNext;
  }

  /**
   * The cached state as it is, not caught up (null before the first load): only for what never changes once it
   * is there, such as a running secret vote's election (dropped when the vote ends). Callers must not change it.
   */
  get cached(): OrgState | null {
    return this.state;
  }

  /** Whether the state has been loaded and holds an organisation (which never stops being so), without a read. */
  get knownOrganisation(): boolean {
    return this.state?.org !== undefined && this.state.org !== null;
  }

  /**
   * Applies the entries after the cache's last one, page by page; false if the cache was dropped meanwhile.
   * Each entry is applied only at its own seq, in one synchronous step per page, so a read and a batch catching
   * up at once never apply an entry twice.
   */
  private async catchUp(state: OrgState, q: Q): Promise<boolean> {
    for (;;) {
      const page = await readEntryPage(q, this.orgId, state.size, catchUpPage);
      if (state !== this.state) return false;
      if (this.writing) return true;
      try {
        for (const e of page) if (e.seq === state.size) apply(state, e);
        settleVotes(state); // another process wrote these entries' rows
      } catch (error) {
        this.drop();
        throw error;
      }
      if (page.length < catchUpPage) return true;
    }
  }

  private loadShared(): Promise<OrgState> {
    if (!this.loading) {
      const generation = this.generation;
      const loading = this.load(this.db.kysely)
        .then((s) => {
          if (this.generation === generation && this.state === null) this.state = s;
          return s;
        })
        .finally(() => {
          if (this.loading === loading) this.loading = null;
        });
      this.loading = loading;
    }
    return this.loading;
  }

  private async load(q: Q): Promise<OrgState> {
    this.fullReplays++;
    const s = emptyState(this.crypto);
    // settled as each vote closes, as the live process had it: settling only at the end held every closed vote's
    // ballots at once, so a restart needed the memory settling saves (review finding)
    for await (const e of readEntries(q, this.orgId)) {
      apply(s, e);
      settleVotes(s);
    }
    return s;
  }

  /** Forgets the cache (it holds entries that were not written, or could not be applied): rebuilt on next use. */
  private drop(): void {
    this.state = null;
    this.generation++;
  }

  /** Queues a command; resolves when its entries are durable, or with the rejection. */
  execute(command: Command, actor: string | null, sides?: SideWrites): Promise<Outcome> {
    return new Promise((resolve, fail) => {
      this.queue.push({ command, actor, sides, resolve, fail });
      if (!this.draining) {
        this.draining = true;
        // Start on the next turn of the event loop, so that requests read in this turn join the same batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // An embedded database answers synchronously, so awaiting it never lets the server read new requests:
        // yield to I/O before each batch, or every batch would hold one command.
        await new Promise((r) => setImmediate(r));
        const batch = this.queue.splice(0, 1000);
        try {
          await this.runBatch(batch);
        } catch (error) {
          // The log could not be read (runBatch answers every command itself otherwise): answer everyone, and
          // rebuild the cache from the log next time.
          this.drop();
          for (const p of batch) p.fail(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Decides and commits one batch, in one transaction that first takes the organisation's write lock and
   * catches the cache up (so no other process appends between the decision and the commit). Everything that can
   * fail for one command (deciding, encoding its entries, their size, applying them to the cache) happens in
   * that command's own handling, so a bad command is refused alone and the rest of the batch commits. A command
   * apply() cannot take leaves the cache half-applied: it is refused, the cache is rebuilt from the log and the
   * others are decided again. A commit the database refuses for a reason other than a concurrent writer is
   * retried in halves, so only the command whose rows it refuses fails (issue #13: one member's request must
   * never fail another's).
   */
  private async runBatch(batch: Pending[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0;) {
      const results: (Outcome | { error: unknown })[] = [];
      let broken = -1;
      try {
        await this.db.kysely.transaction().execute(async (trx) => {
          await takeWriteLock(trx, this.orgId);
          let state = this.state;
          if (!state || !(await this.catchUp(state, trx))) {
            this.generation++; // a load begun by a read must not replace this one
            state = this.state = await this.load(trx);
          }
          this.writing = true;
          const entries: Entry[] = [];
          const touched: ProjectionKey[] = [];
          const texts: string[] = [];
          const writes: { write: NonNullable<SideWrites['write']>; entries: Entry[] }[] = [];
          const claimed = new Set<string>();
          const now = this.clock.now().toISOString();
          for (const [i, p] of pending.entries()) {
            let mine: Entry[];
            let encoded: string[];
            try {
              const refused = await p.sides?.check?.(trx, claimed);
              if (refused !== undefined) {
                results.push({ error: refused });
                continue;
              }
              const d = decide(state, p.command, { actor: p.actor, now, newId: this.newId });
              if (!d.ok) {
                results.push(d);
                continue;
              }
              const size = state.size;
              mine = d.entries.map((ne, k) => ({ ...ne, seq: size + k }) as Entry);
              encoded = mine.map(encodeEntry);
            } catch (error) {
              results.push({ error }); // invalid input: nothing was applied
              continue;
            }
            try {
              for (const e of mine) touched.push(...apply(state, e));
            } catch (error) {
              broken = i;
              throw new HalfApplied(error);
            }
            texts.push(...encoded);
            entries.push(...mine);
            for (const c of p.sides?.claims ?? []) claimed.add(c);
            if (p.sides?.write) writes.push({ write: p.sides.write, entries: mine });
            results.push({ ok: true, entries: mine });
          }
          if (entries.length === 0) return;
          await appendEntries(trx, this.orgId, entries, texts);
          await writeProjections(trx, state, touched);
          // A frozen or ended secret vote's issuing keys go in the same commit (docs/BALLOT-PROTOCOL.md §4.1).
          await forgetSpentIssuance(trx, this.orgId, state, entries);
          // The outbox of notices (docs/NOTIFICATIONS.md): one row per entry that tells someone something.
          await recordNotices(trx, this.orgId, entries);
          // The outbox of webhook deliveries: one row per event and endpoint that asked for it.
          await recordWebhookDeliveries(trx, this.orgId, state, entries);
          for (const w of writes) await w.write(trx, w.entries);
          // An ended homomorphic vote's sums, kept from its close (src/store/secret-board.ts): a restart reads them.
          await keepClosingSums(trx, this.orgId, state);
          // The batch's rows are written: the votes it closed keep their counts, not their ballots (votes/settled.ts).
          settleVotes(state);
        });
      } catch (error) {
        this.writing = false;
        if (error instanceof HalfApplied) {
          // The cache holds part of a command: rebuild it, and decide the others again.
          this.drop();
          pending[broken]!.fail(error.cause);
          pending = pending.filter((_, i) => i !== broken);
          continue;
        }
        // The cache holds entries that were not written: rebuild it from the log. It cannot be rolled back from what
        // it knows: apply() changes the state in place and has no inverse (a vote's tally, the indexes, a settled
        // vote's ballots dropped), and a copy of the state kept before each batch would cost O(state) on every
        // write; nor caught up, since the log holds fewer entries than it. So a commit the database refuses costs a
        // replay of the whole log on the next use (docs/SCALE.md "A refused commit").
        this.drop();
        const concurrent = error instanceof WriteConflict || isUniqueViolation(error);
        if (concurrent && attempt < 2) {
          attempt++;
          continue;
        }
        if (pending.length > 1) {
          // Which command's rows were refused is unknown (or a unique key stays taken after the retries: a side
          // write's check should have refused it): commit the halves apart, in order, until it stands alone.
          const half = Math.ceil(pending.length / 2);
          await this.runBatch(pending.slice(0, half));
          await this.runBatch(pending.slice(half));
          return;
        }
        for (const p of pending) p.fail(error);
        return;
      }
      this.writing = false;
      pending.forEach((p, i) => {
        const r = results[i]!;
        if ('error' in r) p.fail(r.error);
        else p.resolve(r);
      });
      return;
    }
  }
}

/** How many entries a catch-up reads at a time. */
const catchUpPage = 5000;

/** A command whose entries apply() could not take: the transaction is abandoned and the cache rebuilt. */
class HalfApplied extends Error {
  constructor(cause: unknown) {
    super('an entry could not be applied', { cause });
  }
}

/**
 * An entry's canonical JSON, refused as invalid input when it cannot be written (text that is not well-formed
 * Unicode) or is larger than a C2SP entry bundle can hold (65,535 bytes: it could not be served as tiles).
 */
function encodeEntry(entry: Entry): string {
  checkStorable(entry.payload, 'payload');
  let text: string;
  try {
    text = canonicalEntry(entry);
  } catch (error) {
    throw new InvalidCommand('entry_not_canonical', undefined, { act: entry.act, detail: String(error) });
  }
  if (Buffer.byteLength(text, 'utf8') > maxEntryBytes) {
    throw new InvalidCommand('entry_too_large', undefined, {
      act: entry.act,
      bytes: Buffer.byteLength(text, 'utf8'),
      max: maxEntryBytes,
    });
  }
  return text;
}

/** Thrown by a side write that finds another writer got there first: the batch is checked and decided again. */
export class WriteConflict extends Error {}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  // A unique key another writer took first (the log's next seq, an e-mail address): decide and check again.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Founds an organisation: a fresh log whose first entry is the founding. `sides` (given the new organisation's id)
 * commits with it: its log key and its founders' invitation secrets.
 */
export async function foundOrganisation(
  db: Db,
  command: Extract<Command, { type: 'found_organisation' }>,
  clock: Clock,
  newId: (kind: string) => string = newRandomId,
  sides?: (orgId: string) => SideWrites,
): Promise<{ ledger: OrgLedger; outcome: Outcome }> {
  const orgId = newId('org');
  const ledger = new OrgLedger(db, orgId, clock, (kind) => (kind === 'org' ? orgId : newId(kind)));
  const outcome = await ledger.execute(command, null, sides?.(orgId));
  return { ledger, outcome };
}
