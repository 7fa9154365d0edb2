// Keeps each organisation's record: its Ed25519 log key (a file of mode 0600, or the environment; never in the
// log or the database — only the public verifier key is stored) and its signed checkpoints, issued in batches
// every N entries or T seconds (C2SP tlog-checkpoint, signed as a C2SP signed note).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkpointDue,
  generateKeyPair,
  parseSignerKey,
  signCheckpoint,
  type CheckpointSchedule,
} from '../record/index.ts';
import type { Db } from '../store/database.ts';
import {
  entryTime,
  insertCheckpoint,
  insertRecordKey,
  latestCheckpoint,
  readTreeState,
  recordKey,
} from '../store/record-repository.ts';
import { getPowerSettings } from '../store/read-power.ts';

export interface RecordKeeperOptions {
  /** Where log keys are kept (one file per organisation, mode 0600). */
  keyDir: string;
  schedule?: CheckpointSchedule;
  now?: () => Date;
}

export const defaultSchedule: CheckpointSchedule = {
  everyEntries: Number(process.env.COUNCILS_CHECKPOINT_ENTRIES ?? 1000),
  everyMs: Number(process.env.COUNCILS_CHECKPOINT_SECONDS ?? 10) * 1000,
};

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

  /** Makes the log key of a newly founded organisation; publishes its verifier key. */
  async createKey(orgId: string): Promise<string> {
    const existing = await recordKey(this.db.kysely, orgId);
    if (existing) return existing;
    const pair = generateKeyPair(logOrigin(orgId), (n) => new Uint8Array(randomBytes(n)));
    if (!process.env[envName(orgId)]) {
      mkdirSync(this.options.keyDir, { recursive: true, mode: 0o700 });
      writeFileSync(this.keyFile(orgId), pair.signerKey + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(this.keyFile(orgId), 0o600);
    }
    await insertRecordKey(this.db.kysely, orgId, pair.verifierKey, this.now().toISOString());
    return pair.verifierKey;
  }

  /**
   * Issues a checkpoint of the current tree when one is due (or `force`d and anything is uncovered). Returns the
   * signed note, or undefined when none was due.
   */
  async issue(orgId: string, force = false): Promise<string | undefined> {
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
    await this.switchIfRotated(orgId);
    const skey = this.signerKey(orgId);
    if (!skey)
      throw new Error(`no log key for ${orgId}: expected ${this.keyFile(orgId)} or $${envName(orgId)}`);
    const note = signCheckpoint(
      { origin: logOrigin(orgId), size: tree.size, rootHash: tree.root, extensions: [] },
      [parseSignerKey(skey)],
    );
    try {
      await insertCheckpoint(q, orgId, tree.size, note, this.now().toISOString());
    } catch (e) {
      // Another process issued the checkpoint of this size first: theirs stands.
      if ((await latestCheckpoint(q, orgId))?.size === tree.size) return undefined;
      throw e;
    }
    return note;
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

  /** After an approved rotation, the candidate key becomes the log key and its verifier key is published. */
  private async switchIfRotated(orgId: string): Promise<void> {
    const wanted = (await getPowerSettings(this.db.kysely, orgId)).logKey;
    if (wanted === null || wanted === (await recordKey(this.db.kysely, orgId))) return;
    const next = this.nextKeyFile(orgId);
    if (!existsSync(next) || readFileSync(`${next}.pub`, 'utf8').trim() !== wanted)
      throw new Error(
        `the log key was rotated to ${wanted}, but its signer key is not in ${this.options.keyDir}`,
      );
    const current = this.keyFile(orgId);
    if (existsSync(current)) renameSync(current, `${current}.retired-${this.now().getTime()}`);
    renameSync(next, current);
    renameSync(`${next}.pub`, `${current}.pub`);
    await this.db.kysely
      .updateTable('record_keys')
      .set({ verifier_key: wanted, created_at: this.now().toISOString() })
      .where('org_id', '=', orgId)
      .execute();
  }
}
