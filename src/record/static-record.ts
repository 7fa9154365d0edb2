// The static form of a record, used both for export and for serving: a directory (or URL prefix) holding
//   entries.jsonl      every entry's leaf bytes (RFC 8785 canonical JSON), one per line, seq order
//   checkpoints.jsonl  every signed checkpoint issued, oldest first, one JSON string (the signed note) per line
//   checkpoint         the latest signed checkpoint (C2SP tlog-tiles)
//   tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>]   C2SP tlog-tiles hash tiles and entry bundles
// Any subset with a checkpoint and the entries (entries.jsonl or entry bundles) can be verified.
import { concatBytes, utf8 } from './bytes.ts';
import { MalformedTileError } from './errors.ts';
import { KEYS_FILE, type KeyHistoryDocument } from './key-history.ts';
import { MemoryHashStore } from './memory-hash-store.ts';
import { leafHash } from './rfc9162.ts';
import { noteSignatureLines } from './signed-note.ts';
import { parseCheckpoint } from './tlog-checkpoint.ts';
import { prefetch } from './prefetch.ts';
import {
  TILE_WIDTH,
  decodeEntryBundle,
  encodeEntryBundle,
  entryBundlesForSize,
  tileNodeIds,
  tilePath,
  tilesForSize,
  type TileId,
} from './tlog-tiles.ts';

export const ENTRIES_FILE = 'entries.jsonl';
export const CHECKPOINTS_FILE = 'checkpoints.jsonl';
export const CHECKPOINT_FILE = 'checkpoint';
/** The log's verifier key, for trust on first use only: a verifier should pin the key it got out of band. */
export const VKEY_FILE = 'vkey';
/** The organisation's witness policy `{ witnesses, required }` (its constitution's), offered to a first-time verifier. */
export const WITNESSES_FILE = 'witnesses.json';

/** Reads one file of a static record by its relative path; undefined when it does not exist. */
export type ReadFile = (path: string) => Promise<Uint8Array | undefined>;

/** Optionally streams a (large) file instead: its chunks, or undefined when it does not exist. */
export type StreamFile = (path: string) => Promise<AsyncIterable<Uint8Array> | undefined>;

export interface RecordSource {
  readonly description: string;
  /** Every signed checkpoint the source has (unverified text), oldest first. */
  checkpoints(): Promise<string[]>;
  /** The leaf bytes of the entries from seq 0, in order. `size` is the latest checkpoint's size. */
  entries(size: number): AsyncIterable<Uint8Array>;
  /** A hash tile, if the source serves tiles; undefined when it does not have that tile. */
  readTile?(tile: TileId): Promise<Uint8Array | undefined>;
  /** The log's key history document (keys.json, key-history.ts), unverified text; undefined if none. */
  keyHistory?(): Promise<string | undefined>;
  /**
   * Every file under `tile/` the source holds (paths relative to it), when it can list them (a directory, an
   * export bundle): the verifier checks each against the tree, not only the latest size's tiles.
   */
  tilePaths?(): Promise<string[]>;
}

/** Lists the relative paths of a static record's files under `tile/` (a directory walk, a Map's keys). */
export type ListTiles = () => Promise<string[]>;

/** Splits JSON-lines bytes into lines without copying; the newline after the last line is optional. */
export function* splitLines(bytes: Uint8Array): Generator<Uint8Array> {
  let start = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, start)) {
    yield bytes.subarray(start, i);
    start = i + 1;
  }
  if (start < bytes.length) yield bytes.subarray(start);
}

/** Splits a stream of chunks into lines; only a line that spans chunks is copied. */
export async function* splitLineStream(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let carry: Uint8Array | undefined;
  for await (const chunk of chunks) {
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, i);
      yield carry ? concatBytes(carry, piece) : piece;
      carry = undefined;
      start = i + 1;
    }
    if (start < chunk.length) carry = carry ? concatBytes(carry, chunk.subarray(start)) : chunk.slice(start);
  }
  if (carry && carry.length > 0) yield carry;
}

/** entries.jsonl: each entry's leaf bytes followed by a newline (no argument spreading: logs can be huge). */
export function encodeEntriesFile(entries: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const e of entries) length += e.length + 1;
  const out = new Uint8Array(length);
  let at = 0;
  for (const e of entries) {
    out.set(e, at);
    out[at + e.length] = 0x0a;
    at += e.length + 1;
  }
  return out;
}

export function encodeCheckpointsFile(checkpoints: readonly string[]): Uint8Array {
  return utf8(checkpoints.map((c) => `${JSON.stringify(c)}\n`).join(''));
}

/**
 * The checkpoints of checkpoints.jsonl. A line that is not a JSON string is returned as its raw text, so that the
 * verifier rejects it as a malformed note and names its position rather than failing to read the file.
 */
export function decodeCheckpointsFile(bytes: Uint8Array): string[] {
  return lenientText(bytes)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v === 'string' ? v : l;
      } catch {
        return l;
      }
    });
}

/** UTF-8 with U+FFFD for bad bytes: a damaged checkpoint then fails its signature check, at its position. */
function lenientText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** The size a signed checkpoint claims, without verifying it (to lay out tiles). */
function claimedSize(signed: string): number {
  return parseCheckpoint(noteSignatureLines(signed).text).size;
}

/**
 * All files of the static record for these entries and checkpoints: entries.jsonl, checkpoints.jsonl, the latest
 * checkpoint, the full tiles and entry bundles up to the latest checkpoint, and the partial tiles and bundles of
 * every checkpoint's size (tlog-tiles requires those to be served), the log key if given (vkey: the first key of
 * the history) and the key history if given (keys.json).
 */
export function staticRecordFiles(
  entries: readonly Uint8Array[],
  checkpoints: readonly string[],
  options: { logKey?: string; keyHistory?: KeyHistoryDocument } = {},
): Map<string, Uint8Array> {
  const files = staticRecordHeads(checkpoints, options);
  files.set(ENTRIES_FILE, encodeEntriesFile(entries));
  const layout = staticRecordTiles(checkpoints);
  if (!layout) return files;
  if (layout.latest > entries.length)
    throw new RangeError(`checkpoints: size ${layout.latest} exceeds the ${entries.length} entries`);
  const store = new MemoryHashStore().append(entries.slice(0, layout.latest).map(leafHash));
  for (const [path, t] of layout.tiles) {
    if (t.level === 'entries') {
      const first = t.index * TILE_WIDTH;
      files.set(path, encodeEntryBundle(entries.slice(first, first + t.width)));
    } else {
      files.set(path, concatBytes(...store.readHashes(tileNodeIds(t))));
    }
  }
  return files;
}

/**
 * The small files of a static record: checkpoints.jsonl, the latest checkpoint, the log key (vkey: the first key
 * of the history) and the key history (keys.json) if given. Everything but the entries and the tiles.
 */
export function staticRecordHeads(
  checkpoints: readonly string[],
  options: { logKey?: string; keyHistory?: KeyHistoryDocument } = {},
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  if (options.logKey) files.set(VKEY_FILE, utf8(`${options.logKey}\n`));
  if (options.keyHistory) files.set(KEYS_FILE, utf8(`${JSON.stringify(options.keyHistory, null, 2)}\n`));
  files.set(CHECKPOINTS_FILE, encodeCheckpointsFile(checkpoints));
  const layout = staticRecordTiles(checkpoints);
  if (layout) files.set(CHECKPOINT_FILE, utf8(checkpoints[layout.latestAt]!));
  return files;
}

/**
 * The tiles and entry bundles a static record of these checkpoints serves, by path: the full ones up to the
 * latest checkpoint and the partial ones of every checkpoint's size (tlog-tiles requires those to be served).
 * Undefined without a checkpoint. Paths only, so a writer can produce each file from storage one at a time.
 */
export function staticRecordTiles(
  checkpoints: readonly string[],
): { latest: number; latestAt: number; tiles: Map<string, TileId> } | undefined {
  if (checkpoints.length === 0) return undefined;
  const sizes = checkpoints.map(claimedSize);
  const latest = sizes.reduce((a, b) => Math.max(a, b));
  const tiles = new Map<string, TileId>();
  for (const size of new Set(sizes)) {
    for (const t of [...tilesForSize(size), ...entryBundlesForSize(size)]) tiles.set(tilePath(t), t);
  }
  return { latest, latestAt: sizes.lastIndexOf(latest), tiles };
}

/** A RecordSource over a static record read through `read` (a directory, an HTTP prefix, a Map in tests). */
export function staticRecordSource(
  read: ReadFile,
  description: string,
  stream?: StreamFile,
  listTiles?: ListTiles,
): RecordSource {
  return {
    description,
    ...(listTiles ? { tilePaths: listTiles } : {}),
    async checkpoints() {
      const all = await read(CHECKPOINTS_FILE);
      const list = all ? decodeCheckpointsFile(all) : [];
      const latest = await read(CHECKPOINT_FILE);
      const text = latest ? lenientText(latest) : undefined;
      if (text !== undefined && !list.includes(text)) list.push(text);
      return list;
    },
    async *entries(size: number) {
      // entries.jsonl can exceed what one read holds (2 GiB for Node's readFile): stream it when we can.
      const chunks = stream ? await stream(ENTRIES_FILE) : undefined;
      if (chunks) {
        yield* splitLineStream(chunks);
        return;
      }
      const jsonl = await read(ENTRIES_FILE);
      if (jsonl) {
        yield* splitLines(jsonl);
        return;
      }
      for await (const [t, bytes] of prefetch(entryBundlesForSize(size), (t) => read(tilePath(t)))) {
        const path = tilePath(t);
        if (!bytes) return;
        let bundle: Uint8Array[];
        try {
          bundle = decodeEntryBundle(bytes);
        } catch (e) {
          throw new MalformedTileError(`${path}: ${(e as Error).message}`, path);
        }
        if (bundle.length !== t.width) {
          throw new MalformedTileError(`${path}: holds ${bundle.length} entries, expected ${t.width}`, path);
        }
        yield* bundle;
      }
    },
    readTile: (tile) => read(tilePath(tile)),
    async keyHistory() {
      const bytes = await read(KEYS_FILE);
      return bytes ? lenientText(bytes) : undefined;
    },
  };
}
