// "Verify in my browser": the record verifier of src/record, run here over the server's public record files
// (GET …/record/{checkpoints.jsonl, vkey, tile/…, entries.jsonl}), as `councils verify URL` runs it. The log key
// is pinned on first use and the last verified checkpoint kept in this browser (localStorage), so the next run
// also proves the log was only appended to (RFC 9162 consistency) since then. Loaded on demand: it is not part
// of the first page's bundle.
import {
  fromBase64,
  keyInForce,
  KeyRotationTracker,
  leafHash,
  parseKeyHistory,
  openCheckpoint,
  parseVerifierKey,
  utf8,
  verifyInclusion,
  staticRecordSource,
  verifyRecord,
  type ReadFile,
  type VerifyProgress,
  type LogKeyPeriod,
  type VerifyReport,
} from '../record/index.ts';

export interface BrowserVerifyResult {
  report: VerifyReport;
  /** True when the log key was trusted on first use (nothing pinned before). */
  firstUse: boolean;
}

const stateKey = (orgId: string) => `councils.record.${orgId}`;

interface Pinned {
  key: string;
  checkpoint?: string;
}

export function recordPrefix(orgId: string): string {
  return `/api/v1/orgs/${encodeURIComponent(orgId)}/record`;
}

function pinnedFor(orgId: string): Pinned | null {
  return JSON.parse(localStorage.getItem(stateKey(orgId)) ?? 'null') as Pinned | null;
}

async function logKey(orgId: string): Promise<{ key: string; firstUse: boolean }> {
  const pinned = pinnedFor(orgId);
  if (pinned?.key) return { key: pinned.key, firstUse: false };
  const res = await fetch(`${recordPrefix(orgId)}/vkey`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error('the server publishes no log key (vkey)');
  return { key: (await res.text()).trim(), firstUse: true };
}

export interface EntryCheck {
  ok: boolean;
  seq: number;
  size: number;
  firstUse: boolean;
  /** Why not, when not ok. */
  reason?: string;
}

interface EntryProof {
  entry: string;
  leafHash: string;
  size: number;
  proof: string[];
  checkpoint: string;
}

async function entryProof(orgId: string, seq: number, size?: number): Promise<EntryProof> {
  const query = size === undefined ? '' : `?size=${size}`;
  const res = await fetch(`${recordPrefix(orgId)}/entries/${seq}${query}`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`GET entries/${seq}${query}: HTTP ${res.status}`);
  return (await res.json()) as EntryProof;
}

/**
 * Checks an entry proof against a checkpoint signed by `key` (RFC 9162 §2.1.3.2): returns the parsed entry, or
 * the reason it does not hold.
 */
function provenEntry(r: EntryProof, seq: number, key: string): { entry: unknown } | { reason: string } {
  const verifier = parseVerifierKey(key);
  let root: Uint8Array;
  try {
    const opened = openCheckpoint(r.checkpoint, verifier.name, verifier);
    if (opened.checkpoint.size !== r.size) return { reason: 'the checkpoint is of another size' };
    root = opened.checkpoint.rootHash;
  } catch (e) {
    return { reason: e instanceof Error ? e.message : String(e) };
  }
  const proof = r.proof.map(fromBase64);
  if (proof.some((p) => p === undefined)) return { reason: 'the proof is not base64' };
  const parsed = JSON.parse(r.entry) as { seq?: number };
  if (parsed.seq !== seq) return { reason: `the entry says it is number ${String(parsed.seq)}` };
  if (!verifyInclusion(leafHash(utf8(r.entry)), seq, r.size, proof as Uint8Array[], root))
    return { reason: 'the inclusion proof does not lead to the signed root' };
  return { entry: parsed };
}

/**
 * The key that signs checkpoints of `size`, reached from the pinned key through the log itself: each later key of
 * the server's keys.json is trusted only once its rotation entries (the request naming it and the entry carrying
 * it out) are proven under the handover checkpoint signed by the key before it (docs/RECORD.md "Key history").
 */
async function keyFor(orgId: string, pinned: string, size: number): Promise<string> {
  const res = await fetch(`${recordPrefix(orgId)}/keys.json`, { credentials: 'same-origin' });
  if (!res.ok) return pinned; // a server without a key history: the pinned key alone
  const history: LogKeyPeriod[] = parseKeyHistory(await res.text()).keys;
  let at = history.findIndex((k) => k.verifierKey === pinned);
  if (at < 0) throw new Error('the pinned log key is not in the server’s key history');
  const target = history.indexOf(keyInForce(history, size));
  let trusted = pinned;
  for (at++; at <= target; at++) {
    const next = history[at]!;
    const handover = next.fromSize - 1;
    const tracker = new KeyRotationTracker();
    for (const seq of [next.requestSeq!, next.rotationSeq!]) {
      const r = provenEntry(await entryProof(orgId, seq, handover), seq, trusted);
      if ('reason' in r) throw new Error(`the rotation to the log key ${next.verifierKey}: ${r.reason}`);
      tracker.see(r.entry as { seq: number; act: string; payload: unknown });
    }
    if (tracker.rotations[0]?.verifierKey !== next.verifierKey)
      throw new Error(`the log does not rotate to the key ${next.verifierKey} at entry ${next.rotationSeq}`);
    trusted = next.verifierKey;
  }
  return trusted;
}

/**
 * One entry's inclusion (RFC 9162 §2.1.3.2): the leaf hash of the entry's canonical JSON, its audit path, and the
 * root of a checkpoint opened with the log key in force at its size. Returns ok: false (with the reason) rather
 * than throwing for any proof or signature that does not hold.
 */
export async function checkEntry(orgId: string, seq: number): Promise<EntryCheck> {
  const r = await entryProof(orgId, seq);
  const { key: pinned, firstUse } = await logKey(orgId);
  const base = { seq, size: r.size, firstUse };
  let key: string;
  try {
    key = await keyFor(orgId, pinned, r.size);
  } catch (e) {
    return { ...base, ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const proven = provenEntry(r, seq, key);
  return 'reason' in proven ? { ...base, ok: false, reason: proven.reason } : { ...base, ok: true };
}

export async function verifyInBrowser(
  orgId: string,
  onProgress: (p: VerifyProgress) => void,
): Promise<BrowserVerifyResult> {
  const prefix = recordPrefix(orgId);
  const read: ReadFile = async (path) => {
    const res = await fetch(`${prefix}/${path}`, { credentials: 'same-origin' });
    if (res.status === 404 || res.status === 410) return undefined;
    if (!res.ok) throw new Error(`GET ${prefix}/${path}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const pinned = pinnedFor(orgId);
  const { key, firstUse } = await logKey(orgId);
  const report = await verifyRecord(staticRecordSource(read, prefix), {
    logKey: key,
    ...(pinned?.checkpoint ? { trusted: pinned.checkpoint } : {}),
    onProgress,
    // The core's replay, as `councils verify` runs it: every member's act decided again, every vote recounted,
    // every secret vote's board checked (checks 1–10 of docs/BALLOT-PROTOCOL.md §8, on this page's thread).
    replay: async (entries) => {
      const { replayEntries } = await import('../core/replay.ts');
      return replayEntries(entries);
    },
  });
  if (report.ok && report.latestCheckpoint) {
    // Pinned only after a verified run, as `councils verify` keeps its state file.
    localStorage.setItem(stateKey(orgId), JSON.stringify({ key, checkpoint: report.latestCheckpoint }));
  }
  return { report, firstUse };
}
