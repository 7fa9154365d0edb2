// A HashReader over tlog-tiles of one tree size: the verifier's way to get any complete subtree hash (and thus
// any proof or root) from a tile directory or an HTTP tile server. Hashes between tile levels are recomputed
// from the tile below (at most 255 node hashes per tile); fetched tiles are cached.
import type { HashReader, NodeId } from './merkle-proofs.ts';
import { rootFromLeafHashes } from './rfc9162.ts';
import { TILE_HEIGHT, TILE_WIDTH, splitTile, type TileId } from './tlog-tiles.ts';

export type TileFetcher = (tile: TileId) => Promise<Uint8Array>;

export class TileHashReader implements HashReader {
  readonly #cache = new Map<string, Promise<Uint8Array[]>>();

  constructor(
    readonly size: number,
    readonly fetchTile: TileFetcher,
  ) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size: ${size} is invalid`);
  }

  /** The tile that holds hash `index` of tile level `level`, at the width this tree size gives it. */
  tileFor(level: number, index: number): TileId {
    const tileIndex = Math.floor(index / TILE_WIDTH);
    const perLevel = Math.floor(this.size / TILE_WIDTH ** level); // hashes at this tile level
    const full = Math.floor(perLevel / TILE_WIDTH);
    const width = tileIndex < full ? TILE_WIDTH : perLevel % TILE_WIDTH;
    if (width === 0 || index >= perLevel)
      throw new RangeError(`node ${level * TILE_HEIGHT}/${index}: beyond size ${this.size}`);
    return { level, index: tileIndex, width };
  }

  #tile(tile: TileId): Promise<Uint8Array[]> {
    const key = `${tile.level}/${tile.index}/${tile.width}`;
    let hit = this.#cache.get(key);
    if (!hit) {
      hit = this.fetchTile(tile).then((bytes) => splitTile(bytes, tile.width));
      this.#cache.set(key, hit);
    }
    return hit;
  }

  async #hash({ level, index }: NodeId): Promise<Uint8Array> {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const height = level % TILE_HEIGHT;
    const span = 2 ** height;
    const first = index * span;
    const tile = this.tileFor(tileLevel, first + span - 1);
    const hashes = await this.#tile(tile);
    const offset = first - tile.index * TILE_WIDTH;
    return rootFromLeafHashes(hashes.slice(offset, offset + span));
  }

  async readHashes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    return Promise.all(ids.map((id) => this.#hash(id)));
  }
}
