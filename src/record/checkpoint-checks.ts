// The checks on a record's checkpoints: signatures by the log key, no fork among them, the witness policy on the
// latest, and no rollback or fork against the checkpoint seen before (record-verifier.ts runs them in order).
import { bytesEqual } from './bytes.ts';
import type { CheckList } from './record-checks.ts';
import { keyInForce, type LogKeyPeriod } from './key-history.ts';
import { formatKeyId, parseVerifierKey, type NoteVerifier } from './note-keys.ts';
import { HASH_SIZE } from './rfc9162.ts';
import { noteSignatureLines } from './signed-note.ts';
import { openCheckpoint, parseCheckpoint, type Checkpoint } from './tlog-checkpoint.ts';
import { checkWitnessPolicy, type WitnessPolicy } from './tlog-cosignature.ts';

export interface Opened {
  position: number;
  signed: string;
  checkpoint: Checkpoint;
}

export function describeCheckpoint(cp: Opened): string {
  return `checkpoint #${cp.position} (size ${cp.checkpoint.size})`;
}

function claimedSize(signed: string): number | undefined {
  try {
    return parseCheckpoint(noteSignatureLines(signed).text).size;
  } catch {
    return undefined;
  }
}

function keyLabel(v: NoteVerifier): string {
  return `${v.name}+${formatKeyId(v.keyId)}`;
}

/**
 * Opens every checkpoint with the key in force at its size (key-history.ts; one period for a log that never
 * rotated its key). A checkpoint signed by another key of the history is named with both keys.
 */
export function openAll(
  raw: readonly string[],
  origin: string,
  history: readonly LogKeyPeriod[],
  list: CheckList,
): Opened[] | undefined {
  const verifiers = history.map((k) => parseVerifierKey(k.verifierKey));
  const title =
    history.length === 1
      ? `every checkpoint is signed by the log key ${keyLabel(verifiers[0]!)} for origin "${origin}"`
      : `every checkpoint is signed by the log key in force at its size (${history.length} keys) for origin "${origin}"`;
  if (raw.length === 0) return void list.fail('checkpoints_signed', title, 'the source has no checkpoint');
  const out: Opened[] = [];
  for (const [i, signed] of raw.entries()) {
    const size = claimedSize(signed);
    const period = keyInForce(history, size ?? 0);
    const log = verifiers[history.indexOf(period)]!;
    try {
      const { checkpoint } = openCheckpoint(signed, origin, log);
      if (checkpoint.rootHash.length !== HASH_SIZE) throw new TypeError('root hash is not 32 bytes');
      out.push({ position: i + 1, signed, checkpoint });
    } catch (e) {
      const where = { checkpoint: i + 1, ...(size === undefined ? {} : { checkpointSize: size }) };
      const other = verifiers.find((v) => v !== log && opens(signed, origin, v));
      const why = other
        ? `signed by ${keyLabel(other)}, which is not the key in force at size ${size}: ${keyLabel(log)} (from size ${period.fromSize})`
        : history.length > 1
          ? `not signed by the key in force at size ${size}, ${keyLabel(log)} (from size ${period.fromSize}): ${(e as Error).message}`
          : (e as Error).message;
      return void list.fail(
        'checkpoints_signed',
        title,
        `checkpoint #${i + 1}${size === undefined ? '' : ` (size ${size})`}: ${why}`,
        where,
      );
    }
  }
  list.pass('checkpoints_signed', title, `${out.length} checkpoint${out.length === 1 ? '' : 's'}`);
  return out;
}

function opens(signed: string, origin: string, v: NoteVerifier): boolean {
  try {
    openCheckpoint(signed, origin, v);
    return true;
  } catch {
    return false;
  }
}

export function checkNoFork(cps: readonly Opened[], list: CheckList): boolean {
  const title = 'no two checkpoints of the same size have different roots (no fork)';
  const bySize = new Map<number, Opened>();
  for (const cp of cps) {
    const other = bySize.get(cp.checkpoint.size);
    if (other && !bytesEqual(other.checkpoint.rootHash, cp.checkpoint.rootHash)) {
      list.fail(
        'no_fork',
        title,
        `fork: ${describeCheckpoint(other)} and ${describeCheckpoint(cp)} have different roots`,
        {
          checkpoint: cp.position,
          checkpointSize: cp.checkpoint.size,
        },
      );
      return false;
    }
    bySize.set(cp.checkpoint.size, other ?? cp);
  }
  list.pass('no_fork', title);
  return true;
}

export function checkWitnesses(latest: Opened, policy: WitnessPolicy | undefined, list: CheckList): boolean {
  const title = 'the latest checkpoint is cosigned by enough listed witnesses';
  if (!policy || policy.required === 0)
    return (void list.skip('witness_policy', title, 'no witness is required'), true);
  const { text, sigs } = noteSignatureLines(latest.signed);
  const r = checkWitnessPolicy(text, sigs, policy);
  const names = r.cosigned.map((c) => `${c.name} at ${c.timestamp}`).join(', ') || 'none';
  if (r.ok)
    return (
      void list.pass('witness_policy', title, `${r.cosigned.length} of ${r.required} required: ${names}`),
      true
    );
  const why =
    r.invalid.length > 0
      ? `invalid cosignature by ${r.invalid.join(', ')}`
      : `${r.cosigned.length} of ${r.required} required (${names})`;
  list.fail('witness_policy', title, `${describeCheckpoint(latest)}: ${why}`, {
    checkpoint: latest.position,
    checkpointSize: latest.checkpoint.size,
  });
  return false;
}

export function checkTrusted(
  cps: readonly Opened[],
  latest: Opened,
  trusted: Checkpoint | undefined,
  list: CheckList,
  hint = '',
): boolean {
  const title = 'the record is not older than the checkpoint seen before (no rollback)';
  if (!trusted)
    return (void list.skip('no_rollback', title, 'no checkpoint was seen before (first run)'), true);
  const where = { checkpoint: latest.position, checkpointSize: latest.checkpoint.size };
  if (latest.checkpoint.size < trusted.size) {
    list.fail(
      'no_rollback',
      title,
      `rollback: the latest ${describeCheckpoint(latest)} is older than the size ${trusted.size} seen before${hint}`,
      where,
    );
    return false;
  }
  const same = cps.find(
    (c) => c.checkpoint.size === trusted.size && !bytesEqual(c.checkpoint.rootHash, trusted.rootHash),
  );
  if (same) {
    list.fail(
      'no_rollback',
      title,
      `fork: ${describeCheckpoint(same)} has a different root from the checkpoint of the same size seen before${hint}`,
      {
        checkpoint: same.position,
        checkpointSize: same.checkpoint.size,
      },
    );
    return false;
  }
  list.pass('no_rollback', title, `seen before: size ${trusted.size}; now: size ${latest.checkpoint.size}`);
  return true;
}
