// Keeps each organisation's record: its Ed25519 log key (a file of mode 0600, or the environment; never in the
// log or the database — only the public verifier key is stored) and its signed checkpoints, issued in batches
// every N entries or T seconds (C2SP tlog-checkpoint, signed as a C2SP signed note).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkpointDue,
  DEFAULT_KEY_ROTATION_ACTS,
  generateKeyPair,
  KeyRotationTracker,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  type CheckpointSchedule,
  type KeyRotation,
  type LogKeyPeriod,
} from '../record/index.ts';
import type { Db } from '../store/database.ts';
import {
  entryTime,
  insertCheckpoint,
  insertRecordKey,
  latestCheckpoint,
  privilegedActEntries,
  readTreeState,
  recordKey,
  recordKeyHistory,
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
    await insertRecordKey(
      this.db.kysely,
      orgId,
      { verifierKey: pair.verifierKey, fromSize: 0 },
      this.now().toISOString(),
    );
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
    const history = await recordKeyHistory(q, orgId);
    const current = history.at(-1);
    if (!current) throw new Error(`no log key is recorded for ${orgId}`);
    // Rotations carried out in the tree being signed: this checkpoint, still signed by the current key, hands
    // the log over to the last of them (docs/RECORD.md "Key history"); the new key signs from the next size.
    const rotations = await this.rotationsToHandOver(orgId, current, tree.size);
    const next = rotations.at(-1);
    if (next) this.candidateSigner(orgId, next.verifierKey); // refuse before signing if its key is not here
    const note = signCheckpoint(
      { origin: logOrigin(orgId), size: tree.size, rootHash: tree.root, extensions: [] },
      [this.signer(orgId, current.verifierKey)],
    );
    const at = this.now().toISOString();
    try {
      await q.transaction().execute(async (trx) => {
        await insertCheckpoint(trx, orgId, tree.size, note, at);
        for (const [i, r] of rotations.entries()) {
          const period = { ...r, fromSize: tree.size + 1 };
          await insertRecordKey(trx, orgId, period, at, history.length + i);
        }
      });
    } catch (e) {
      // Another process issued the checkpoint of this size first: theirs stands.
      if ((await latestCheckpoint(q, orgId))?.size === tree.size) return undefined;
      throw e;
    }
    if (next) this.switchKeyFiles(orgId, next.verifierKey);
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
  private signer(orgId: string, verifierKey: string) {
    const skey = this.signerKey(orgId);
    const want = parseVerifierKey(verifierKey);
    if (skey && sameKey(skey, verifierKey)) return parseSignerKey(skey);
    if (this.candidateMatches(orgId, verifierKey)) {
      this.switchKeyFiles(orgId, verifierKey); // a switch interrupted after its handover was recorded
      return parseSignerKey(this.signerKey(orgId)!);
    }
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
