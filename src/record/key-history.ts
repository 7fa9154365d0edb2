// A log's key history: which Ed25519 log key signs the checkpoints of which tree sizes. The first key is trusted
// out of band (pinned); every later key is named by the log itself — an approved rotation request and the entry
// that carried it out — and takes over only after a checkpoint signed by the key before it covers that entry
// (the handover), so a mirror that lacks the old key cannot invent a rotation. Pure: see docs/RECORD.md.
import type { RecordEntry } from './record-entry.ts';
import { parseVerifierKey } from './note-keys.ts';

/** One key of the history and the sizes it signs: from `fromSize` until the next key's `fromSize`. */
export interface LogKeyPeriod {
  verifierKey: string;
  /** The smallest checkpoint size this key signs (0 for the first key). */
  fromSize: number;
  /** For a key rotated to: the entry that requested the rotation (it names the key) … */
  requestSeq?: number;
  /** … and the entry that carried it out. `fromSize` is then 1 + the first checkpoint size above it. */
  rotationSeq?: number;
}

/** The keys document (GET …/record/keys.json, `keys.json` in an export bundle). */
export interface KeyHistoryDocument {
  origin: string;
  keys: LogKeyPeriod[];
}

export const KEYS_FILE = 'keys.json';

/** Which entries rotate the key: the request naming it and the entry that carries it out. */
export interface KeyRotationActs {
  /** Act of the request; its payload is `{ requestId, kind, content: { verifierKey } }`. */
  requested: string;
  /** Act that carries a request out; its payload is `{ requestId }`. */
  done: string;
  /** The request kind that rotates the log key. */
  kind: string;
}

export const DEFAULT_KEY_ROTATION_ACTS: KeyRotationActs = {
  requested: 'privileged_act_requested',
  done: 'privileged_act_done',
  kind: 'rotate_log_key',
};

/** A rotation the log carried out. */
export interface KeyRotation {
  verifierKey: string;
  requestSeq: number;
  rotationSeq: number;
}

/** Follows a log's entries in order and reports each key rotation carried out. */
export class KeyRotationTracker {
  readonly rotations: KeyRotation[] = [];
  readonly #requests = new Map<string, { seq: number; verifierKey: string }>();

  constructor(readonly acts: KeyRotationActs = DEFAULT_KEY_ROTATION_ACTS) {}

  see(entry: Pick<RecordEntry, 'seq' | 'act' | 'payload'>): KeyRotation | undefined {
    if (entry.act !== this.acts.requested && entry.act !== this.acts.done) return undefined;
    const p = entry.payload as { requestId?: unknown; kind?: unknown; content?: { verifierKey?: unknown } };
    if (typeof p?.requestId !== 'string') return undefined;
    if (entry.act === this.acts.requested) {
      const key = p.content?.verifierKey;
      if (p.kind === this.acts.kind && typeof key === 'string')
        this.#requests.set(p.requestId, { seq: entry.seq, verifierKey: key });
      return undefined;
    }
    const request = this.#requests.get(p.requestId);
    if (!request) return undefined;
    this.#requests.delete(p.requestId);
    const rotation = { verifierKey: request.verifierKey, requestSeq: request.seq, rotationSeq: entry.seq };
    this.rotations.push(rotation);
    return rotation;
  }
}

/**
 * The history that a first key, the log's rotations and the checkpoint sizes prove: each rotation's key signs
 * from 1 + the size of the first checkpoint that covers the rotation (that checkpoint is still the old key's).
 * Rotations no checkpoint covers yet are left out.
 *
 * A **restored handover** is the one exception: when the old key may not sign any more (the database was
 * restored from an older state than the key had signed, or the key was lost), the new key signs the covering
 * checkpoint itself and is in force from its size. It is accepted where the claimed history says so (its
 * `fromSize` is the covering checkpoint's size); its authority is then the rotation's approvals in the log, not
 * the old key, and `restoredHandovers` names it so that a verifier can say so.
 */
export function provenKeyHistory(
  firstKey: string,
  rotations: readonly KeyRotation[],
  checkpointSizes: readonly number[],
  claimed: readonly LogKeyPeriod[] = [],
): LogKeyPeriod[] {
  const sizes = [...checkpointSizes].sort((a, b) => a - b);
  const out: LogKeyPeriod[] = [{ verifierKey: firstKey, fromSize: 0 }];
  for (const r of rotations) {
    const handover = sizes.find((s) => s > r.rotationSeq);
    if (handover === undefined) break;
    const restored = claimed.some(
      (k) => k.verifierKey === r.verifierKey && k.rotationSeq === r.rotationSeq && k.fromSize === handover,
    );
    out.push({
      verifierKey: r.verifierKey,
      fromSize: restored ? handover : handover + 1,
      requestSeq: r.requestSeq,
      rotationSeq: r.rotationSeq,
    });
  }
  return out;
}

/** The keys of a history that signed their own handover (restored handovers: see provenKeyHistory). */
export function restoredHandovers(
  history: readonly LogKeyPeriod[],
  checkpointSizes: readonly number[],
): LogKeyPeriod[] {
  const sizes = [...checkpointSizes].sort((a, b) => a - b);
  return history.filter(
    (k) => k.rotationSeq !== undefined && sizes.find((s) => s > k.rotationSeq!) === k.fromSize,
  );
}

/** The key that signs a checkpoint of `size`: the last period starting at or before it. */
export function keyInForce(history: readonly LogKeyPeriod[], size: number): LogKeyPeriod {
  let found = history[0];
  for (const k of history) if (k.fromSize <= size) found = k;
  if (!found) throw new RangeError('the key history is empty');
  return found;
}

const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** Parses a keys document (misuse or a malformed document throws, naming the field). */
export function parseKeyHistory(text: string): KeyHistoryDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TypeError('keys document: not JSON');
  }
  const d = doc as { origin?: unknown; keys?: unknown };
  if (typeof d?.origin !== 'string') throw new TypeError('keys document: origin must be a string');
  if (!Array.isArray(d.keys) || d.keys.length === 0)
    throw new TypeError('keys document: keys must list at least one key');
  const list = d.keys as Partial<LogKeyPeriod>[];
  const keys = list.map((k, i): LogKeyPeriod => {
    const at = `keys document: keys[${i}]`;
    if (typeof k?.verifierKey !== 'string') throw new TypeError(`${at}.verifierKey must be a string`);
    parseVerifierKey(k.verifierKey);
    if (!isSeq(k.fromSize)) throw new TypeError(`${at}.fromSize must be a size`);
    if (i === 0 ? k.fromSize !== 0 : k.fromSize < (list[i - 1]!.fromSize ?? 0))
      throw new TypeError(`${at}.fromSize must be 0 for the first key and never decrease`);
    if (i > 0 && (!isSeq(k.requestSeq) || !isSeq(k.rotationSeq)))
      throw new TypeError(`${at}: a rotated-to key names its requestSeq and rotationSeq`);
    return {
      verifierKey: k.verifierKey,
      fromSize: k.fromSize,
      ...(i > 0 ? { requestSeq: k.requestSeq!, rotationSeq: k.rotationSeq! } : {}),
    };
  });
  return { origin: d.origin, keys };
}

/** The first difference between a claimed history and the proven one, or undefined when they agree. */
export function keyHistoryDifference(
  claimed: readonly LogKeyPeriod[],
  proven: readonly LogKeyPeriod[],
): string | undefined {
  for (let i = 0; i < Math.max(claimed.length, proven.length); i++) {
    const c = claimed[i];
    const p = proven[i];
    if (!p)
      return `key ${i + 1} (${c!.verifierKey}, from size ${c!.fromSize}) is not named by any rotation the log carried out and a checkpoint covers`;
    if (!c)
      return `the log rotates to ${p.verifierKey} at entry ${p.rotationSeq} (in force from size ${p.fromSize}), which the key history does not list`;
    if (c.verifierKey !== p.verifierKey || c.fromSize !== p.fromSize || c.rotationSeq !== p.rotationSeq)
      return p.rotationSeq === undefined
        ? `the first key is ${c.verifierKey}, not the pinned ${p.verifierKey}`
        : `key ${i + 1}: the history says ${c.verifierKey} from size ${c.fromSize} (entry ${String(c.rotationSeq)}); the log and checkpoints prove ${p.verifierKey} from size ${p.fromSize} (entry ${p.rotationSeq})`;
  }
  return undefined;
}
