// One streaming pass over a record's entries: each must be UTF-8, RFC 8785 canonical JSON of an object whose seq
// is its position; its leaf hash goes to the caller (a StreamingTree: nothing is kept per entry); sealed entries and
// their reveals are checked on the way.
import { utf8DecodeStrict } from './bytes.ts';
import { canonicalJson } from './canonical-json.ts';
import type { CheckLocation } from './record-checks.ts';
import { defaultTreeHasher, type TreeHasher } from './rfc9162.ts';
import { SEAL_KEY_SIZE, verifyReveal, type RevealPayload, type SealedPayload } from './sealed.ts';
import { fromBase64 } from './bytes.ts';
import type { RecordEntry } from './record-entry.ts';
import { KeyRotationTracker, type KeyRotation, type KeyRotationActs } from './key-history.ts';

export type { RecordEntry } from './record-entry.ts';

/** The acts that carry sealed commitments and their reveals (payloads per sealed.ts). */
export interface SealedActs {
  sealed: string;
  revealed: string;
}

export const DEFAULT_SEALED_ACTS: SealedActs = { sealed: 'record_sealed', revealed: 'record_revealed' };

export interface Finding {
  detail: string;
  where: CheckLocation;
}

export interface ScanResult {
  count: number;
  /** The first malformed entry (not UTF-8, not canonical JSON, not an object, wrong seq). */
  malformed?: Finding;
  /** The first sealed or reveal entry that fails. */
  sealedProblem?: Finding;
  sealed: number;
  revealed: number;
  /** Sealed entries whose release date has passed (by the last entry's time) and that are not revealed. */
  overdue: number[];
  /** The log key rotations the entries carried out, in order. */
  rotations: KeyRotation[];
}

/** Parses one entry's leaf bytes; returns a reason string when it is not a canonical entry. */
export function parseEntry(bytes: Uint8Array, position: number): RecordEntry | string {
  const text = utf8DecodeStrict(bytes);
  if (text === undefined) return 'is not valid UTF-8';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch (e) {
    return `cannot be canonicalised (${(e as Error).message})`; // e.g. a lone surrogate (RFC 8785 §3.2.2.2)
  }
  if (canonical !== text) return 'is not in RFC 8785 canonical form';
  const seq = (value as { seq?: unknown }).seq;
  if (seq !== position) {
    return `has seq ${JSON.stringify(seq)} where seq ${position} belongs (an entry was dropped, inserted or moved)`;
  }
  return value as RecordEntry;
}

class SealTracker {
  readonly open = new Map<number, SealedPayload>();
  readonly revealedSeqs = new Set<number>();
  sealed = 0;
  revealed = 0;
  problem?: Finding;

  see(entry: RecordEntry, acts: SealedActs): void {
    if (this.problem) return;
    const where = { entry: entry.seq };
    if (entry.act === acts.sealed) {
      const p = entry.payload as SealedPayload;
      const commitment = typeof p?.commitment === 'string' ? fromBase64(p.commitment) : undefined;
      const release = p?.release;
      if (
        !commitment ||
        commitment.length !== 32 ||
        typeof p.label !== 'string' ||
        typeof release !== 'object' ||
        !release ||
        (release.at === undefined && release.condition === undefined)
      ) {
        this.problem = {
          detail: `entry ${entry.seq}: a sealed entry needs a 32-byte commitment, a label and a release date or condition`,
          where,
        };
        return;
      }
      this.open.set(entry.seq, p);
      this.sealed++;
    } else if (entry.act === acts.revealed) {
      const r = entry.payload as RevealPayload;
      const target = typeof r?.sealedSeq === 'number' ? this.open.get(r.sealedSeq) : undefined;
      if (!target) {
        const why = this.revealedSeqs.has(r?.sealedSeq)
          ? 'was already revealed'
          : 'is not an earlier sealed entry';
        this.problem = {
          detail: `entry ${entry.seq}: reveals seq ${String(r?.sealedSeq)}, which ${why}`,
          where,
        };
        return;
      }
      if (fromBase64(String(r.key))?.length !== SEAL_KEY_SIZE || !verifyReveal(target, r)) {
        this.problem = {
          detail: `entry ${entry.seq}: the revealed content does not match the commitment of entry ${r.sealedSeq}`,
          where,
        };
        return;
      }
      this.open.delete(r.sealedSeq);
      this.revealedSeqs.add(r.sealedSeq);
      this.revealed++;
    }
  }

  overdue(now: string | undefined): number[] {
    if (!now) return [];
    return [...this.open]
      .filter(([, p]) => typeof p.release.at === 'string' && p.release.at < now)
      .map(([seq]) => seq);
  }
}

export async function scanEntries(
  entries: AsyncIterable<Uint8Array>,
  options: {
    acts?: SealedActs;
    rotationActs?: KeyRotationActs;
    hasher?: TreeHasher;
    /** Receives each well-formed entry's leaf hash, in order; a promise returned is awaited (back-pressure). */
    onLeafHash?: (hash: Uint8Array) => void | Promise<void>;
    onProgress?: (done: number) => void;
  } = {},
): Promise<ScanResult> {
  const seals = new SealTracker();
  const keys = new KeyRotationTracker(options.rotationActs);
  const hasher = options.hasher ?? defaultTreeHasher;
  const acts = options.acts ?? DEFAULT_SEALED_ACTS;
  let count = 0;
  let lastTime: string | undefined;
  let malformed: Finding | undefined;
  for await (const bytes of entries) {
    const entry = parseEntry(bytes, count);
    if (typeof entry === 'string') {
      malformed = { detail: `entry ${count} ${entry}`, where: { entry: count } };
      break;
    }
    const pending = options.onLeafHash?.(hasher.leaf(bytes));
    if (pending) await pending;
    seals.see(entry, acts);
    keys.see(entry);
    if (typeof entry.time === 'string') lastTime = entry.time;
    count++;
    if (count % 8192 === 0) options.onProgress?.(count);
  }
  options.onProgress?.(count);
  return {
    count,
    ...(malformed ? { malformed } : {}),
    ...(seals.problem ? { sealedProblem: seals.problem } : {}),
    sealed: seals.sealed,
    revealed: seals.revealed,
    overdue: seals.overdue(lastTime),
    rotations: keys.rotations,
  };
}
