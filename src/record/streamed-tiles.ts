// The source's tiles compared with the tree as its tile windows fill during the one pass over the entries
// (streaming-tree.ts), so that no tree node outlives its window: the tiles of the latest checkpoint's size, and every
// other tile file the source lists (older sizes' partial tiles, entry bundles). Only the first failure of each
// kind, in the order the checks name them, is kept; record-verifier.ts reports them after the scan.
import { bytesEqual } from './bytes.ts';
import { HASH_SIZE, type TreeHasher } from './rfc9162.ts';
import type { TileWindow } from './streaming-tree.ts';
import {
  TILE_WIDTH,
  decodeEntryBundle,
  parseTilePath,
  tileAvailable,
  tilePath,
  type TileId,
} from './tlog-tiles.ts';

/** The first tile of the latest size that differs from the tree: `bad` is the first differing hash. */
export interface LatestTileFailure {
  tile: TileId;
  path: string;
  bad: number;
  missing: boolean;
}

/** How many tiles of each level the tree of `size` has, in tilesForSize's order (bottom level first). */
export function tileCounts(size: number): number[] {
  const out: number[] = [];
  for (let count = size; count > 0; count = Math.floor(count / TILE_WIDTH)) {
    const full = Math.floor(count / TILE_WIDTH);
    out.push(full + (count % TILE_WIDTH > 0 ? 1 : 0));
    if (full === 0) break;
  }
  return out;
}

interface Listed {
  order: number;
  path: string;
  tile: TileId;
}

const MAX_IN_FLIGHT = 32;

export class StreamedTileChecks {
  readonly #size: number;
  readonly #read: (tile: TileId) => Promise<Uint8Array | undefined>;
  readonly #hasher: TreeHasher;
  readonly #counts: number[];
  /** Listed tile files by tile level and index (entry bundles with level 0), with their place in sorted order. */
  readonly #listed = new Map<string, Listed[]>();
  readonly #inFlight: Promise<void>[] = [];
  readonly #onChecked: ((done: number, total: number) => void) | undefined;
  #error: unknown;
  #checked = 0;
  latest: LatestTileFailure | undefined;
  #latestOrder = Infinity;
  listed: { detail: string; path: string } | undefined;
  #listedOrder = Infinity;
  /** How many listed tile files there were (all but the latest size's tiles). */
  readonly listedCount: number;
  readonly total: number;

  constructor(options: {
    size: number;
    read: (tile: TileId) => Promise<Uint8Array | undefined>;
    hasher: TreeHasher;
    /** Every file under tile/ the source lists, except the latest size's tiles; undefined: none listed. */
    listedPaths?: readonly string[];
    onChecked?: (done: number, total: number) => void;
  }) {
    this.#size = options.size;
    this.#read = options.read;
    this.#hasher = options.hasher;
    this.#counts = tileCounts(options.size);
    this.#onChecked = options.onChecked;
    this.total = this.#counts.reduce((a, b) => a + b, 0);
    const paths = [...(options.listedPaths ?? [])].sort();
    this.listedCount = paths.length;
    paths.forEach((path, order) => {
      let tile: TileId;
      try {
        tile = parseTilePath(path);
      } catch (e) {
        return this.#failListed(order, path, `is not a tile: ${(e as Error).message}`);
      }
      if (!tileAvailable(tile, this.#size))
        return this.#failListed(
          order,
          path,
          `lies beyond the tree of the latest checkpoint (size ${this.#size})`,
        );
      const key = `${tile.level === 'entries' ? 0 : tile.level}/${tile.index}`;
      const list = this.#listed.get(key);
      if (list) list.push({ order, path, tile });
      else this.#listed.set(key, [{ order, path, tile }]);
    });
  }

  /** The latest size's tile at this place, and its position in tilesForSize(size). */
  #latestTile(level: number, index: number): { tile: TileId; order: number } | undefined {
    if (level >= this.#counts.length || index >= this.#counts[level]!) return undefined;
    const hashes = Math.floor(this.#size / TILE_WIDTH ** level);
    const width = Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH);
    let order = index;
    for (let l = 0; l < level; l++) order += this.#counts[l]!;
    return { tile: { level, index, width }, order };
  }

  #failListed(order: number, path: string, why: string): void {
    if (order < this.#listedOrder) {
      this.#listedOrder = order;
      this.listed = { path, detail: `${path} ${why}` };
    }
  }

  /** A tile window filled (StreamingTree's onWindow): reads the tiles at its place and compares them. */
  onWindow(w: TileWindow): void {
    const hashAt = (i: number) => w.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    const latest = this.#latestTile(w.level, w.index);
    if (latest && latest.tile.width <= w.count) {
      this.#start(latest.tile, (got) => {
        const t = latest.tile;
        let bad = -1;
        for (let i = 0; i < t.width && bad < 0; i++) {
          if (
            !got ||
            got.length !== t.width * HASH_SIZE ||
            !bytesEqual(hashAt(i), got.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE))
          )
            bad = i;
        }
        this.#onChecked?.(++this.#checked, this.total);
        if (bad >= 0 && latest.order < this.#latestOrder) {
          this.#latestOrder = latest.order;
          this.latest = { tile: t, path: tilePath(t), bad, missing: !got };
        }
      });
    }
    for (const l of this.#listed.get(`${w.level}/${w.index}`) ?? []) {
      if (l.tile.level === 'entries' && w.level !== 0) continue;
      if (l.tile.width > w.count) continue; // the scan stopped short of it: entries_present fails first
      this.#start(l.tile, (got) => {
        if (!got) return;
        const first = l.tile.index * TILE_WIDTH;
        let have: Uint8Array[];
        if (l.tile.level === 'entries') {
          try {
            have = decodeEntryBundle(got).map((e) => this.#hasher.leaf(e));
          } catch (e) {
            return this.#failListed(l.order, l.path, `is not an entry bundle: ${(e as Error).message}`);
          }
        } else {
          have =
            got.length % HASH_SIZE !== 0
              ? []
              : Array.from({ length: got.length / HASH_SIZE }, (_, i) =>
                  got.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
                );
        }
        let bad = -1;
        for (let i = 0; i < l.tile.width && bad < 0; i++) {
          const h = have[i];
          if (!h || !bytesEqual(hashAt(i), h)) bad = i;
        }
        if (bad >= 0 || have.length !== l.tile.width)
          this.#failListed(
            l.order,
            l.path,
            `does not match the entries the checkpoints sign (${l.tile.level === 'entries' ? 'entry' : 'hash'} ${first + Math.max(bad, 0)})`,
          );
      });
    }
  }

  #start(tile: TileId, compare: (got: Uint8Array | undefined) => void): void {
    this.#inFlight.push(
      this.#read(tile).then(compare, (e: unknown) => {
        this.#error ??= e;
      }),
    );
  }

  /** Whether the scan should wait for reads before going on (memory stays bounded by the reads in flight). */
  get busy(): boolean {
    return this.#inFlight.length > MAX_IN_FLIGHT;
  }

  async pace(): Promise<void> {
    while (this.#inFlight.length > MAX_IN_FLIGHT / 2) await this.#inFlight.shift();
  }

  /** Waits for every read; rethrows a read that failed (as reading the tiles after the scan would have). */
  async settle(): Promise<void> {
    while (this.#inFlight.length > 0) await this.#inFlight.shift();
    if (this.#error !== undefined) throw this.#error;
  }
}
