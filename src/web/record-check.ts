// "Verify in my browser": the record verifier of src/record, run here over the server's public record files
// (GET …/record/{checkpoints.jsonl, vkey, tile/…, entries.jsonl}), as `councils verify URL` runs it. The log key
// is pinned on first use and the last verified checkpoint kept in this browser (localStorage), so the next run
// also proves the log was only appended to (RFC 9162 consistency) since then. Loaded on demand: it is not part
// of the first page's bundle.
import {
  fromBase64,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  utf8,
  verifyInclusion,
  staticRecordSource,
  verifyRecord,
  type ReadFile,
  type VerifyProgress,
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

/**
 * One entry's inclusion (RFC 9162 §2.1.3.2): the leaf hash of the entry's canonical JSON, its audit path, and the
 * root of a checkpoint opened with the log key. Returns ok: false (with the reason) rather than throwing for any
 * proof or signature that does not hold.
 */
export async function checkEntry(orgId: string, seq: number): Promise<EntryCheck> {
  const res = await fetch(`${recordPrefix(orgId)}/entries/${seq}`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`GET entries/${seq}: HTTP ${res.status}`);
  const r = (await res.json()) as {
    entry: string;
    leafHash: string;
    size: number;
    proof: string[];
    checkpoint: string;
  };
  const { key, firstUse } = await logKey(orgId);
  const base = { seq, size: r.size, firstUse };
  const verifier = parseVerifierKey(key);
  let root: Uint8Array;
  try {
    const opened = openCheckpoint(r.checkpoint, verifier.name, verifier);
    if (opened.checkpoint.size !== r.size)
      return { ...base, ok: false, reason: 'the checkpoint is of another size' };
    root = opened.checkpoint.rootHash;
  } catch (e) {
    return { ...base, ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const proof = r.proof.map(fromBase64);
  if (proof.some((p) => p === undefined)) return { ...base, ok: false, reason: 'the proof is not base64' };
  const leaf = leafHash(utf8(r.entry));
  const parsed = JSON.parse(r.entry) as { seq?: number };
  if (parsed.seq !== seq)
    return { ...base, ok: false, reason: `the entry says it is number ${String(parsed.seq)}` };
  const ok = verifyInclusion(leaf, seq, r.size, proof as Uint8Array[], root);
  return ok
    ? { ...base, ok }
    : { ...base, ok, reason: 'the inclusion proof does not lead to the signed root' };
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
  });
  if (report.ok && report.latestCheckpoint) {
    // Pinned only after a verified run, as `councils verify` keeps its state file.
    localStorage.setItem(stateKey(orgId), JSON.stringify({ key, checkpoint: report.latestCheckpoint }));
  }
  return { report, firstUse };
}
