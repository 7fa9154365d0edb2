// Keeps each organisation's record: its Ed25519 log key (a file of mode 0600, or the environment; never in the
// log or the database — only the public verifier key is stored) and its signed checkpoints, issued in batches
// every N entries or T seconds (C2SP tlog-checkpoint, signed as a C2SP signed note). Before signing, it checks
// the tree against the key's signing high-water mark (signing-mark.ts): a database restored from an older state
// makes it refuse, and hold the organisation's writes, until a recorded key rotation continues the record.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bytesEqual,
  checkpointDue,
  DEFAULT_KEY_ROTATION_ACTS,
  generateKeyPair,
  KeyRotationTracker,
  parseSignerKey,
  noteSignatureLines,
  parseCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  treeRoot,
  type CheckpointSchedule,
  type KeyRotation,
  type LogKeyPeriod,
} from '../record/index.ts';
import type { Db } from '../store/database.ts';
import {
  dbHashReader,
  entryTime,
  insertCheckpoint,
  insertRecordKey,
  latestCheckpoint,
  privilegedActEntries,
  readTreeState,
  recordKeyHistory,
} from '../store/record-repository.ts';
import { getPowerSettings } from '../store/read-power.ts';
import { markFile, readMark, writeFileDurably, writeMark, type SigningMark } from './signing-mark.ts';

/**
 * Why an organisation's record cannot be signed, so its writes are refused: its log key is missing (restored
 * without the keys directory), or the database is behind what the key has already signed (restored from an
 * older backup). Only a recorded rotation of the log key lifts it (docs/OPERATIONS.md).
 */
export class RecordHeld extends Error {
  constructor(
    readonly code: 'log_key_missing' | 'record_restored',
    readonly orgId: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordKeeperOptions {
  /** Where log keys are kept (one file per organisation, mode 0600). */
  keyDir: string;
  schedule?: CheckpointSchedule;
  now?: () => Date;
}

/** Every 1,000 entries or 10 seconds; `councils serve` passes $COUNCILS_CHECKPOINT_ENTRIES and _SECONDS's. */
export const defaultSchedule: CheckpointSchedule = { everyEntries: 1000, everyMs: 10_000 };

/** The checkpoint origin of an organisation's log, which is also its key's name. */
export function logOrigin(orgId: string): string {
  return `councils/${orgId}`;
}

function envName(orgId: string): string {
  return `COUNCILS_LOG_KEY_${orgId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export class RecordKeeper {
  private readonly schedule: CheckpointSchedule;
  private readonly now: () => Date;
  /** Per organisation: why it is held, or null when it may be written and signed (checked once, then kept). */
  private readonly holds = new Map<string, RecordHeld | null>();
  /** One signing at a time per organisation, so that a mark never moves back. */
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly options: RecordKeeperOptions,
  ) {
    this.schedule = options.schedule ?? defaultSchedule;
    this.now = options.now ?? (() => new Date());
  }

  private keyFile(orgId: string): string {
    return join(this.options.keyDir, `${orgId}.key`);
  }

  /** The organisation's signer key: from the environment, else its key file. */
  private signerKey(orgId: string): string | undefined {
    const env = process.env[envName(orgId)];
    if (env) return env.trim();
    const file = this.keyFile(orgId);
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  }

  /**
   * Writes the log key file of an organisation about to be founded, durably (written, synced, then named), and
   * returns its verifier key; the founding's transaction records it, so no organisation exists without its key.
   */
  newKeyFile(orgId: string): string {
    const pair = generateKeyPair(logOrigin(orgId), (n) => new Uint8Array(randomBytes(n)));
    if (!process.env[envName(orgId)]) {
      mkdirSync(this.options.keyDir, { recursive: true, mode: 0o700 });
      if (existsSync(this.keyFile(orgId))) throw new Error(`${this.keyFile(orgId)} exists already`);
      writeFileDurably(this.keyFile(orgId), pair.signerKey + '\n', 0o600);
    }
    return pair.verifierKey;
  }

  /** Removes the key file of an organisation whose founding did not commit. */
  discardKeyFile(orgId: string): void {
    rmSync(this.keyFile(orgId), { force: true });
  }

  /**
   * Issues a checkpoint of the current tree when one is due (or `force`d and anything is uncovered). Returns the
   * signed note, or undefined when none was due.
   */
  async issue(orgId: string, force = false): Promise<string | undefined> {
    return this.serial(orgId, () => this.issueNow(orgId, force));
  }

  private serial<T>(orgId: string, run: () => Promise<T>): Promise<T> {
    const next = (this.busy.get(orgId) ?? Promise.resolve()).then(run, run);
    const settled = next.catch(() => undefined);
    this.busy.set(orgId, settled);
    void settled.then(() => this.busy.get(orgId) === settled && this.busy.delete(orgId));
    return next;
  }

  /**
   * Why the organisation's writes must be refused (its record cannot be signed), or undefined. Checked once per
   * process and organisation; a missing mark is made from the latest checkpoint the database holds (the first
   * start after an upgrade).
   */
  async hold(orgId: string): Promise<RecordHeld | undefined> {
    if (!this.holds.has(orgId))
      this.holds.set(
        orgId,
        (await this.serial(orgId, async () => {
          const current = (await recordKeyHistory(this.db.kysely, orgId)).at(-1);
          if (!current)
            return new RecordHeld('log_key_missing', orgId, `no log key is recorded for ${orgId}`);
          return (await this.cannotSign(orgId, current.verifierKey)) ?? null;
        })) ?? null,
      );
    return this.holds.get(orgId) ?? undefined;
  }

  /** Whether `verifierKey` may sign the tree the database now holds: its signer key is here and its mark allows it. */
  private async cannotSign(orgId: string, verifierKey: string): Promise<RecordHeld | undefined> {
    try {
      this.signerFor(orgId, verifierKey);
    } catch (e) {
      return new RecordHeld(
        'log_key_missing',
        orgId,
        `${(e as Error).message}. Nothing can be signed, so writes are refused: restore the keys directory, or rotate the log key (docs/OPERATIONS.md)`,
      );
    }
    const q = this.db.kysely;
    const file = markFile(this.options.keyDir, orgId, verifierKey);
    let mark = readMark(file);
    if (!mark) {
      mark = await this.markFromDatabase(orgId, verifierKey);
      if (!mark) return undefined;
      writeMark(file, mark);
    }
    const tree = await readTreeState(q, orgId);
    const seen = `the log key ${verifierKey.split('+').slice(0, 2).join('+')} has already signed size ${mark.size} (${file}, ${mark.at})`;
    const restored = (why: string) =>
      new RecordHeld(
        'record_restored',
        orgId,
        `the record of ${orgId} is behind what its log key has signed: ${seen}, ${why}. The database was restored from an older state; signing it would fork the public record, so writes are refused until a recorded rotation of the log key continues it (docs/OPERATIONS.md)`,
      );
    if (tree.size < mark.size)
      return restored(`but the database holds only ${tree.size} entries (a rollback)`);
    const root = tree.size === mark.size ? tree.root : await treeRoot(dbHashReader(q, orgId), mark.size);
    if (!bytesEqual(root, mark.rootHash))
      return restored(`but the database's first ${mark.size} entries have another root (a fork)`);
    return undefined;
  }

  /** The mark of a key that has none yet: the latest checkpoint the database holds (or none). */
  private async markFromDatabase(orgId: string, verifierKey: string): Promise<SigningMark | undefined> {
    const last = await latestCheckpoint(this.db.kysely, orgId);
    if (!last) return undefined;
    const cp = parseCheckpoint(noteSignatureLines(last.note).text);
    return { verifierKey, size: cp.size, rootHash: cp.rootHash, at: last.issuedAt };
  }

  private async issueNow(orgId: string, force: boolean): Promise<string | undefined> {
    const q = this.db.kysely;
    const tree = await readTreeState(q, orgId);
    const last = await latestCheckpoint(q, orgId);
    const covered = last?.size ?? 0;
    if (tree.size <= covered) return undefined;
    const oldest = await entryTime(q, orgId, covered);
    const due =
      force ||
      checkpointDue(this.schedule, {
        checkpointSize: covered,
        size: tree.size,
        oldestUncoveredAt: oldest === undefined ? undefined : Date.parse(oldest),
        now: this.now().getTime(),
      });
    if (!due) return undefined;
    const history = await recordKeyHistory(q, orgId);
    const current = history.at(-1);
    if (!current) throw new Error(`no log key is recorded for ${orgId}`);
    // Rotations carried out in the tree being signed: this checkpoint, still signed by the current key, hands
    // the log over to the last of them (docs/RECORD.md "Key history"); the new key signs from the next size.
    const rotations = await this.rotationsToHandOver(orgId, current, tree.size);
    const next = rotations.at(-1);
    if (next) this.candidateSigner(orgId, next.verifierKey); // refuse before signing if its key is not here
    // The current key signs only a tree that extends its mark. When it cannot (lost, or the database restored
    // from an older state), a rotation the log has carried out continues the record: the new key signs this
    // checkpoint itself (a restored handover: it is in force from this size, not the next).
    let signing = current.verifierKey;
    const held = await this.cannotSign(orgId, current.verifierKey);
    if (held) {
      const problem = next && (await this.cannotSign(orgId, next.verifierKey));
      if (!next || problem) {
        const known = this.holds.get(orgId)?.message === (problem ?? held).message;
        this.holds.set(orgId, problem ?? held);
        if (known && !force) return undefined; // the schedule says it once (and at start); writes stay refused
        throw problem ?? held;
      }
      signing = next.verifierKey;
    }
    const note = signCheckpoint(
      { origin: logOrigin(orgId), size: tree.size, rootHash: tree.root, extensions: [] },
      [this.signerFor(orgId, signing)],
    );
    const at = this.now().toISOString();
    // The mark moves before the checkpoint exists anywhere else: a crash between leaves a mark at a size the
    // database may lack, which holds the organisation instead of letting the key sign another tree there.
    writeMark(markFile(this.options.keyDir, orgId, signing), {
      verifierKey: signing,
      size: tree.size,
      rootHash: tree.root,
      at,
    });
    try {
      await q.transaction().execute(async (trx) => {
        await insertCheckpoint(trx, orgId, tree.size, note, at);
        for (const [i, r] of rotations.entries()) {
          const period = { ...r, fromSize: held ? tree.size : tree.size + 1 };
          await insertRecordKey(trx, orgId, period, at, history.length + i);
        }
      });
    } catch (e) {
      // Another process issued the checkpoint of this size first: theirs stands.
      if ((await latestCheckpoint(q, orgId))?.size === tree.size) return undefined;
      throw e;
    }
    // After the handover (or a switch interrupted after it was recorded) the candidate becomes the key file.
    this.switchKeyFiles(orgId, next?.verifierKey ?? signing);
    if (held) this.holds.delete(orgId);
    return note;
  }

  /** Rotations of the log key carried out below `size` that the key history does not have yet. */
  private async rotationsToHandOver(
    orgId: string,
    current: LogKeyPeriod,
    size: number,
  ): Promise<KeyRotation[]> {
    // Only when the log's power settings name another key is there anything to find (rotations are rare).
    const wanted = (await getPowerSettings(this.db.kysely, orgId)).logKey;
    if (wanted === null || wanted === current.verifierKey) return [];
    const acts = DEFAULT_KEY_ROTATION_ACTS;
    const tracker = new KeyRotationTracker(acts);
    for (const e of await privilegedActEntries(this.db.kysely, orgId, [acts.requested, acts.done], 0, size))
      tracker.see(e);
    return tracker.rotations.filter((r) => r.rotationSeq > (current.rotationSeq ?? -1));
  }

  /** The signer key for `verifierKey`: the log key file (or environment), or a candidate not yet moved in. */
  private signerFor(orgId: string, verifierKey: string) {
    const skey = this.signerKey(orgId);
    const want = parseVerifierKey(verifierKey);
    if (skey && sameKey(skey, verifierKey)) return parseSignerKey(skey);
    if (this.candidateMatches(orgId, verifierKey))
      return parseSignerKey(readFileSync(this.nextKeyFile(orgId), 'utf8').trim());
    throw new Error(
      skey
        ? `the log key of ${orgId} is ${want.name} ${verifierKey}, but its key file or $${envName(orgId)} holds another`
        : `no log key for ${orgId}: expected ${this.keyFile(orgId)} or $${envName(orgId)}`,
    );
  }

  // Key rotation (docs/POWER.md): a member asks for a candidate key, which waits in its own 0600 file; only when
  // a rotate_log_key act naming its verifier key has been approved and carried out does it sign checkpoints.
  private nextKeyFile(orgId: string): string {
    return join(this.options.keyDir, `${orgId}.next.key`);
  }

  /** Makes (or returns) the candidate log key of an organisation; returns its verifier key. */
  async prepareKeyRotation(orgId: string): Promise<string> {
    const file = this.nextKeyFile(orgId);
    if (existsSync(file)) return readFileSync(`${file}.pub`, 'utf8').trim();
    const pair = generateKeyPair(logOrigin(orgId), (n) => new Uint8Array(randomBytes(n)));
    mkdirSync(this.options.keyDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, pair.signerKey + '\n', { mode: 0o600, flag: 'wx' });
    writeFileSync(`${file}.pub`, pair.verifierKey + '\n', { mode: 0o644 });
    return pair.verifierKey;
  }

  private candidateMatches(orgId: string, verifierKey: string): boolean {
    const next = this.nextKeyFile(orgId);
    return existsSync(next) && readFileSync(`${next}.pub`, 'utf8').trim() === verifierKey;
  }

  private candidateSigner(orgId: string, verifierKey: string): void {
    if (process.env[envName(orgId)]) return; // the operator sets the new key in the environment
    if (!this.candidateMatches(orgId, verifierKey))
      throw new Error(
        `the log key was rotated to ${verifierKey}, but its signer key is not in ${this.options.keyDir}`,
      );
  }

  /** After the handover, the candidate key file becomes the log key file; the old one is kept, retired. */
  private switchKeyFiles(orgId: string, verifierKey: string): void {
    if (process.env[envName(orgId)] || !this.candidateMatches(orgId, verifierKey)) return;
    const next = this.nextKeyFile(orgId);
    const current = this.keyFile(orgId);
    if (existsSync(current)) renameSync(current, `${current}.retired-${this.now().getTime()}`);
    renameSync(next, current);
    renameSync(`${next}.pub`, `${current}.pub`);
  }
}

function sameKey(signerKey: string, verifierKey: string): boolean {
  const s = parseSignerKey(signerKey);
  const v = parseVerifierKey(verifierKey);
  return s.name === v.name && s.keyId === v.keyId;
}
