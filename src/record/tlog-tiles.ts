// C2SP tlog-tiles: the Merkle tree served as static "tiles" of 256 hashes (8 levels of the tree per tile level)
// and the entries as length-prefixed "entry bundles", at <prefix>/tile/<L>/<N>[.p/<W>] and
// <prefix>/tile/entries/<N>[.p/<W>], with <N> written as 3-digit groups "x001/x234/067".
import { concatBytes } from './bytes.ts';
import { MalformedTileError } from './errors.ts';
import type { HashReader, NodeId } from './merkle-proofs.ts';
import { HASH_SIZE } from './rfc9162.ts';

export const TILE_WIDTH = 256;
/** Merkle levels covered by one tile level. */
export const TILE_HEIGHT = 8;
export const MAX_ENTRY_SIZE = 0xffff;

/** One tile (or entry bundle when level is 'entries'): full when width is 256. */
export interface TileId {
  level: number | 'entries';
  index: number;
  width: number;
}

function encodeIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`tile index: ${index} is invalid`);
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** The path of a tile below the log's prefix, e.g. "tile/0/x001/x234/067.p/12" or "tile/entries/000". */
export function tilePath(tile: TileId): string {
  const { level, index, width } = tile;
  if (level !== 'entries' && (!Number.isInteger(level) || level < 0 || level > 63)) {
    throw new RangeError(`tile level: ${String(level)} is not between 0 and 63`);
  }
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw new RangeError(`tile width: ${width} is invalid`);
  return `tile/${level}/${encodeIndex(index)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

/** Parses a tile path (as produced by tilePath); throws MalformedTileError for anything else. */
export function parseTilePath(path: string): TileId {
  const m = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(
    path,
  );
  if (!m) throw new MalformedTileError(`tile path: "${path}" is not a tlog-tiles path`);
  const groups = [
    ...m[2]!
      .split('/')
      .filter((g) => g !== '')
      .map((g) => g.slice(1)),
    m[3]!,
  ];
  if (groups.length > 1 && groups[0] === '000')
    throw new MalformedTileError(`tile path: "${path}" has a leading zero group`);
  const index = Number(groups.join(''));
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4]);
  if ((m[4] !== undefined && width >= TILE_WIDTH) || (typeof level === 'number' && level > 63))
    throw new MalformedTileError(`tile path: "${path}" is out of range`);
  if (!Number.isSafeInteger(index)) throw new MalformedTileError(`tile path: "${path}" index is too large`);
  return { level, index, width };
}

/** Every tile of the tree of `size` leaves, bottom level first: full tiles, then the partial one if any. */
export function tilesForSize(size: number): TileId[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size: ${size} is invalid`);
  const out: TileId[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    const full = Math.floor(count / TILE_WIDTH);
    for (let index = 0; index < full; index++) out.push({ level, index, width: TILE_WIDTH });
    if (count % TILE_WIDTH > 0) out.push({ level, index: full, width: count % TILE_WIDTH });
    if (full === 0) break;
  }
  return out;
}

/**
 * Whether a tile or entry bundle may be served for a log whose latest checkpoint has `size` entries: a full
 * tile must lie inside the tree, a partial one must be a prefix of the tree's current tile at that position
 * (so it existed at some earlier checkpoint or is the current partial tile). Anything else: 404.
 */
export function tileAvailable(tile: TileId, size: number): boolean {
  const level = tile.level === 'entries' ? 0 : tile.level;
  const hashes = Math.floor(size / TILE_WIDTH ** level);
  return tile.index * TILE_WIDTH + tile.width <= hashes;
}

/** The entry bundles of a log of `size` entries. */
export function entryBundlesForSize(size: number): TileId[] {
  return tilesForSize(size)
    .filter((t) => t.level === 0)
    .map((t) => ({ ...t, level: 'entries' as const }));
}

/** The node ids whose hashes make up a tile: level L·8 nodes n·256 … n·256+W-1. */
export function tileNodeIds(tile: TileId): NodeId[] {
  if (tile.level === 'entries') throw new TypeError('tile: an entry bundle holds entries, not hashes');
  const level = tile.level * TILE_HEIGHT;
  return Array.from({ length: tile.width }, (_, i) => ({ level, index: tile.index * TILE_WIDTH + i }));
}

/** The bytes of a hash tile, read from a node store. */
export async function tileBytes(reader: HashReader, tile: TileId): Promise<Uint8Array> {
  return concatBytes(...(await reader.readHashes(tileNodeIds(tile))));
}

/** The hashes of a tile's bytes; throws MalformedTileError if the length is not width·32. */
export function splitTile(bytes: Uint8Array, width: number): Uint8Array[] {
  if (bytes.length !== width * HASH_SIZE) {
    throw new MalformedTileError(`tile: ${bytes.length} bytes, expected ${width * HASH_SIZE}`);
  }
  return Array.from({ length: width }, (_, i) => bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length === 0 || entries.length > TILE_WIDTH)
    throw new RangeError('entries: a bundle holds 1 to 256 entries');
  const parts: Uint8Array[] = [];
  for (const [i, e] of entries.entries()) {
    if (e.length > MAX_ENTRY_SIZE)
      throw new RangeError(`entries[${i}]: ${e.length} bytes exceed the 65535-byte limit`);
    parts.push(new Uint8Array([e.length >> 8, e.length & 255]), e);
  }
  return concatBytes(...parts);
}

export function decodeEntryBundle(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new MalformedTileError('entry bundle: truncated length');
    const n = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + n > bytes.length)
      throw new MalformedTileError(`entry bundle: entry ${out.length} is truncated`);
    out.push(bytes.subarray(at + 2, at + 2 + n));
    at += 2 + n;
  }
  return out;
}
