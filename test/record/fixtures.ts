// A small organisation's record for the verifier tests: canonical JSON entries (a sealed entry and its reveal
// among them), checkpoints every `batch` entries signed by a fixed log key, the latest cosigned by two witnesses.
import canonicalize from 'canonicalize';
import { utf8 } from '../../src/record/bytes.ts';
import { encodeKeyPair, parseSignerKey } from '../../src/record/note-keys.ts';
import { leafHash } from '../../src/record/rfc9162.ts';
import { CompactRange } from '../../src/record/compact-range.ts';
import { makeReveal, seal } from '../../src/record/sealed.ts';
import { signCheckpoint, formatCheckpoint } from '../../src/record/tlog-checkpoint.ts';
import {
  addCosignatures,
  encodeCosignerKeyPair,
  parseCosignerKey,
} from '../../src/record/tlog-cosignature.ts';
import { staticRecordFiles, staticRecordSource, type RecordSource } from '../../src/record/static-record.ts';

export const ORIGIN = 'councils.example/orgs/acme/record';
export const logKeys = encodeKeyPair(ORIGIN, new Uint8Array(32).fill(11));
export const witnessKeys = [
  encodeCosignerKeyPair('witness.example/one', new Uint8Array(32).fill(21)),
  encodeCosignerKeyPair('witness.example/two', new Uint8Array(32).fill(22)),
];
export const policy = { witnesses: witnessKeys.map((w) => w.verifierKey), required: 2 };

export function makeEntries(count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const sealedContent = utf8(canonicalize({ minutes: 'the commission met and agreed' })!);
  const { sealed, key } = seal(sealedContent, 'commission-minutes', { at: '2026-01-01T00:00:10Z' }, (n) =>
    new Uint8Array(n).fill(5),
  );
  for (let seq = 0; seq < count; seq++) {
    const time = `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`;
    let entry: object = {
      seq,
      act: 'comment_posted',
      actor: `m${seq % 7}`,
      time,
      payload: { motionId: 'x', text: `comment ${seq} «ü»` },
    };
    if (seq === 3) entry = { seq, act: 'record_sealed', actor: null, time, payload: sealed };
    if (seq === 9)
      entry = { seq, act: 'record_revealed', actor: null, time, payload: makeReveal(3, key, sealedContent) };
    out.push(utf8(canonicalize(entry)!));
  }
  return out;
}

/** Signed checkpoints at every multiple of `batch` and at the end; the latest carries both cosignatures. */
export function makeCheckpoints(entries: readonly Uint8Array[], batch: number, cosign = true): string[] {
  const range = CompactRange.empty();
  const signer = parseSignerKey(logKeys.signerKey);
  const out: string[] = [];
  entries.forEach((e, i) => {
    range.append([leafHash(e)]);
    if ((i + 1) % batch === 0 || i + 1 === entries.length) {
      out.push(
        signCheckpoint({ origin: ORIGIN, size: i + 1, rootHash: range.root(), extensions: [] }, [signer]),
      );
    }
  });
  if (cosign) {
    const last = out.length - 1;
    const text = formatCheckpoint({
      origin: ORIGIN,
      size: entries.length,
      rootHash: range.root(),
      extensions: [],
    });
    out[last] = addCosignatures(
      out[last]!,
      witnessKeys.map((w, i) => parseCosignerKey(w.signerKey).cosign(text, 1767225600n + BigInt(i))),
    );
  }
  return out;
}

export function sourceOf(files: Map<string, Uint8Array>, description = 'memory'): RecordSource {
  return staticRecordSource(async (path) => files.get(path), description);
}

export function recordFiles(count: number, batch: number): Map<string, Uint8Array> {
  const entries = makeEntries(count);
  return staticRecordFiles(entries, makeCheckpoints(entries, batch));
}

/** Only the export files (entries.jsonl, checkpoints.jsonl), without tiles. */
export function exportOnly(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  return new Map([...files].filter(([p]) => p.endsWith('.jsonl')));
}

/** Only the tlog-tiles files (checkpoint and tile/...), as an HTTP tile server would serve. */
export function tilesOnly(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  return new Map([...files].filter(([p]) => !p.endsWith('.jsonl')));
}
