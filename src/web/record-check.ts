// "Verify in my browser": the record verifier of src/record, run here over the server's public record files
// (GET …/record/{checkpoints.jsonl, vkey, tile/…, entries.jsonl}), as `councils verify URL` runs it. The log key
// is pinned on first use and the last verified checkpoint kept in this browser (localStorage), so the next run
// also proves the log was only appended to (RFC 9162 consistency) since then. Loaded on demand: it is not part
// of the first page's bundle.
import {
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
  const pinned = JSON.parse(localStorage.getItem(stateKey(orgId)) ?? 'null') as Pinned | null;
  let key = pinned?.key;
  const firstUse = key === undefined;
  if (!key) {
    const bytes = await read('vkey');
    if (!bytes) throw new Error('the server publishes no log key (vkey)');
    key = new TextDecoder().decode(bytes).trim();
  }
  const report = await verifyRecord(staticRecordSource(read, prefix), {
    logKey: key,
    ...(pinned?.checkpoint ? { trusted: pinned.checkpoint } : {}),
    onProgress,
  });
  if (report.ok && report.latestCheckpoint) {
    localStorage.setItem(stateKey(orgId), JSON.stringify({ key, checkpoint: report.latestCheckpoint }));
  }
  return { report, firstUse };
}
